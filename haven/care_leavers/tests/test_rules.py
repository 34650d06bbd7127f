"""The care leavers' timescale rules end to end through the signals into
``haven.work.models.Deadline``: the needs assessment clock (3 months from the later of the 16th
birthday and becoming eligible) and the 6-monthly pathway plan reviews."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.care_leavers.models import LeavingCareTracking, PathwayPlan, PathwayPlanReview
from haven.core.timescales.rules import RULES
from haven.work.testing import deadlines, local_date

from .conftest import make_care

D = dt.date
pytestmark = pytest.mark.django_db


def summary(rows):
    return [(d.sequence, local_date(d.due_at), local_date(d.met_at), d.met_in_time) for d in rows]


def plan_for(person, **fields):
    return PathwayPlan.objects.create(person=person, authority=person.authority, **fields)


def test_both_rules_are_registered():
    assert {"leaver_needs_assessment", "leaver_pathway_review"} <= set(RULES)


def test_needs_assessment_due_3_months_after_the_16th_birthday_for_a_child_looked_after_since_15(world, teen):
    make_care(teen, D(2023, 1, 1))
    tracking = LeavingCareTracking.objects.get(person=teen)
    assert (tracking.turned_16_on, tracking.became_eligible_on, tracking.assessment_clock_from) == (
        D(2024, 3, 10), D(2024, 3, 10), D(2024, 3, 10))
    assert summary(deadlines(tracking, "leaver_needs_assessment")) == [(1, D(2024, 6, 10), None, None)]
    plan_for(teen, needs_assessment_completed_on=D(2024, 5, 2))
    assert summary(deadlines(tracking, "leaver_needs_assessment")) == [(1, D(2024, 6, 10), D(2024, 5, 2), True)]


def test_a_child_eligible_after_16_has_3_months_from_becoming_eligible(world, teen):
    period = make_care(teen, D(2024, 4, 10))  # 16 years 1 month: eligible after 13 weeks (91 days)
    tracking = LeavingCareTracking.objects.get(person=teen)
    assert tracking.assessment_clock_from == D(2024, 7, 9)
    assert summary(deadlines(tracking, "leaver_needs_assessment")) == [(1, D(2024, 10, 9), None, None)]
    plan_for(teen, needs_assessment_completed_on=D(2024, 11, 1))  # late
    assert summary(deadlines(tracking, "leaver_needs_assessment")) == [(1, D(2024, 10, 9), D(2024, 11, 1), False)]
    # the care history is corrected: the child left after 60 days, never eligible: no clock
    period.end_date, period.end_reason = D(2024, 6, 8), "E8"
    period.save()
    assert not LeavingCareTracking.objects.filter(person=teen).exists()
    assert deadlines(tracking, "leaver_needs_assessment") == []


def test_short_break_episodes_move_the_needs_assessment_clock(world, teen):
    make_care(teen, D(2023, 1, 1), breaks=[(D(2023, 1, 1), D(2024, 4, 30))])
    # days in the V3 episode are not counted: counting starts 1 May 2024, the 91st day is 30 July
    tracking = LeavingCareTracking.objects.get(person=teen)
    assert tracking.became_eligible_on == D(2024, 7, 30)
    assert summary(deadlines(tracking, "leaver_needs_assessment")) == [(1, D(2024, 10, 30), None, None)]
    # the short break is corrected to a full care order: eligible at 16
    from haven.looked_after.models import Episode

    episode = Episode.objects.get(person=teen)
    episode.legal_status = "C2"
    episode.save()
    tracking.refresh_from_db()
    assert tracking.assessment_clock_from == D(2024, 3, 10)
    assert summary(deadlines(tracking, "leaver_needs_assessment")) == [(1, D(2024, 6, 10), None, None)]


def test_pathway_plan_reviewed_within_6_months_then_every_6_months(world, teen):
    plan = plan_for(teen, needs_assessment_completed_on=D(2025, 1, 10), plan_agreed_on=D(2025, 1, 31))
    assert summary(deadlines(plan, "leaver_pathway_review")) == [(1, D(2025, 7, 31), None, None)]
    PathwayPlanReview.objects.create(plan=plan, authority=plan.authority, held_on=D(2025, 7, 20))
    PathwayPlanReview.objects.create(plan=plan, authority=plan.authority, held_on=D(2026, 2, 1))
    assert summary(deadlines(plan, "leaver_pathway_review")) == [
        (1, D(2025, 7, 31), D(2025, 7, 20), True),
        (2, D(2026, 1, 20), D(2026, 2, 1), False),
        (3, D(2026, 8, 1), None, None),
    ]
    # ending the plan stops the clock: the open review (due after the end) goes
    plan.end_date, plan.end_reason = D(2026, 3, 1), "declined"
    plan.save()
    assert summary(deadlines(plan, "leaver_pathway_review")) == [
        (1, D(2025, 7, 31), D(2025, 7, 20), True), (2, D(2026, 1, 20), D(2026, 2, 1), False)]


def test_a_plan_not_yet_agreed_has_no_review_clock(world, teen):
    plan = plan_for(teen, needs_assessment_completed_on=D(2025, 1, 10))
    assert deadlines(plan, "leaver_pathway_review") == []
