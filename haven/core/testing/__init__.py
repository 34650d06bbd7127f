"""Test kit: a small world of authorities, teams, personas and people, and sign-in helpers.

Personas (after Healthchecks' Alice/Bob/Charlie):

- ``alice``: social worker, Westminster (authority-wide scope there)
- ``bob``: team manager, Westminster
- ``charlie``: social worker, Hammersmith and Fulham (an outsider to Westminster's children)
- ``mash``: MASH officer in a shared team serving both authorities
- ``petra``: partner agency, read only, allocated one Westminster child
- ``audrey``: auditor (Westminster); ``sid``: system administrator (no case access)
- ``nora``: signed in with MFA but no role at all (every capability-checked URL refuses her)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import LocalAuthority, Membership, Partnership, Team, User
from haven.accounts.roles import Role

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, *, role=None, team=None, first="Test", last=None, enrol=True) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=first,
                                    last_name=last or username.capitalize(),
                                    home_authority=team.authority if team else None)
    if role is not None:
        Membership.objects.create(user=user, team=team, role=role)
    if enrol:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def sign_in(client, user) -> None:
    """Signed in with password and second factor, as after the real two steps."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def make_person(authority, *, first="Test", last="Child", born=dt.date(2015, 5, 17), kind="child", **extra):
    from haven.people.models import Person

    person = Person(authority=authority, first_name=first, last_name=last, date_of_birth=born, kind=kind, **extra)
    person.save()
    return person


