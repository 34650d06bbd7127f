"""The care planning clocks end to end: records created through the ORM, the ``Deadline`` rows
the signals derive from them (``haven.work``) checked. Care plan within 10 working days (or
before the child came into care), reviews at 20 working days, 3 months then 6-monthly,
statutory visits per placement: 1 week, then 6-weekly; 3-monthly after a long-term placement's
first year; weekly while a connected person is temporarily approved."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.care_planning.models import CarePlan, LACReview
from haven.care_planning.testing import looked_after
from haven.core.timescales.rules import RULES
from haven.work.testing import at, deadlines, local_date, make_visit

D = dt.date


@pytest.fixture
def kid(world):
    from haven.core.testing import make_person

    return make_person(world.westminster, first="Kai", last="Clock", born=D(2012, 5, 5))


def summary(rows):
    return [(d.sequence, local_date(d.due_at), local_date(d.met_at), d.met_in_time) for d in rows]


def plan(period, agreed_on):
    return CarePlan.objects.create(person=period.person, period=period, agreed_on=agreed_on, summary="Plan",
                                   needs="Needs", permanence_aim="return_home")


def review(period, held_on):
    return LACReview.objects.create(person=period.person, period=period, held_on=held_on, participation="PN1",
                                    decisions="Decided")


def visit(kid, day, **kw):
    return make_visit([kid], at(day, 11), kind=kw.pop("kind", "cla_visit"), **kw)


def test_the_three_rules_are_registered_with_citations():
    for code, reg in (("cla_care_plan", "reg. 4"), ("cla_review", "reg. 33"), ("cla_visit", "reg. 28")):
        assert code in RULES and reg in RULES[code].citation


@pytest.mark.parametrize("code", ["cla_care_plan", "cla_review", "cla_visit"])
def test_every_model_the_rules_read_recomputes_deadlines(code, db):
    from haven.work.signals import _connected, watched_models
    from haven.work.sync import recompute

    for label in RULES[code].models() | watched_models(RULES[code]):
        assert label in _connected, f"{label} is read by {code} but its saves do not recompute deadlines"
    assert recompute(RULES[code]) == 0


# -- care plan -------------------------------------------------------------------------------
def test_care_plan_due_10_working_days_after_coming_into_care_and_met_in_time(world, kid):
    period, _ = looked_after(kid, D(2025, 6, 2))
    assert summary(deadlines(period, "cla_care_plan")) == [(1, D(2025, 6, 16), None, None)]
    plan(period, D(2025, 6, 16))
    assert summary(deadlines(period, "cla_care_plan")) == [(1, D(2025, 6, 16), D(2025, 6, 16), True)]


def test_care_plan_over_christmas_and_late(world, kid):
    period, _ = looked_after(kid, D(2025, 12, 15))
    assert summary(deadlines(period, "cla_care_plan")) == [(1, D(2025, 12, 31), None, None)]
    plan(period, D(2026, 1, 5))
    assert summary(deadlines(period, "cla_care_plan")) == [(1, D(2025, 12, 31), D(2026, 1, 5), False)]


def test_a_care_plan_agreed_before_the_child_came_into_care_counts(world, kid):
    period, _ = looked_after(kid, D(2025, 6, 2))
    plan(period, D(2025, 5, 20))   # a planned admission
    assert summary(deadlines(period, "cla_care_plan")) == [(1, D(2025, 6, 16), D(2025, 5, 20), True)]


def test_a_care_plan_more_than_3_months_before_does_not(world, kid):
    period, _ = looked_after(kid, D(2025, 6, 2))
    plan(period, D(2025, 2, 1))
    assert summary(deadlines(period, "cla_care_plan")) == [(1, D(2025, 6, 16), None, None)]


def test_the_care_plan_clock_stops_when_the_child_leaves_care(world, kid):
    period, _ = looked_after(kid, D(2025, 6, 2), end=D(2025, 6, 6))
    assert deadlines(period, "cla_care_plan") == []
    period2, _ = looked_after(kid, D(2025, 7, 1), end=D(2025, 8, 1))   # missed, then stopped
    [d] = deadlines(period2, "cla_care_plan")
    assert local_date(d.due_at) == D(2025, 7, 15) and local_date(d.stopped_at) == D(2025, 8, 1) and not d.is_open


# -- reviews ---------------------------------------------------------------------------------
def test_reviews_at_20_working_days_then_3_months_then_every_6_months(world, kid):
    period, _ = looked_after(kid, D(2025, 6, 2))
    assert summary(deadlines(period, "cla_review")) == [(1, D(2025, 6, 30), None, None)]
    review(period, D(2025, 6, 25))
    review(period, D(2025, 9, 20))
    review(period, D(2026, 3, 25))
    assert summary(deadlines(period, "cla_review")) == [
        (1, D(2025, 6, 30), D(2025, 6, 25), True),
        (2, D(2025, 9, 25), D(2025, 9, 20), True),      # 3 months after the first
        (3, D(2026, 3, 20), D(2026, 3, 25), False),     # 6 months after the second: late
        (4, D(2026, 9, 25), None, None),
    ]


def test_first_review_over_christmas(world, kid):
    period, _ = looked_after(kid, D(2025, 12, 15))
    assert summary(deadlines(period, "cla_review")) == [(1, D(2026, 1, 15), None, None)]


def test_a_review_of_another_period_does_not_count(world, kid):
    old, _ = looked_after(kid, D(2024, 1, 8), end=D(2024, 3, 1))
    review(old, D(2024, 2, 1))
    period, _ = looked_after(kid, D(2025, 6, 2))
    assert summary(deadlines(period, "cla_review")) == [(1, D(2025, 6, 30), None, None)]
    assert summary(deadlines(old, "cla_review"))[0] == (1, D(2024, 2, 5), D(2024, 2, 1), True)


# -- statutory visits ------------------------------------------------------------------------
def test_visits_within_a_week_of_the_placement_then_every_6_weeks(world, kid):
    _period, placement = looked_after(kid, D(2025, 1, 6))
    assert placement.visits == "standard"
    assert summary(deadlines(placement, "cla_visit")) == [(1, D(2025, 1, 13), None, None)]
    visit(kid, D(2025, 1, 10))
    visit(kid, D(2025, 2, 14), seen=False)             # child not seen: does not count
    visit(kid, D(2025, 2, 18), kind="cp_visit")       # not a statutory visit
    visit(kid, D(2025, 2, 28))
    assert summary(deadlines(placement, "cla_visit")) == [
        (1, D(2025, 1, 13), D(2025, 1, 10), True),
        (2, D(2025, 2, 21), D(2025, 2, 28), False),
        (3, D(2025, 4, 11), None, None),
    ]


def test_long_term_placement_visits_become_3_monthly_after_the_first_year(world, kid):
    _period, placement = looked_after(kid, D(2025, 1, 6), place="U4")
    assert placement.visits == "long_term"
    days = [D(2025, 1, 8)]
    while days[-1] < D(2025, 12, 1):
        days.append(days[-1] + dt.timedelta(weeks=6))
    for day in days:
        visit(kid, day)
    rows = summary(deadlines(placement, "cla_visit"))
    assert all(r[3] for r in rows[:-1]) and rows[-1][2] is None
    # the last visit before the placement's first anniversary sets the next 6 weeks on
    assert days[-1] == D(2025, 12, 10) and rows[-1][1] == D(2026, 1, 21)
    visit(kid, D(2026, 1, 20))          # met after the first year: the next is 3 months on
    assert summary(deadlines(placement, "cla_visit"))[-1] == (len(rows) + 1, D(2026, 4, 20), None, None)


def test_a_standard_placement_stays_6_weekly_after_a_year(world, kid):
    _period, placement = looked_after(kid, D(2025, 1, 6), place="U6")
    visit(kid, D(2026, 1, 20))
    assert summary(deadlines(placement, "cla_visit"))[-1] == (2, D(2026, 3, 3), None, None)


def test_temporary_approval_of_a_connected_person_means_weekly_visits(world, kid):
    _period, placement = looked_after(kid, D(2025, 1, 6), place="U3", temporary_approval=True)
    assert placement.visits == "temporary_approval"
    visit(kid, D(2025, 1, 9))
    visit(kid, D(2025, 1, 15))
    assert summary(deadlines(placement, "cla_visit")) == [
        (1, D(2025, 1, 13), D(2025, 1, 9), True),
        (2, D(2025, 1, 16), D(2025, 1, 15), True),
        (3, D(2025, 1, 22), None, None),
    ]
    placement.approval_confirmed_on = D(2025, 1, 20)   # fully approved: back to 6-weekly
    placement.save()
    assert summary(deadlines(placement, "cla_visit"))[-1] == (3, D(2025, 2, 26), None, None)


def test_each_placement_has_its_own_visit_clock_and_ending_one_stops_it(world, kid):
    period, first = looked_after(kid, D(2025, 1, 6))
    from haven.looked_after.models import Placement

    first.end_date = D(2025, 3, 1)
    first.save()
    second = Placement.objects.create(period=period, person=kid, start_date=D(2025, 3, 1), place="U6",
                                      provider_code="PR1")
    visit(kid, D(2025, 1, 10))
    visit(kid, D(2025, 3, 5))
    assert summary(deadlines(second, "cla_visit")) == [(1, D(2025, 3, 8), D(2025, 3, 5), True),
                                                     (2, D(2025, 4, 16), None, None)]
    rows = deadlines(first, "cla_visit")
    assert [local_date(d.due_at) for d in rows] == [D(2025, 1, 13), D(2025, 2, 21)]
    assert not rows[-1].is_open   # missed before the placement ended; no longer open work
