"""Synthetic casework for ``haven seed``: families carried through the help-and-protection
journey (DOMAIN steps 1-9), with histories that are valid, not random.

Each family of the people seed gets a timeline of contacts (a Poisson process whose rate varies
from family to family, so a few families come back again and again). The MASH rates each contact
red, amber, green or blue, asks partner agencies for checks and decides, mostly within the RAG
clock. A referral opens one CIN episode per child; the decision on it comes within a working day
(mostly). From there the family follows one path: no further action on the referral; a single
assessment (authorised within 45 working days about 85% of the time) ending in no further
action, early help, a child in need plan or care; or a strategy discussion (at the front door, or
when an assessment escalates) with section 47 enquiries, most of which end without a conference,
some in an initial child protection conference within 15 working days (mostly) and a child
protection plan that starts that day. Plans have core groups (the first within 10 working days,
then about six-weekly), review conferences (by three months, then six-monthly), visits about every
ten working days (seen, seen alone), end at a review with a reason, and often step down to a
child in need plan. Episodes close after the plan with a CIN reason-for-closure code. Nothing is
dated on or after the as-of day, so the latest work is open: contacts in the MASH queue,
assessments and enquiries running, plans current, visits and conferences due.

Rates (close to a typical inner-London authority): about 400 referrals per 10,000 children a
year of the authority's *notional* child population, ~20% re-referrals within 12 months, ~70% of
section 47 enquiries without a conference, child protection categories weighted to neglect (~45%)
and emotional abuse (~35%), a few plans over two years. ``--scale large`` holds about a whole
borough's children, so its population is the children seeded and its history ten years; the
smaller scales are samples of the families known to services with fewer years of history, so
their children are referred more often (``PROFILES``): small gives each authority well over 100
children in need a year.

Every date obeys the CIN census validation rules a record can break
(``shared/reference/rules_cin_2025_26.tsv``, checked by ``haven.assessments.census``): activity
inside its episode, ICPC date = CP plan start and never at a weekend, one open episode per child,
RC8/RC9 only after an assessment with no S47 or plan, factors exactly on completed assessments,
no CIN plan beside a CP plan, reviews after the plan started, and so on.

Rows are written with a dict-based variant of the seed's bulk writer (no model instances, no
signals, no history rows, as for the people); deadlines are derived afterwards
(``haven.work.sync.recompute_all``). The same ``--seed`` and ``--as-of`` give the same rows.
Synthetic data only.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction

from haven.accounts.roles import Role
from haven.assessments.models import Assessment, AssessmentFactorIdentified, CINEpisode
from haven.core.calendar import add_months, add_working_days, is_working_day
from haven.front_door.models import AgencyCheck, Contact, ContactSubject
from haven.people.models import Allocation
from haven.plans.models import Plan, PlanAction, PlanObjective, PlanReview
from haven.protection.models import (
    Conference,
    ConferenceAttendee,
    ConferenceChild,
    CoreGroupMeeting,
    S47Enquiry,
    StrategyAction,
    StrategyAttendee,
    StrategyChild,
    StrategyDiscussion,
)
from haven.recording.models import Recording, RecordingPart, RecordingSubject

from . import names
from .bulk import BulkWriter

HiddenPart = RecordingPart.hidden_from.through
LONDON = ZoneInfo("Europe/London")
REFERRAL_RATE = 0.04  # referrals a year per child of the population: 400 per 10,000


@dataclass(frozen=True)
class Profile:
    years: int                  # history before the as-of day
    population: int | None      # notional children per authority (None: the children seeded)
    queue: int                  # at least this many undecided contacts per authority (MASH queue)
    # Contact events per family-year for each referral a year per family, calibrated by
    # measuring: not every contact is referred, a contact names some of the children, children
    # with an open episode are not referred again (more of them, the denser the casework).
    events: float
    # After a short episode, how likely the family is referred again within the year of the
    # referral. Other contacts about a child in that year are not referred again (the MASH
    # passes them on as information or early help) unless they need a strategy discussion,
    # which happens more often the denser the casework: with those, ~20% re-referrals.
    come_back: float
    batch: int = 400            # families simulated and written per transaction


PROFILES = {
    "tiny": Profile(years=2, population=500, queue=3, events=3.0, come_back=0.36),
    "small": Profile(years=3, population=3_300, queue=8, events=3.0, come_back=0.36),
    "medium": Profile(years=5, population=15_000, queue=0, events=2.0, come_back=0.42),
    "large": Profile(years=10, population=None, queue=0, events=1.4, come_back=0.5),
}


def pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


class Weighted:
    """A reusable weighted choice (cumulative weights computed once)."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        total, self.cum = 0.0, []
        for k in self.keys:
            total += weights[k]
            self.cum.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        return self.keys[bisect.bisect_right(self.cum, rng.random() * self.total)]


SOURCES = Weighted({
    "6": 28, "2A": 18, "3A": 3, "3B": 4, "3C": 1, "3D": 2, "3E": 4, "3F": 5, "5A": 4, "5B": 3, "5C": 2,
    "5D": 3, "1A": 4, "1B": 2, "1C": 1, "1D": 1, "4": 3, "7": 4, "8": 4, "9": 2, "10": 1,
})
PRIMARY_NEED = Weighted({"N1": 55, "N2": 3, "N3": 5, "N4": 12, "N5": 15, "N6": 4, "N7": 1, "N8": 3, "N9": 2})
RAG = Weighted({"R": 8, "A": 27, "G": 55, "B": 10})
CONSENT = Weighted({"given": 55, "not_sought": 28, "overridden": 10, "refused": 7})
DECISIONS = {
    "R": Weighted({"strategy": 45, "referral": 45, "information": 10}),
    "A": Weighted({"strategy": 7, "referral": 48, "early_help": 22, "information": 15, "nfa": 8}),
    "G": Weighted({"referral": 24, "early_help": 30, "information": 26, "nfa": 20}),
    "B": Weighted({"information": 45, "nfa": 55}),
}
COME_BACK_RAG = Weighted({"R": 12, "A": 48, "G": 40})
COME_BACK_DECISIONS = {
    "R": DECISIONS["R"],
    "A": Weighted({"strategy": 8, "referral": 72, "early_help": 10, "information": 10}),
    "G": Weighted({"referral": 65, "early_help": 20, "information": 15}),
}
RAG_HOURS = {"R": 4, "A": 24, "G": 72}
CP_CATEGORY = Weighted({"NEG": 45, "EMO": 35, "PHY": 9, "SAB": 4, "MUL": 7})
CATEGORIES = CP_CATEGORY.keys
AGENCIES = Weighted({"police": 30, "health": 30, "education": 22, "housing": 8, "probation": 5, "other_la": 5})
FACTORS = {
    "3B": 30, "3A": 9, "3C": 6, "4B": 28, "17A": 18, "16A": 15, "2B": 10, "1B": 8, "18C": 8, "18B": 2, "19C": 3,
    "5B": 3, "6B": 3, "6A": 2, "5A": 2, "7A": 2, "14A": 3, "20": 6, "9A": 1, "23A": 1, "22A": 1, "8E": 1,
}
TEEN_FACTORS = {**FACTORS, "4A": 10, "10A": 6, "11A": 4, "13A": 3, "15A": 5, "24A": 4, "2A": 2, "1A": 1, "19B": 2,
                "12A": 1}
FACTOR_PICK = Weighted(FACTORS)
TEEN_FACTOR_PICK = Weighted(TEEN_FACTORS)

