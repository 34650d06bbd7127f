"""Child protection and child in need KPIs on hand-built data, in an authority of their own (so the
expected values are exact), with the arithmetic worked by hand in each test.

The year is 1 April 2025 to 31 March 2026. Bank holidays in it that the working-day clocks skip:
Good Friday 18 April and Easter Monday 21 April 2025, 5 and 26 May, 25 August, 25 and 26 December
2025, 1 January 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.core.calendar import add_working_days
from haven.kpis.catalogue import CATALOGUE, COUNT, PER_10K, PERCENT, Scope, compute, load
from haven.work.testing import (
    at,
    make_conference,
    make_episode,
    make_plan,
    make_plan_review,
    make_s47,
    make_strategy,
    make_visit,
)

pytestmark = pytest.mark.django_db

D = dt.date
AS_OF = D(2026, 3, 31)


@pytest.fixture
def la(world):
    from haven.accounts.models import LocalAuthority

    return LocalAuthority.objects.create(name="Testshire", ons_code="E99999999", lea_code="999",
                                         child_id_prefix="TST")


@pytest.fixture
def scope(la):
    return Scope.year_to([la], AS_OF)


def kid(la, name: str):
    from haven.core.testing import make_person

    return make_person(la, first=name, last="Kpi", born=D(2015, 1, 1))


def result(kpi_id: str, scope: Scope):
    load()
    return compute(CATALOGUE[kpi_id], scope)


def population(la, children: int):
    from haven.kpis.models import ChildPopulation

    ChildPopulation.objects.create(authority=la, year=2025, children=children)


def test_the_kpis_are_registered_with_their_kinds():
    load()
    kinds = {"s47_count": COUNT, "s47_per_10k": PER_10K, "s47_to_icpc_pct": PERCENT, "icpc_15wd_pct": PERCENT,
             "strategy_police_pct": PERCENT, "strategy_health_pct": PERCENT, "strategy_education_pct": PERCENT,
             "cp_count": COUNT, "cp_per_10k": PER_10K, "cp_starting_count": COUNT, "cp_2years_pct": PERCENT,
             "cp_second_pct": PERCENT, "cp_visits_on_time_pct": PERCENT, "cp_reviews_on_time_pct": PERCENT,
             "cin_plans_count": COUNT, "cin_reviews_on_time_pct": PERCENT}
    for kpi_id, kind in kinds.items():
        k = CATALOGUE[kpi_id]
        assert k.kind == kind and k.definition and k.source, kpi_id
    assert "the police" in CATALOGUE["strategy_police_pct"].definition


# -- section 47 enquiries and initial conferences ------------------------------------------------
def enquiry(la, name, strategy_day, *, start=None, outcome="", completed=None, icpc_on=None):
    child = kid(la, name)
    episode = make_episode(child, strategy_day)
    discussion = make_strategy([child], at(strategy_day))
    s47 = make_s47(discussion, child, episode, start=start or strategy_day, outcome=outcome, completed=completed)
    if icpc_on is not None:
        make_conference([child], icpc_on, s47=s47)
    return child, s47


@pytest.fixture
def enquiries(la):
    """Worked by hand (the year 1 April 2025 - 31 March 2026):

    - Amy: discussion and S47 on 31 March 2025 (before the year); ICPC decided 2 April 2025; the
      conference was due 15 working days after 31 March: 1-4 April (4), 7-11 (9), 14-17 (13),
      Good Friday and Easter Monday skipped, 22 (14), 23 April (15). Held on 23 April: on time.
    - Ben: discussion and S47 on 17 April 2025 (Maundy Thursday); ICPC decided 6 May; due 13 May
      (Good Friday, Easter Monday and 5 May skipped); held 14 May: a day late.
    - Cal: S47 started 1 April 2025 (the year's first day); not substantiated on 10 April.
    - Dee: S47 started on the as-at day, still open.
    - Eve: S47 started 1 April 2026 (the day after): not in the year.
    - Fin: S47 started 2 June 2025, no conference, concluded 1 April 2026 (after the year).
    - Gus: discussion 20 March 2026, conference 2 April 2026: held after the year.
    """
    return {
        "amy": enquiry(la, "Amy", D(2025, 3, 31), outcome="icpc", completed=D(2025, 4, 2), icpc_on=D(2025, 4, 23)),
        "ben": enquiry(la, "Ben", D(2025, 4, 17), outcome="icpc", completed=D(2025, 5, 6), icpc_on=D(2025, 5, 14)),
        "cal": enquiry(la, "Cal", D(2025, 4, 1), outcome="not_substantiated", completed=D(2025, 4, 10)),
        "dee": enquiry(la, "Dee", AS_OF),
        "eve": enquiry(la, "Eve", D(2026, 4, 1)),
        "fin": enquiry(la, "Fin", D(2025, 6, 2), outcome="substantiated_no_icpc", completed=D(2026, 4, 1)),
        "gus": enquiry(la, "Gus", D(2026, 3, 20), outcome="icpc", completed=D(2026, 3, 27), icpc_on=D(2026, 4, 2)),
    }


def test_s47_count_and_rate_count_the_enquiries_started_in_the_year(la, scope, enquiries):
    """Started in the year: Ben, Cal (first day), Dee (as-at day), Fin, Gus = 5 (not Amy, the day
    before; not Eve, the day after). Per 10,000 of 25,000 children: 10,000 * 5 / 25,000 = 2.0."""
    r = result("s47_count", scope)
    assert r.value == 5
    assert {row.person_id for row in r.rows} == {enquiries[k][0].pk for k in ("ben", "cal", "dee", "fin", "gus")}
    population(la, 25_000)
    r = result("s47_per_10k", scope)
    assert (r.numerator, r.denominator, r.value) == (5, 25_000, 2.0)


def test_s47_to_icpc_counts_the_enquiries_ended_in_the_year_that_decided_a_conference(scope, enquiries):
    """Ended in the year: Amy (ICPC, 2 April), Ben (ICPC), Cal (not substantiated), Gus (ICPC,
    27 March; its conference after the year) = 4; with a conference decided: Amy, Ben, Gus = 3.
    Dee is open, Fin ended after the year. 100 * 3 / 4 = 75%."""
    r = result("s47_to_icpc_pct", scope)
    assert (r.numerator, r.denominator, r.value) == (3, 4, 75.0)
    rows = {row.person_id: row for row in r.rows}
    assert rows[enquiries["amy"][0].pk].why["initial conference held"] == D(2025, 4, 23)
    assert rows[enquiries["gus"][0].pk].why["initial conference held"] is None
    assert not rows[enquiries["cal"][0].pk].counted


def test_icpc_within_15_working_days_over_the_easter_bank_holidays(scope, enquiries):
    """Conferences held in the year: Amy (23 April, due 23 April: on time, over Good Friday and
    Easter Monday) and Ben (14 May, due 13 May: late). Gus's was held after the year.
    100 * 1 / 2 = 50%."""
    assert add_working_days(D(2025, 3, 31), 15) == D(2025, 4, 23)
    assert add_working_days(D(2025, 4, 17), 15) == D(2025, 5, 13)
    r = result("icpc_15wd_pct", scope)
    assert (r.numerator, r.denominator, r.value) == (1, 2, 50.0)
    rows = {row.person_id: row for row in r.rows}
    amy = rows[enquiries["amy"][0].pk]
    assert amy.counted and amy.why["conference due by"] == amy.why["conference held"] == D(2025, 4, 23)
    assert amy.why["strategy discussion"] == D(2025, 3, 31)
    ben = rows[enquiries["ben"][0].pk]
    assert not ben.counted and ben.why["conference due by"] == D(2025, 5, 13)


# -- strategy discussions ------------------------------------------------------------------------
def test_strategy_discussions_with_each_agency(la, scope):
    """Discussions held in the year (London time):

    - S1 at 00:30 on 1 April 2025 (23:30 UTC the day before) about Xan and Yas: police attended,
      health invited but absent, children's social care attended;
    - S2 at 23:30 on 31 March 2026, the as-at day: health and education;
    - S3 at 10:00 on 1 September 2025: police and health.
    Not in the year: 23:30 on 31 March 2025 and 00:15 on 1 April 2026 (police at both).

    Police at S1 and S3: 2 of 3 = 66.7%; health at S2 and S3 (S1's did not attend): 2 of 3;
    education at S2 only: 1 of 3 = 33.3%."""
    from haven.protection.models import StrategyAttendee

    def discussion(children, when, *agencies, absent=()):
        d = make_strategy(children, when)
        for agency in agencies:
            StrategyAttendee.objects.create(discussion=d, name=f"Someone ({agency})", agency=agency)
        for agency in absent:
            StrategyAttendee.objects.create(discussion=d, name=f"Invited ({agency})", agency=agency, attended=False)
        return d

    xan, yas, zed, ola, pip = (kid(la, n) for n in ("Xan", "Yas", "Zed", "Ola", "Pip"))
    discussion([xan, yas], at(D(2025, 4, 1), 0, 30), "police", "csc", absent=["health"])
    discussion([zed], at(AS_OF, 23, 30), "health", "education")
    discussion([ola], at(D(2025, 9, 1)), "police", "health")
    discussion([pip], at(D(2025, 3, 31), 23, 30), "police")
    discussion([pip], at(D(2026, 4, 1), 0, 15), "police")

    police = result("strategy_police_pct", scope)
    assert (police.numerator, police.denominator) == (2, 3) and round(police.value, 1) == 66.7
    health = result("strategy_health_pct", scope)
    assert (health.numerator, health.denominator) == (2, 3)
    education = result("strategy_education_pct", scope)
    assert (education.numerator, education.denominator) == (1, 3) and round(education.value, 1) == 33.3
    rows = {row.person_id: row for row in health.rows}
    assert set(rows) == {xan.pk, zed.pk, ola.pk}   # one row per discussion, the first child
    s1 = rows[xan.pk]
    assert not s1.counted and s1.why["held"] == D(2025, 4, 1)
    assert s1.why["agencies present"] == "Police, Children's social care"
    assert s1.why["agencies absent"] == "Health, Education"


# -- child protection plans -----------------------------------------------------------------------
def cp(la, child, start, end=None, *, authority=None):
    from haven.plans.models import Plan

    authority = authority or la
    episode = make_episode(child, start - dt.timedelta(days=30), authority=authority)
    return Plan.objects.create(person=child, episode=episode, kind="cp", start_date=start, end_date=end,
                               end_reason="no_longer_at_risk" if end else "", authority=authority)


@pytest.fixture
def plans(la, world):
    """Child protection plans (the year 1 April 2025 - 31 March 2026):

    - Kit: 10 January 2025, open.
    - Lou: 1 March 2024 to 31 March 2026 (ended on the as-at day; lasted 2 years and 30 days).
    - Mo: starts on the as-at day. Ned: starts 1 April 2026 (the day after).
    - Ona: 1 January to 1 December 2023, then again from 1 June 2025, open.
    - Pat: a plan in Westminster 1 May 2020 to 1 May 2021; here 1 April 2025 to 1 October 2025.
    - Quin: 15 June 2023 to 15 June 2025: exactly two years.
    - Rae: 16 June 2023 to 15 June 2025: a day short of two years.
    - Sol: 29 February 2024 to 28 February 2026: two years on 1 March 2026, a day short.
    """
    names = ("kit", "lou", "mo", "ned", "ona", "pat", "quin", "rae", "sol")
    k = {n: kid(la, n.title()) for n in names}
    cp(la, k["kit"], D(2025, 1, 10))
    cp(la, k["lou"], D(2024, 3, 1), AS_OF)
    cp(la, k["mo"], AS_OF)
    cp(la, k["ned"], D(2026, 4, 1))
    cp(la, k["ona"], D(2023, 1, 1), D(2023, 12, 1))
    cp(la, k["ona"], D(2025, 6, 1))
    cp(la, k["pat"], D(2020, 5, 1), D(2021, 5, 1), authority=world.westminster)
    cp(la, k["pat"], D(2025, 4, 1), D(2025, 10, 1))
    cp(la, k["quin"], D(2023, 6, 15), D(2025, 6, 15))
    cp(la, k["rae"], D(2023, 6, 16), D(2025, 6, 15))
    cp(la, k["sol"], D(2024, 2, 29), D(2026, 2, 28))
    return k


def test_cp_count_and_rate_count_children_on_a_plan_at_the_as_at_date(la, scope, plans):
    """On a plan at the end of 31 March 2026: Kit, Mo (started that day), Ona (her second plan) = 3.
    Not Lou (ended that day), Ned (starts the day after), the ended plans. Per 10,000 of 15,000
    children: 10,000 * 3 / 15,000 = 2.0."""
    r = result("cp_count", scope)
    assert r.value == 3
    assert {row.person_id for row in r.rows} == {plans["kit"].pk, plans["mo"].pk, plans["ona"].pk}
    population(la, 15_000)
    r = result("cp_per_10k", scope)
    assert (r.numerator, r.denominator, r.value) == (3, 15_000, 2.0)


def test_cp_plans_starting_and_second_or_subsequent(scope, plans):
    """Starting in the year: Pat (1 April 2025, the first day), Ona (1 June 2025), Mo (31 March
    2026) = 3. A second or subsequent plan: Ona (her 2023 plan) and Pat (his 2020 plan in another
    authority) = 2 of 3 = 66.7%; Mo's is her first."""
    assert result("cp_starting_count", scope).value == 3
    r = result("cp_second_pct", scope)
    assert (r.numerator, r.denominator) == (2, 3) and round(r.value, 1) == 66.7
    rows = {row.person_id: row for row in r.rows}
    assert rows[plans["pat"].pk].counted and rows[plans["pat"].pk].why["previous plans"] == 1
    assert rows[plans["ona"].pk].why["latest previous plan started"] == D(2023, 1, 1)
    assert not rows[plans["mo"].pk].counted and rows[plans["mo"].pk].why["previous plans"] == 0


def test_cp_plans_lasting_two_years_or_more_including_exactly_two_years(scope, plans):
    """Ending in the year: Lou (31 March 2026, over two years), Pat (six months), Quin (exactly
    two years: 15 June 2023 to 15 June 2025), Rae (a day short), Sol (29 February 2024 to
    28 February 2026: two years are reached on 1 March 2026, so a day short) = 5. Two years or
    more (DfE: "two years or more"): Lou and Quin = 2 of 5 = 40%."""
    r = result("cp_2years_pct", scope)
    assert (r.numerator, r.denominator, r.value) == (2, 5, 40.0)
    rows = {row.person_id: row for row in r.rows}
    assert rows[plans["quin"].pk].counted and rows[plans["quin"].pk].why["two years on"] == D(2025, 6, 15)
    assert rows[plans["quin"].pk].measure == 731   # 2024 is a leap year
    assert not rows[plans["rae"].pk].counted
    sol = rows[plans["sol"].pk]
    assert not sol.counted and sol.why["two years on"] == D(2026, 3, 1)
    assert rows[plans["lou"].pk].counted


def test_cp_visits_on_time_over_christmas_bank_holidays(la, scope):
    """cp_visit_10wd deadlines due in the year:

    - Vic's plan starts Monday 15 December 2025. 10 working days, skipping Christmas Day and
      Boxing Day: 16-19 (4), 22-24 (7), 29-31 December (10): due 31 December. Seen on 31
      December: on time (without the bank holidays it would have been due on 29 December).
      Next: 2 January (1; New Year's Day skipped), 5-9 (6), 12-15 January (10): due 15 January;
      seen on 16 January: late. Next due 30 January; the plan ended that day, so the clock
      stopped before it fell due: not in the cohort.
    - Wes's plan starts 16 March 2026; due 30 March; no visit: late.
    - Xia's plan starts 17 March 2025; due 31 March 2025 (before the year), seen that day; next
      due 14 April 2025; the plan ended 20 April, the visit never made: late (the clock stopped
      after it fell due).
    - Yan's plan starts 20 March 2026: due after the year.
    In the year: Vic 1 (on time), Vic 2, Wes, Xia 2 (late) = 1 of 4 = 25%."""
    vic, wes, xia, yan = (kid(la, n) for n in ("Vic", "Wes", "Xia", "Yan"))
    assert add_working_days(D(2025, 12, 15), 10) == D(2025, 12, 31)
    assert add_working_days(D(2025, 12, 31), 10) == D(2026, 1, 15)
    assert add_working_days(D(2026, 1, 16), 10) == D(2026, 1, 30)
    assert add_working_days(D(2025, 3, 31), 10) == D(2025, 4, 14)
    cp(la, vic, D(2025, 12, 15), D(2026, 1, 30))
    make_visit([vic], at(D(2025, 12, 31)))
    make_visit([vic], at(D(2026, 1, 16)))
    cp(la, wes, D(2026, 3, 16))
    cp(la, xia, D(2025, 3, 17), D(2025, 4, 20))
    make_visit([xia], at(D(2025, 3, 31)))
    cp(la, yan, D(2026, 3, 20))

    r = result("cp_visits_on_time_pct", scope)
    assert (r.numerator, r.denominator, r.value) == (1, 4, 25.0)
    rows = sorted(((row.person_id, row.why["due"], row.counted) for row in r.rows), key=lambda t: t[1])
    assert rows == [(xia.pk, D(2025, 4, 14), False), (vic.pk, D(2025, 12, 31), True),
                    (vic.pk, D(2026, 1, 15), False), (wes.pk, D(2026, 3, 30), False)]


def test_cp_review_conferences_on_time(la, scope):
    """cp_review_conference deadlines due in the year:

    - Ria's plan starts 10 June 2025: first review due 3 months on, 10 September 2025; held then:
      on time. Next due 6 months after it, 10 March 2026; held 11 March: late. Next due
      11 September 2026: after the year.
    - Sam's plan starts 30 November 2025: due 28 February 2026 (no 30 February); none held: late.
    1 of 3 = 33.3%."""
    ria, sam = kid(la, "Ria"), kid(la, "Sam")
    plan = cp(la, ria, D(2025, 6, 10))
    make_conference([(ria, None, plan)], D(2025, 9, 10), kind="review")
    make_conference([(ria, None, plan)], D(2026, 3, 11), kind="review")
    cp(la, sam, D(2025, 11, 30))
    r = result("cp_reviews_on_time_pct", scope)
    assert (r.numerator, r.denominator) == (1, 3) and round(r.value, 1) == 33.3
    dues = sorted((row.why["due"], row.counted) for row in r.rows)
    assert dues == [(D(2025, 9, 10), True), (D(2026, 2, 28), False), (D(2026, 3, 10), False)]


# -- child in need plans --------------------------------------------------------------------------
def test_cin_plans_count_and_reviews_on_time(la, scope):
    """CIN plans:

    - Ann: 31 May 2025 to 15 February 2026. First review due 31 August 2025 (a Sunday: a months
      clock), reviewed 29 August: on time. Next due 29 November, reviewed 1 December: late. Next
      due 1 March 2026, after the plan ended: no deadline.
    - Bo: from 31 December 2025, open: review due 31 March 2026 (the as-at day), none: late.
    - Cy: from 1 April 2026 (the day after). Di: 1 October 2025 to 31 March 2026 (ended on the
      as-at day); reviewed 1 January 2026: on time (due 1 January).
    - Ed: a CP plan only.
    On a CIN plan at the as-at date: Bo = 1.
    Reviews due in the year: Ann 1 (on time), Ann 2 (late), Bo (late), Di (on time) = 2 of 4
    = 50%. If Di's review deadline were exempt it would leave the cohort: 1 of 3."""
    from haven.work.models import Deadline

    ann, bo, cy, di, ed = (kid(la, n) for n in ("Ann", "Bo", "Cy", "Di", "Ed"))
    plan = make_plan(ann, make_episode(ann, D(2025, 5, 1)), D(2025, 5, 31), kind="cin", end=D(2026, 2, 15))
    make_plan_review(plan, D(2025, 8, 29))
    make_plan_review(plan, D(2025, 12, 1))
    make_plan(bo, make_episode(bo, D(2025, 12, 1)), D(2025, 12, 31), kind="cin")
    make_plan(cy, make_episode(cy, D(2026, 3, 1)), D(2026, 4, 1), kind="cin")
    plan = make_plan(di, make_episode(di, D(2025, 9, 1)), D(2025, 10, 1), kind="cin", end=AS_OF)
    make_plan_review(plan, D(2026, 1, 1))
    cp(la, ed, D(2025, 7, 1))

    r = result("cin_plans_count", scope)
    assert r.value == 1 and [row.person_id for row in r.rows] == [bo.pk]
    r = result("cin_reviews_on_time_pct", scope)
    assert (r.numerator, r.denominator, r.value) == (2, 4, 50.0)
    dues = sorted((row.why["due"], row.counted) for row in r.rows)
    assert dues == [(D(2025, 8, 31), True), (D(2025, 11, 29), False), (D(2026, 1, 1), True), (D(2026, 3, 31), False)]

    # No rule read here is exemptible today; the cohort leaves an exempt deadline out all the same.
    Deadline.objects.filter(rule="cin_review_3m", person=di).update(exempt=True)
    r = result("cin_reviews_on_time_pct", scope)
    assert (r.numerator, r.denominator) == (1, 3)


def test_another_authoritys_records_are_not_counted(la, world, scope, plans, enquiries):
    """The same KPIs for Westminster do not include Testshire's children (Pat's Westminster plan
    ended in 2021, so it is in none of Westminster's figures either)."""
    load()
    wcc = Scope.year_to([world.westminster], AS_OF)
    ours = {k.id: {row.person_id for row in compute(k, scope).rows} for k in (
        CATALOGUE["cp_count"], CATALOGUE["s47_count"], CATALOGUE["cp_2years_pct"])}
    for kpi_id, people in ours.items():
        assert people
        assert not people & {row.person_id for row in result(kpi_id, wcc).rows}
