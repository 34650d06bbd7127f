"""People: children and adults, their names, identifiers, addresses, relationships, households,
allocations and manual flags."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from haven.core.codes import Disability, Ethnicity, Language, Religion, Sex
from haven.core.models import CaseQuerySet, CaseRecord

from . import names


class PersonQuerySet(CaseQuerySet):
    def children(self):
        return self.filter(kind=Person.Kind.CHILD)


class Person(CaseRecord):
    """A child or an adult known to children's services."""

    class Kind(models.TextChoices):
        CHILD = "child", "Child"
        ADULT = "adult", "Adult"

    person_path = ""

    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.CHILD)
    local_id = models.CharField("local ID", max_length=20, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child"
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_identity = models.CharField(max_length=60, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    first_language = models.CharField(max_length=3, choices=Language.choices, default=Language.NK)
    interpreter_needed = models.BooleanField(default=False)
    religion = models.CharField(max_length=10, choices=Religion.choices, default=Religion.UNKNOWN)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, db_index=True)
    upn = models.CharField("UPN", max_length=13, blank=True, db_index=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    restricted = models.BooleanField(
        default=False, help_text="Visible only to users granted access (adoption, staff-related, high profile)"
    )
    restricted_reason = models.CharField(max_length=200, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["authority", "kind"]),
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["expected_date_of_birth"]),
            models.Index(fields=["last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.middle_names, self.last_name) if p)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age_on(self, on: dt.date | None = None) -> int | None:
        if not self.date_of_birth:
            return None
        on = on or timezone.localdate()
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on()

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.pk])

    def name_tokens(self) -> set[str]:
        alias_names = [f"{a.first_name} {a.last_name}" for a in self.aliases.all()] if self.pk else []
        return names.tokens(self.first_name, self.middle_names, self.last_name, self.preferred_name, *alias_names)

    def refresh_search_tokens(self) -> None:
        wanted = self.name_tokens()
        with transaction.atomic():
            PersonNameToken.objects.filter(person=self).exclude(token__in=wanted).delete()
            have = set(PersonNameToken.objects.filter(person=self).values_list("token", flat=True))
            PersonNameToken.objects.bulk_create(
                [PersonNameToken(person=self, token=t) for t in sorted(wanted - have)]
            )

    def save(self, *args, **kwargs):
        if not self.local_id:
            self.local_id = LocalIdSequence.next_for(self.authority)
        super().save(*args, **kwargs)
        self.refresh_search_tokens()


class LocalIdSequence(models.Model):
    """Issues local child IDs per authority: prefix + zero-padded number, never reused."""

    authority = models.OneToOneField("accounts.LocalAuthority", on_delete=models.CASCADE, primary_key=True)
    last_number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.last_number}"

    @classmethod
    def next_for(cls, authority) -> str:
        with transaction.atomic():
            seq, _ = cls.objects.select_for_update().get_or_create(authority=authority)
            seq.last_number += 1
            seq.save(update_fields=["last_number"])
        return f"{authority.child_id_prefix}{seq.last_number:07d}"


class PersonNameToken(models.Model):
    """One folded word of a person's names or aliases, indexed for prefix search."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens_set")
    token = models.CharField(max_length=100)

    class Meta:
        # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%'; other engines
        # ignore opclasses and use it for a range scan (see people.search).
        indexes = [
            models.Index(fields=["token", "person"], name="people_name_token_prefix",
                         opclasses=["varchar_pattern_ops", "int8_ops"])
        ]
        constraints = [models.UniqueConstraint(fields=["person", "token"], name="name_token_unique")]

    def __str__(self) -> str:
        return self.token


class PersonDisability(CaseRecord):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="disabilities")
    code = models.CharField(max_length=4, choices=Disability.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="disability_unique")]

    def __str__(self) -> str:
        return self.get_code_display()


class PersonAlias(CaseRecord):
    class Kind(models.TextChoices):
        ALIAS = "alias", "Also known as"
        PREVIOUS = "previous", "Previous name"
        NICKNAME = "nickname", "Nickname"
        BIRTH = "birth", "Name at birth"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALIAS)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.person.refresh_search_tokens()

    def delete(self, *args, **kwargs):
        person = self.person
        result = super().delete(*args, **kwargs)
        person.refresh_search_tokens()
        return result


class DatedQuerySet(CaseQuerySet):
    """Records with ``start_date``/``end_date``: current on a date = started and not ended."""

    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=on)
        )


class Address(CaseRecord):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    line_1 = models.CharField("address line 1", max_length=120)
    line_2 = models.CharField("address line 2", max_length=120, blank=True)
    town = models.CharField("town or city", max_length=80, default="London")
    postcode = models.CharField(max_length=8)
    start_date = models.DateField("from", null=True, blank=True)
    end_date = models.DateField("to", null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url() + "#addresses"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.start_date is None or self.start_date <= today) and (
            self.end_date is None or self.end_date > today
        )


class Household(CaseRecord):
    """People living together; membership has dates so the household's history is kept."""

    person_path = None
    name = models.CharField(max_length=120, help_text="e.g. the family name and street")
    address = models.CharField(max_length=250, blank=True)
    postcode = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:household-detail", args=[self.pk])