# Words: plain and synthetic.
CONTACT_REASONS = {
    "6": ["Police attended a domestic incident at the family home; the children were present.",
          "Police notification: the children were found alone in the flat late in the evening.",
          "Police report an argument between the parents overheard by neighbours; no arrests."],
    "2": ["The school reports {child} has arrived hungry and in unwashed uniform several times this month.",
          "{child} told a teacher there is shouting at home and that they are scared to go home.",
          "The school is worried about {child}'s falling attendance and a mark on their arm."],
    "3": ["The health visitor is worried about home conditions and the baby's weight gain.",
          "A&E attendance: {child} with a head injury; the explanation given was inconsistent.",
          "The GP reports mother's mental health has got worse and she is struggling with the children."],
    "4": ["The housing officer reports the flat is in very poor condition and the family face eviction."],
    "5": ["The early help worker reports the family has stopped taking part in the support plan.",
          "Adult services report father's drug use has increased; he is caring for the children."],
    "1": ["A relative is worried the children are left with different adults overnight.",
          "A neighbour reports the children are often out on their own late in the evening."],
    "*": ["Concerns about the care of the children at home.",
          "Worries about domestic abuse in the household and the effect on the children."],
}
DECISION_REASONS = {
    "nfa": "No role for children's social care: the referrer has dealt with the concern.",
    "information": "Information and advice given to the referrer and the family.",
    "early_help": "Needs can be met by early help: referred to the family hub with the parents' agreement.",
    "referral": "Threshold for children's social care met: a single assessment is needed.",
    "strategy": "Reasonable cause to suspect significant harm: strategy discussion convened.",
    "open_case": "The family already has an allocated social worker: information passed to them.",
}
RAG_REASONS = {
    "R": "Possible significant harm: needs a decision within 4 hours.",
    "A": "Concerns need checks with partner agencies today.",
    "G": "Needs checks; no immediate risk identified.",
    "B": "Information only; no further checks needed.",
}
CONSENT_REASONS = {
    "not_sought": "Seeking consent could place the children at risk of significant harm.",
    "overridden": "Sharing is needed to protect the children: consent overridden by the team manager.",
    "refused": "Mother refused consent to share information.",
}
CHECK_REPLIES = {
    "police": "Two domestic incidents recorded in the past year; no current bail conditions.",
    "health": "Immunisations up to date; missed two health visitor appointments.",
    "education": "Attendance 88% this term; the school has no other concerns.",
    "housing": "In temporary accommodation since last year; rent arrears.",
    "probation": "Father known to probation; supervision ended last year.",
    "other_la": "Family previously known to another authority; case closed two years ago.",
}
ABSENCE = {
    "police": "The police did not take part: no officer was available from the child abuse investigation "
              "team. Police checks were shared by email afterwards.",
    "health": "Health did not take part: the health visitor could not join at short notice. GP records were "
              "requested.",
    "education": "Education did not take part: the school was closed and the designated safeguarding lead could "
                 "not be reached.",
}
STRATEGY_ACTIONS = [
    ("Social worker", "See the children alone within 24 hours"),
    ("Police (child abuse investigation team)", "Complete checks on mother's partner and share them"),
    ("Health visitor", "Share health records and growth charts"),
    ("Paediatrician", "Arrange a child protection medical"),
    ("School designated safeguarding lead", "Share attendance and any disclosures"),
    ("Social worker", "Agree a safety plan with the non-abusing parent"),
]
OBJECTIVES = {
    "NEG": ["{name} has regular meals, clean clothes and a safe, clean home.",
            "{name} goes to school every day and on time.",
            "Health appointments and immunisations are kept."],
    "EMO": ["{name} lives free from domestic abuse and conflict at home.",
            "Mother has support to keep herself and the children safe.",
            "{name} can talk about how they feel with a trusted adult."],
    "PHY": ["{name} is safe from physical harm at home.",
            "Parents use calm, non-physical ways to manage behaviour."],
    "SAB": ["{name} has no unsupervised contact with the adult who poses a risk.",
            "{name} has therapeutic support."],
    "MUL": ["{name} is safe from harm and well cared for at home.",
            "Parents work with drug and alcohol services."],
    "CIN": ["{name} goes to school every day.", "The family has stable housing.",
            "Parents have the support they need with the children's behaviour."],
}
ACTIONS = [
    ("Refer mother to the domestic abuse advocacy service", "Social worker", "Mother attends the first session", 14),
    ("Complete a parenting assessment", "Social worker", "Assessment report shared at the core group", 56),
    ("Weekly visits by the family support worker", "Family support worker", "Home conditions checklist rated good", 84),
    ("Weigh the baby every two weeks", "Health visitor", "Weight back on the centile line", 42),
    ("Report attendance to the social worker every week", "School designated safeguarding lead",
     "Attendance at or above 95%", 84),
    ("Father to attend the drug and alcohol service", "Father", "Negative tests for three months", 90),
    ("Apply for a transfer to suitable housing", "Housing officer", "Application accepted", 60),
    ("Refer the children to the young carers' service", "Social worker", "Children attend the group", 30),
]
VAGUE_ACTIONS = ["Mother to work with professionals", "Parents to engage", "Improve home conditions"]
VISIT_TEXT = [
    "Saw {names} at home with mother. The flat was tidy and there was food in the fridge.",
    "Unannounced visit: {names} at home after school; mother was calm and welcoming.",
    "{child} showed me their bedroom and talked about school and friends.",
    "Mother said things have been better since the last meeting; father has not been to the flat.",
    "Home conditions had slipped: dirty dishes and little food. Agreed actions with mother before I left.",
]
NOTE_TEXT = [
    ("phone", "Call with the school", "The school says {child}'s attendance has improved this half term."),
    ("phone", "Call with mother", "Mother called to say she has been offered a place on the parenting course."),
    ("note", "Case note", "Checked police records: no new incidents since the last visit."),
    ("meeting", "Professionals meeting", "Health, school and social care met to share information about {names}."),
    ("note", "Management oversight", "Case discussed in supervision; plan and actions agreed."),
]
ANALYSIS = {
    "nfa": "The concerns were not substantiated; the parents are meeting the children's needs.",
    "early_help": "The family would benefit from early help; no role for statutory services.",
    "cin_plan": "The children need services to meet their needs; a child in need plan is recommended.",
    "strategy": "The children are at risk of significant harm; a strategy discussion is needed.",
    "cla": "The children cannot be kept safe at home; the plan is for them to become looked after.",
    "continue": "Support from other services will continue; no further statutory role.",
}


