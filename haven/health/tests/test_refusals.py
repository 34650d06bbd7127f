"""What the health services refuse (the pages and the API run the same checks)."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.health import services
from haven.health.models import DentalCheck, HealthAssessment, Immunisations, SDQScore

D = dt.date


def refused(model, child, actor, **data):
    with pytest.raises(services.Refused) as info:
        services.create(model, actor=actor, person=child, data=data)
    return dict(info.value.errors)


def assessment(**extra):
    return {"kind": "review", "by_name": "Dr Test", "outcome": "Well", **extra}


def test_a_health_assessment_is_recorded_and_audited(world, cla_child, today):
    child = cla_child()
    a = services.create(HealthAssessment, actor=world.alice, person=child,
                        data=assessment(kind="initial", completed_on=today - dt.timedelta(days=80)))
    assert a.pk and a.authority == child.authority and a.created_by == world.alice
    from haven.audit.models import AccessLog

    assert AccessLog.objects.filter(action="create", object_type="health.healthassessment").exists()


def test_dates_in_the_future_or_before_birth_are_refused(world, cla_child, today):
    child = cla_child(born=D(2015, 3, 3))
    errors = refused(HealthAssessment, child, world.alice, **assessment(completed_on=today + dt.timedelta(days=1)))
    assert errors["completed_on"] == "The date completed must be today or in the past"
    errors = refused(DentalCheck, child, world.alice, checked_on=D(2015, 3, 2))
    assert errors["checked_on"].startswith("The date of the check must be on or after Cara's date of birth, 3 March 2015")


def test_a_record_for_a_day_the_child_was_not_looked_after_is_refused(world, cla_child, today):
    child = cla_child(start=today - dt.timedelta(days=30))
    errors = refused(Immunisations, child, world.alice, recorded_on=today - dt.timedelta(days=31), up_to_date=True)
    assert "Cara was not looked after on" in errors["recorded_on"]


def test_a_second_initial_assessment_in_a_period_of_care_is_refused(world, cla_child, today):
    child = cla_child()
    services.create(HealthAssessment, actor=world.alice, person=child,
                    data=assessment(kind="initial", completed_on=today - dt.timedelta(days=80)))
    errors = refused(HealthAssessment, child, world.alice, **assessment(kind="initial", completed_on=today))
    assert "already had an initial health assessment in this period of care" in errors["kind"]


def test_health_history_is_only_on_a_final_assessment_and_not_before_it(world, cla_child, today):
    child = cla_child(born=D(2008, 12, 1))
    errors = refused(HealthAssessment, child, world.alice,
                     **assessment(completed_on=today, health_history_given_on=today))
    assert "Only a final health assessment" in errors["health_history_given_on"]
    errors = refused(HealthAssessment, child, world.alice,
                     **assessment(kind="final", completed_on=today, health_history_given_on=today - dt.timedelta(days=1)))
    assert "cannot be given before" in errors["health_history_given_on"]
    final = services.create(HealthAssessment, actor=world.alice, person=child,
                            data=assessment(kind="final", completed_on=today, health_history_given_on=today))
    assert final.health_history_given_on == today


def test_a_final_assessment_needs_a_period_of_care(world, today):
    from haven.core.testing import make_person

    never = make_person(world.westminster, first="Nev", last="Health", born=D(2008, 1, 1))
    errors = refused(HealthAssessment, never, world.alice, **assessment(kind="final", completed_on=today))
    assert "had not been looked after" in errors["completed_on"]


def test_immunisations_not_up_to_date_need_a_note(world, cla_child, today):
    errors = refused(Immunisations, cla_child(), world.alice, recorded_on=today, up_to_date=False, notes="")
    assert errors["notes"] == "Say which immunisations are missing and what is planned"


@pytest.mark.parametrize("score,reason,field,message", [
    (41, "", "score", "The score must be a whole number from 0 to 40"),
    (-1, "", "score", "The score must be a whole number from 0 to 40"),
    (12, "SDQ2", "reason", "Enter a score or a reason there is no score, not both"),
    (None, "", "score", "Enter the score, or select the reason there is no score"),
    (None, "SDQ1", "reason", "SDQ1 is only for a child under 4 or aged 17 or over"),
    (None, "SDQ9", "reason", "Select a reason from the list (SDQ1 to SDQ5)"),
])
def test_sdq_refusals(world, cla_child, today, score, reason, field, message):
    errors = refused(SDQScore, cla_child(born=D(2014, 1, 1)), world.alice, completed_on=today, score=score,
                     reason=reason)
    assert message in errors[field]


def test_an_sdq_score_for_a_child_under_4_or_17_and_over_is_refused_unless_sdq1(world, cla_child, today):
    for born in (today.replace(year=today.year - 3), today.replace(year=today.year - 17)):
        child = cla_child(born=born, start=today - dt.timedelta(days=10))
        errors = refused(SDQScore, child, world.alice, completed_on=today, score=10)
        assert "an SDQ is for children aged 4 to 16. Select SDQ1" in errors["reason"]
        ok = services.create(SDQScore, actor=world.alice, person=child, data={"completed_on": today, "reason": "SDQ1"})
        assert ok.reason == "SDQ1" and ok.score is None


def test_a_score_of_0_and_of_40_are_accepted(world, cla_child, today):
    child = cla_child(born=D(2014, 1, 1))
    for score in (0, 40):
        assert services.create(SDQScore, actor=world.alice, person=child,
                               data={"completed_on": today, "score": score}).score == score


def test_an_adult_gets_no_health_record(world, today):
    errors = refused(DentalCheck, world.parent, world.alice, checked_on=today)
    assert "is not a child" in errors[None]


def test_the_service_checks_capability_and_scope(world, cla_child, today):
    from django.core.exceptions import PermissionDenied

    child = cla_child()
    for actor in (world.charlie, world.audrey):
        with pytest.raises(PermissionDenied):
            services.create(DentalCheck, actor=actor, person=child, data={"checked_on": today})
