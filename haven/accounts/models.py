"""Tenancy and identity: local authorities, partnerships, teams, users and their roles."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from .roles import AUTHORITY_WIDE_ROLES, Role, capabilities_for


class Partnership(models.Model):
    """Authorities that share services (e.g. a tri-borough MASH or fostering service)."""

    name = models.CharField(max_length=120, unique=True)

    def __str__(self) -> str:
        return self.name


class LocalAuthority(models.Model):
    """A local authority with children's services duties. Every case record belongs to one."""

    name = models.CharField(max_length=120, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    lea_code = models.CharField("LEA code", max_length=3, unique=True)
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.SET_NULL, related_name="authorities"
    )
    child_id_prefix = models.CharField(
        max_length=6, help_text="Prefix of local child IDs issued by this authority"
    )

    class Meta:
        verbose_name_plural = "local authorities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team belongs to an authority and serves one or more authorities (shared teams)."""

    name = models.CharField(max_length=120)
    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="teams")
    serves = models.ManyToManyField(LocalAuthority, related_name="served_by_teams")
    is_shared = models.BooleanField(default=False, help_text="Works across the partnership")

    class Meta:
        ordering = ["authority__name", "name"]
        constraints = [models.UniqueConstraint(fields=["authority", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff (or a partner agency) who signs in to Haven."""

    home_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # The access model reads these; they are cached per request (the user object lives as long
    # as the request) so that every scope check does not re-query memberships.
    @cached_property
    def active_memberships(self) -> list[Membership]:
        return list(
            self.memberships.filter(active=True).select_related("team").prefetch_related("team__serves")
        )

    @cached_property
    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships}

    @cached_property
    def capabilities(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return frozenset(capabilities_for(self.roles))

    def has_capability(self, name: str) -> bool:
        return name in self.capabilities

    @cached_property
    def team_ids(self) -> set[int]:
        return {m.team_id for m in self.active_memberships}

    @cached_property
    def authority_wide_ids(self) -> set[int]:
        """Authorities whose every child this user may see (through an authority-wide role)."""
        ids: set[int] = set()
        for m in self.active_memberships:
            if m.role in AUTHORITY_WIDE_ROLES:
                ids.update(a.pk for a in m.team.serves.all())
        return ids

    @cached_property
    def authorities(self) -> list[LocalAuthority]:
        ids = set()
        for m in self.active_memberships:
            ids.update(a.pk for a in m.team.serves.all())
        return list(LocalAuthority.objects.filter(pk__in=ids))

    def authorities_queryset(self):
        return LocalAuthority.objects.filter(pk__in=[a.pk for a in self.authorities])

    @property
    def shared_partnership(self):
        """The partnership, when the user's teams serve several authorities all of one
        partnership (a tri-borough worker); else None."""
        auths = self.authorities
        if len(auths) > 1:
            partnership = auths[0].partnership
            if partnership and all(a.partnership_id == partnership.pk for a in auths):
                return partnership
        return None

    def describe_authority(self) -> str:
        auths = self.authorities
        if len(auths) > 1:
            partnership = self.shared_partnership
            return partnership.name if partnership else ", ".join(a.name for a in auths)
        if auths:
            return auths[0].name
        return self.home_authority.name if self.home_authority else ""


class Membership(models.Model):
    """A user's role in a team. Roles grant capabilities; the team's authorities give scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team", "role"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.team}"


class RestrictedAccessGrant(models.Model):
    """Explicit permission for one user to open one restricted record."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="restricted_grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "person"])]

    def __str__(self) -> str:
        return f"{self.user} may open {self.person_id}"


class BreakGlassAccess(models.Model):
    """Time-limited emergency access to a restricted record, with the reason given. Reported."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="break_glass")
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "person", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} broke glass on {self.person_id} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
