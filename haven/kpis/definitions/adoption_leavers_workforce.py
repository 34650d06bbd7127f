"""Adoption (the scorecard's A1, A2 and A10, and adoptions in the period), care leavers at 17-18
and 19-21 (in touch, in education, employment or training, in suitable accommodation: SSDA903
OC3) and the workforce (caseloads per social worker and per IRO, children not allocated).

Each KPI reuses the app that owns the measure: ``haven.permanence.measures`` for A1/A2/A10,
``haven.care_leavers.eligibility`` for who is a care leaver (and the same in-touch, EET and
suitability tests as the managers' list in ``haven.care_leavers.queries``), and the allocation
rules of ``haven.people`` and ``haven.care_planning``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from haven.core.calendar import add_months, birthday
from haven.kpis.catalogue import COUNT, HIGHER, LOWER, MEAN, PERCENT, Row, Scope, kpi, shared
from haven.kpis.common import deadline_rows

ADOPTION = "Adoption"
LEAVERS = "Care leavers"
LEAVING_CARE = ("personal_adviser", "social_worker", "team")   # a care leaver's work is their PA's first
WORKFORCE = "Workforce"


# -- adoption ----------------------------------------------------------------------------------
def adoption_window(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The three years ending on the as-at date (e.g. 1 April 2023 to 31 March 2026), the
    scorecard's reporting window (``haven.permanence.measures.default_range`` for a 31 March)."""
    if (as_of.month, as_of.day) == (2, 29):
        return dt.date(as_of.year - 3, 3, 1), as_of
    return dt.date(as_of.year - 3, as_of.month, as_of.day) + dt.timedelta(days=1), as_of


