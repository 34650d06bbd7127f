"""The health clocks end to end: records created through the ORM, deadlines read from
``haven.work.models.Deadline`` (as the signals derive them)."""

from __future__ import annotations

import datetime as dt

from haven.core.calendar import add_working_days
from haven.core.timescales.rules import RULES
from haven.health.models import DentalCheck, HealthAssessment
from haven.work.testing import deadlines, local_date

D = dt.date


def summary(rows):
    return [(d.sequence, local_date(d.due_at), local_date(d.met_at)) for d in rows]


def assess(child, on, kind="review"):
    return HealthAssessment.objects.create(person=child, kind=kind, completed_on=on, by_name="Dr Test", outcome="Well")


def period(child):
    return child.periods_of_care.get()


def test_the_rules_are_registered_with_their_citations():
    for code in ("cla_health_assessment", "cla_dental_check"):
        assert RULES[code].citation and RULES[code].trigger.model == "looked_after.PeriodOfCare"


def test_initial_assessment_is_due_20_working_days_after_coming_into_care(cla_child):
    child = cla_child(born=D(2014, 1, 1), start=D(2025, 12, 15))
    rows = deadlines(period(child), "cla_health_assessment")
    # 20 working days over Christmas: 25, 26 December and 1 January are bank holidays.
    assert summary(rows) == [(1, add_working_days(D(2025, 12, 15), 20), None)]
    assert summary(rows)[0][1] == D(2026, 1, 15)


def test_reviews_are_6_monthly_under_5_and_annual_from_5(cla_child):
    # Born 1 June 2021: 5 on 1 June 2026.
    child = cla_child(born=D(2021, 6, 1), start=D(2025, 1, 6))
    assess(child, D(2025, 1, 20), kind="initial")
    assess(child, D(2025, 7, 10))       # aged 4: next 6 months later
    assess(child, D(2026, 1, 5))        # aged 4: next 6 months later
    assess(child, D(2026, 7, 1))        # aged 5: next 12 months later
    rows = deadlines(period(child), "cla_health_assessment")
    assert summary(rows) == [
        (1, D(2025, 2, 3), D(2025, 1, 20)),
        (2, D(2025, 7, 20), D(2025, 7, 10)),
        (3, D(2026, 1, 10), D(2026, 1, 5)),
        (4, D(2026, 7, 5), D(2026, 7, 1)),
        (5, D(2027, 7, 1), None),
    ]


def test_a_child_of_5_or_more_is_reviewed_annually(cla_child):
    child = cla_child(born=D(2015, 3, 3), start=D(2025, 1, 6))
    assess(child, D(2025, 1, 27), kind="initial")
    rows = deadlines(period(child), "cla_health_assessment")
    assert summary(rows)[-1] == (2, D(2026, 1, 27), None)


def test_a_late_initial_assessment_is_late_and_the_next_runs_from_it(cla_child):
    child = cla_child(born=D(2015, 3, 3), start=D(2025, 1, 6))
    assess(child, D(2025, 3, 3), kind="initial")
    rows = deadlines(period(child), "cla_health_assessment")
    assert rows[0].met_in_time is False
    assert summary(rows)[-1] == (2, D(2026, 3, 3), None)


def test_a_final_assessment_does_not_meet_the_review_clock(cla_child):
    child = cla_child(born=D(2008, 3, 3), start=D(2025, 1, 6))
    assess(child, D(2025, 1, 20), kind="final")
    assert local_date(deadlines(period(child), "cla_health_assessment")[0].met_at) is None


def test_ending_the_period_of_care_stops_the_clocks(cla_child):
    child = cla_child(born=D(2015, 3, 3), start=D(2025, 1, 6))
    assess(child, D(2025, 1, 20), kind="initial")
    p = period(child)
    p.end_date, p.end_reason = D(2025, 6, 1), "E8"
    p.save()
    rows = deadlines(p, "cla_health_assessment")
    assert [d.sequence for d in rows] == [1]  # the review due in January 2026 is not produced
    assert deadlines(p, "cla_dental_check") == []


def test_dental_checks_within_12_months_then_every_12_months(cla_child):
    child = cla_child(born=D(2019, 3, 3), start=D(2025, 1, 6))
    rows = deadlines(period(child), "cla_dental_check")
    assert summary(rows) == [(1, D(2026, 1, 6), None)]
    DentalCheck.objects.create(person=child, checked_on=D(2025, 4, 1))
    rows = deadlines(period(child), "cla_dental_check")
    assert summary(rows) == [(1, D(2026, 1, 6), D(2025, 4, 1)), (2, D(2026, 4, 1), None)]


def test_a_check_before_coming_into_care_does_not_count(cla_child):
    child = cla_child(born=D(2019, 3, 3), start=D(2025, 1, 6))
    DentalCheck.objects.create(person=child, checked_on=D(2024, 12, 1))
    assert local_date(deadlines(period(child), "cla_dental_check")[0].met_at) is None


def test_the_rules_models_are_connected_and_their_paths_resolve(db):
    from haven.work.signals import _connected, watched_models
    from haven.work.sync import recompute

    for code in ("cla_health_assessment", "cla_dental_check"):
        rule = RULES[code]
        for label in watched_models(rule):
            assert label in _connected, f"{label} is read by {code} but its saves do not recompute deadlines"
        assert recompute(rule) >= 0  # the paths resolve (the module's test world may hold triggers)
