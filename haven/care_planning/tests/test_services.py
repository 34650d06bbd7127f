"""Care planning use-cases and their refusals: care plans, reviews and recommendations (SMART),
IRO allocation, statutory visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.care_planning import services
from haven.care_planning.models import CarePlan, LACReview, ReviewRecommendation
from haven.care_planning.testing import looked_after
from haven.people.models import Allocation

D = dt.date


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def kid(world):
    from haven.core.testing import make_person

    return make_person(world.westminster, first="Sky", last="Service", born=D(2012, 5, 5))


@pytest.fixture
def period(kid, today):
    return looked_after(kid, today - dt.timedelta(days=60))[0]


def plan_args(**kw):
    return {"summary": "Stay with foster carers", "needs": "School, health", "permanence_aim": "long_term_fostering",
            **kw}


def errors(exc):
    return dict(exc.value.errors)


# -- care plans ------------------------------------------------------------------------------
def test_a_care_plan_is_agreed_for_the_current_period_and_audited(world, kid, period, today):
    plan = services.agree_care_plan(actor=world.alice, person=kid, agreed_on=today - dt.timedelta(days=55),
                                    **plan_args())
    assert plan.period == period and plan.authority == world.westminster and plan.created_by == world.alice
    assert plan.gaps == ["how the needs will be met", "contact arrangements", "the child's wishes and feelings"]
    assert AccessLog.objects.filter(action="create", object_type="care_planning.careplan", object_id=str(plan.pk)).exists()
    # a new version: both kept, the latest first
    newer = services.agree_care_plan(actor=world.alice, person=kid, agreed_on=today, **plan_args(how_met="Carers"))
    assert list(CarePlan.objects.filter(period=period)) == [newer, plan]


def test_a_care_plan_is_refused_for_impossible_dates(world, kid, period, today):
    with pytest.raises(services.CarePlanningError) as exc:
        services.agree_care_plan(actor=world.alice, person=kid, agreed_on=today + dt.timedelta(days=1), **plan_args())
    assert "today or in the past" in errors(exc)["agreed_on"]
    with pytest.raises(services.CarePlanningError) as exc:
        services.agree_care_plan(actor=world.alice, person=kid, agreed_on=period.start_date - dt.timedelta(days=120),
                                 **plan_args())
    assert "no more than 3 months before" in errors(exc)["agreed_on"]
    with pytest.raises(services.CarePlanningError) as exc:
        services.agree_care_plan(actor=world.alice, person=kid, agreed_on=today, summary="", needs="",
                                 permanence_aim="x")
    assert set(errors(exc)) == {"summary", "needs", "permanence_aim"}


def test_a_care_plan_for_a_child_never_looked_after_is_refused(world, today):
    with pytest.raises(services.CarePlanningError) as exc:
        services.agree_care_plan(actor=world.alice, person=world.child, agreed_on=today, **plan_args())
    assert "is not looked after" in errors(exc)[None]


def test_a_care_plan_after_the_period_ended_is_refused(world, kid, today):
    period, _ = looked_after(kid, today - dt.timedelta(days=100), end=today - dt.timedelta(days=50))
    with pytest.raises(services.CarePlanningError) as exc:
        services.agree_care_plan(actor=world.alice, person=kid, period=period, agreed_on=today, **plan_args())
    assert "stopped being looked after" in errors(exc)["agreed_on"]


def test_out_of_scope_is_refused(world, kid, period, today):
    with pytest.raises(PermissionDenied):
        services.agree_care_plan(actor=world.charlie, person=kid, agreed_on=today, **plan_args())


# -- reviews ---------------------------------------------------------------------------------
def test_a_review_is_chaired_by_the_iro_with_recommendations(world, kid, period, today):
    review = services.record_review(
        actor=world.iris, person=kid, held_on=today - dt.timedelta(days=30), participation="PN1",
        decisions="Plan endorsed", recommendations=[
            {"action": "Life story work", "owner": "SW", "measurable_outcome": "Book shared", "due_date": today},
            {"action": "Dentist", "save_incomplete": True}])
    assert review.chair == world.iris and review.period == period
    recs = list(review.recommendations.order_by("pk"))
    assert [r.is_smart for r in recs] == [True, False]
    assert recs[1].missing == ["an owner", "a measurable outcome", "a due date"]


def test_an_incomplete_recommendation_needs_a_deliberate_choice(world, kid, period, today):
    review = services.record_review(actor=world.iris, person=kid, held_on=today, participation="PN5",
                                    decisions="x")
    with pytest.raises(services.IncompleteRecommendation) as exc:
        services.add_recommendation(actor=world.iris, review=review, action="Contact", owner="SW")
    assert exc.value.missing == ["a measurable outcome", "a due date"]
    with pytest.raises(services.CarePlanningError) as exc:
        services.add_recommendation(actor=world.iris, review=review, action="x", owner="SW", measurable_outcome="y",
                                    due_date=today - dt.timedelta(days=1))
    assert "on or after the review" in errors(exc)["due_date"]


def test_review_refusals(world, kid, period, today):
    def refuse(**kw):
        args = {"held_on": today, "participation": "PN1", "decisions": "x", **kw}
        with pytest.raises(services.CarePlanningError) as exc:
            services.record_review(actor=world.iris, person=kid, **args)
        return errors(exc)

    assert "today or in the past" in refuse(held_on=today + dt.timedelta(days=1))["held_on"]
    assert "was not looked after on" in refuse(held_on=period.start_date - dt.timedelta(days=1))["held_on"]
    assert "PN0 is for children under 4" in refuse(participation="PN0")["participation"]
    assert "after this one" in refuse(next_review_on=today)["next_review_on"]
    assert "not an independent reviewing officer" in refuse(chair=world.alice)["chair"]
    assert "Enter the decisions" in refuse(decisions="")["decisions"]


def test_a_child_under_4_takes_part_as_pn0(world, today):
    from haven.core.testing import make_person

    baby = make_person(world.westminster, first="Bea", last="Baby", born=today - dt.timedelta(days=400))
    looked_after(baby, today - dt.timedelta(days=30))
    with pytest.raises(services.CarePlanningError) as exc:
        services.record_review(actor=world.iris, person=baby, held_on=today, participation="PN1", decisions="x")
    assert "select PN0" in errors(exc)["participation"]
    assert services.record_review(actor=world.iris, person=baby, held_on=today, participation="PN0", decisions="x")


def test_recommendation_progress_is_versioned(world, kid, period, today):
    from haven.core.versioning import StaleEdit

    review = services.record_review(actor=world.iris, person=kid, held_on=today, participation="PN1", decisions="x")
    rec = services.add_recommendation(actor=world.iris, review=review, action="x", save_incomplete=True)
    services.update_recommendation(actor=world.alice, recommendation=rec, status="in_progress", progress="Started",
                                   expected_version=1)
    rec.refresh_from_db()
    assert rec.status == "in_progress" and rec.version == 2
    with pytest.raises(StaleEdit):
        services.update_recommendation(actor=world.alice, recommendation=ReviewRecommendation.objects.get(pk=rec.pk),
                                       status="done", expected_version=1)


# -- IRO allocation --------------------------------------------------------------------------
def test_a_team_manager_allocates_and_changes_the_iro(world, kid, period, today):
    first = services.allocate_iro(actor=world.bob, person=kid, worker=world.iris,
                                  start_date=today - dt.timedelta(days=50))
    assert first.role == "iro" and first.team == world.wcc_team
    from haven.accounts.roles import Role
    from haven.core.testing import make_user

    other = make_user("olive", role=Role.CP_CHAIR_IRO, team=world.wcc_team, first="Olive")
    second = services.allocate_iro(actor=world.bob, person=kid, worker=other, start_date=today)
    first.refresh_from_db()
    assert first.end_date == today - dt.timedelta(days=1)
    assert services.current_allocation(kid, "iro") == second


def test_iro_allocation_refusals(world, kid, period, today):
    with pytest.raises(PermissionDenied):
        services.allocate_iro(actor=world.alice, person=kid, worker=world.iris)
    with pytest.raises(services.CarePlanningError) as exc:
        services.allocate_iro(actor=world.bob, person=kid, worker=world.alice)
    assert "is not an independent reviewing officer" in errors(exc)["worker"]
    with pytest.raises(services.CarePlanningError) as exc:
        services.allocate_iro(actor=world.bob, person=world.child, worker=world.iris)
    assert "is not looked after" in errors(exc)[None]
    services.allocate_iro(actor=world.bob, person=kid, worker=world.iris)
    with pytest.raises(services.CarePlanningError) as exc:
        services.allocate_iro(actor=world.bob, person=kid, worker=world.iris)
    assert "already" in errors(exc)["worker"]
    assert Allocation.objects.filter(person=kid, role="iro").count() == 1


# -- visits ----------------------------------------------------------------------------------
def test_a_statutory_visit_is_a_recording_with_the_child_seen(world, kid, period):
    when = timezone.now() - dt.timedelta(hours=2)
    recording = services.record_visit(actor=world.alice, person=kid, occurred_at=when, notes="Saw Sky in her room",
                                      seen_alone=True)
    assert recording.kind == "cla_visit" and recording.created_by == world.alice
    subject = recording.subjects.get()
    assert subject.person == kid and subject.seen and subject.seen_alone
    from haven.work.models import Deadline

    met = Deadline.objects.filter(person=kid, rule="cla_visit", met_at__isnull=False)
    assert met.exists()


def test_a_visit_in_the_future_or_when_not_looked_after_is_refused(world, kid, period):
    with pytest.raises(services.CarePlanningError) as exc:
        services.record_visit(actor=world.alice, person=kid, occurred_at=timezone.now() + dt.timedelta(hours=1),
                              notes="x")
    assert "today or in the past" in errors(exc)["date"]
    before = timezone.now() - dt.timedelta(days=90)
    with pytest.raises(services.CarePlanningError) as exc:
        services.record_visit(actor=world.alice, person=kid, occurred_at=before, notes="x")
    assert "was not looked after on" in errors(exc)["date"]
    with pytest.raises(services.CarePlanningError) as exc:
        services.record_visit(actor=world.alice, person=world.child, occurred_at=timezone.now(), notes="x")
    assert "has never been looked after" in errors(exc)["date"]
    with pytest.raises(services.CarePlanningError) as exc:
        services.record_visit(actor=world.alice, person=kid, occurred_at=timezone.now(), notes=" ")
    assert "notes" in errors(exc)
    assert not LACReview.objects.filter(person=kid).exists()