def _scorecard_rows(scope: Scope, measure):
    """The rows of one of ``haven.permanence.measures`` a1/a2/a10 over the three years to the
    as-at date, for each authority of the scope: the children it counts (their days as
    ``measure``), then those it leaves out (not counted, with why)."""
    start, end = adoption_window(scope.as_of)
    for authority in sorted(scope.authorities, key=lambda a: a.pk):
        m = measure(authority, start, end)
        for r in m.rows:
            yield Row(r.person.pk, measure=r.days,
                      why={"adopted": r.adopted_on, r.start_label: r.start, r.end_label: r.end, "days": r.days,
                           "window": f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"})
        for person, reason in m.excluded:
            yield Row(person.pk, counted=False, why={"not counted": reason,
                                                      "window": f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"})


SCORECARD = "DfE adoption scorecard (3-year average), computed by haven.permanence.measures"


@kpi("adoption_a1_days", "A1: days from entering care to moving in with the adoptive family", kind=MEAN,
     unit="days", polarity=LOWER, source=f"{SCORECARD}: A1", group=ADOPTION, annual=True)
def adoption_a1_days(scope: Scope):
    """Children adopted (adoption order) in the three years ending on the as-at date (the
    scorecard's window; the scope's own start is not used): the mean of the days from entering
    care (the start of the period of care in which they were adopted) to being placed for
    adoption, exactly as ``haven.permanence.measures.a1``. Children without a period of care or
    a placement for adoption are listed but not counted. Unrounded (the scorecard page rounds
    to a whole day)."""
    from haven.permanence.measures import a1

    yield from _scorecard_rows(scope, a1)


@kpi("adoption_a2_days", "A2: days from placement order to match", kind=MEAN, unit="days", polarity=LOWER,
     source=f"{SCORECARD}: A2", group=ADOPTION, annual=True)
def adoption_a2_days(scope: Scope):
    """Children adopted (adoption order) in the three years ending on the as-at date: the mean
    of the days from the court's placement order to the decision to match them with their
    adopters, exactly as ``haven.permanence.measures.a2``. Children placed with consent (no
    placement order) or without a match recorded are listed but not counted."""
    from haven.permanence.measures import a2

    yield from _scorecard_rows(scope, a2)


@kpi("adoption_a10_days", "A10: days from entering care to moving in with the adoptive family, adjusted for "
     "foster carer adoptions", kind=MEAN, unit="days", polarity=LOWER, source=f"{SCORECARD}: A10", group=ADOPTION, annual=True)
def adoption_a10_days(scope: Scope):
    """Children adopted (adoption order) in the three years ending on the as-at date: the mean
    of the days from entering care to moving in with the family who adopted them: the earlier
    of moving in with foster carers who later adopted (foster to adopt) and being placed for
    adoption, exactly as ``haven.permanence.measures.a10``. Children without a period of care
    or either date are listed but not counted."""
    from haven.permanence.measures import a10

    yield from _scorecard_rows(scope, a10)


@kpi("adoptions_count", "Children adopted", kind=COUNT, unit="children", polarity=None,
     source="DfE SSDA903 AD1: children adopted (adoption order) in the year", group=ADOPTION, annual=True)
def adoptions_count(scope: Scope):
    """Children with an adoption order (``AdoptionDecision`` of kind adoption order) dated in
    the period, start and end dates included; a child is counted once (at their latest order in
    the period)."""
    from haven.permanence.models import AdoptionDecision

    orders = (AdoptionDecision.objects
              .filter(authority_id__in=scope.authority_ids, kind=AdoptionDecision.Kind.ADOPTION_ORDER,
                      decided_on__gte=scope.start, decided_on__lte=scope.end)
              .order_by("person_id", "decided_on", "pk").values_list("person_id", "decided_on"))
    latest = dict(orders)   # the last order of each child wins
    for person_id, on in sorted(latest.items()):
        yield Row(person_id, why={"adoption order": on})


@kpi("proceedings_26w_pct", "Care proceedings decided within 26 weeks", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Children Act 1989 s.32(1)(a) as amended by the Children and Families Act 2014: care and supervision "
            "proceedings decided within 26 weeks of issue (timescale rule proceedings_26w)", group=ADOPTION)
def proceedings_26w_pct(scope: Scope):
    """Care and supervision proceedings concluded in the period (the ``proceedings_26w``
    deadline met from ``scope.start`` to ``scope.end``), one row each: counted when they were
    concluded within 26 weeks of issue, or by the end of an extension the court granted (the
    engine moves the due date). Proceedings still running are not in the cohort until they end."""
    yield from deadline_rows(scope, "proceedings_26w", by="met")


# -- care leavers (SSDA903 OC3) ------------------------------------------------------------------
OC3 = ("DfE SSDA903 OC3 (care leavers{ages}: relevant or former relevant young people whose birthday fell in the "
       "year; contact around the birthday)")


@dataclass
class LeaverOnBirthday:
    """A care leaver whose 17th..21st birthday fell in the period, and what is recorded around it."""

    person_id: int
    born: dt.date
    age: int
    birthday: dt.date
    category: str
    why_category: str
    window: tuple[dt.date, dt.date]
    contact: tuple[dt.date, str] | None
    activity: str | None
    accommodation: tuple[str, bool | None] | None

    @property
    def in_touch(self) -> bool:
        return self.contact is not None and self.contact[1] == "YES"

    @property
    def in_eet(self) -> bool:
        from haven.core.codes.looked_after import IN_EET

        return self.activity in IN_EET

    @property
    def suitable(self) -> bool:
        return self.accommodation is not None and self.accommodation[1] is True

    def why(self) -> dict:
        from haven.core.codes.looked_after import LeaverEligibility, accommodation_code

        return {
            "birthday": self.birthday, "age": self.age, "category": LeaverEligibility(self.category).label,
            "category from": self.why_category,
            "contact window": f"{self.window[0]:%d/%m/%Y} to {self.window[1]:%d/%m/%Y}",
            "last contact": self.contact[0] if self.contact else None,
            "in touch": self.contact[1] if self.contact else "no contact recorded",
            "activity (ACTIV)": self.activity or "not recorded",
            "accommodation (ACCOM)": accommodation_code(*self.accommodation) if self.accommodation else "not recorded",
        }


def _current_on(spells, on: dt.date):
    """The spell current on ``on`` as ``haven.care_leavers.models.DatedQuerySet.current`` (start
    on or before, no end or ending on or after) and ``.first()`` (latest start, then latest pk)."""
    live = [s for s in spells if s[0] <= on and (s[1] is None or s[1] >= on)]
    return max(live, key=lambda s: (s[0], s[2])) if live else None


@shared
def care_leavers_on_birthday(scope: Scope, ages: tuple[int, ...]) -> list[LeaverOnBirthday]:
    """Care leavers whose birthday of one of ``ages`` fell in the period (the latest such, if a
    long period holds two), with the category on that birthday and the records around it.

    - The young person: a child of the scope's authorities (``Person.authority``) with a period
      of care, a leaving care category or a pathway plan (``care_leavers.queries.candidates``).
    - Category: computed on the birthday from the care history by
      ``haven.care_leavers.eligibility.classify`` (as ``eligibility_for``); a worker's override
      (a ``LeaverStatus`` whose category differs from the computed one when confirmed) replaces
      it: relevant or former relevant, in; not eligible or qualifying, out; eligible (still
      looked after), out at 17 and former relevant from 18. In the cohort: relevant (17) or
      former relevant (18+); at 17 and 18, not those looked after on the birthday or who ceased to
      be looked after on or after it, a young person leaving care on their 18th birthday
      included: the SSDA903 leaves their OC3 items blank that year and reports them at 19
      (rules 1007 and 1016), and the KPI agrees with the return.
    - In touch: the latest ``LeaverContact`` from 3 months before the birthday to 1 month after
      (and not after the as-at date) says YES (the managers' list: the latest contact's status).
    - EET: the activity current on the birthday is F1, P1, F2, P2, F4, P4, F5 or P5.
    - Suitable: the accommodation current on the birthday is suitable (its ACCOM ends in 1).
    """
    from haven.care_leavers.eligibility import (
        EDUCATION_TRAINING,
        SHORT_BREAK_STATUSES,
        classify,
        oc3_next_year,
    )
    from haven.care_leavers.models import (
        Accommodation,
        Activity,
        Custody,
        LeaverContact,
        LeaverStatus,
    )
    from haven.care_leavers.queries import may_be_care_leaver
    from haven.core.codes.looked_after import LeaverEligibility as LE
    from haven.looked_after.models import Episode, PeriodOfCare
    from haven.people.models import Person

    youngest, oldest = min(ages), max(ages)
    # Any kind of record: a care leaver of 18 or over may be recorded as an adult (the seed does).
    loose = (Person.objects.filter(authority_id__in=scope.authority_ids,
                                   date_of_birth__gte=dt.date(scope.start.year - oldest - 1, 1, 1),
                                   date_of_birth__lte=dt.date(scope.end.year - youngest, 12, 31))
             .filter(may_be_care_leaver()))
    people = {}
    for pk, born in loose.values_list("pk", "date_of_birth"):
        days = [(birthday(born, n), n) for n in ages if scope.start <= birthday(born, n) <= scope.end]
        if days:
            people[pk] = (born, *max(days))
    if not people:
        return []
    ids = list(people)   # those whose birthday falls in the period: a few hundred at most
    periods, breaks, custody = defaultdict(list), defaultdict(list), defaultdict(list)
    for pid, a, b in PeriodOfCare.objects.filter(person_id__in=ids).values_list("person_id", "start_date", "end_date"):
        periods[pid].append((a, b))
    for pid, a, b in (Episode.objects.filter(person_id__in=ids, legal_status__in=SHORT_BREAK_STATUSES)
                      .values_list("person_id", "start_date", "end_date")):
        breaks[pid].append((a, b))
    for pid, a, b in Custody.objects.filter(person_id__in=ids).values_list("person_id", "start_date", "end_date"):
        custody[pid].append((a, b))
    overrides = {pid: cat for pid, cat, computed in LeaverStatus.objects.filter(person_id__in=ids)
                 .values_list("person_id", "category", "computed_category") if cat != computed}
    first_day = add_months(scope.start, -3)
    contacts = defaultdict(list)
    for pid, on, code, pk in (LeaverContact.objects.filter(person_id__in=ids, contact_on__gte=first_day,
                                                           contact_on__lte=scope.as_of)
                              .values_list("person_id", "contact_on", "in_touch", "pk")):
        contacts[pid].append((on, code, pk))
    activities, homes = defaultdict(list), defaultdict(list)
    for pid, a, b, code, pk in (Activity.objects.filter(person_id__in=ids, start_date__lte=scope.end)
                                .values_list("person_id", "start_date", "end_date", "code", "pk")):
        activities[pid].append((a, b, pk, code))
    for pid, a, b, kind, suitable, pk in (Accommodation.objects.filter(person_id__in=ids, start_date__lte=scope.end)
                                          .values_list("person_id", "start_date", "end_date", "kind", "suitable", "pk")):
        homes[pid].append((a, b, pk, kind, suitable))

    out = []
    for pid, (born, day, age) in sorted(people.items()):
        activity = _current_on(activities[pid], day)
        computed = classify(born=born, on=day, periods=periods[pid], short_breaks=breaks[pid], custody=custody[pid],
                            in_education=bool(activity and activity[3] in EDUCATION_TRAINING)).category
        category, source = computed, "the care history"
        if pid in overrides:
            category, source = overrides[pid], "a worker's override"
            if category == LE.ELIGIBLE and age >= 18:
                category = LE.FORMER_RELEVANT   # was eligible: former relevant from 18
        if category not in (LE.RELEVANT, LE.FORMER_RELEVANT):
            continue
        if oc3_next_year(born, age, periods[pid], scope.as_of):
            # looked after on the 17th or 18th birthday, or ceased on or after it: the SSDA903
            # reports them the next year, with OC3 blank this year (rules 1007, 1016); so does this cohort
            continue
        window = (add_months(day, -3), min(add_months(day, 1), scope.as_of))
        around = [c for c in contacts[pid] if window[0] <= c[0] <= window[1]]
        contact = max(around, key=lambda c: (c[0], c[2])) if around else None
        home = _current_on(homes[pid], day)
        out.append(LeaverOnBirthday(pid, born, age, day, category, source, window,
                                    (contact[0], contact[1]) if contact else None,
                                    activity[3] if activity else None, (home[3], home[4]) if home else None))
    return out


def _leaver_rows(scope: Scope, ages: tuple[int, ...], test: str):
    for leaver in care_leavers_on_birthday(scope, ages):
        yield Row(leaver.person_id, counted=getattr(leaver, test), why=leaver.why())


_17_18, _19_21 = (17, 18), (19, 20, 21)
_COHORT = """Cohort: care leavers (relevant at 17, former relevant at 18 to 21; computed on the birthday by
    ``haven.care_leavers.eligibility``, or a worker's override) whose {ages} birthday fell in the period
    (start and end dates included). See ``care_leavers_on_birthday``."""


@kpi("leavers_17_18_in_touch_pct", "Care leavers aged 17 and 18 in touch", kind=PERCENT, unit="%", polarity=HIGHER,
     source=OC3.format(ages=" aged 17 and 18") + ": IN_TOUCH = YES", group=LEAVERS, annual=True, allocations=LEAVING_CARE)
def leavers_17_18_in_touch_pct(scope: Scope):
    """Care leavers whose 17th or 18th birthday fell in the period: the percentage the local
    authority was in touch with around that birthday (the latest contact from 3 months before
    to 1 month after it, and not after the as-at date, recorded in touch: YES). Cohort:
    relevant at 17 (left care after being eligible), former relevant at 18; not those looked
    after on the birthday or who ceased to be looked after on or after it (leaving care on the
    18th birthday itself: the SSDA903 reports them the next year, at 19, rules 1007 and 1016)."""
    yield from _leaver_rows(scope, _17_18, "in_touch")


@kpi("leavers_17_18_eet_pct", "Care leavers aged 17 and 18 in education, employment or training", kind=PERCENT,
     unit="%", polarity=HIGHER, source=OC3.format(ages=" aged 17 and 18") + ": ACTIV F1, P1, F2, P2, F4, P4, F5, P5",
     group=LEAVERS, annual=True, allocations=LEAVING_CARE)
def leavers_17_18_eet_pct(scope: Scope):
    """Care leavers whose 17th or 18th birthday fell in the period (cohort as
    ``leavers_17_18_in_touch_pct``): the percentage whose activity on that birthday was
    education, employment or training (F1, P1, F2, P2, F4, P4, F5 or P5). No activity
    recorded for the birthday: not counted."""
    yield from _leaver_rows(scope, _17_18, "in_eet")


@kpi("leavers_17_18_suitable_accommodation_pct", "Care leavers aged 17 and 18 in suitable accommodation",
     kind=PERCENT, unit="%", polarity=HIGHER, source=OC3.format(ages=" aged 17 and 18") + ": ACCOM ending in 1",
     group=LEAVERS, annual=True, allocations=LEAVING_CARE)
def leavers_17_18_suitable_accommodation_pct(scope: Scope):
    """Care leavers whose 17th or 18th birthday fell in the period (cohort as
    ``leavers_17_18_in_touch_pct``): the percentage whose accommodation on that birthday was
    recorded suitable (ACCOM code ending in 1). Not suitable, no suitability (gone abroad,
    deported) or nothing recorded: not counted."""
    yield from _leaver_rows(scope, _17_18, "suitable")


@kpi("leavers_19_21_in_touch_pct", "Care leavers aged 19 to 21 in touch", kind=PERCENT, unit="%", polarity=HIGHER,
     source=OC3.format(ages=" aged 19 to 21") + ": IN_TOUCH = YES", group=LEAVERS, annual=True, allocations=LEAVING_CARE)
def leavers_19_21_in_touch_pct(scope: Scope):
    """Former relevant care leavers (eligible or relevant the day before their 18th birthday)
    whose 19th, 20th or 21st birthday fell in the period: the percentage the local authority
    was in touch with around that birthday (the latest contact from 3 months before to 1 month
    after it, and not after the as-at date, recorded in touch: YES)."""
    yield from _leaver_rows(scope, _19_21, "in_touch")


@kpi("leavers_19_21_eet_pct", "Care leavers aged 19 to 21 in education, employment or training", kind=PERCENT,
     unit="%", polarity=HIGHER, source=OC3.format(ages=" aged 19 to 21") + ": ACTIV F1, P1, F2, P2, F4, P4, F5, P5",
     group=LEAVERS, annual=True, allocations=LEAVING_CARE)
def leavers_19_21_eet_pct(scope: Scope):
    """Former relevant care leavers whose 19th, 20th or 21st birthday fell in the period
    (cohort as ``leavers_19_21_in_touch_pct``): the percentage whose activity on that birthday
    was education, employment or training (F1, P1, F2, P2, F4, P4, F5 or P5)."""
    yield from _leaver_rows(scope, _19_21, "in_eet")


@kpi("leavers_19_21_suitable_accommodation_pct", "Care leavers aged 19 to 21 in suitable accommodation",
     kind=PERCENT, unit="%", polarity=HIGHER, source=OC3.format(ages=" aged 19 to 21") + ": ACCOM ending in 1",
     group=LEAVERS, annual=True, allocations=LEAVING_CARE)
def leavers_19_21_suitable_accommodation_pct(scope: Scope):
    """Former relevant care leavers whose 19th, 20th or 21st birthday fell in the period
    (cohort as ``leavers_19_21_in_touch_pct``): the percentage whose accommodation on that
    birthday was recorded suitable (ACCOM code ending in 1)."""
    yield from _leaver_rows(scope, _19_21, "suitable")


@kpi("leavers_pathway_reviews_on_time_pct", "Pathway plan reviews on time", kind=PERCENT, unit="%",
     polarity=HIGHER, source="Care Leavers (England) Regulations 2010, reg. 7: pathway plans reviewed at least "
                             "every six months (timescale rule leaver_pathway_review)", group=LEAVERS, allocations=LEAVING_CARE)
def leavers_pathway_reviews_on_time_pct(scope: Scope):
    """The ``leaver_pathway_review`` deadlines that fell due in the period, one row per review due:
    counted when the pathway plan was reviewed on or before the due day. Exempt deadlines, and
    those whose clock stopped before they fell due (the plan ended), are not in the cohort."""
    yield from deadline_rows(scope, "leaver_pathway_review")


# -- workforce -----------------------------------------------------------------------------------
def _name(first: str, last: str, username: str) -> str:
    return " ".join(p for p in (first, last) if p) or username


def _caseload_rows(pairs):
    """One row per worker from (worker id, first, last, username, team name, child id, team id)
    tuples; the row counts for the worker and for the team of most of their allocations (the
    first by name on a tie)."""
    children, teams, names = defaultdict(set), defaultdict(lambda: defaultdict(set)), {}
    for worker_id, first, last, username, team, child, team_id in pairs:
        children[worker_id].add(child)
        teams[worker_id][(team, team_id)].add(child)
        names[worker_id] = _name(first, last, username)
    for worker_id in sorted(children, key=lambda w: (names[w], w)):
        mine = teams[worker_id]
        main = min(mine, key=lambda t: (-len(mine[t]), t[0]))
        yield Row(None, measure=len(children[worker_id]), label=names[worker_id], worker_id=worker_id,
                  team_id=main[1], why={"team": ", ".join(sorted(t[0] for t in mine)),
                                        "children": len(children[worker_id])})


_WORKER = ("worker_id", "worker__first_name", "worker__last_name", "worker__username", "team__name", "person_id",
           "team_id")


@kpi("caseload_per_worker", "Average caseload per social worker", kind=MEAN, unit="children", polarity=None,
     source="Local: children allocated to each social worker (DfE children's social work workforce: caseload)",
     group=WORKFORCE)
def caseload_per_worker(scope: Scope):
    """For each social worker with at least one child of the scope's authorities allocated at
    the as-at date, the number of children allocated to them; the mean over those workers.
    Allocated = a ``people.Allocation`` of role social worker, naming the worker, current on
    the as-at date as ``Allocation.objects.current`` has it (started on or before it, not ended
    by it: a child reallocated that day counts for the new worker only). A child co-allocated to
    two workers is on both caseloads. One row per worker (no child), with their team(s)."""
    from haven.people.models import Allocation, Person

    pairs = (Allocation.objects.current(scope.as_of)
             .filter(role=Allocation.Role.SOCIAL_WORKER, worker__isnull=False,
                     person__authority_id__in=scope.authority_ids, person__kind=Person.Kind.CHILD)
             .values_list(*_WORKER).distinct())
    yield from _caseload_rows(pairs)


@kpi("caseload_per_iro", "Average caseload per independent reviewing officer", kind=MEAN, unit="children",
     polarity=None, source="Local (IRO Handbook 2010: a caseload of 50 to 70 looked-after children per IRO)",
     group=WORKFORCE)
def caseload_per_iro(scope: Scope):
    """For each IRO with at least one child of the scope's authorities looked after at the end
    of the as-at date (as ``cla_count``) allocated to them, the number of those children; the
    mean over those IROs. The IRO allocation is a ``people.Allocation`` of role IRO naming the
    worker, current on the as-at date as ``haven.care_planning`` reads it: started on or before
    it and ending on or after it (``care_planning.services.allocate_iro`` ends the previous
    IRO's allocation the day before the next one starts)."""
    from haven.kpis.definitions.looked_after import looked_after_on
    from haven.people.models import Allocation

    pairs = (Allocation.objects
             .filter(role=Allocation.Role.IRO, worker__isnull=False, start_date__lte=scope.as_of,
                     person_id__in=looked_after_on(scope).values("person_id"))
             .filter(Q(end_date__isnull=True) | Q(end_date__gte=scope.as_of))
             .values_list(*_WORKER).distinct())
    yield from _caseload_rows(pairs)


OPEN_AS = ("child in need", "child protection plan", "looked after")


def open_cases(scope: Scope) -> dict[int, dict[str, dt.date]]:
    """Children of the scope's authorities open to children's social care at the end of the
    as-at date, ``{person: {how: since}}``: "child in need" (an episode referred on or before it
    and not closed by it: closure after it, or none), "child protection plan" (a current plan, as
    ``cp_count``) or "looked after" (as ``cla_count``); since: the earliest such record's start.
    The KPI ``unallocated_children_count`` and the hotspots list of unallocated children."""
    from haven.assessments.models import CINEpisode
    from haven.kpis.definitions.looked_after import looked_after_on
    from haven.kpis.definitions.protection import plans_current

    cin = CINEpisode.objects.filter(authority_id__in=scope.authority_ids).open_at_end_of(scope.as_of)
    found: dict[int, dict[str, dt.date]] = defaultdict(dict)
    for how, rows in zip(OPEN_AS, (cin.values_list("person_id", "referral_date"),
                                   plans_current(scope, "cp").values_list("person_id", "start_date"),
                                   looked_after_on(scope).values_list("person_id", "start_date")), strict=True):
        for pid, since in rows:
            found[pid][how] = min(since, found[pid].get(how, since))
    return found


@kpi("unallocated_children_count", "Children open to social care without an allocated social worker", kind=COUNT,
     unit="children", polarity=LOWER, source="Local: open cases (CIN episode open, on a CP plan or looked after) "
     "with no social worker allocated", group=WORKFORCE)
def unallocated_children_count(scope: Scope):
    """Children of the scope's authorities open to children's social care at the end of the
    as-at date (``open_cases``: a child in need episode referred on or before it and not closed
    by it, a current child protection plan, or looked after); counted when no social worker is
    allocated to them then (no current ``Allocation`` of role social worker naming a worker, as
    ``caseload_per_worker``; an allocation to a team only does not count). Every open child is
    listed; the allocated ones are not counted."""
    from haven.people.models import Allocation

    open_since = {pid: {f"{how} since": since for how, since in hows.items()}
                  for pid, hows in open_cases(scope).items()}
    if not open_since:
        return
    current = (Allocation.objects.current(scope.as_of).filter(role=Allocation.Role.SOCIAL_WORKER,
                                                              person_id__in=sorted(open_since)))
    workers, teams = defaultdict(set), defaultdict(set)
    for pid, first, last, username, team in current.values_list("person_id", "worker__first_name", "worker__last_name",
                                                                 "worker__username", "team__name"):
        if username:
            workers[pid].add(_name(first, last, username))
        else:
            teams[pid].add(team)
    for pid in sorted(open_since):
        why = dict(open_since[pid])
        if workers[pid]:
            why["social worker"] = ", ".join(sorted(workers[pid]))
        else:
            why["social worker"] = "none allocated"
            if teams[pid]:
                why["allocated to team"] = ", ".join(sorted(teams[pid]))
        yield Row(pid, counted=not workers[pid], why=why)
