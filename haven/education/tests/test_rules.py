"""The PEP clock end to end: records created through the ORM, deadlines read from
``haven.work.models.Deadline``."""

from __future__ import annotations

import datetime as dt

from haven.core.timescales.rules import RULES
from haven.education.models import PersonalEducationPlan
from haven.work.testing import deadlines, local_date

D = dt.date


def summary(rows):
    return [(d.sequence, local_date(d.due_at), local_date(d.met_at)) for d in rows]


def pep(child, on):
    return PersonalEducationPlan.objects.create(person=child, held_on=on, attendees="Child", targets="Read")


def test_the_rule_is_registered_exemptible_with_its_citation():
    rule = RULES["cla_pep"]
    assert rule.exemptible and "termly" in rule.citation and rule.satisfied_by.match == "person"


def test_first_pep_within_20_working_days_then_every_4_months(cla_child):
    child = cla_child(start=D(2025, 3, 31))  # 20 working days across Easter 2025 (18 and 21 April)
    period = child.periods_of_care.get()
    assert summary(deadlines(period, "cla_pep")) == [(1, D(2025, 4, 30), None)]
    pep(child, D(2025, 4, 25))
    pep(child, D(2025, 9, 1))  # late: due 25 August
    rows = deadlines(period, "cla_pep")
    assert summary(rows) == [(1, D(2025, 4, 30), D(2025, 4, 25)), (2, D(2025, 8, 25), D(2025, 9, 1)),
                             (3, D(2026, 1, 1), None)]
    assert rows[1].met_in_time is False


def test_the_clock_stops_when_care_ends(cla_child):
    child = cla_child(start=D(2025, 3, 31))
    pep(child, D(2025, 4, 25))
    period = child.periods_of_care.get()
    period.end_date, period.end_reason = D(2025, 6, 30), "E8"
    period.save()
    assert [d.sequence for d in deadlines(period, "cla_pep")] == [1]


def test_a_pep_before_care_started_does_not_count(cla_child):
    child = cla_child(start=D(2025, 3, 31))
    pep(child, D(2025, 3, 1))
    assert deadlines(child.periods_of_care.get(), "cla_pep")[0].met_at is None


def test_the_rules_models_are_connected_and_its_paths_resolve(db):
    from haven.work.signals import _connected, watched_models
    from haven.work.sync import recompute

    rule = RULES["cla_pep"]
    for label in watched_models(rule):
        assert label in _connected, f"{label} is read by cla_pep but its saves do not recompute deadlines"
    assert recompute(rule) >= 0  # the paths resolve (the module's test world may hold triggers)