class HouseholdMember(CaseRecord):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    start_date = models.DateField("from", null=True, blank=True)
    end_date = models.DateField("to", null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "id"]

    def __str__(self) -> str:
        return f"{self.person} in {self.household}"

    def get_absolute_url(self) -> str:
        return self.household.get_absolute_url()


class RelationshipType(models.TextChoices):
    """Read as: <person> is the <type> of <other>. Each type has an inverse (see INVERSE)."""

    PARENT = "parent", "Parent"
    CHILD = "child", "Child"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    STEP_SIBLING = "step_sibling", "Step-sibling"
    STEP_PARENT = "step_parent", "Step-parent"
    STEP_CHILD = "step_child", "Step-child"
    GRANDPARENT = "grandparent", "Grandparent"
    GRANDCHILD = "grandchild", "Grandchild"
    AUNT_UNCLE = "aunt_uncle", "Aunt or uncle"
    NIECE_NEPHEW = "niece_nephew", "Niece or nephew"
    PARTNER = "partner", "Partner"
    EX_PARTNER = "ex_partner", "Former partner"
    CARER = "carer", "Carer"
    CARED_FOR = "cared_for", "Cared for by"
    FRIEND = "friend", "Friend"
    PROFESSIONAL = "professional", "Professional"
    CLIENT = "client", "Client"


RT = RelationshipType
INVERSE = {
    RT.PARENT: RT.CHILD, RT.CHILD: RT.PARENT,
    RT.SIBLING: RT.SIBLING, RT.HALF_SIBLING: RT.HALF_SIBLING, RT.STEP_SIBLING: RT.STEP_SIBLING,
    RT.STEP_PARENT: RT.STEP_CHILD, RT.STEP_CHILD: RT.STEP_PARENT,
    RT.GRANDPARENT: RT.GRANDCHILD, RT.GRANDCHILD: RT.GRANDPARENT,
    RT.AUNT_UNCLE: RT.NIECE_NEPHEW, RT.NIECE_NEPHEW: RT.AUNT_UNCLE,
    RT.PARTNER: RT.PARTNER, RT.EX_PARTNER: RT.EX_PARTNER,
    RT.CARER: RT.CARED_FOR, RT.CARED_FOR: RT.CARER,
    RT.FRIEND: RT.FRIEND,
    RT.PROFESSIONAL: RT.CLIENT, RT.CLIENT: RT.PROFESSIONAL,
}


class RelationshipQuerySet(DatedQuerySet):
    def involving(self, person):
        return self.filter(Q(person=person) | Q(other=person))


class Relationship(CaseRecord):
    """A typed relationship stored once and read from both sides: ``person`` is the ``type`` of
    ``other``; from ``other``'s side it is the inverse type."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    type = models.CharField(max_length=20, choices=RelationshipType.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    parental_responsibility = models.BooleanField(default=False)
    notes = models.CharField(max_length=250, blank=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["type", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(person=models.F("other")), name="relationship_not_self"),
            models.UniqueConstraint(fields=["person", "other", "type"], name="relationship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} is {self.get_type_display().lower()} of {self.other}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url() + "/relationships"

    def seen_from(self, viewer: Person) -> tuple[str, Person]:
        """(label, the other person) as ``viewer`` sees this relationship."""
        if viewer.pk == self.person_id:
            return RelationshipType(INVERSE[RelationshipType(self.type)]).label, self.other
        return RelationshipType(self.type).label, self.person


class Allocation(CaseRecord):
    """A worker or team allocated to a person (key worker, IRO, personal adviser…). Gives
    allocation scope (see ``haven.core.access``)."""

    class Role(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Social worker"
        IRO = "iro", "Independent reviewing officer"
        PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
        VIRTUAL_SCHOOL = "virtual_school", "Virtual school"
        YOUTH_JUSTICE = "youth_justice", "Youth justice worker"
        PARTNER = "partner", "Partner agency contact"
        TEAM = "team", "Team"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="allocations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SOCIAL_WORKER)
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["worker", "end_date"]), models.Index(fields=["team", "end_date"])]

    def __str__(self) -> str:
        who = self.worker or self.team
        return f"{self.get_role_display()}: {who}"

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()


class PersonFlag(CaseRecord):
    """A flag a worker sets by hand (risk to staff, …). Flags fed by modules are derived, not
    stored: see ``haven.people.flags``."""

    class Kind(models.TextChoices):
        RISK_TO_STAFF = "risk_to_staff", "Risk to staff"
        INTERPRETER = "interpreter", "Interpreter needed"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="manual_flags")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.CharField(max_length=250, blank=True)
    start_date = models.DateField(default=timezone.localdate)
    end_date = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return self.person.get_absolute_url()
