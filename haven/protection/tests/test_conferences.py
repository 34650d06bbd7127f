"""Section 47 outcomes, initial and review child protection conferences, and the plans they start,
continue or end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.assessments.models import CINEpisode
from haven.plans.models import Plan
from haven.protection import services
from haven.protection.models import Conference, ConferenceChild, S47Enquiry

from .conftest import conference_post, date_fields
from .helpers import attendees, conclude, discuss, icpc

pytestmark = pytest.mark.django_db

DISCUSSED = dt.date(2025, 3, 3)
ADD = reverse("protection:conference-create")


def s47_of(person):
    return S47Enquiry.objects.get(person=person)


@pytest.fixture
def concluded(world, family):
    """Both children discussed on 3 March 2025; both enquiries concluded a conference is needed."""
    discuss(world.alice, [family.older, family.younger], DISCUSSED)
    for child in (family.older, family.younger):
        conclude(world.alice, s47_of(child), DISCUSSED + dt.timedelta(days=10))
    return family


# --- section 47 outcome -----------------------------------------------------------------------

def test_the_outcome_is_recorded_on_the_s47_page(world, family, as_user):
    discuss(world.alice, [family.older], DISCUSSED)
    s47 = s47_of(family.older)
    client = as_user(world.alice)
    page = client.get(s47.get_absolute_url()).content.decode()
    assert "Record the outcome" in page
    url = reverse("protection:s47-outcome", args=[s47.pk])
    response = client.post(url, {"outcome": "icpc", "version": s47.version, **date_fields("completed_date", DISCUSSED)})
    assert response.status_code == 302, response.content.decode()[:3000]
    s47.refresh_from_db()
    assert s47.outcome == "icpc" and s47.completed_date == DISCUSSED and s47.version == 2


def test_an_s47_completed_before_it_started_is_refused(world, family, as_user):
    discuss(world.alice, [family.older], DISCUSSED)
    s47 = s47_of(family.older)
    url = reverse("protection:s47-outcome", args=[s47.pk])
    page = as_user(world.alice).post(url, {"outcome": "icpc", "version": s47.version,
                                           **date_fields("completed_date", DISCUSSED - dt.timedelta(days=1))}).content.decode()
    assert "Date completed must be on or after the enquiry started on 3 March 2025" in page
    s47.refresh_from_db()
    assert s47.outcome == "" and s47.completed_date is None


def test_a_stale_outcome_is_refused(world, family, as_user):
    discuss(world.alice, [family.older], DISCUSSED)
    s47 = s47_of(family.older)
    old_version = s47.version
    conclude(world.alice, s47, DISCUSSED, outcome="not_substantiated")
    url = reverse("protection:s47-outcome", args=[s47.pk])
    page = as_user(world.alice).post(url, {"outcome": "icpc", "version": old_version,
                                           **date_fields("completed_date", DISCUSSED)}).content.decode()
    assert "changed this record" in page
    s47.refresh_from_db()
    assert s47.outcome == "not_substantiated"


# --- initial conference -----------------------------------------------------------------------

def icpc_url(s47) -> str:
    return f"{ADD}?s47={s47.pk}"


def test_the_form_offers_the_siblings_awaiting_a_conference(world, concluded, as_user):
    page = as_user(world.bob).get(icpc_url(s47_of(concluded.older))).content.decode()
    assert "Maisie Test: section 47 enquiry from 3 March 2025" in page
    assert "Kai Test: section 47 enquiry from 3 March 2025" in page
    assert "due by 24 March 2025" in page


def test_a_conference_before_the_strategy_discussion_is_refused(world, concluded, as_user):
    s47 = s47_of(concluded.older)
    data = conference_post({concluded.older.pk: {"participation": "too_young", "plan_needed": "no"}},
                           day=DISCUSSED - dt.timedelta(days=1), chair=world.bob)
    response = as_user(world.bob).post(icpc_url(s47), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "must be on or after the strategy discussion on 3 March 2025" in page
    assert not Conference.objects.filter(children__person=concluded.older).exists()


def test_the_service_refuses_a_conference_before_the_discussion_too(world, concluded):
    with pytest.raises(services.Refused) as refused:
        icpc(world.bob, [s47_of(concluded.older)], DISCUSSED - dt.timedelta(days=2))
    assert any("strategy discussion" in p.message for p in refused.value.problems)


def test_a_conference_in_the_future_is_refused(world, concluded, as_user):
    data = conference_post({concluded.older.pk: {"participation": "too_young", "plan_needed": "no"}},
                           day=timezone.localdate() + dt.timedelta(days=1), chair=world.bob)
    page = as_user(world.bob).post(icpc_url(s47_of(concluded.older)), data).content.decode()
    assert "Date of the conference must be today or in the past" in page
    assert not Conference.objects.filter(children__person=concluded.older).exists()


def test_a_plan_is_created_with_its_category(world, concluded, as_user):
    held = DISCUSSED + dt.timedelta(days=14)
    data = conference_post({
        concluded.older.pk: {"participation": "attended", "had_advocate": True, "plan_needed": "yes", "category": "EMO"},
        concluded.younger.pk: {"participation": "too_young", "plan_needed": "no"},
    }, day=held, chair=world.bob)
    client = as_user(world.bob)
    response = client.post(icpc_url(s47_of(concluded.older)), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    conference = Conference.objects.get(children__person=concluded.older)
    assert conference.kind == "initial" and conference.chair == world.bob and conference.parents_received_report
    older = ConferenceChild.objects.get(conference=conference, person=concluded.older)
    plan = older.plan
    assert plan.kind == "cp" and plan.start_date == held
    assert plan.initial_category == plan.latest_category == "EMO"
    assert plan.episode == s47_of(concluded.older).episode and plan.person == concluded.older
    assert older.had_advocate and older.participation == "attended" and older.s47 == s47_of(concluded.older)
    younger = ConferenceChild.objects.get(conference=conference, person=concluded.younger)
    assert younger.plan is None and not younger.plan_needed and younger.category == ""
    assert not Plan.objects.filter(person=concluded.younger).exists()
    page = client.get(conference.get_absolute_url()).content.decode()
    assert "Child protection plan needed: emotional abuse" in page
    summary = client.get(concluded.older.get_absolute_url()).content.decode()
    assert "Plan needed: emotional abuse" in summary


def test_a_plan_needs_a_category(world, concluded, as_user):
    data = conference_post({concluded.older.pk: {"participation": "attended", "plan_needed": "yes"}},
                           day=DISCUSSED + dt.timedelta(days=14), chair=world.bob)
    page = as_user(world.bob).post(icpc_url(s47_of(concluded.older)), data).content.decode()
    assert "Select the category of abuse" in page
    assert not Plan.objects.filter(person=concluded.older).exists()
    with pytest.raises(services.Refused):
        services.record_initial_conference(
            actor=world.bob, held_on=DISCUSSED + dt.timedelta(days=14), attendees=attendees(),
            children=[services.InitialChildIn(s47=s47_of(concluded.older), participation="attended", plan_needed=True)])


def test_a_conference_needs_the_enquiry_to_say_so(world, family, as_user):
    discuss(world.alice, [family.older], DISCUSSED)
    s47 = s47_of(family.older)
    page = as_user(world.bob).get(icpc_url(s47)).content.decode()
    assert "has no outcome saying a conference is needed" in page
    with pytest.raises(services.Refused) as refused:
        icpc(world.bob, [s47], DISCUSSED + dt.timedelta(days=10))
    assert "has no outcome yet" in str(refused.value)


def test_a_conference_before_the_enquiry_concluded_is_refused(world, concluded):
    with pytest.raises(services.Refused) as refused:
        icpc(world.bob, [s47_of(concluded.older)], DISCUSSED + dt.timedelta(days=5))
    assert "concluded on 13 March 2025" in str(refused.value)


def test_one_initial_conference_per_enquiry(world, concluded):
    icpc(world.bob, [s47_of(concluded.older)], DISCUSSED + dt.timedelta(days=14))
    with pytest.raises(services.Refused) as refused:
        icpc(world.bob, [s47_of(concluded.older)], DISCUSSED + dt.timedelta(days=15))
    assert "initial conference was held on 17 March 2025" in str(refused.value)


def test_a_plan_needed_ends_an_open_child_in_need_plan(world, family):
    episode = CINEpisode.objects.create(person=family.older, referral_date=dt.date(2025, 1, 6), source="2A")
    cin = Plan.objects.create(person=family.older, episode=episode, kind="cin", start_date=dt.date(2025, 1, 20))
    discuss(world.alice, [family.older], DISCUSSED)
    conclude(world.alice, s47_of(family.older), DISCUSSED + dt.timedelta(days=3))
    icpc(world.bob, [s47_of(family.older)], DISCUSSED + dt.timedelta(days=14))
    cin.refresh_from_db()
    assert cin.end_date == DISCUSSED + dt.timedelta(days=14)
    cp = Plan.objects.get(person=family.older, kind="cp")
    assert cp.episode == episode and cp.start_date == cin.end_date


def test_only_a_chair_records_a_conference(world, concluded, as_user):
    data = conference_post({concluded.older.pk: {"participation": "too_young", "plan_needed": "no"}},
                           day=DISCUSSED + dt.timedelta(days=14), chair=world.bob)
    client = as_user(world.alice)
    assert client.get(icpc_url(s47_of(concluded.older))).status_code == 403
    assert client.post(icpc_url(s47_of(concluded.older)), data).status_code == 403
    assert as_user(world.charlie).get(icpc_url(s47_of(concluded.older))).status_code == 403


# --- review conference ------------------------------------------------------------------------

@pytest.fixture
def on_plans(world, concluded):
    icpc(world.bob, [s47_of(concluded.older), s47_of(concluded.younger)], DISCUSSED + dt.timedelta(days=14),
         category="NEG")
    return {c: Plan.objects.get(person=c, kind="cp") for c in (concluded.older, concluded.younger)}


def review_url(plan) -> str:
    return f"{ADD}?plan={plan.pk}"


def test_a_review_continues_one_plan_and_ends_the_other(world, concluded, on_plans, as_user):
    held = dt.date(2025, 6, 10)
    older, younger = on_plans[concluded.older], on_plans[concluded.younger]
    client = as_user(world.bob)
    page = client.get(review_url(older)).content.decode()
    assert "Kai Test: child protection plan from 17 March 2025" in page
    data = conference_post({
        concluded.older.pk: {"participation": "advocate", "plan_continues": "yes", "category": "MUL"},
        concluded.younger.pk: {"participation": "too_young", "plan_continues": "no", "end_reason": "no_longer_at_risk"},
    }, day=held, chair=world.bob)
    response = client.post(review_url(older), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    older.refresh_from_db()
    younger.refresh_from_db()
    assert older.end_date is None and older.latest_category == "MUL" and older.initial_category == "NEG"
    assert younger.end_date == held and younger.end_reason == "no_longer_at_risk"
    review = Conference.objects.get(kind="review", children__person=concluded.older)
    assert set(review.children.values_list("plan_id", flat=True)) == {older.pk, younger.pk}
    assert review.children.get(person=concluded.younger).plan_needed is False
    page = client.get(review.get_absolute_url()).content.decode()
    assert "Plan continues: multiple" in page and "Plan ended (no longer at risk of significant harm)" in page


def test_a_review_before_the_plan_started_is_refused(world, concluded, on_plans, as_user):
    plan = on_plans[concluded.older]
    data = conference_post({concluded.older.pk: {"participation": "written", "plan_continues": "yes", "category": "NEG"}},
                           day=plan.start_date, chair=world.bob)
    page = as_user(world.bob).post(review_url(plan), data).content.decode()
    assert "must be after Maisie&#x27;s plan started on 17 March 2025" in page
    assert not Conference.objects.filter(kind="review").exists()


def test_an_ending_plan_needs_a_reason(world, concluded, on_plans, as_user):
    plan = on_plans[concluded.older]
    data = conference_post({concluded.older.pk: {"participation": "written", "plan_continues": "no"}},
                           day=dt.date(2025, 6, 10), chair=world.bob)
    page = as_user(world.bob).post(review_url(plan), data).content.decode()
    assert "Select why the plan ends" in page
    plan.refresh_from_db()
    assert plan.end_date is None


def test_an_ended_plan_cannot_be_reviewed(world, concluded, on_plans):
    plan = on_plans[concluded.older]
    services.record_review_conference(
        actor=world.bob, held_on=dt.date(2025, 6, 10),
        children=[services.ReviewChildIn(plan=plan, participation="written", plan_continues=False,
                                         end_reason="no_longer_at_risk")])
    plan.refresh_from_db()
    with pytest.raises(services.Refused) as refused:
        services.record_review_conference(
            actor=world.bob, held_on=dt.date(2025, 7, 10),
            children=[services.ReviewChildIn(plan=plan, participation="written", category="NEG")])
    assert "ended on 10 June 2025" in str(refused.value)
