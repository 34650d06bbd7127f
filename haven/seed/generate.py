"""``haven seed``: a deterministic synthetic partnership.

Three authorities with their public codes (Westminster E09000033/213, Hammersmith and Fulham
E09000013/205, Kensington and Chelsea E09000020/207), their teams, a user of every role, and
families: adults and children with plausible names, dates, identifiers (NHS numbers from the
999 range that the NHS reserves for testing), relationships, households and address histories;
then their casework through the help-and-protection journey (``haven.seed.casework``: contacts,
referrals, assessments, enquiries, conferences, plans, visits, allocations) and the deadlines
derived from it. The same ``--seed`` and ``--as-of`` give the same data.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import LocalAuthority, Membership, Partnership, Team, User
from haven.accounts.roles import Role
from haven.core.codes import Disability, Religion
from haven.core.validators import nhs_check_digit, upn_check_letter
from haven.people import names as name_rules
from haven.people.models import (
    Address,
    Allocation,
    Household,
    HouseholdMember,
    LocalIdSequence,
    Person,
    PersonAlias,
    PersonDisability,
    PersonFlag,
    PersonNameToken,
    Relationship,
)

from . import names
from .bulk import BulkWriter
from .care import CareSeeder
from .casework import CaseworkSeeder

# families per authority
SCALES = {"tiny": 12, "small": 150, "medium": 2_000, "large": 22_000}
# About 4.07 people a family (mother, 60% a father, 2.3 children, 15% a grandparent, unborn
# babies, near-duplicates): large is ~269,000 people across the three authorities.
PEOPLE_PER_FAMILY = 4.07
DEMO_PASSWORD = "haven-demo-2026"

AUTHORITIES = [
    # name, ONS, LEA, child id prefix
    ("Westminster", "E09000033", "213", "WCC"),
    ("Hammersmith and Fulham", "E09000013", "205", "HF"),
    ("Kensington and Chelsea", "E09000020", "207", "RBKC"),
]
LOCAL_TEAMS = [
    "Assessment and Intervention", "Family Support and Child Protection", "Looked After Children",
    "Leaving Care", "Youth Offending Service", "Early Help",
]
SHARED_TEAMS = ["Tri-borough MASH", "Tri-borough Fostering and Adoption", "Child Protection and Reviewing",
                "Performance and Quality", "Systems", "Partner agencies"]

# Demo users: username, first, last, role, team (None: shared team named in the tuple), LEA
DEMO_USERS = [
    ("sam.worker", "Sam", "Okoro", Role.SOCIAL_WORKER, "Assessment and Intervention", "213"),
    ("tara.manager", "Tara", "Lindqvist", Role.TEAM_MANAGER, "Assessment and Intervention", "213"),
    ("mo.mash", "Mo", "Achterberg", Role.MASH_OFFICER, "Tri-borough MASH", "213"),
    ("iris.chair", "Iris", "Fairweather", Role.CP_CHAIR_IRO, "Child Protection and Reviewing", "213"),
    ("pat.adviser", "Pat", "Quennell", Role.PERSONAL_ADVISER, "Leaving Care", "213"),
    ("fern.fostering", "Fern", "Ollerenshaw", Role.FOSTERING_ADOPTION, "Tri-borough Fostering and Adoption", "213"),
    ("yan.yj", "Yan", "Brightwater", Role.YOUTH_JUSTICE, "Youth Offending Service", "213"),
    ("ada.analyst", "Ada", "Penhaligon", Role.PERFORMANCE_ANALYST, "Performance and Quality", "213"),
    ("aud.auditor", "Aud", "Merriweather", Role.AUDITOR, "Performance and Quality", "213"),
    ("sys.admin", "Sys", "Kettleby", Role.SYSTEM_ADMINISTRATOR, "Systems", "213"),
    ("pc.partner", "Pip", "Constable", Role.PARTNER_READ_ONLY, "Partner agencies", "213"),
    ("hana.worker", "Hana", "Strachan", Role.SOCIAL_WORKER, "Assessment and Intervention", "205"),
    ("kit.worker", "Kit", "Marchbank", Role.SOCIAL_WORKER, "Assessment and Intervention", "207"),
]

ETHNICITY_WEIGHTS = {
    "WBRI": 28, "WIRI": 2, "WOTH": 14, "WROM": 1, "MWBC": 4, "MWBA": 2, "MWAS": 2, "MOTH": 5,
    "AIND": 3, "APKN": 2, "ABAN": 4, "AOTH": 5, "BCRB": 5, "BAFR": 11, "BOTH": 3, "CHNE": 1,
    "OOTH": 6, "REFU": 1, "NOBT": 1,
}
LANGUAGE_BY_ETHNICITY = {
    "BAFR": ["ENG", "ENG", "SOM", "TIR", "AMH", "FRN"], "ABAN": ["ENG", "BEN"], "APKN": ["ENG", "URD"],
    "OOTH": ["ENG", "ARA", "FAS", "KUR"], "WOTH": ["ENG", "POL", "POR", "SPA", "ITA", "RUM"],
    "WROM": ["RUM", "ENG"],
}


def expected_people(scale: str) -> int:
    """Roughly how many people ``--scale`` creates (within a few per cent)."""
    return round(SCALES[scale] * len(AUTHORITIES) * PEOPLE_PER_FAMILY)


def demo_totp_secret(username: str) -> bytes:
    """Demo-only: a fixed TOTP key per demo user, so the README can print it."""
    return hashlib.sha1(f"haven-demo-totp:{username}".encode()).digest()[:20]


def demo_totp_base32(username: str) -> str:
    return base64.b32encode(demo_totp_secret(username)).decode()


@dataclass
class Counts:
    families: int = 0
    people: int = 0
    children: int = 0
    relationships: int = 0
    addresses: int = 0


class Seeder:
    def __init__(self, *, scale: str = "small", seed: int = 1, as_of: dt.date | None = None, out=None,
                 families_per_authority: int | None = None, casework: bool = True):
        if scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}")
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = as_of or dt.date.today()
        self.out = out or sys.stdout
        self.families = families_per_authority or SCALES[scale]
        self.counts = Counts()
        self.nhs_counter = 0
        self.upn_counter = 0
        # Timestamps the generator does not otherwise choose (sub-records' created_at, every
        # updated_at) are this instant, so the same --seed and --as-of give the same rows.
        self.stamp = dt.datetime.combine(self.today, dt.time(9, 0), tzinfo=dt.UTC)
        self.writer = BulkWriter(self.stamp)
        self.religions = list(Religion.values)
        self._password_hash = None
        # Contacts, referrals, assessments, enquiries, plans and visits for the families
        # (haven.seed.casework), with its own random stream: the people are the same either way.
        self.casework = CaseworkSeeder(self, seed) if casework else None

    # -- helpers ---------------------------------------------------------------------------
    def log(self, message: str) -> None:
        self.out.write(message + "\n")
        self.out.flush()

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randrange((end - start).days))

    def birth_date(self, min_age: float, max_age: float) -> dt.date:
        start = self.today - dt.timedelta(days=int(max_age * 365.25))
        end = self.today - dt.timedelta(days=int(min_age * 365.25))
        return self.date_between(start, end)

    def nhs_number(self) -> str:
        while True:
            self.nhs_counter += 1
            first_nine = f"999{self.nhs_counter:06d}"
            check = nhs_check_digit(first_nine)
            if check is not None:
                return f"{first_nine}{check}"

    def upn(self, lea: str, born: dt.date) -> str:
        self.upn_counter += 1
        school = 2000 + (self.upn_counter // 1000) % 7000   # unique for 7 million UPNs
        year = (born.year + 5) % 100
        serial = self.upn_counter % 1000
        body = f"{lea}{school:04d}{year:02d}{serial:03d}"
        return upn_check_letter(body) + body

    def postcode(self, lea: str) -> str:
        district = self.rng.choice(names.DISTRICTS[lea])
        letters = "".join(self.rng.choice(names.UNIT_LETTERS) for _ in range(2))
        return f"{district} {self.rng.randint(1, 9)}{letters}"

    def street_address(self) -> str:
        if self.rng.random() < 0.5:
            return f"Flat {self.rng.randint(1, 60)}, {self.rng.randint(1, 200)} {self.rng.choice(names.STREETS)}"
        return f"{self.rng.randint(1, 250)} {self.rng.choice(names.STREETS)}"

    def ethnicity(self) -> str:
        codes, weights = zip(*ETHNICITY_WEIGHTS.items(), strict=True)
        return self.rng.choices(codes, weights)[0]

    # -- structure -------------------------------------------------------------------------
    @transaction.atomic
    def build_structure(self):
        partnership, _ = Partnership.objects.get_or_create(name="Tri-borough partnership")
        self.authorities = []
        for name, ons, lea, prefix in AUTHORITIES:
            la, _ = LocalAuthority.objects.get_or_create(
                lea_code=lea, defaults={"name": name, "ons_code": ons, "child_id_prefix": prefix,
                                        "partnership": partnership})
            self.authorities.append(la)
        self.teams: dict[tuple[str, str], Team] = {}
        for la in self.authorities:
            for team_name in LOCAL_TEAMS:
                team, _ = Team.objects.get_or_create(authority=la, name=f"{la.name} {team_name}")
                team.serves.add(la)
                self.teams[(la.lea_code, team_name)] = team
        lead = self.authorities[0]
        for team_name in SHARED_TEAMS:
            team, _ = Team.objects.get_or_create(authority=lead, name=team_name, defaults={"is_shared": True})
            team.serves.add(*self.authorities)
            for la in self.authorities:
                self.teams[(la.lea_code, team_name)] = team
        self.users = {}
        for username, first, last, role, team_name, lea in DEMO_USERS:
            self.users[username] = self.make_user(username, first, last, role, self.teams[(lea, team_name)],
                                                  home=LocalAuthority.objects.get(lea_code=lea))
        # Workers to allocate children to: more at larger scales.
        self.workers: dict[str, list[User]] = {}
        per_la = max(2, self.families // 120)
        for la in self.authorities:
            team = self.teams[(la.lea_code, "Family Support and Child Protection")]
            staff = []
            for i in range(per_la):
                first = self.rng.choice(names.FIRST_F + names.FIRST_M)
                last = self.rng.choice(names.SURNAMES)
                staff.append(self.make_user(f"sw{la.lea_code}.{i + 1:03d}", first, last, Role.SOCIAL_WORKER,
                                            team, home=la, enrol=False))
            self.workers[la.lea_code] = staff

    def make_user(self, username, first, last, role, team, *, home, enrol=True) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "home_authority": home,
                                         "job_title": Role(role).label})
        if created:
            # One Argon2 hash for every synthetic user (they share the published demo password):
            # hashing is deliberately slow, ~0.3 s each, and large scales create 550 workers.
            if self._password_hash is None:
                self._password_hash = make_password(DEMO_PASSWORD)
            user.password = self._password_hash
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, team=team, role=role)
        if enrol and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name="Demo authenticator (demo only)", confirmed=True,
                                      key=demo_totp_secret(username).hex())
        return user

    # -- families --------------------------------------------------------------------------
    def run(self) -> Counts:
        with bulk_load_session():
            return self._run()

    def _run(self) -> Counts:
        started = time.monotonic()
        self.build_structure()
        batch = 1000 if self.families >= 1000 else self.families
        for la in self.authorities:
            self.next_local = LocalIdSequence.objects.filter(authority=la).values_list("last_number", flat=True).first() or 0
            done = 0
            while done < self.families:
                n = min(batch, self.families - done)
                with transaction.atomic():
                    self.make_families(la, n)
                    LocalIdSequence.objects.update_or_create(authority=la, defaults={"last_number": self.next_local})
                done += n
                if self.families >= 1000:
                    rate = self.counts.people / max(0.001, time.monotonic() - started)
                    self.log(f"  {la.name}: {done:,}/{self.families:,} families, {self.counts.people:,} people "
                             f"so far ({rate:,.0f} people/s)")
        self.log(f"Seeded {self.counts.families:,} families, {self.counts.people:,} people "
                 f"({self.counts.children:,} children) in {time.monotonic() - started:.1f}s")
        if self.casework is not None:
            self.casework.run()
            self.care = CareSeeder(self, self.casework, self.seed)
            with transaction.atomic():
                self.care.run()
            self.casework.w.finish()
            for la in self.authorities:
                self.log("  " + self.care.describe(la))
            # The bulk writer sends no signals: derive the leaving-care tracking rows (the needs
            # assessment clock) from the care histories, as saving a period of care would.
            from haven.care_leavers.services import ensure_tracking_all
            from haven.work.signals import paused

            started = time.monotonic()
            with paused():   # every deadline is derived below
                tracked = ensure_tracking_all()
            self.log(f"Leaving care: {tracked:,} young people tracked in {time.monotonic() - started:.1f}s")
            self.populations()
            self.log(seed_reference_data(self.users.get("ada.analyst")))
            finish_bulk_load()
            derive_deadlines(self.log)
        finish_bulk_load()
        return self.counts

    def populations(self) -> None:
        """The child population behind the rates per 10,000: the casework's notional population
        of each authority, for every year of its history (an analyst keeps the ONS figures in a
        real deployment)."""
        from haven.kpis.models import ChildPopulation

        years = range(self.today.year - self.casework.profile.years, self.today.year + 1)
        # A seed onto a seeded database (more families) restates the figures, never duplicates them.
        ChildPopulation.objects.bulk_create([
            ChildPopulation(authority=la, year=year, children=self.casework.stats[la.lea_code]["population"],
                            source="Synthetic: the seed's notional child population")
            for la in self.authorities for year in years],
            update_conflicts=True, unique_fields=["authority", "year"], update_fields=["children", "source"])

    def write(self, model, objs, *, with_pk: bool = False) -> None:
        if model is not Person:
            for obj in objs:
                obj.created_at = self.stamp
        self.writer.insert(model, objs, with_pk=with_pk)

    def new_person(self, la, *, kind, first, last, sex, born, ethnicity, **extra) -> Person:
        self.next_local += 1
        language = self.rng.choice(LANGUAGE_BY_ETHNICITY.get(ethnicity, ["ENG"]))
        p = Person(
            authority=la, kind=kind, local_id=f"{la.child_id_prefix}{self.next_local:07d}",
            first_name=first, last_name=last, sex=sex, date_of_birth=born, ethnicity=ethnicity,
            first_language=language, interpreter_needed=language != "ENG" and kind == "adult" and self.rng.random() < 0.4,
            religion=self.rng.choice(self.religions),
            created_at=self.created_at(born), **extra,
        )
        if self.rng.random() < (0.95 if kind == "child" else 0.7):
            p.nhs_number = self.nhs_number()
        return p

    def created_at(self, born):
        earliest = max(born or self.today, self.today - dt.timedelta(days=3650))
        day = self.date_between(earliest, self.today)
        return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)

    def make_families(self, la, count: int) -> None:
        rng = self.rng
        people: list[Person] = []
        plan = []  # per family: (indices of adults, indices of children, grandparent idx, info)
        for _ in range(count):
            surname = rng.choice(names.SURNAMES)
            ethnicity = self.ethnicity()
            adults = []
            mother_age = rng.uniform(22, 48)
            mother = self.new_person(la, kind="adult", first=rng.choice(names.FIRST_F), last=surname, sex="F",
                                     born=self.birth_date(mother_age, mother_age + 0.9), ethnicity=ethnicity)
            adults.append(len(people))
            people.append(mother)
            if rng.random() < 0.6:
                other_surname = surname if rng.random() < 0.6 else rng.choice(names.SURNAMES)
                father = self.new_person(la, kind="adult", first=rng.choice(names.FIRST_M), last=other_surname,
                                         sex="M", born=self.birth_date(mother_age + 0.5, mother_age + 8),
                                         ethnicity=ethnicity if rng.random() < 0.7 else self.ethnicity())
                adults.append(len(people))
                people.append(father)
            children = []
            n_children = rng.choices([1, 2, 3, 4, 5], [30, 33, 20, 11, 6])[0]
            oldest_possible = max(0.1, min(17.9, mother_age - 16))
            twins = rng.random() < 0.03 and n_children >= 2
            previous_born = None
            for i in range(n_children):
                sex = rng.choice("MF")
                if twins and i == 1 and previous_born:
                    born = previous_born
                else:
                    age = rng.uniform(0, oldest_possible)
                    born = self.birth_date(age, age + 0.05)
                child = self.new_person(
                    la, kind="child", first=rng.choice(names.FIRST_F if sex == "F" else names.FIRST_M),
                    last=surname, sex=sex, born=born, ethnicity=ethnicity)
                if born.year >= 2002 and born <= self.today - dt.timedelta(days=4 * 365) and rng.random() < 0.8:
                    child.upn = self.upn(la.lea_code, born)
                children.append(len(people))
                people.append(child)
                previous_born = born
            grandparent = None
            if rng.random() < 0.15:
                grandparent = len(people)
                people.append(self.new_person(la, kind="adult", first=rng.choice(names.FIRST_F), last=surname,
                                              sex="F", born=self.birth_date(mother_age + 20, mother_age + 32),
                                              ethnicity=ethnicity))
            unborn = None
            if rng.random() < 0.02:
                unborn = len(people)
                p = self.new_person(la, kind="child", first="Unborn", last=surname, sex="U", born=None,
                                    ethnicity=ethnicity)
                p.expected_date_of_birth = self.today + dt.timedelta(days=rng.randint(20, 200))
                p.nhs_number = ""
                people.append(p)
            plan.append((adults, children, grandparent, unborn, surname))

        # Near-duplicate records, as a front door creates by mistake (typo, swapped day/month).
        dupes = []
        for _adults, children, *_ in plan:
            if children and rng.random() < 0.01:
                original = people[children[0]]
                copy = self.new_person(la, kind="child", first=original.first_name, last=original.last_name,
                                       sex=original.sex, born=original.date_of_birth, ethnicity=original.ethnicity)
                copy.nhs_number = ""
                d = original.date_of_birth
                if d.day <= 12 and d.day != d.month:
                    copy.date_of_birth = dt.date(d.year, d.day, d.month)
                else:
                    copy.first_name = original.first_name[:-1] + ("e" if original.first_name[-1] != "e" else "a")
                dupes.append(copy)
        people.extend(dupes)
        for p in people:
            if p.kind == "child" and rng.random() < 0.002:
                p.restricted = True
                p.restricted_reason = "High-profile family (synthetic)"
        self.write(Person, people, with_pk=True)
        self.counts.people += len(people)
        self.counts.children += sum(1 for p in people if p.kind == "child")
        self.counts.families += count

        token_keys: dict[tuple[int, str], None] = {}  # ordered set: (person, token) is unique
        for p in people:
            for t in sorted(name_rules.tokens(p.first_name, p.last_name)):
                token_keys[(p.pk, t)] = None

        rels, households, addresses, aliases, disabilities, flags, allocations = [], [], [], [], [], [], []
        memberships = []
        for adults, children, grandparent, unborn, surname in plan:
            moved_in = self.date_between(self.today - dt.timedelta(days=3650), self.today - dt.timedelta(days=30))
            postcode = self.postcode(la.lea_code)
            line = self.street_address()
            previous = None
            if rng.random() < 0.35:
                previous = (self.street_address(), self.postcode(la.lea_code))
            household = Household(authority=la, name=f"{surname} household, {line.split(', ')[-1]}",
                                  address=line, postcode=postcode)
            households.append((household, [*adults, *children] + ([unborn] if unborn is not None else [])))
            for idx in [*adults, *children]:
                person = people[idx]
                start = max(moved_in, person.date_of_birth or moved_in)
                if previous:
                    addresses.append(Address(person_id=person.pk, authority=la, line_1=previous[0],
                                             postcode=previous[1], start_date=person.date_of_birth if idx in children else None,
                                             end_date=start))
                addresses.append(Address(person_id=person.pk, authority=la, line_1=line, postcode=postcode,
                                         start_date=start))
            mother = people[adults[0]]
            father = people[adults[1]] if len(adults) > 1 else None
            if father is not None:
                split = rng.random() < 0.25
                rels.append(Relationship(person_id=mother.pk, other_id=father.pk, authority=la,
                                         type="ex_partner" if split else "partner"))
            for ci in children:
                child = people[ci]
                rels.append(Relationship(person_id=mother.pk, other_id=child.pk, authority=la, type="parent",
                                         parental_responsibility=True, start_date=child.date_of_birth))
                if father is not None:
                    rels.append(Relationship(person_id=father.pk, other_id=child.pk, authority=la, type="parent",
                                             parental_responsibility=rng.random() < 0.85, start_date=child.date_of_birth))
                if grandparent is not None:
                    rels.append(Relationship(person_id=people[grandparent].pk, other_id=child.pk, authority=la,
                                             type="grandparent", start_date=child.date_of_birth))
                if rng.random() < 0.04:
                    disabilities.append(PersonDisability(person_id=child.pk, authority=la,
                                                         code=rng.choice([c for c in Disability.values if c != "NONE"])))
                if rng.random() < 0.08:
                    allocations.append(Allocation(person_id=child.pk, authority=la, role="social_worker",
                                                  team=self.teams[(la.lea_code, "Family Support and Child Protection")],
                                                  worker=rng.choice(self.workers[la.lea_code]),
                                                  start_date=self.date_between(self.today - dt.timedelta(days=400), self.today)))
            for i, a in enumerate(children):
                for b in children[i + 1:]:
                    rels.append(Relationship(person_id=people[a].pk, other_id=people[b].pk, authority=la,
                                             type="sibling", start_date=max(people[a].date_of_birth, people[b].date_of_birth)))
            if unborn is not None:
                rels.append(Relationship(person_id=mother.pk, other_id=people[unborn].pk, authority=la,
                                         type="parent", parental_responsibility=True))
            if rng.random() < 0.05:
                aliases.append(PersonAlias(person_id=mother.pk, authority=la, kind="previous",
                                           first_name=mother.first_name, last_name=rng.choice(names.SURNAMES)))
            if father is not None and rng.random() < 0.02:
                flags.append(PersonFlag(person_id=father.pk, authority=la, kind="risk_to_staff",
                                        note="Aggressive to visiting staff (synthetic)", start_date=moved_in))
        for alias in aliases:
            for t in sorted(name_rules.tokens(alias.first_name, alias.last_name)):
                token_keys[(alias.person_id, t)] = None
        self.write(PersonNameToken, [PersonNameToken(person_id=pk, token=t) for pk, t in token_keys])
        self.write(Household, [h for h, _ in households], with_pk=True)
        for household, members in households:
            for idx in members:
                p = people[idx]
                memberships.append(HouseholdMember(household_id=household.pk, person_id=p.pk, authority=la,
                                                   start_date=p.date_of_birth if p.kind == "child" else None))
        self.write(HouseholdMember, memberships)
        self.write(Address, addresses)
        self.write(Relationship, rels)
        self.write(PersonAlias, aliases)
        self.write(PersonDisability, disabilities)
        self.write(PersonFlag, flags)
        self.counts.relationships += len(rels)
        self.counts.addresses += len(addresses)
        if self.casework is not None:
            # Allocations follow the casework (children with open work, and their history).
            self.casework.add_families(la, plan, people)
            return
        self.write(Allocation, allocations)
        # The demo social worker gets a caseload too.
        if la.lea_code == "213" and "sam.worker" in self.users and not Allocation.objects.filter(worker=self.users["sam.worker"]).exists():
            kids = [people[c] for _, cs, *_ in plan for c in cs][:12]
            self.write(Allocation, [
                Allocation(person_id=k.pk, authority=la, role="social_worker", worker=self.users["sam.worker"],
                           team=self.teams[("213", "Assessment and Intervention")], start_date=self.today - dt.timedelta(days=30))
                for k in kids])


# The demo's local targets (KPI id, target, amber within), for every authority: plausible
# local standards, not published ones. Westminster's own target for annual health assessments
# is the one its 2011 inspection quotes (95%).
DEMO_TARGETS = [
    ("assessments_45wd_referral_pct", 85, 5),
    ("referral_decisions_1wd_pct", 95, 5),
    ("rereferrals_12m_pct", 20, 3),
    ("icpc_15wd_pct", 85, 10),
    ("strategy_police_pct", 100, 5),
    ("strategy_health_pct", 95, 10),
    ("cp_second_pct", 18, 3),
    ("cp_2years_pct", 4, 2),
    ("cp_visits_on_time_pct", 90, 5),
    ("core_groups_on_time_pct", 90, 5),
    ("cp_reviews_on_time_pct", 95, 5),
    ("cla_3plus_placements_pct", 10, 2),
    ("cla_long_term_stability_pct", 70, 5),
    ("cla_health_assessments_pct", 90, 5),
    ("cla_reviews_on_time_pct", 95, 5),
    ("cla_visits_on_time_pct", 90, 5),
    ("missing_rhi_offered_72h_pct", 90, 10),
    ("leavers_pathway_reviews_on_time_pct", 90, 5),
]
DEMO_AUTHORITY_TARGETS = [
    ("213", "cla_health_assessments_pct", 95, 5,
     "Westminster's target for annual health assessments, quoted in its 2011 inspection (para 55)"),
]


def seed_reference_data(analyst=None) -> str:
    """The demo's performance reference data: the comparators shipped with Haven (figures quoted
    in inspection reports, ``haven/kpis/reference/benchmarks.csv``) and the demo targets (set by
    the demo analyst). Returns a line for the log."""
    from haven.kpis.catalogue import load as load_catalogue
    from haven.kpis.models import KpiTarget
    from haven.kpis.reference import load_starter_benchmarks

    report = load_starter_benchmarks(actor=analyst)
    if not report.ok:
        raise RuntimeError("The starter comparators do not load: " + "; ".join(map(str, report.errors)))
    catalogue = load_catalogue()
    unknown = [k for k, *_ in DEMO_TARGETS + [t[1:] for t in DEMO_AUTHORITY_TARGETS] if k not in catalogue]
    if unknown:
        raise RuntimeError(f"Demo targets for KPIs not in the catalogue: {', '.join(unknown)}")
    for kpi, target, amber in DEMO_TARGETS:
        KpiTarget.objects.update_or_create(kpi=kpi, authority=None, defaults=dict(
            target=target, amber_within=amber, note="Demo target (synthetic)", set_by=analyst))
    targets = len(DEMO_TARGETS)
    for lea, kpi, target, amber, note in DEMO_AUTHORITY_TARGETS:
        authority = LocalAuthority.objects.filter(lea_code=lea).first()
        if authority is not None:
            KpiTarget.objects.update_or_create(kpi=kpi, authority=authority, defaults=dict(
                target=target, amber_within=amber, note=note, set_by=analyst))
            targets += 1
    return f"Performance: comparators {report.summary()}; {targets} demo targets"


@contextmanager
def bulk_load_session():
    """Connection settings for a bulk load, restored afterwards. SQLite: no fsync per commit
    (a crash mid-seed loses the seed, not a live record) and a 256 MB page cache for the index
    inserts; PostgreSQL: asynchronous commit."""
    vendor = connection.vendor
    if connection.in_atomic_block:
        # Inside a transaction (a test, or a caller's atomic block) SQLite may not change its
        # safety level, and a SET would outlive nothing useful: load with the defaults.
        yield
        return
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
        elif vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "sqlite":
                cursor.execute(f"PRAGMA synchronous={int(synchronous)}")
                cursor.execute(f"PRAGMA cache_size={int(cache_size)}")
            elif vendor == "postgresql":
                cursor.execute("RESET synchronous_commit")


def derive_deadlines(log) -> None:
    """Deadlines are derived data: the seed writes no Deadline rows itself, it recomputes every
    timescale rule over what it wrote (the bulk writer sends no signals)."""
    from haven.work.sync import recompute_all

    started = time.monotonic()
    written = recompute_all()
    log(f"Deadlines: {written:,} derived in {time.monotonic() - started:.1f}s")


def finish_bulk_load() -> None:
    """After a bulk load. PostgreSQL: ANALYZE, so the first queries are planned with statistics
    (autovacuum would get there, a minute later). SQLite: fold the write-ahead log back into the
    database file and truncate it, but no ANALYZE: Haven never analyses a live SQLite database,
    and statistics change SQLite's plans (with full statistics a date-of-birth search walks the
    name index: `haven bench`), so the seed keeps the planner as production has it."""
    if connection.in_atomic_block:
        return  # a caller's transaction (tests): nothing to fold or analyse yet
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