@dataclass
class World:
    westminster: LocalAuthority
    hammersmith: LocalAuthority
    wcc_team: Team
    hf_team: Team
    mash_team: Team
    alice: User
    bob: User
    charlie: User
    mash: User
    petra: User
    audrey: User
    sid: User
    nora: User
    iris: User             # Westminster independent reviewing officer / CP chair
    paula: User            # Westminster personal adviser (care leavers)
    ada: User              # performance analyst serving both authorities
    child: object          # Westminster child, in alice's scope
    sibling: object        # Westminster child, sibling of child
    parent: object         # Westminster adult
    outsider: object       # Hammersmith child, outside alice's scope
    restricted: object     # Westminster child, restricted
    allocated: object      # Westminster child allocated to petra

    @classmethod
    def build(cls) -> World:
        from haven.people.models import (
            Address,
            Allocation,
            Household,
            HouseholdMember,
            Relationship,
        )

        p = Partnership.objects.create(name="Test partnership")
        wcc = LocalAuthority.objects.create(name="Westminster", ons_code="E09000033", lea_code="213",
                                            child_id_prefix="WCC", partnership=p)
        hf = LocalAuthority.objects.create(name="Hammersmith and Fulham", ons_code="E09000013",
                                           lea_code="205", child_id_prefix="HF", partnership=p)
        wcc_team = Team.objects.create(name="WCC Assessment", authority=wcc)
        wcc_team.serves.add(wcc)
        hf_team = Team.objects.create(name="HF Assessment", authority=hf)
        hf_team.serves.add(hf)
        mash_team = Team.objects.create(name="Tri-borough MASH", authority=wcc, is_shared=True)
        mash_team.serves.add(wcc, hf)
        partners = Team.objects.create(name="Partner agencies", authority=wcc)
        partners.serves.add(wcc)
        systems = Team.objects.create(name="Systems", authority=wcc)
        systems.serves.add(wcc)
        performance = Team.objects.create(name="Performance and Quality", authority=wcc, is_shared=True)
        performance.serves.add(wcc, hf)
        world = dict(
            westminster=wcc, hammersmith=hf, wcc_team=wcc_team, hf_team=hf_team, mash_team=mash_team,
            alice=make_user("alice", role=Role.SOCIAL_WORKER, team=wcc_team, first="Alice"),
            bob=make_user("bob", role=Role.TEAM_MANAGER, team=wcc_team, first="Bob"),
            charlie=make_user("charlie", role=Role.SOCIAL_WORKER, team=hf_team, first="Charlie"),
            mash=make_user("mash", role=Role.MASH_OFFICER, team=mash_team, first="Mo"),
            petra=make_user("petra", role=Role.PARTNER_READ_ONLY, team=partners, first="Petra"),
            audrey=make_user("audrey", role=Role.AUDITOR, team=wcc_team, first="Audrey"),
            sid=make_user("sid", role=Role.SYSTEM_ADMINISTRATOR, team=systems, first="Sid"),
            nora=make_user("nora", first="Nora"),
            iris=make_user("iris", role=Role.CP_CHAIR_IRO, team=wcc_team, first="Iris"),
            paula=make_user("paula", role=Role.PERSONAL_ADVISER, team=wcc_team, first="Paula"),
            ada=make_user("ada", role=Role.PERFORMANCE_ANALYST, team=performance, first="Ada"),
        )
        child = make_person(wcc, first="Lily", last="O'Brien", born=dt.date(2016, 3, 4), sex="F", nhs_number="9990000107")
        sibling = make_person(wcc, first="Jack", last="O'Brien", born=dt.date(2018, 7, 9), sex="M")
        parent = make_person(wcc, first="Maura", last="O'Brien", born=dt.date(1988, 1, 2), kind="adult", sex="F")
        outsider = make_person(hf, first="Ruby", last="Smith-Jones", born=dt.date(2014, 11, 30), sex="F")
        restricted = make_person(wcc, first="Ava", last="Restricted", born=dt.date(2019, 2, 1), restricted=True,
                                 restricted_reason="High profile")
        allocated = make_person(wcc, first="Noah", last="Allocated", born=dt.date(2012, 6, 6), sex="M")
        Relationship.objects.create(person=parent, other=child, type="parent", authority=wcc,
                                    parental_responsibility=True, start_date=child.date_of_birth)
        Relationship.objects.create(person=child, other=sibling, type="sibling", authority=wcc)
        Allocation.objects.create(person=allocated, authority=wcc, team=partners, worker=world["petra"],
                                  role="partner", start_date=dt.date(2024, 1, 1))
        Address.objects.create(person=child, authority=wcc, line_1="1 Test Street", postcode="W2 1AA",
                               start_date=dt.date(2019, 1, 1))
        hf_parent = make_person(hf, first="Rita", last="Smith-Jones", born=dt.date(1985, 4, 4), kind="adult", sex="F")
        Relationship.objects.create(person=hf_parent, other=outsider, type="parent", authority=hf)
        Address.objects.create(person=outsider, authority=hf, line_1="2 Test Road", postcode="W6 9ZZ")
        for authority, members in ((wcc, [parent, child, sibling]), (hf, [hf_parent, outsider])):
            household = Household.objects.create(authority=authority, name=f"{members[0].last_name} household")
            for m in members:
                HouseholdMember.objects.create(household=household, person=m, authority=authority)
        from haven.accounts.models import BreakGlassAccess, RestrictedAccessGrant

        RestrictedAccessGrant.objects.create(person=restricted, user=world["audrey"], reason="Test world: auditor")
        RestrictedAccessGrant.objects.create(person=outsider, user=world["charlie"], reason="Test world")
        for user, person in ((world["alice"], restricted), (world["charlie"], outsider)):
            BreakGlassAccess.objects.create(user=user, person=person, reason="Test world: an old emergency",
                                            expires_at=timezone.now() - dt.timedelta(days=1))
        built = cls(**world, child=child, sibling=sibling, parent=parent, outsider=outsider,
                    restricted=restricted, allocated=allocated)
        # The apps' records are saved with the deadline signals paused and every deadline is
        # derived once at the end, as the seed does: derived data, the same rows either way, and
        # the world is built for every test module.
        from haven.work.signals import paused
        from haven.work.sync import recompute_all

        with paused():
            built.extend()
        recompute_all()
        return built

    def refreshed(self) -> World:
        """A copy with every record read again from the database: the world is built once per
        test module (see ``conftest.py``) and each test gets fresh instances, so a test that
        changes an object in memory does not change it for the next test (the database is rolled
        back to the built world after each test)."""
        from django.db.models import Model

        fresh = object.__new__(type(self))
        for name, value in vars(self).items():
            if isinstance(value, Model) and value.pk is not None:
                value = type(value)._base_manager.get(pk=value.pk)
            setattr(fresh, name, value)
        return fresh

    def extend(self) -> None:
        """Each app may add records to the world (one in Westminster, one in Hammersmith and
        Fulham at least, so the URL permission walk can reach its pages): a module
        ``haven/<app>/testing.py`` with ``build(world)``."""
        import importlib

        from django.apps import apps

        for config in apps.get_app_configs():
            if not config.name.startswith("haven."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.testing")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.testing":
                    raise
                continue
            if hasattr(module, "build") and config.name != "haven.core":
                module.build(self)
