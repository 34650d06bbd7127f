"""KPIs of children looked after, each on a small hand-built dataset in an authority of its own
(so every figure is exact), with the arithmetic worked in the test. The as-at date is 31 March
2026 and the period the year from 1 April 2025. All people are made up."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from haven.kpis.catalogue import CATALOGUE, Scope, compute, load

pytestmark = pytest.mark.django_db

D = dt.date
AS_OF = D(2026, 3, 31)
_numbers = itertools.count(1)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware London time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def la():
    from haven.accounts.models import LocalAuthority

    n = next(_numbers)
    return LocalAuthority.objects.create(name=f"Testshire {n}", ons_code=f"E0699{n:04d}", lea_code=f"9{n:02d}",
                                         child_id_prefix=f"TS{n}")


def result(kpi_id: str, la):
    load()
    return compute(CATALOGUE[kpi_id], Scope.year_to([la], AS_OF))


def child(la, name: str, born: dt.date = D(2012, 6, 1)):
    from haven.core.testing import make_person

    return make_person(la, first=name, last="Kpi", born=born)


def in_care(person, start: dt.date, placements, *, end: dt.date | None = None, legal_status: str = "C2",
            end_reason: str = ""):
    """A period of care with these placements [(place, start, end)], one episode each (the last
    one with ``legal_status``), contiguous as the services keep them."""
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=person, start_date=start, end_date=end, end_reason=end_reason,
                                         home_postcode="ZZ1 1AA")
    for i, (place, began, ended) in enumerate(placements):
        last = i == len(placements) - 1
        pl = Placement.objects.create(period=period, person=person, start_date=began, end_date=ended, place=place,
                                      provider_code="PR1")
        Episode.objects.create(period=period, person=person, placement=pl, start_date=began,
                               reason_new="S" if i == 0 else "P", legal_status=legal_status if last else "C2",
                               category_of_need="N1", end_date=ended,
                               end_reason=(end_reason if last else "X1") if ended else "")
    return period


def rows_by_person(res) -> dict[int, object]:
    return {r.person_id: r for r in res.rows}


# --- starting and ceasing ----------------------------------------------------------------------

def test_children_starting_and_ceasing_are_counted_once_each(la):
    """Year 1 April 2025 - 31 March 2026.
    a: started 1 April 2025 (the first day)                          -> starts
    b: started 31 March 2025 (the day before), ceased 1 April 2025   -> ceases
    c: started 1 June 2025, ceased 1 July; again 1 Sept - 31 March 2026 -> starts once (first,
       1 June, 2 periods), ceases once (last, 31 March, on the as-at date)
    d: starts 1 April 2026 (after)                                   -> neither
    e: ceased 31 March 2025 (before)                                 -> neither
    Starting: a, c = 2. Ceasing: b, c = 2."""
    a, b, c, d, e = (child(la, n) for n in "abcde")
    in_care(a, D(2025, 4, 1), [("U6", D(2025, 4, 1), None)])
    in_care(b, D(2025, 3, 31), [("U6", D(2025, 3, 31), D(2025, 4, 1))], end=D(2025, 4, 1), end_reason="E13")
    in_care(c, D(2025, 6, 1), [("U6", D(2025, 6, 1), D(2025, 7, 1))], end=D(2025, 7, 1), end_reason="E4A")
    in_care(c, D(2025, 9, 1), [("K2", D(2025, 9, 1), AS_OF)], end=AS_OF, end_reason="E13")
    in_care(d, D(2026, 4, 1), [("U6", D(2026, 4, 1), None)])
    in_care(e, D(2024, 1, 1), [("U6", D(2024, 1, 1), D(2025, 3, 31))], end=D(2025, 3, 31), end_reason="E13")

    starting = result("cla_starting_count", la)
    assert starting.value == 2 and set(rows_by_person(starting)) == {a.pk, c.pk}
    assert rows_by_person(starting)[c.pk].why["started"] == D(2025, 6, 1)
    assert rows_by_person(starting)[c.pk].why["periods started in the period"] == 2

    ceasing = result("cla_ceasing_count", la)
    assert ceasing.value == 2 and set(rows_by_person(ceasing)) == {b.pk, c.pk}
    assert rows_by_person(ceasing)[c.pk].why["ceased"] == AS_OF
    assert rows_by_person(ceasing)[c.pk].why["reason"] == "E13"
    # c ceased on the as-at date: not looked after at its end (cla_count), a is
    assert {r.person_id for r in result("cla_count", la).rows} == {a.pk}


# --- 3 or more placements ----------------------------------------------------------------------

def test_three_or_more_placements_in_the_year_reuses_the_glance_panels_count(la):
    """The 12 months to 31 March 2026 begin 365 days before: 31 March 2025 (as
    ``placements_in_last_year``). Everyone came into care on 1 January 2025.
    p1: U6 to 1 June 2025, K2 to 1 Sept, U4 open                       -> 3: counted
    p2: U6 to 1 June, T1 (hospital, temporary) to 10 June, U6 open     -> 2 (T1 not counted)
    p3: U6 ended 31 March 2025 (the first day of the window), K2, U4   -> 3: counted
    p4: U6 ended 30 March 2025 (the day before), K2, U4                -> 2
    p5: 3 placements, now on short breaks (V3)                         -> not in the cohort
    p6: 3 placements, left care on the as-at date                      -> not in the cohort
    Cohort p1-p4 = 4; counted p1, p3 = 2; 2 / 4 = 50%."""
    from haven.looked_after.queries import placements_in_last_year

    start = D(2025, 1, 1)
    p1, p2, p3, p4, p5, p6 = (child(la, f"p{i}") for i in range(1, 7))
    in_care(p1, start, [("U6", start, D(2025, 6, 1)), ("K2", D(2025, 6, 1), D(2025, 9, 1)), ("U4", D(2025, 9, 1), None)])
    in_care(p2, start, [("U6", start, D(2025, 6, 1)), ("T1", D(2025, 6, 1), D(2025, 6, 10)),
                        ("U6", D(2025, 6, 10), None)])
    in_care(p3, start, [("U6", start, D(2025, 3, 31)), ("K2", D(2025, 3, 31), D(2025, 9, 1)), ("U4", D(2025, 9, 1), None)])
    in_care(p4, start, [("U6", start, D(2025, 3, 30)), ("K2", D(2025, 3, 30), D(2025, 9, 1)), ("U4", D(2025, 9, 1), None)])
    in_care(p5, start, [("U6", start, D(2025, 6, 1)), ("K2", D(2025, 6, 1), D(2025, 9, 1)), ("U4", D(2025, 9, 1), None)],
            legal_status="V3")
    in_care(p6, start, [("U6", start, D(2025, 6, 1)), ("K2", D(2025, 6, 1), D(2025, 9, 1)), ("U4", D(2025, 9, 1), AS_OF)],
            end=AS_OF, end_reason="E13")

    res = result("cla_3plus_placements_pct", la)
    rows = rows_by_person(res)
    assert set(rows) == {p1.pk, p2.pk, p3.pk, p4.pk}
    assert {pk for pk, r in rows.items() if r.counted} == {p1.pk, p3.pk}
    assert (res.numerator, res.denominator, res.value) == (2, 4, 50.0)
    # the same number of placements as the child's glance panel shows
    for person in (p1, p2, p3, p4):
        assert rows[person.pk].measure == placements_in_last_year(person, on=AS_OF)
    assert rows[p2.pk].why["placements in the 12 months"] == 2


# --- long-term stability -----------------------------------------------------------------------

def test_long_term_stability_under_16_in_care_two_and_a_half_years(la):
    """31 March 2026: looked after since 30 September 2023 or before (2.5 years), placed since
    31 March 2024 or before (2 years), under 16 that day.
    s1: in care 1 Jan 2023, placement since 31 March 2024 (exactly 2 years)   -> counted
    s2: in care 1 Jan 2023, placement since 1 April 2024 (a day short)         -> not
    s3: in care and placed since 30 Sept 2023 (exactly 2.5 years)              -> counted
    s4: in care since 1 Oct 2023 (a day short of 2.5 years)                    -> not in the cohort
    s5: turned 16 during the year (15 Oct 2025), stable since 2023             -> not in the cohort
    s6: turns 16 the day after the as-at date (born 1 April 2010), stable      -> counted
    s7: turns 16 on the as-at date (born 31 March 2010), stable                -> not in the cohort
    s8: placed for adoption (A4) on 1 Oct 2025, in foster care (U6) with the same family since
        1 Jan 2023: the adoptive and previous placement together, 3+ years    -> counted
    s9: placed for adoption (A6) on 1 Oct 2025 after a U6 from 1 June 2024      -> not
    Cohort s1, s2, s3, s6, s8, s9 = 6; counted s1, s3, s6, s8 = 4; 4 / 6 = 66.7%."""
    y = D(2023, 1, 1)
    s = {i: child(la, f"s{i}") for i in (1, 2, 3, 4, 8, 9)}
    s[5] = child(la, "s5", born=D(2009, 10, 15))
    s[6] = child(la, "s6", born=D(2010, 4, 1))
    s[7] = child(la, "s7", born=D(2010, 3, 31))
    in_care(s[1], y, [("K2", y, D(2024, 3, 31)), ("U4", D(2024, 3, 31), None)])
    in_care(s[2], y, [("K2", y, D(2024, 4, 1)), ("U4", D(2024, 4, 1), None)])
    in_care(s[3], D(2023, 9, 30), [("U4", D(2023, 9, 30), None)])
    in_care(s[4], D(2023, 10, 1), [("U4", D(2023, 10, 1), None)])
    for i in (5, 6, 7):
        in_care(s[i], y, [("U4", y, None)])
    in_care(s[8], y, [("U6", y, D(2025, 10, 1)), ("A4", D(2025, 10, 1), None)], legal_status="E1")
    in_care(s[9], y, [("K2", y, D(2024, 6, 1)), ("U6", D(2024, 6, 1), D(2025, 10, 1)), ("A6", D(2025, 10, 1), None)],
            legal_status="E1")

    res = result("cla_long_term_stability_pct", la)
    rows = rows_by_person(res)
    assert set(rows) == {s[i].pk for i in (1, 2, 3, 6, 8, 9)}
    assert {pk for pk, r in rows.items() if r.counted} == {s[i].pk for i in (1, 3, 6, 8)}
    assert (res.numerator, res.denominator) == (4, 6) and round(res.value, 1) == 66.7
    assert rows[s[6].pk].why["age"] == 15
    assert rows[s[8].pk].why["previous placement since"] == y


# --- reviews, visits and PEPs: the rules engine's deadlines -------------------------------------

def deadline(person, rule, due, *, met=None, exempt=False, stopped=None, sequence=1):
    from haven.work.models import Deadline

    return Deadline.objects.create(rule=rule, content_type=ContentType.objects.get_for_model(type(person)),
                                   object_id=person.pk, person=person, authority=person.authority, sequence=sequence,
                                   starts_at=due - dt.timedelta(days=30), due_at=due, met_at=met, exempt=exempt,
                                   stopped_at=stopped)


@pytest.mark.parametrize("kpi_id,rule", [("cla_reviews_on_time_pct", "cla_review"),
                                         ("cla_visits_on_time_pct", "cla_visit"),
                                         ("cla_pep_pct", "cla_pep"),
                                         ("cla_care_plans_on_time_pct", "cla_care_plan"),
                                         ("cla_health_assessments_on_time_pct", "cla_health_assessment"),
                                         # the same reading of the engine's deadlines, in other groups
                                         ("core_groups_on_time_pct", "core_group_10wd"),
                                         ("cp_visits_on_time_pct", "cp_visit_10wd"),
                                         ("cin_reviews_on_time_pct", "cin_review_3m"),
                                         ("referral_decisions_1wd_pct", "referral_decision_1wd"),
                                         ("leavers_pathway_reviews_on_time_pct", "leaver_pathway_review")])
def test_timeliness_reads_the_deadlines_due_in_the_period(la, kpi_id, rule):
    """Deadlines of the rule (hand-made: these children have no period of care, so the engine
    adds none of its own):
    d1 due 1 April 2025 10:00, met 09:00                       -> on time
    d2 due 1 June 10:00, met at exactly 10:00                   -> on time
    d3 due 1 July, met the next day                             -> late
    d4 due 1 Aug, never met                                     -> late
    d5 due 1 Sept, exempt                                       -> not in the cohort
    d6 due 1 Oct, clock stopped 15 Sept (before it fell due)    -> not in the cohort
    d7 due 1 Nov, clock stopped 5 Nov, never met                -> missed
    d8 due 31 March 2025 23:00, d9 due 1 April 2026 00:30       -> outside the period
    d10 the same dates, another rule                            -> not this KPI
    Cohort d1, d2, d3, d4, d7 = 5; on time d1, d2 = 2; 2 / 5 = 40%."""
    a, b = child(la, "dl-a"), child(la, "dl-b")
    deadline(a, rule, at(D(2025, 4, 1)), met=at(D(2025, 4, 1), 9))
    deadline(a, rule, at(D(2025, 6, 1)), met=at(D(2025, 6, 1)), sequence=2)
    deadline(b, rule, at(D(2025, 7, 1)), met=at(D(2025, 7, 2)))
    deadline(b, rule, at(D(2025, 8, 1)), sequence=2)
    deadline(b, rule, at(D(2025, 9, 1)), exempt=True, sequence=3)
    deadline(b, rule, at(D(2025, 10, 1)), stopped=at(D(2025, 9, 15)), sequence=4)
    deadline(a, rule, at(D(2025, 11, 1)), stopped=at(D(2025, 11, 5)), sequence=3)
    deadline(a, rule, at(D(2025, 3, 31), 23), met=at(D(2025, 3, 31), 22), sequence=4)
    deadline(a, rule, at(D(2026, 4, 1), 0, 30), met=at(D(2026, 3, 30)), sequence=5)
    deadline(a, "cla_dental_check" if rule != "cla_dental_check" else "cla_visit", at(D(2025, 6, 1)),
             met=at(D(2025, 6, 1)))

    res = result(kpi_id, la)
    assert (res.numerator, res.denominator, res.value) == (2, 5, 40.0)
    assert sorted(r.why["due"] for r in res.rows) == [D(2025, 4, 1), D(2025, 6, 1), D(2025, 7, 1), D(2025, 8, 1),
                                                      D(2025, 11, 1)]
    missed = next(r for r in res.rows if r.why["due"] == D(2025, 11, 1))
    assert not missed.counted and missed.why["clock stopped"] == D(2025, 11, 5) and missed.why["on time"] == "not met"


def test_proceedings_are_counted_in_the_period_they_were_decided(la):
    """``proceedings_26w_pct`` reads the deadlines met in the period (proceedings concluded):
    p1 due 1 Aug 2025, concluded 1 July (on time); p2 due 1 May 2025, concluded 2 May (late);
    p3 due 1 June 2025 after an extension, concluded on it (on time); p4 due 1 Feb 2026, still
    running (not in the cohort); p5 concluded 31 March 2025 (the year before). 2 of 3."""
    kids = [child(la, f"pr{i}") for i in range(1, 6)]
    deadline(kids[0], "proceedings_26w", at(D(2025, 8, 1), 23, 59), met=at(D(2025, 7, 1)))
    deadline(kids[1], "proceedings_26w", at(D(2025, 5, 1), 23, 59), met=at(D(2025, 5, 2)))
    deadline(kids[2], "proceedings_26w", at(D(2025, 6, 1), 23, 59), met=at(D(2025, 6, 1), 16))
    deadline(kids[3], "proceedings_26w", at(D(2026, 2, 1), 23, 59))
    deadline(kids[4], "proceedings_26w", at(D(2025, 4, 1), 23, 59), met=at(D(2025, 3, 31)))

    res = result("proceedings_26w_pct", la)
    assert (res.numerator, res.denominator) == (2, 3)
    assert {r.person_id for r in res.rows if r.counted} == {kids[0].pk, kids[2].pk}


def test_a_review_deadline_derived_from_the_records_counts(la):
    """Through the engine: a child comes into care on Thursday 1 May 2025; the first review is due
    20 working days later, over two bank holidays (early May, 5 May, and spring, 26 May, are not
    working days): Monday 2 June 2025. It is held on 30 May: on time. The second (3 months after
    that review, 30 August) is not held: late. The third is not due until after the period.
    1 of 2 = 50%."""
    from haven.care_planning.models import LACReview
    from haven.core.calendar import add_working_days
    from haven.work.models import Deadline

    assert add_working_days(D(2025, 5, 1), 20) == D(2025, 6, 2)
    kid = child(la, "rv")
    period = in_care(kid, D(2025, 5, 1), [("U6", D(2025, 5, 1), None)])
    LACReview.objects.create(person=kid, period=period, held_on=D(2025, 5, 30), participation="PN1",
                             decisions="The plan stands")
    dues = list(Deadline.objects.filter(person=kid, rule="cla_review").order_by("sequence"))
    assert [timezone.localtime(d.due_at).date() for d in dues][:2] == [D(2025, 6, 2), D(2025, 8, 30)]

    res = result("cla_reviews_on_time_pct", la)
    assert (res.numerator, res.denominator) == (1, 2)
    assert [r.counted for r in sorted(res.rows, key=lambda r: r.why["due"])] == [True, False]


# --- health: SSDA903 OC2 -----------------------------------------------------------------------

def test_health_dental_and_immunisations_of_children_in_care_for_twelve_months(la):
    """OC2 cohort at 31 March 2026: looked after since 1 April 2025 or before, still looked after.
    h1: in care since 1 April 2025 (exactly 12 months): assessment 1 April 2025 (in), dental check
        31 March 2025 (before the year), immunisations up to date (January 2025)
    h2: in care since 2 April 2025: not in the cohort (has everything)
    h3: in care since 2020: assessment and dental check on 31 March 2026 (in); immunisations up to
        date in January 2025 but not in January 2026 (the latest counts)
    h4: in care since 2020, left on 31 March 2026: not in the cohort
    h5: in care since 2020: assessment on 1 April 2026 (after), dental check June 2025 (in),
        immunisations recorded only after the as-at date (no record)
    h6: in care since 2020, now on short breaks (V4): not in the cohort
    Cohort h1, h3, h5 = 3. Health: h1, h3 = 2/3. Dental: h3, h5 = 2/3. Immunisations: h1 = 1/3."""
    from haven.health.models import DentalCheck, HealthAssessment, Immunisations

    h = {i: child(la, f"h{i}") for i in range(1, 7)}
    old = D(2020, 1, 1)
    in_care(h[1], D(2025, 4, 1), [("U6", D(2025, 4, 1), None)])
    in_care(h[2], D(2025, 4, 2), [("U6", D(2025, 4, 2), None)])
    in_care(h[3], old, [("U4", old, None)])
    in_care(h[4], old, [("U4", old, AS_OF)], end=AS_OF, end_reason="E13")
    in_care(h[5], old, [("U4", old, None)])
    in_care(h[6], old, [("U4", old, None)], legal_status="V4")

    def assessed(i, day):
        HealthAssessment.objects.create(person=h[i], kind="review", completed_on=day, by_name="Dr Example",
                                        outcome="Well")

    for i, day in ((1, D(2025, 4, 1)), (2, D(2025, 6, 1)), (3, AS_OF), (4, D(2025, 6, 1)), (5, D(2026, 4, 1)),
                   (6, D(2025, 6, 1))):
        assessed(i, day)
    for i, day in ((1, D(2025, 3, 31)), (2, D(2025, 6, 1)), (3, AS_OF), (4, D(2025, 6, 1)), (5, D(2025, 6, 1)),
                   (6, D(2025, 6, 1))):
        DentalCheck.objects.create(person=h[i], checked_on=day)
    for i, day, ok in ((1, D(2025, 1, 1), True), (2, D(2025, 6, 1), True), (3, D(2025, 1, 1), True),
                       (3, D(2026, 1, 1), False), (4, D(2025, 6, 1), True), (5, D(2026, 4, 1), True),
                       (6, D(2025, 6, 1), True)):
        Immunisations.objects.create(person=h[i], recorded_on=day, up_to_date=ok)

    cohort = {h[i].pk for i in (1, 3, 5)}
    health = result("cla_health_assessments_pct", la)
    assert set(rows_by_person(health)) == cohort
    assert {r.person_id for r in health.rows if r.counted} == {h[1].pk, h[3].pk}
    assert (health.numerator, health.denominator) == (2, 3)
    dental = result("cla_dental_checks_pct", la)
    assert {r.person_id for r in dental.rows if r.counted} == {h[3].pk, h[5].pk} and dental.denominator == 3
    jabs = result("cla_immunisations_pct", la)
    assert {r.person_id for r in jabs.rows if r.counted} == {h[1].pk} and jabs.denominator == 3
    assert rows_by_person(jabs)[h[5].pk].why["up to date"] == "no record"


# --- missing -----------------------------------------------------------------------------------

def missing(person, started, ended=None, kind="M"):
    from haven.missing.models import MissingEpisode

    return MissingEpisode.objects.create(person=person, kind=kind, started_at=started, ended_at=ended)


def test_looked_after_children_missing_and_their_episodes(la):
    """Episodes that started in the year while the child was looked after (from care), "missing"
    (M) not "away" (A).
    m1 (looked after): missing 1 April 2025 00:30 and 1 May 2025 (in); away 1 June (not counted)
    m2 (looked after): missing 31 March 2025 23:30 (before); 31 March 2026 23:00 (in)
    m3 (not looked after): missing 1 July 2025: from home, not counted
    m4 (looked after): missing 1 April 2026 01:00 (after)
    Children m1, m2 = 2; episodes 2 + 1 = 3."""
    m1, m2, m3, m4 = (child(la, f"m{i}") for i in range(1, 5))
    for m in (m1, m2, m4):
        in_care(m, D(2025, 1, 1), [("K2", D(2025, 1, 1), None)])
    missing(m1, at(D(2025, 4, 1), 0, 30), at(D(2025, 4, 1), 8))
    missing(m1, at(D(2025, 5, 1), 20), at(D(2025, 5, 2), 8))
    missing(m1, at(D(2025, 6, 1), 20), at(D(2025, 6, 2), 8), kind="A")
    missing(m2, at(D(2025, 3, 31), 23, 30), at(D(2025, 4, 1), 8))
    missing(m2, at(AS_OF, 23), None)
    missing(m3, at(D(2025, 7, 1), 20), at(D(2025, 7, 2), 8))
    missing(m4, at(D(2026, 4, 1), 1), None)

    children = result("cla_missing_children_count", la)
    assert children.value == 2 and set(rows_by_person(children)) == {m1.pk, m2.pk}
    assert rows_by_person(children)[m1.pk].why["episodes"] == 2
    episodes = result("cla_missing_episodes_count", la)
    assert episodes.value == 3


def test_return_home_interviews_offered_within_72_hours_and_taken_up(la):
    """Episodes (from home or care) whose child returned in the year; the 72-hour clock is the
    engine's (rule missing_rhi_72h), met by an interview offered and not "not offered".
    r1 back 1 June 2025 10:00, offered 71 hours later, declined        -> in time; offered, not taken up
    r2 back 1 July, offered at exactly 72 hours, completed              -> in time; taken up
    r3 back 1 Aug, offered 73 hours later, accepted                     -> late; taken up
    r4 back 1 Sept, "not offered"                                       -> not in time; not offered
    r5 back 1 Oct, nothing recorded                                     -> not in time
    r6 back 31 March 2025 23:00 (before the year), accepted             -> in neither
    r7 back 31 March 2026 22:00, offered 1 April 09:00 (11 hours), accepted -> in time; taken up
    Offered within 72 hours: r1, r2, r7 of r1-r5, r7 = 3 / 6 = 50%.
    Taken up: r2, r3, r7 of those offered (r1, r2, r3, r7) = 3 / 4 = 75%."""
    from haven.missing.models import ReturnInterview

    kid = child(la, "runner")
    h72 = dt.timedelta(hours=72)
    specs = [(at(D(2025, 6, 1)), "declined", h72 - dt.timedelta(hours=1)),
             (at(D(2025, 7, 1)), "completed", h72),
             (at(D(2025, 8, 1)), "accepted", h72 + dt.timedelta(hours=1)),
             (at(D(2025, 9, 1)), "not_offered", None),
             (at(D(2025, 10, 1)), None, None),
             (at(D(2025, 3, 31), 23), "accepted", dt.timedelta(hours=10)),
             (at(AS_OF, 22), "accepted", dt.timedelta(hours=11))]
    episodes = []
    for back, outcome, after in specs:
        e = missing(kid, back - dt.timedelta(hours=5), back)
        episodes.append(e)
        if outcome:
            ReturnInterview.objects.create(episode=e, outcome=outcome, offered_at=back + after if after else None,
                                           not_offered_reason="Moved away" if after is None else "")

    offered = result("missing_rhi_offered_72h_pct", la)
    assert (offered.numerator, offered.denominator, offered.value) == (3, 6, 50.0)
    assert sorted(r.why["returned"] for r in offered.rows if r.counted) == [D(2025, 6, 1), D(2025, 7, 1), AS_OF]
    taken = result("missing_rhi_accepted_pct", la)
    assert (taken.numerator, taken.denominator, taken.value) == (3, 4, 75.0)
    assert not next(r for r in taken.rows if r.why["returned"] == D(2025, 6, 1)).counted


def test_every_kpi_here_has_a_definition_and_figures_for_an_empty_authority(la):
    load()
    ids = [k for k, v in CATALOGUE.items() if v.rows.__module__.endswith("definitions.looked_after")]
    assert len(ids) == 18
    for kpi_id in ids:
        assert CATALOGUE[kpi_id].definition
        res = result(kpi_id, la)
        assert res.rows == [] and res.value in (None, 0.0)