def aware(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """London wall-clock time, as UTC (so that adding minutes is elapsed time, also on the days
    the clocks change)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(dt.UTC)


def local_date(when: dt.datetime) -> dt.date:
    return when.astimezone(LONDON).date()


def months(n: float) -> dt.timedelta:
    return dt.timedelta(days=round(30.44 * n))


def names_of(kids) -> str:
    firsts = [k.first for k in kids]
    if len(firsts) <= 1:
        return "".join(firsts)
    return f"{', '.join(firsts[:-1])} and {firsts[-1]}"


class WorkingDays:
    """Working days over a range of dates, for fast arithmetic with the convention of
    ``haven.core.calendar.add_working_days`` (outside the range it is used instead)."""

    def __init__(self, start: dt.date, end: dt.date):
        self.start, self.end = start, end
        self.days = [d for d in (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
                     if is_working_day(d)]

    def add(self, day: dt.date, n: int) -> dt.date:
        if self.start <= day <= self.end:
            i = bisect.bisect_left(self.days, day) if n == 0 else bisect.bisect_right(self.days, day) + n - 1
            if i < len(self.days):
                return self.days[i]
        return add_working_days(day, n)


# -- rows ---------------------------------------------------------------------------------------
class RowWriter(BulkWriter):
    """The seed's bulk writer for rows given as dicts (the model's defaults, then the values):
    no model instances (ten times faster to build), no signals. Primary keys are assigned here
    from the table's current maximum (the seed is the only writer); ``finish`` moves PostgreSQL's
    sequences past them."""

    def __init__(self, stamp: dt.datetime, connection=None):
        super().__init__(stamp, connection)
        self.templates: dict[type, dict] = {}
        self.next_id: dict[type, int] = {}
        self.pending: dict[type, list[dict]] = {}
        self.written: Counter = Counter()

    def _converter(self, field):
        # The base writer caches converted datetimes (the people seed has few distinct ones);
        # casework has millions: convert without a cache.
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if field.get_internal_type() == "DateTimeField" and not auto:
            adapt = self.connection.ops.adapt_datetimefield_value
            return lambda v: None if v is None else adapt(v)
        return super()._converter(field)

    def _template(self, model) -> dict:
        template = {}
        for f in model._meta.concrete_fields:
            if not f.primary_key:
                auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                template[f.attname] = None if auto else f.get_default()
        qn = self.connection.ops.quote_name
        table, pk = model._meta.db_table, model._meta.pk.column
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX({qn(pk)}), 0) FROM {qn(table)}")
            top = cursor.fetchone()[0]
            if self.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                top = max(top, row[0] if row else 0)
        self.templates[model], self.next_id[model], self.pending[model] = template, top + 1, []
        return template

    def new(self, model, **values) -> dict:
        """A row of ``model`` (written at the next ``flush``) with its primary key as ``id``."""
        template = self.templates.get(model) or self._template(model)
        row = dict(template)
        row.update(values)
        if len(row) != len(template):
            raise TypeError(f"{model.__name__} has no field(s) {sorted(set(row) - set(template))}")
        row["id"] = self.next_id[model]
        self.next_id[model] += 1
        self.pending[model].append(row)
        return row

    def flush(self) -> None:
        for model, rows in self.pending.items():
            if not rows:
                continue
            sql, copy_sql, getters = self._plan(model, True)
            with self.connection.cursor() as cursor:
                if self.vendor == "postgresql":
                    with cursor.cursor.copy(copy_sql) as copy:
                        for d in rows:
                            copy.write_row(tuple(d[a] if c is None else c(d[a]) for a, c in getters))
                elif self.vendor == "sqlite":
                    for start in range(0, len(rows), 5000):
                        cursor.executemany(sql, [tuple(d[a] if c is None else c(d[a]) for a, c in getters)
                                                 for d in rows[start:start + 5000]])
                else:
                    attnames = [a for a, _ in getters]
                    model.objects.bulk_create([model(**{a: d[a] for a in attnames}) for d in rows], batch_size=1000)
            self.written[model] += len(rows)
            self.pending[model] = []

    def finish(self) -> None:
        if self.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for model, nxt in self.next_id.items():
                if nxt > 1:
                    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                                   [model._meta.db_table, model._meta.pk.column, nxt - 1])


# -- the simulation's state ---------------------------------------------------------------------
@dataclass(slots=True)
class Kid:
    pk: int
    first: str
    dob: dt.date | None
    edd: dt.date | None
    free_from: dt.date | None = dt.date.min   # may be referred on or after this (None: open episode)
    referrals: list = field(default_factory=list)

    def age(self, on: dt.date) -> int:
        if self.dob is None:
            return -1
        return on.year - self.dob.year - ((on.month, on.day) < (self.dob.month, self.dob.day))

    def eligible(self, on: dt.date) -> bool:
        if self.dob is not None:
            return self.dob <= on
        # unborn: pre-birth work only, from about 30 weeks before the expected date of birth
        return self.edd is not None and on >= self.edd - dt.timedelta(weeks=30)


@dataclass(slots=True)
class Family:
    la: object
    lea: str
    mother: int
    father: int | None
    kids: list
    weight: float = 1.0
    state: str = ""                   # open work on the as-of day: referral, assessment, s47, cp, cin, cla…
    due: dt.date | None = None        # roughly when its next deadline falls (to pick the demo caseload)
    referred_on: dt.date | None = None
    allocations: list = field(default_factory=list)   # the current allocation rows


class CaseworkSeeder:
    """Used by ``haven.seed.generate.Seeder``: ``add_families`` as each batch of families is
    written, ``run`` once every person exists."""

    def __init__(self, seeder, seed: int):
        self.seeder = seeder
        self.profile = PROFILES[seeder.scale]
        self.rng = random.Random(f"{seed}:casework")
        self.today = seeder.today
        self.cutoff = aware(self.today, 0, 0)
        self.start = self.today - dt.timedelta(days=round(365.25 * self.profile.years))
        self.families: dict[int, list[Family]] = defaultdict(list)
        self.w = RowWriter(seeder.stamp)
        self.stats: dict[str, Counter] = defaultdict(Counter)
        self.cal = WorkingDays(self.start - dt.timedelta(days=60), self.today + dt.timedelta(days=1200))
        self.care_entrants: list = []   # (authority id, Kid, day): CP plans that ended in care

    # -- input ----------------------------------------------------------------------------------
    def add_families(self, la, plan, people) -> None:
        for adults, children, _grandparent, unborn, _surname in plan:
            kids = [Kid(people[i].pk, people[i].first_name, people[i].date_of_birth, None) for i in children]
            if unborn is not None:
                u = people[unborn]
                kids.append(Kid(u.pk, u.first_name, None, u.expected_date_of_birth))
            father = people[adults[1]].pk if len(adults) > 1 else None
            self.families[la.pk].append(Family(la=la, lea=la.lea_code, mother=people[adults[0]].pk, father=father,
                                               kids=kids))

    # -- helpers --------------------------------------------------------------------------------
    def past(self, day: dt.date | None) -> bool:
        return day is not None and day < self.today

    def wd(self, day: dt.date, n: int) -> dt.date:
        return self.cal.add(day, n)

    def when(self, day: dt.date, lo: int = 9, hi: int = 17) -> dt.datetime:
        return aware(day, self.rng.randint(lo, hi - 1), self.rng.choice((0, 10, 15, 20, 30, 40, 45, 50)))

    def person_name(self) -> str:
        r = self.rng
        return f"{r.choice(names.FIRST_F + names.FIRST_M)} {r.choice(names.SURNAMES)}"

    # -- staff ----------------------------------------------------------------------------------
    def build_staff(self) -> None:
        """The workers the casework names: assessment teams, managers, MASH officers, chairs."""
        s = self.seeder
        r = random.Random(f"{self.rng.random()}:staff")
        users = s.users

        def user(username, role, team, home):
            first = r.choice(names.FIRST_F + names.FIRST_M)
            return s.make_user(username, first, r.choice(names.SURNAMES), role, team, home=home, enrol=False)

        per_la = max(2, s.families // 1000)
        self.assessors, self.managers, self.fscp, self.teams = {}, {}, {}, s.teams
        for la in s.authorities:
            lea = la.lea_code
            ai = s.teams[(lea, "Assessment and Intervention")]
            fscp = s.teams[(lea, "Family Support and Child Protection")]
            staff = [user(f"ai{lea}.{i + 1:03d}", Role.SOCIAL_WORKER, ai, la) for i in range(per_la)]
            if lea == "213" and "sam.worker" in users:
                staff.append(users["sam.worker"])
            self.assessors[lea] = staff
            manager = users["tara.manager"] if lea == "213" and "tara.manager" in users else \
                user(f"tm{lea}.ai", Role.TEAM_MANAGER, ai, la)
            self.managers[lea] = [manager, user(f"tm{lea}.fscp", Role.TEAM_MANAGER, fscp, la)]
            self.fscp[lea] = s.workers[lea]
        lead = s.authorities[0].lea_code
        self.mash = [users["mo.mash"]] if "mo.mash" in users else []
        self.mash += [user(f"mash.{i + 1:03d}", Role.MASH_OFFICER, s.teams[(lead, "Tri-borough MASH")],
                           s.authorities[0]) for i in range(max(2, s.families // 2000))]
        self.chairs = [users["iris.chair"]] if "iris.chair" in users else []
        self.chairs += [user(f"chair.{i + 1:03d}", Role.CP_CHAIR_IRO, s.teams[(lead, "Child Protection and Reviewing")],
                             s.authorities[0]) for i in range(max(2, s.families // 4000))]
        self.sam = users.get("sam.worker")

    # -- run ------------------------------------------------------------------------------------
    def run(self) -> None:
        started = time.monotonic()
        self.build_staff()
        for la in self.seeder.authorities:
            fams = self.families[la.pk]
            if not fams:
                continue
            population = self.profile.population or sum(1 for f in fams for k in f.kids if k.dob)
            self.stats[la.lea_code]["population"] = population
            rate = REFERRAL_RATE * population * self.profile.events / len(fams)  # events a family-year
            for f in fams:
                f.weight = self.rng.gammavariate(1.0, 1.0)
            batch = self.profile.batch
            for i in range(0, len(fams), batch):
                chunk = fams[i:i + batch]
                with transaction.atomic():
                    for f in chunk:
                        self.simulate(f, rate)
                    if i == 0 and la.lea_code == "213":
                        self.demo_caseload(chunk)
                    if i + batch >= len(fams):
                        self.fill_queue(fams)
                    self.w.flush()
                if len(fams) >= 5000 and (i // batch) % 10 == 9:
                    self.seeder.log(f"  casework {la.name}: {i + batch:,}/{len(fams):,} families "
                                    f"({time.monotonic() - started:,.0f}s)")
        self.w.finish()
        rows = sum(self.w.written.values())
        self.seeder.log(f"Casework: {rows:,} rows over {self.profile.years} years in {time.monotonic() - started:.1f}s")
        for la in self.seeder.authorities:
            self.seeder.log("  " + self.describe(la))

    def describe(self, la) -> str:
        s = self.stats[la.lea_code]
        year = s["referrals_last_year"]
        cats = sum(s[f"cat_{c}"] for c in CATEGORIES) or 1
        mix = ", ".join(f"{c} {100 * s[f'cat_{c}'] / cats:.0f}%" for c in CATEGORIES)
        return (f"{la.name}: {s['contacts']:,} contacts, {s['referrals']:,} referrals ({year:,} in the last 12 months, "
                f"{10_000 * year / max(1, s['population']):,.0f} per 10,000 of {s['population']:,} children, "
                f"{100 * s['rereferrals_last_year'] / max(1, year):.0f}% re-referrals), {s['s47']:,} S47 enquiries "
                f"({100 * s['s47_no_icpc'] / max(1, s['s47_done']):.0f}% without a conference), {s['cp_plans']:,} CP "
                f"plans ({mix}; {s['cp_over_2y']} over two years), {s['cin_plans']:,} CIN plans")

    # -- one family -----------------------------------------------------------------------------
    def simulate(self, fam: Family, rate: float) -> None:
        rng = self.rng
        base = aware(self.start, 0, 0)
        span = (self.cutoff - base).total_seconds()
        lam = rate * fam.weight / (365.25 * 86400)
        events: list = []
        if lam > 0:
            t = rng.expovariate(lam)
            while t < span:
                events.append((t, 0))
                t += rng.expovariate(lam)
        while events:
            t, come_back = heapq.heappop(events)
            received = self.office_hours(base + dt.timedelta(seconds=t))
            if received >= self.cutoff:
                continue
            again = self.contact(fam, received, come_back=bool(come_back))
            if again is not None:
                heapq.heappush(events, ((again - base).total_seconds(), 1))

    def office_hours(self, when: dt.datetime) -> dt.datetime:
        """Most contacts arrive on weekdays in office hours; police notifications at any time."""
        rng = self.rng
        day = local_date(when)
        if rng.random() < 0.85:
            if day.weekday() >= 5:
                day += dt.timedelta(days=7 - day.weekday())
            return aware(day, rng.randint(8, 17), rng.randint(0, 59))
        return aware(day, rng.choice((0, 1, 2, 19, 20, 21, 22, 23)), rng.randint(0, 59))

    def next_office_hours(self, when: dt.datetime, start: int = 8, end: int = 19) -> dt.datetime:
        """``when``, or the next morning if it falls outside office hours (London time)."""
        local = when.astimezone(LONDON)
        if start <= local.hour < end:
            return when
        day = local.date() + dt.timedelta(days=1 if local.hour >= end else 0)
        return aware(day, start, 0) + dt.timedelta(minutes=self.rng.randint(0, 150))

    # -- step 1: the contact --------------------------------------------------------------------
    def contact(self, fam: Family, received: dt.datetime, *, come_back: bool = False,
                keep_open: bool = False) -> dt.datetime | None:
        """A contact about some of the family's children. Returns when the family comes back
        (a re-referral), if it does."""
        rng, w, st, la = self.rng, self.w, self.stats[fam.lea], fam.la.pk
        day = local_date(received)
        kids = [k for k in fam.kids if k.eligible(day)]
        if not kids:
            return None
        if len(kids) > 1 and rng.random() > 0.6:
            kids = rng.sample(kids, rng.randint(1, len(kids) - 1))
        kids.sort(key=lambda k: (k.dob or k.edd, k.pk))
        source = SOURCES(rng)
        rag = (COME_BACK_RAG if come_back else RAG)(rng)
        decision = (COME_BACK_DECISIONS if come_back else DECISIONS)[rag](rng)
        consent = CONSENT(rng)
        if consent == "refused" and decision in ("referral", "strategy"):
            consent = "overridden"   # significant harm: the manager authorises sharing
        elif consent == "refused" and decision == "early_help":
            decision = "information"  # early help needs the family's agreement
        mash = rng.choice(self.mash)
        rated_at = received + dt.timedelta(minutes=rng.randint(5, 180))
        if rag in RAG_HOURS:
            window = RAG_HOURS[rag] * 60
            minutes = rng.uniform(window, 2 * window) if rng.random() > 0.88 else rng.uniform(0.05 * window, window)
        else:
            minutes = rng.uniform(60, 48 * 60)
        decided_at = rated_at + dt.timedelta(minutes=minutes)
        if rag != "R":
            decided_at = self.next_office_hours(decided_at)   # the MASH decides in office hours
        if keep_open:
            decided_at = None
            if rng.random() < 0.25:
                rated_at = None
        if rated_at is not None and rated_at >= self.cutoff:
            rated_at = None
        if decided_at is not None and (rated_at is None or decided_at >= self.cutoff):
            decided_at = None
        referred = []
        if decided_at is not None and decision in ("referral", "strategy"):
            referral_date = local_date(decided_at)
            referred = [k for k in kids if k.free_from is not None and k.free_from <= referral_date and
                        (come_back or decision == "strategy" or not k.referrals or
                         (referral_date - k.referrals[-1]).days > 365)]
            if decision == "strategy" and not any(k.dob for k in referred):
                decision = "referral"
            if not referred:
                decision = "open_case"
        group = "2" if source in ("2A", "2B") else "3" if source[0] == "3" else "5" if source[0] == "5" else \
            "1" if source[0] == "1" else source if source in ("6", "4") else "*"
        c = w.new(Contact, authority_id=la, created_at=received, created_by_id=mash.pk, received_at=received,
                  source=source, reason=rng.choice(CONTACT_REASONS[group]).format(child=kids[0].first),
                  referrer_name="" if source in ("9", "10") else self.person_name(),
                  referrer_organisation={"6": "Metropolitan Police", "2A": "Primary school", "4": "Housing"}.get(source, ""),
                  consent=consent, consent_reason=CONSENT_REASONS.get(consent, ""),
                  consent_overridden_by_id=self.managers[fam.lea][0].pk if consent == "overridden" else None)
        if rated_at is not None:
            c.update(rag=rag, rated_at=rated_at, rated_by_id=mash.pk, rag_reason=RAG_REASONS[rag])
        st["contacts"] += 1
        st["open_contacts"] += decided_at is None
        if decided_at is not None:
            c.update(decision="information" if decision == "open_case" else decision, decision_at=decided_at,
                     decision_by_id=mash.pk, decision_reason=DECISION_REASONS[decision])
            given = decided_at + dt.timedelta(hours=rng.randint(2, 96))
            if given < self.cutoff and rng.random() < 0.75:
                c.update(feedback_given_at=given, feedback="Told the referrer the outcome and what happens next.")
        for pk, role in [(k.pk, "child") for k in kids] + \
                [(fam.mother, "adult")] * (rng.random() < 0.9) + [(fam.father, "adult")] * bool(fam.father and rng.random() < 0.5):
            w.new(ContactSubject, authority_id=la, created_at=received, contact_id=c["id"], person_id=pk, role=role)
        if rated_at is not None and rag != "B":
            for agency in sorted({AGENCIES(rng) for _ in range(rng.randint(2, 4))}):
                requested = rated_at + dt.timedelta(minutes=rng.randint(5, 60))
                if requested >= self.cutoff:
                    continue
                returned = requested + dt.timedelta(minutes=rng.randint(20, 60 * RAG_HOURS[rag]))
                if decided_at is not None and returned > decided_at:
                    returned = None if rng.random() < 0.3 else max(requested, decided_at - dt.timedelta(minutes=5))
                if returned is not None and returned >= self.cutoff:
                    returned = None
                w.new(AgencyCheck, authority_id=la, created_at=requested, created_by_id=mash.pk, contact_id=c["id"],
                      agency=agency, requested_at=requested, returned_at=returned,
                      information=CHECK_REPLIES[agency] if returned else "")
        if not referred:
            return None
        return self.referral(fam, c, referred, decided_at, strategy=decision == "strategy")

    # -- step 2: the referral -------------------------------------------------------------------
    def referral(self, fam: Family, contact: dict, kids: list, decided_at: dt.datetime, *, strategy: bool):
        rng, st = self.rng, self.stats[fam.lea]
        rdate = local_date(decided_at)
        nfa = not strategy and rng.random() < 0.08
        decision_date = rdate if strategy or nfa else self.wd(rdate, rng.choices((0, 1, 2, 3), (70, 21, 6, 3))[0])
        if not self.past(decision_date):
            decision_date = None
            nfa = False
        need = "N0" if nfa else "N1" if strategy or all(k.dob is None for k in kids) else PRIMARY_NEED(rng)
        year_ago = self.today - dt.timedelta(days=365)
        eps = {}
        for k in kids:
            again = any(rdate - r <= dt.timedelta(days=365) for r in k.referrals)
            k.referrals.append(rdate)
            st["referrals"] += 1
            if rdate >= year_ago:
                st["referrals_last_year"] += 1
                st["rereferrals_last_year"] += again
            eps[k.pk] = self.w.new(CINEpisode, authority_id=fam.la.pk, created_at=decided_at,
                                   created_by_id=contact["decision_by_id"], person_id=k.pk, contact_id=contact["id"],
                                   referral_date=rdate, source=contact["source"], primary_need=need,
                                   decision_date=decision_date, referral_nfa=nfa)
        j = Journey(self, fam, kids, eps, rdate, decision_date, decided_at, contact)
        if decision_date is None:
            j.open("referral")
        elif nfa:
            j.close(decision_date, "RC7")
        else:
            j.run(strategy=strategy)
        return j.come_back()

    # -- the demo's open work -------------------------------------------------------------------
    def fill_queue(self, fams) -> None:
        """Small seeds have few contacts a day: top the MASH queue up with contacts received in
        the last three days and not decided yet (a few not rated yet)."""
        st = self.stats[fams[0].lea]
        for _ in range(200):
            if st["open_contacts"] >= self.profile.queue:
                return
            received = self.cutoff - dt.timedelta(minutes=self.rng.randint(30, 72 * 60))
            self.contact(self.rng.choice(fams), received, keep_open=True)

    def demo_caseload(self, fams) -> None:
        """sam.worker (Westminster, assessment and intervention) holds a caseload with work
        overdue, due this week and due later: children in assessments and enquiries, on child
        protection and child in need plans."""
        if self.sam is None:
            return
        team = self.teams[("213", "Assessment and Intervention")]
        quota = {"assessment": 4, "s47": 2, "cp": 3, "cin": 3}
        candidates = [f for f in fams if f.state in quota and f.due and
                      any(row["worker_id"] is not None for row in f.allocations)]
        week = self.today + dt.timedelta(days=6)
        chosen: list[Family] = []
        for when, n in ((lambda d: d < self.today, 3), (lambda d: self.today <= d <= week, 3), (lambda d: d > week, 0)):
            for f in sorted(candidates, key=lambda f: (f.due, f.referred_on)):
                if n and when(f.due) and f not in chosen and quota[f.state] > 0:
                    chosen.append(f)
                    quota[f.state] -= 1
                    n -= 1
        for f in candidates:
            if f not in chosen and quota[f.state] > 0:
                chosen.append(f)
                quota[f.state] -= 1
        for f in chosen:
            for row in f.allocations:
                if row["worker_id"] is not None:
                    row["worker_id"], row["team_id"] = self.sam.pk, team.pk


class Journey:
    """One referral of some of a family's children, followed in time until its episodes close
    or the as-of day comes (then it stays open where it is)."""

    def __init__(self, cw: CaseworkSeeder, fam: Family, kids: list, eps: dict, rdate: dt.date,
                 decision_date: dt.date | None, decided_at: dt.datetime, contact: dict):
        self.cw, self.fam, self.kids, self.eps = cw, fam, kids, eps
        self.rng, self.w, self.st, self.la = cw.rng, cw.w, cw.stats[fam.lea], fam.la.pk
        self.rdate, self.decision_date, self.decided_at, self.contact = rdate, decision_date, decided_at, contact
        self.closed: dt.date | None = None
        self.activity = False          # an S47, conference or plan on the episodes (no RC8/RC9)
        self.assessor = self.rng.choice(cw.assessors[fam.lea])
        self.manager = cw.managers[fam.lea][0]
        self.worker = None             # the family support worker, once a plan starts
        self.alloc: dict[int, dict] = {}
        self.s47: dict[int, dict] = {}
        self.s47_kids: list = []
        fam.referred_on, fam.state, fam.allocations = rdate, "", []
        for k in kids:
            k.free_from = None
        if decision_date is not None:
            self.allocate(self.assessor, "Assessment and Intervention", decision_date)

    def past(self, day) -> bool:
        return self.cw.past(day)

    def wd(self, day, n) -> dt.date:
        return self.cw.wd(day, n)

    def working(self, day) -> dt.date:
        return self.cw.wd(day, 0)

    # -- allocation, open, close ------------------------------------------------------------------
    def allocate(self, worker, team_name: str, start: dt.date) -> None:
        team = self.cw.teams[(self.fam.lea, team_name)]
        for k in self.kids:
            old = self.alloc.get(k.pk)
            if old is not None:
                old["end_date"] = start
            self.alloc[k.pk] = self.w.new(Allocation, authority_id=self.la, created_at=aware(start), person_id=k.pk,
                                          worker_id=worker.pk if worker else None, team_id=team.pk,
                                          role="social_worker" if worker else "team", start_date=start)

    def open(self, state: str, due: dt.date | None = None) -> None:
        """The as-of day came: the journey stays open here (``due``: about when the next
        deadline falls)."""
        self.fam.state, self.fam.due = state, due
        self.fam.allocations = list(self.alloc.values())

    def close(self, day: dt.date, reason: str, *, stepped_down: bool = False) -> None:
        if not self.past(day):
            self.open(self.fam.state or "closing")
            return
        for k in self.kids:
            ep = self.eps[k.pk]
            ep.update(closure_date=day, closure_reason=reason, stepped_down_to_early_help=stepped_down)
            k.free_from = day + dt.timedelta(days=1)
            a = self.alloc.get(k.pk)
            if a is not None:
                a["end_date"] = max(day, a["start_date"])
        self.closed = day
        self.fam.state, self.fam.allocations = "", []

    def come_back(self) -> dt.datetime | None:
        """Some families are referred again within the year (re-referrals)."""
        if self.closed is None:
            return None
        latest, earliest = self.rdate + dt.timedelta(days=358), self.closed + dt.timedelta(days=10)
        if earliest >= latest or self.rng.random() > self.cw.profile.come_back:
            return None
        day = earliest + dt.timedelta(days=self.rng.randrange((latest - earliest).days))
        return aware(day, self.rng.randint(8, 17), self.rng.randint(0, 59))

    # -- the path ---------------------------------------------------------------------------------
    def run(self, *, strategy: bool) -> None:
        """Assessment, and a strategy discussion at the front door or when the assessment
        escalates."""
        rng = self.rng
        born = [k for k in self.kids if k.dob is not None]
        start = self.rdate if strategy else self.wd(self.decision_date, rng.choices((0, 1, 2), (60, 30, 10))[0])
        if not self.past(start):
            self.open("referral", self.wd(self.rdate, 1))
            return
        s47_result = icpc = completed = None
        if strategy or (born and rng.random() < 0.27):
            if strategy:
                # the same day, or (mostly) the next morning; a few out of hours
                held = self.decided_at + dt.timedelta(minutes=rng.randint(45, 300))
                if rng.random() < 0.85:
                    held = self.cw.next_office_hours(held, 9, 18)
            else:
                held = self.cw.when(self.wd(start, rng.randint(2, 15)))
            result = self.strategy(born, held, contact=self.contact if strategy else None)
            if result is None or not result[3]:
                if result is not None or not strategy:
                    self.open_assessments(start)
                if result is not None and result[2] is not None:
                    self.open("s47", result[2])         # the conference is due
                else:
                    self.open("s47" if result is not None else "assessment", self.wd(self.rdate, 45))
                return
            completed, s47_result, icpc, _finished = result
        if s47_result == "icpc":
            outcome = "strategy"
        elif s47_result == "substantiated_no_icpc":
            outcome = "cin_plan" if rng.random() < 0.85 else "early_help"
        elif s47_result == "not_substantiated":
            outcome = pick(rng, {"nfa": 45, "early_help": 25, "cin_plan": 30})
        else:
            outcome = pick(rng, {"nfa": 38, "early_help": 22, "cin_plan": 34, "continue": 3, "cla": 3})
        if outcome == "cla" and len(born) < len(self.kids):
            outcome = "cin_plan"
        # authorised within 45 working days of the referral about 85% of the time
        n = round(rng.triangular(8, 45, 38)) if rng.random() < 0.85 else rng.randint(46, 85)
        auth = self.wd(self.rdate, n)
        if completed is not None:
            auth = max(auth, self.wd(completed, rng.randint(0, 5)))
        if icpc is not None:
            auth = min(auth, icpc)
        if not self.assessments(start, auth, outcome):
            return
        if icpc is not None:
            self.icpc(icpc)
        else:
            self.after_assessment(outcome, auth)

    def assessments(self, start: dt.date, auth: dt.date, outcome: str) -> bool:
        """A single assessment for each child; False if it is still running on the as-of day."""
        rng, w = self.rng, self.w
        if not self.past(auth):
            self.open_assessments(start, outcome=outcome, auth=auth)
            self.open("s47" if self.s47 else "assessment", self.wd(self.rdate, 45))
            return False
        seen_day = min(self.wd(start, rng.choices((0, 1, 2, 3, 5, 8), (25, 25, 20, 15, 10, 5))[0]), auth)
        subjects = []
        for k in self.kids:
            seen = seen_day if k.dob is not None and rng.random() < 0.96 else None
            alone = seen is not None and k.age(seen) >= 5 and rng.random() < 0.7
            completed = min(auth, max(seen or start, auth - dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3)))))
            a = w.new(Assessment, authority_id=self.la, created_at=aware(start), created_by_id=self.assessor.pk,
                      episode_id=self.eps[k.pk]["id"], person_id=k.pk, start_date=start, child_seen_date=seen,
                      seen_alone=alone, completed_date=completed, outcome=outcome, analysis=ANALYSIS[outcome],
                      authorised_date=auth, authorised_by_id=self.manager.pk)
            self.factors(a, k, outcome)
            if seen is not None:
                subjects.append((k, True, alone))
        if subjects:
            self.recording("home_visit", seen_day, "Assessment home visit", subjects)
        for _ in range(rng.randint(0, 2)):
            self.note(start, auth)
        return True

    def open_assessments(self, start: dt.date, *, outcome: str = "", auth: dt.date | None = None) -> None:
        """Single assessments still running on the as-of day (some completed, waiting for a
        manager's authorisation)."""
        rng = self.rng
        seen_day = self.wd(start, rng.choice((0, 1, 1, 2, 3)))
        completed = auth - dt.timedelta(days=rng.randint(1, 6)) if auth and outcome else None
        waiting = completed is not None and self.past(completed) and completed >= seen_day and rng.random() < 0.5
        for k in self.kids:
            seen = seen_day if k.dob is not None and self.past(seen_day) and rng.random() < 0.9 else None
            a = self.w.new(Assessment, authority_id=self.la, created_at=aware(start), created_by_id=self.assessor.pk,
                           episode_id=self.eps[k.pk]["id"], person_id=k.pk, start_date=start, child_seen_date=seen,
                           seen_alone=seen is not None and k.age(seen) >= 5 and rng.random() < 0.7)
            if waiting:
                a.update(completed_date=max(completed, start), outcome=outcome, analysis=ANALYSIS[outcome])
                self.factors(a, k, outcome)

    def factors(self, a: dict, k: Kid, outcome: str) -> None:
        """Factors identified at assessment: '21' (none) alone, only where the episode can close
        with RC8/RC9 (no S47 or plan on it)."""
        rng = self.rng
        if outcome in ("nfa", "early_help") and not self.activity and rng.random() < 0.3:
            codes = ["21"]
        else:
            draw = TEEN_FACTOR_PICK if k.age(a["start_date"]) >= 11 else FACTOR_PICK
            codes = list(dict.fromkeys(draw(rng) for _ in range(rng.choices((1, 2, 3, 4), (30, 35, 25, 10))[0])))
        for code in codes:
            self.w.new(AssessmentFactorIdentified, authority_id=self.la, created_at=a["created_at"],
                       assessment_id=a["id"], code=code)

    # -- strategy discussion and section 47 ----------------------------------------------------------
    def strategy(self, kids: list, held: dt.datetime, *, contact: dict | None = None):
        """A strategy discussion about ``kids`` with section 47 enquiries for most of them.
        Returns None if it is not held by the as-of day, else (the day the enquiries concluded,
        their outcome, the ICPC day or None, whether all of it is over by the as-of day)."""
        rng, w, cw = self.rng, self.w, self.cw
        if held >= cw.cutoff:
            return None
        day = local_date(held)
        self.activity = True
        chair = self.manager
        d = w.new(StrategyDiscussion, authority_id=self.la, created_at=held, created_by_id=chair.pk, held_at=held,
                  contact_id=contact["id"] if contact else None, chair_id=chair.pk,
                  summary=f"Information shared about {names_of(kids)}: reasonable cause to suspect significant harm.")
        roles = {"csc": "Social worker", "police": "Detective constable", "health": "Health visitor",
                 "education": "Designated safeguarding lead"}
        missing = []
        for agency in ("csc", "police", "health", "education"):
            p = {"csc": 1, "police": 0.88, "health": 0.86, "education": 0.82}[agency]
            if agency == "education" and all(k.age(day) < 3 for k in kids):
                p = 0.5   # no school or nursery yet
            if rng.random() < p:
                name = self.assessor.get_full_name() if agency == "csc" else cw.person_name()
                w.new(StrategyAttendee, authority_id=self.la, created_at=held, discussion_id=d["id"], name=name,
                      agency=agency, role=roles[agency], attended=True)
            else:
                missing.append(agency)
                if rng.random() < 0.5:   # invited, did not take part
                    w.new(StrategyAttendee, authority_id=self.la, created_at=held, discussion_id=d["id"],
                          name=cw.person_name(), agency=agency, role=roles[agency], attended=False)
        if missing:
            d["absence_reason"] = " ".join(ABSENCE[a] for a in missing)
        for owner, action in rng.sample(STRATEGY_ACTIONS, rng.randint(1, 3)):
            w.new(StrategyAction, authority_id=self.la, created_at=held, discussion_id=d["id"], owner=owner,
                  action=action, due_date=self.wd(day, rng.randint(1, 5)))
        s47_kids = [k for k in kids if rng.random() < 0.94] or kids[:1]
        for k in kids:
            w.new(StrategyChild, authority_id=self.la, created_at=held, discussion_id=d["id"], person_id=k.pk,
                  episode_id=self.eps[k.pk]["id"], s47_decided=k in s47_kids)
        outcome = pick(rng, {"icpc": 33, "substantiated_no_icpc": 21, "not_substantiated": 46})
        icpc = None
        if outcome == "icpc":
            completed = self.wd(day, rng.randint(4, 10))
            n = rng.randint(9, 15) if rng.random() < 0.82 else rng.randint(16, 28)
            icpc = self.working(max(self.wd(day, n), completed))
        else:
            # mostly within the 15 working days an ICPC would have needed (the icpc_15wd clock)
            completed = self.wd(day, rng.randint(3, 15) if rng.random() < 0.9 else rng.randint(16, 25))
        self.s47, self.s47_kids = {}, s47_kids
        for k in s47_kids:
            row = w.new(S47Enquiry, authority_id=self.la, created_at=held, created_by_id=self.assessor.pk,
                        person_id=k.pk, episode_id=self.eps[k.pk]["id"], strategy_discussion_id=d["id"],
                        start_date=day)
            if self.past(completed):
                row.update(outcome=outcome, completed_date=completed)
            self.s47[k.pk] = row
        self.st["s47"] += len(s47_kids)
        finished = self.past(completed) and (icpc is None or self.past(icpc))
        if finished:
            self.st["s47_done"] += len(s47_kids)
            self.st["s47_no_icpc"] += len(s47_kids) * (outcome != "icpc")
        return completed, outcome, icpc, finished

    # -- conferences and the child protection plan ------------------------------------------------
    def participation(self, k: Kid, day: dt.date) -> tuple[str, bool]:
        age = k.age(day)
        if age < 5:
            return "too_young", False
        part = pick(self.rng, {"written": 45, "advocate": 30, "none": 25} if age < 12 else
                    {"attended": 35, "advocate": 35, "written": 20, "none": 10})
        return part, part == "advocate"

    def conference(self, kind: str, day: dt.date) -> dict:
        rng, w, cw = self.rng, self.w, self.cw
        chair = rng.choice(cw.chairs)
        c = w.new(Conference, authority_id=self.la, created_at=aware(day, 14), created_by_id=chair.pk, kind=kind,
                  held_on=day, chair_id=chair.pk, parents_received_report=rng.random() < 0.75,
                  summary="The conference heard from every agency and agreed the plan.")
        people = [("Mother", "other", "Parent", rng.random() < 0.9)]
        if self.fam.father:
            people.append(("Father", "other", "Parent", rng.random() < 0.6))
        people += [((self.worker or self.assessor).get_full_name(), "csc", "Social worker", True),
                   (cw.person_name(), "police", "Police officer", rng.random() < 0.8),
                   (cw.person_name(), "health", "Health visitor", rng.random() < 0.85),
                   (cw.person_name(), "education", "Designated safeguarding lead", rng.random() < 0.8)]
        for name, agency, role, attended in people:
            w.new(ConferenceAttendee, authority_id=self.la, created_at=c["created_at"], conference_id=c["id"],
                  name=name, agency=agency, role=role, attended=attended)
        return c

    def icpc(self, day: dt.date, *, cin_plans: dict | None = None) -> None:
        """The initial conference: a child protection plan from that day for the children who
        need one (an open child in need plan ends that day)."""
        rng, w = self.rng, self.w
        c = self.conference("initial", day)
        plan_needed = cin_plans is not None or rng.random() < 0.9
        category = CP_CATEGORY(rng)
        plans = {}
        for k in self.s47_kids:
            part, advocate = self.participation(k, day)
            cat = category if rng.random() < 0.9 else CP_CATEGORY(rng)
            plan = None
            if plan_needed:
                plan = w.new(Plan, authority_id=self.la, created_at=aware(day, 15), created_by_id=c["chair_id"],
                             person_id=k.pk, episode_id=self.eps[k.pk]["id"], kind="cp", start_date=day,
                             initial_category=cat, latest_category=cat,
                             summary=f"What needs to change so that {k.first} is safe.")
                plans[k.pk] = plan
                self.st["cp_plans"] += 1
                self.st[f"cat_{cat}"] += 1
            w.new(ConferenceChild, authority_id=self.la, created_at=c["created_at"], conference_id=c["id"],
                  person_id=k.pk, s47_id=self.s47[k.pk]["id"], plan_id=plan["id"] if plan else None,
                  participation=part, had_advocate=advocate, plan_needed=plan_needed,
                  category=cat if plan_needed else "")
        if cin_plans:
            for plan in cin_plans.values():
                plan.update(end_date=day, end_reason="other")
        if not plan_needed:
            if rng.random() < 0.7:
                self.cin_plan(day)
            else:
                self.close(self.wd(day, rng.randint(2, 15)), "RC7")
            return
        self.start_work(day)
        end = self.cp_plan(plans, day)
        if end is None:
            return
        end_day, reason = end
        if reason == "step_down_cin":
            self.cin_plan(self.wd(end_day, 1), step_down=True)
        elif reason == "looked_after":
            self.looked_after(end_day)
        elif reason == "moved":
            self.close(end_day, "RC5")
        else:
            self.close(self.wd(end_day, rng.randint(0, 15)), "RC7", stepped_down=reason == "step_down_eh")

    def start_work(self, day: dt.date) -> None:
        """A plan starts: the case moves to the family support and child protection team."""
        if self.worker is None:
            self.worker = self.rng.choice(self.cw.fscp[self.fam.lea])
            self.allocate(self.worker, "Family Support and Child Protection", day)

    def cp_plan(self, plans: dict, start: dt.date):
        """Core groups, visits and review conferences until the plan ends. Returns (end day,
        reason), or None if the plan is current on the as-of day."""
        rng, w, cw = self.rng, self.w, self.cw
        kids = [k for k in self.s47_kids if k.pk in plans]
        span = pick(rng, {(0.7, 2.6): 4, (3, 12): 60, (12, 20): 33, (24, 40): 3})
        target = start + months(rng.uniform(*span))
        self.plan_content(plans, kids, start, next(iter(plans.values()))["initial_category"])
        reviews, day = [], start
        while not reviews or (reviews[-1] < target and self.past(reviews[-1])):
            first = not reviews
            gap = (rng.uniform(2.3, 3.0) if rng.random() < 0.9 else rng.uniform(3.05, 3.8)) if first else \
                (rng.uniform(4.6, 6.0) if rng.random() < 0.9 else rng.uniform(6.05, 7.2))
            day = self.working(day + months(gap))
            reviews.append(day)
        if span[0] < 3:   # ended before the first review: moved away, or became looked after
            end_day, reviews = target, []
            reason = pick(rng, {"moved": 50, "looked_after": 50})
        else:
            end_day = reviews[-1]
            reason = pick(rng, {"step_down_cin": 55, "step_down_eh": 15, "no_longer_at_risk": 15,
                                "looked_after": 8, "moved": 4, "other": 3})
        if reason == "looked_after" and any(k.dob is None for k in self.kids):
            reason = "moved" if span[0] < 3 else "step_down_cin"   # an unborn child is not looked after
        ends = self.past(end_day)
        until = end_day if ends else cw.today
        # core groups: within 10 working days, then about every six weeks
        meet = self.wd(start, rng.randint(3, 10) if rng.random() < 0.9 else rng.randint(11, 16))
        while meet < until:
            for k in kids:
                w.new(CoreGroupMeeting, authority_id=self.la, created_at=aware(meet, 11), created_by_id=self.worker.pk,
                      plan_id=plans[k.pk]["id"], person_id=k.pk, held_on=meet,
                      attendees="Social worker\nMother\nHealth visitor\nSchool designated safeguarding lead",
                      notes="Progress against the plan reviewed; actions updated.")
            meet = self.working(meet + dt.timedelta(days=rng.randint(28, 42) if rng.random() < 0.85 else rng.randint(43, 60)))
        # visits: about every ten working days (some late); seen, and seen alone when old enough
        visit, last_visit = self.wd(start, rng.randint(1, 7)), start
        while visit < until:
            last_visit = visit
            no_access = rng.random() < 0.05
            subjects = []
            for k in kids:
                seen = not no_access and rng.random() < 0.97
                subjects.append((k, seen, seen and k.age(visit) >= 5 and rng.random() < 0.6))
            self.recording("cp_visit", visit, "No access visit" if no_access else "Child protection visit", subjects,
                           mother=True, significant=no_access)
            visit = self.wd(visit, rng.randint(5, 10) if rng.random() < 0.88 else rng.randint(11, 16))
        for _ in range(rng.randint(1, 4)):
            self.note(start, until)
        latest = {k.pk: plans[k.pk]["latest_category"] for k in kids}
        for i, rday in enumerate(reviews):
            if not self.past(rday):
                break
            c = self.conference("review", rday)
            last = ends and i == len(reviews) - 1
            for k in kids:
                if not last and rng.random() < 0.1:
                    latest[k.pk] = CP_CATEGORY(rng)
                    plans[k.pk]["latest_category"] = latest[k.pk]
                part, advocate = self.participation(k, rday)
                w.new(ConferenceChild, authority_id=self.la, created_at=c["created_at"], conference_id=c["id"],
                      person_id=k.pk, plan_id=plans[k.pk]["id"], participation=part, had_advocate=advocate,
                      plan_needed=not last, category="" if last else latest[k.pk])
        if not ends:
            self.open("cp", self.wd(last_visit, 10))
            return None
        for k in kids:
            plans[k.pk].update(end_date=end_day, end_reason=reason)
            self.st["cp_over_2y"] += (end_day - start).days > 730
            if reason == "looked_after":
                cw.care_entrants.append((self.la, k, end_day))   # haven.seed.care takes them into care
        return end_day, reason

    def plan_content(self, plans: dict, kids: list, start: dt.date, key: str) -> None:
        """Objectives and actions with an owner, a measurable outcome and a due date (and a few
        vague ones, as inspectors find)."""
        rng, w = self.rng, self.w
        texts = OBJECTIVES.get(key) or OBJECTIVES["CIN"]
        for k in kids:
            plan = plans[k.pk]
            objectives = [w.new(PlanObjective, authority_id=self.la, created_at=plan["created_at"], plan_id=plan["id"],
                                text=t.format(name=k.first)) for t in rng.sample(texts, min(len(texts), rng.randint(2, 3)))]
            for action, owner, outcome, days in rng.sample(ACTIONS, rng.randint(2, 4)):
                due = start + dt.timedelta(days=days)
                status = "done" if self.past(due) and rng.random() < 0.7 else \
                    "in_progress" if self.past(start + dt.timedelta(days=7)) else "not_started"
                w.new(PlanAction, authority_id=self.la, created_at=plan["created_at"], plan_id=plan["id"],
                      objective_id=rng.choice(objectives)["id"], action=action, owner=owner,
                      measurable_outcome=outcome, due_date=due, status=status)
            if rng.random() < 0.12:
                w.new(PlanAction, authority_id=self.la, created_at=plan["created_at"], plan_id=plan["id"],
                      objective_id=rng.choice(objectives)["id"], action=rng.choice(VAGUE_ACTIONS),
                      owner="" if rng.random() < 0.5 else "Mother", measurable_outcome="", due_date=None,
                      status="in_progress")

    # -- child in need plan -------------------------------------------------------------------------
    def cin_plan(self, start: dt.date, *, step_down: bool = False) -> None:
        """A child in need plan for every child of the referral, reviewed about every three
        months, with visits every few weeks; a few escalate to a strategy discussion."""
        rng, w = self.rng, self.w
        kids = self.kids
        if not self.past(start):
            self.open("cin" if step_down else "closing")
            return
        self.activity = True
        self.start_work(start)
        plans = {k.pk: w.new(Plan, authority_id=self.la, created_at=aware(start, 12), created_by_id=self.worker.pk,
                             person_id=k.pk, episode_id=self.eps[k.pk]["id"], kind="cin", start_date=start,
                             summary=f"The help {k.first} and the family need.") for k in kids}
        self.st["cin_plans"] += len(kids)
        self.plan_content(plans, kids, start, "CIN")
        end_day = start + months(rng.uniform(*pick(rng, {(3, 12): 70, (12, 24): 26, (24, 36): 4})))
        born = [k for k in kids if k.dob is not None]
        escalate = not step_down and born and rng.random() < 0.07
        if escalate:
            end_day = start + months(rng.uniform(1.5, 8))
        until = end_day if self.past(end_day) else self.cw.today
        last_review = self.cin_activity(plans, kids, start, until)
        if not self.past(end_day):
            self.open("cin", add_months(last_review, 3))
            return
        if escalate:
            # concerns grew: a strategy discussion in the same episode; if a conference decides
            # on a child protection plan, the child in need plan ends that day
            result = self.strategy(born, self.cw.when(end_day), contact=None)
            if result is None or not result[3]:
                self.open("s47", result[2] if result else None)
                return
            completed, outcome, icpc, _ = result
            if icpc is not None:
                self.icpc(icpc, cin_plans=plans)
                return
            later = max(end_day, completed) + dt.timedelta(days=rng.randint(20, 120))
            self.cin_activity(plans, kids, end_day, later if self.past(later) else self.cw.today, reviews=False)
            end_day = later
            if not self.past(end_day):
                self.open("cin", add_months(last_review, 3))
                return
        reason = pick(rng, {"objectives_met": 58, "step_down_eh": 25, "moved": 5, "looked_after": 4, "other": 8})
        if reason == "looked_after" and len(born) < len(kids):
            reason = "objectives_met"
        for plan in plans.values():
            plan.update(end_date=end_day, end_reason=reason)
        if reason == "looked_after":
            self.looked_after(end_day)
        elif reason == "moved":
            self.close(end_day, "RC5")
        else:
            code = "RC7" if reason != "other" else pick(rng, {"RC7": 70, "RC3": 20, "RC4": 10})
            self.close(end_day + dt.timedelta(days=rng.randint(0, 21)), code, stepped_down=reason == "step_down_eh")

    def cin_activity(self, plans: dict, kids: list, start: dt.date, until: dt.date, *, reviews: bool = True) -> dt.date:
        """Reviews about every three months and visits every few weeks from ``start`` to
        ``until``; returns the day of the last review (or ``start``)."""
        rng, w = self.rng, self.w
        review = last = start
        while reviews:
            review = self.working(review + dt.timedelta(days=rng.randint(70, 91) if rng.random() < 0.85
                                                       else rng.randint(92, 120)))
            if review >= until:
                break
            last = review
            for k in kids:
                w.new(PlanReview, authority_id=self.la, created_at=aware(review, 13), created_by_id=self.worker.pk,
                      plan_id=plans[k.pk]["id"], held_on=review, notes="Plan reviewed with the family and the network.")
        visit = self.working(start + dt.timedelta(days=rng.randint(3, 20)))
        while visit < until:
            subjects = []
            for k in kids:
                seen = k.dob is not None and rng.random() < 0.95
                subjects.append((k, seen, seen and k.age(visit) >= 5 and rng.random() < 0.4))
            self.recording("cin_visit", visit, "Child in need visit", subjects, mother=True)
            visit = self.working(visit + dt.timedelta(days=rng.randint(14, 42)))
        for _ in range(rng.randint(0, 3)):
            self.note(start, until)
        return last

    # -- other endings ------------------------------------------------------------------------------
    def looked_after(self, day: dt.date) -> None:
        """The children became looked after: the episode stays open (their care belongs to the
        looked-after module), allocated to the looked-after children team."""
        if not self.past(day):
            self.open(self.fam.state or "closing")
            return
        self.allocate(None, "Looked After Children", day)
        self.st["looked_after"] += len(self.kids)
        for k in self.kids:
            if k.dob is not None:
                self.cw.care_entrants.append((self.la, k, day))   # haven.seed.care takes them into care
        self.open("cla")

    def after_assessment(self, outcome: str, auth: dt.date) -> None:
        rng = self.rng
        # RC8/RC9 ("closed after assessment") only where there was no S47 (CIN census 2990)
        if outcome == "nfa":
            self.close(auth + dt.timedelta(days=rng.choice((0, 0, 1, 2, 5))), "RC7" if self.activity else "RC8")
        elif outcome == "early_help":
            self.close(auth + dt.timedelta(days=rng.choice((0, 1, 2, 7))), "RC7" if self.activity else "RC9",
                       stepped_down=True)
        elif outcome == "continue":
            self.close(auth + dt.timedelta(days=rng.randint(14, 90)), "RC7")
        elif outcome == "cla":
            self.looked_after(auth)
        else:
            self.cin_plan(self.working(auth + dt.timedelta(days=rng.randint(0, 12))))

    # -- family-level recording ---------------------------------------------------------------------
    def recording(self, kind: str, day: dt.date, title: str, subjects: list, *, mother: bool = False,
                  significant: bool = False) -> None:
        """A visit recorded once for the children it concerns (sometimes with a part kept off a
        sibling's record)."""
        rng, w, cw = self.rng, self.w, self.cw
        occurred = cw.when(day, 9, 18)
        if occurred >= cw.cutoff:
            return
        r = w.new(Recording, authority_id=self.la, created_at=occurred, created_by_id=(self.worker or self.assessor).pk,
                  kind=kind, occurred_at=occurred, title=title, significant=significant)
        for k, seen, alone in subjects:
            w.new(RecordingSubject, authority_id=self.la, created_at=occurred, recording_id=r["id"], person_id=k.pk,
                  seen=seen, seen_alone=alone)
        if mother:
            w.new(RecordingSubject, authority_id=self.la, created_at=occurred, recording_id=r["id"],
                  person_id=self.fam.mother, seen=True)
        kids = [k for k, *_ in subjects]
        w.new(RecordingPart, authority_id=self.la, created_at=occurred, recording_id=r["id"],
              text=rng.choice(VISIT_TEXT).format(names=names_of(kids), child=kids[0].first))
        if len(kids) > 1 and rng.random() < 0.15:
            private = rng.choice(kids)
            part = w.new(RecordingPart, authority_id=self.la, created_at=occurred, recording_id=r["id"],
                         text=f"{private.first} talked to me alone about worries at school.")
            for other in kids:
                if other is not private:
                    w.new(HiddenPart, recordingpart_id=part["id"], person_id=other.pk)

    def note(self, start: dt.date, end: dt.date) -> None:
        """A case note, call or meeting about the children, some day between ``start`` and ``end``."""
        rng, w = self.rng, self.w
        if end <= start:
            return
        day = start + dt.timedelta(days=rng.randrange((end - start).days))
        if not self.past(day):
            return
        kind, title, text = rng.choice(NOTE_TEXT)
        occurred = self.cw.when(day)
        r = w.new(Recording, authority_id=self.la, created_at=occurred, created_by_id=(self.worker or self.assessor).pk,
                  kind=kind, occurred_at=occurred, title=title)
        for k in self.kids:
            w.new(RecordingSubject, authority_id=self.la, created_at=occurred, recording_id=r["id"], person_id=k.pk)
        w.new(RecordingPart, authority_id=self.la, created_at=occurred, recording_id=r["id"],
              text=text.format(child=self.kids[0].first, names=names_of(self.kids)))
