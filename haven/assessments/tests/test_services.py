"""The use-cases: opening, changing, deciding and closing referrals; assessments and their
authorisation; the 45-working-day clock as ``Deadline`` records it; exemptions and extensions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.assessments import services
from haven.assessments.models import Assessment, CINEpisode
from haven.audit.models import AccessLog
from haven.core.codes import ClosureReason
from haven.core.versioning import StaleEdit

from .helpers import deadline, due_date

pytestmark = pytest.mark.django_db


def codes(exc_info) -> set[str]:
    return {p.code for p in exc_info.value.problems}


def authorised_assessment(world, episode, start=None, factors=("16A",), outcome=Assessment.Outcome.CIN_PLAN):
    start = start or episode.referral_date + dt.timedelta(days=2)
    a = services.create_assessment(actor=world.alice, episode=episode, start_date=start, child_seen_date=start,
                                   seen_alone=True, outcome=outcome, completed_date=start + dt.timedelta(days=20),
                                   factors=factors)
    return services.authorise_assessment(actor=world.bob, assessment=a, expected_version=a.version,
                                         authorised_date=start + dt.timedelta(days=22))


# --- opening a referral -----------------------------------------------------------------------

def test_open_episode_creates_audits_and_starts_both_clocks(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1), primary_need="N1")
    assert episode.person == kid and episode.authority == kid.authority and episode.is_open
    assert AccessLog.objects.filter(action="create", object_type="assessments.cinepisode", object_id=str(episode.pk),
                                    person_id=kid.pk, username="alice").exists()
    assert due_date(episode, "referral_decision_1wd") == dt.date(2024, 11, 4)   # Friday → Monday
    # 45 working days across Christmas: 25, 26 December and 1 January are not working days.
    assert due_date(episode) == dt.date(2025, 1, 8)


def test_a_second_open_referral_for_the_same_child_is_refused(world, kid, open_referral):
    open_referral(dt.date(2024, 11, 1))
    with pytest.raises(services.Refused) as refused:
        open_referral(dt.date(2024, 12, 2))
    assert "8815" in codes(refused)
    assert CINEpisode.objects.filter(person=kid).count() == 1


def test_a_referral_dated_inside_an_earlier_episode_is_refused(world, kid, open_referral):
    first = open_referral(dt.date(2024, 1, 8))
    services.record_decision(actor=world.bob, episode=first, expected_version=first.version,
                             decision_date=dt.date(2024, 1, 8), nfa=False)
    first.refresh_from_db()
    authorised_assessment(world, first, factors=("21",), outcome=Assessment.Outcome.NFA)
    first.refresh_from_db()
    services.close_episode(actor=world.bob, episode=first, expected_version=first.version,
                           closure_date=dt.date(2024, 3, 1), closure_reason=ClosureReason.RC8)
    with pytest.raises(services.Refused) as refused:
        open_referral(dt.date(2024, 2, 1))
    assert "8820" in codes(refused)
    again = open_referral(dt.date(2024, 3, 1))   # the day the previous one closed: allowed
    assert again.pk


def test_impossible_referral_dates_are_refused(world, kid, open_referral):
    with pytest.raises(services.Refused) as refused:
        open_referral(timezone.localdate() + dt.timedelta(days=1))
    assert "8600" in codes(refused)
    with pytest.raises(services.Refused) as refused:
        open_referral(dt.date(2014, 7, 1))   # more than 40 weeks before a 2015 birth
    assert "8606" in codes(refused)
    kid.date_of_death = dt.date(2024, 5, 1)
    kid.save()
    with pytest.raises(services.Refused) as refused:
        open_referral(dt.date(2024, 6, 1))
    assert "8555Q" in codes(refused)
    assert not CINEpisode.objects.filter(person=kid).exists()


def test_an_adult_cannot_be_referred(world):
    with pytest.raises(services.Refused) as refused:
        services.open_episode(actor=world.alice, person=world.parent, referral_date=dt.date(2024, 11, 1), source="2A")
    assert "CHILD" in codes(refused)


def test_open_episode_refuses_a_child_outside_the_actors_scope(world):
    with pytest.raises(PermissionDenied):
        services.open_episode(actor=world.charlie, person=world.sibling, referral_date=dt.date(2024, 11, 1), source="2A")


def test_the_front_door_can_pass_its_contact(world, kid):
    from haven.front_door.models import Contact

    contact = Contact.objects.create(authority=world.westminster, source="2A", reason="Bruising seen at school",
                                     consent="given")
    episode = services.open_episode(actor=world.mash, person=kid, referral_date=dt.date(2024, 11, 1), source="2A",
                                    contact=contact, primary_need="N1")
    assert episode.contact == contact and episode.primary_need == "N1"


# --- changing the referral: clocks move, the change is audited -----------------------------------

def test_editing_the_referral_date_moves_the_clocks_and_is_audited(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    assert due_date(episode) == dt.date(2025, 1, 8)
    services.update_referral(actor=world.alice, episode=episode, expected_version=episode.version,
                             referral_date=dt.date(2025, 2, 20), source="2A", primary_need="N1")
    # Easter 2025: Good Friday 18 April and Easter Monday 21 April are not working days.
    assert due_date(episode) == dt.date(2025, 4, 28)
    assert due_date(episode, "referral_decision_1wd") == dt.date(2025, 2, 21)
    entry = AccessLog.objects.get(action="update", object_type="assessments.cinepisode", object_id=str(episode.pk))
    assert entry.username == "alice" and entry.person_id == kid.pk
    assert "referral_date" in entry.detail["changed"]
    history = list(episode.history.order_by("history_date").values_list("referral_date", "version", "history_change_reason"))
    assert [h[0] for h in history] == [dt.date(2024, 11, 1), dt.date(2025, 2, 20)]
    assert history[-1][1] == 2 and history[-1][2] == "Referral details changed"
    assert episode.history.order_by("history_date").last().history_user == world.alice


def test_a_referral_date_after_its_assessment_started_is_refused(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 5))
    with pytest.raises(services.Refused) as refused:
        services.update_referral(actor=world.alice, episode=episode, expected_version=episode.version,
                                 referral_date=dt.date(2024, 11, 6), source="2A", primary_need="N0")
    assert "1103" in codes(refused)
    episode.refresh_from_db()
    assert episode.referral_date == dt.date(2024, 11, 1)


def test_a_stale_edit_is_refused(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    stale = CINEpisode.objects.get(pk=episode.pk)
    services.update_referral(actor=world.alice, episode=episode, expected_version=1, referral_date=dt.date(2024, 11, 4),
                             source="2A", primary_need="N0")
    with pytest.raises(StaleEdit):
        services.update_referral(actor=world.bob, episode=stale, expected_version=1, referral_date=dt.date(2024, 11, 5),
                                 source="2A", primary_need="N0")


# --- the decision on the referral --------------------------------------------------------------

def test_further_action_meets_the_decision_clock(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    services.record_decision(actor=world.alice, episode=episode, expected_version=1, decision_date=dt.date(2024, 11, 4),
                             nfa=False)
    d = deadline(episode, "referral_decision_1wd")
    assert d.met_at is not None and d.met_in_time
    assert episode.is_open and not episode.referral_nfa


def test_no_further_action_closes_the_referral_with_rc7_and_stops_the_assessment_clock(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    assert deadline(episode, "assessment_45wd") is not None
    services.record_decision(actor=world.bob, episode=episode, expected_version=1, decision_date=dt.date(2024, 11, 1),
                             nfa=True)
    episode.refresh_from_db()
    assert episode.referral_nfa and episode.closure_date == dt.date(2024, 11, 1)
    assert episode.closure_reason == ClosureReason.RC7
    assert deadline(episode, "assessment_45wd") is None   # the rule does not apply to an NFA referral
    with pytest.raises(services.Refused) as refused:
        services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 2))
    assert "8831" in codes(refused)


def test_only_a_manager_can_decide_no_further_action(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    with pytest.raises(services.Refused):
        services.record_decision(actor=world.alice, episode=episode, expected_version=1,
                                 decision_date=dt.date(2024, 11, 1), nfa=True)


def test_no_further_action_is_refused_once_an_assessment_started(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 4))
    with pytest.raises(services.Refused) as refused:
        services.record_decision(actor=world.bob, episode=episode, expected_version=1,
                                 decision_date=dt.date(2024, 11, 4), nfa=True)
    assert "8831" in codes(refused)


def test_a_decision_before_the_referral_is_refused(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    with pytest.raises(services.Refused) as refused:
        services.record_decision(actor=world.alice, episode=episode, expected_version=1,
                                 decision_date=dt.date(2024, 10, 31), nfa=False)
    assert "DECISION" in codes(refused)


# --- single assessment -----------------------------------------------------------------------

def test_assessment_with_factors_and_authorisation_meets_the_clock(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    a = services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 4),
                                   child_seen_date=dt.date(2024, 11, 5), seen_alone=True, analysis="Worried about home.",
                                   outcome="cin_plan", completed_date=dt.date(2024, 12, 20), factors=["16A", "3B"])
    assert sorted(f.code for f in a.factors.all()) == ["16A", "3B"]
    assert deadline(episode, "assessment_45wd").met_at is None
    services.authorise_assessment(actor=world.bob, assessment=a, expected_version=a.version,
                                  authorised_date=dt.date(2025, 1, 8))
    a.refresh_from_db()
    assert a.authorised_by == world.bob and a.authorised_date == dt.date(2025, 1, 8)
    d = deadline(episode, "assessment_45wd")
    assert d.met_in_time   # authorised on the last day, across Christmas
    assert AccessLog.objects.filter(action="update", object_type="assessments.assessment", username="bob").exists()


def test_authorising_the_day_after_the_deadline_is_late(world, kid, open_referral):
    episode = open_referral(dt.date(2025, 2, 20))
    a = services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2025, 2, 21),
                                   outcome="nfa", completed_date=dt.date(2025, 4, 25), factors=["21"])
    services.authorise_assessment(actor=world.bob, assessment=a, expected_version=1, authorised_date=dt.date(2025, 4, 29))
    assert deadline(episode, "assessment_45wd").met_in_time is False


@pytest.mark.parametrize("values, code", [
    ({"start_date": dt.date(2024, 10, 31)}, "1103"),
    ({"start_date": dt.date(2024, 11, 4), "child_seen_date": dt.date(2024, 10, 30)}, "SEEN"),
    ({"start_date": dt.date(2024, 11, 4), "seen_alone": True}, "SEEN"),
    ({"start_date": dt.date(2024, 11, 4), "completed_date": dt.date(2024, 11, 3), "outcome": "nfa", "factors": ["21"]},
     "COMPLETED"),
    ({"start_date": dt.date(2024, 11, 4), "completed_date": dt.date(2024, 12, 3), "factors": ["21"]}, "COMPLETED"),
    ({"start_date": dt.date(2024, 11, 4), "factors": ["3A"]}, "8614"),
    ({"start_date": dt.date(2024, 11, 4), "completed_date": dt.date(2024, 12, 3), "outcome": "nfa"}, "8897Q"),
    ({"start_date": dt.date(2024, 11, 4), "completed_date": dt.date(2024, 12, 3), "outcome": "nfa",
      "factors": ["21", "3A"]}, "8869"),
    ({"start_date": dt.date(2024, 11, 4), "completed_date": dt.date(2024, 12, 3), "outcome": "nfa",
      "factors": ["18A"]}, "8945Q"),
])
def test_impossible_assessments_are_refused(world, kid, open_referral, values, code):
    episode = open_referral(dt.date(2024, 11, 1))
    with pytest.raises(services.Refused) as refused:
        services.create_assessment(actor=world.alice, episode=episode, **values)
    assert code in codes(refused)
    assert not Assessment.objects.filter(episode=episode).exists()


def test_a_second_assessment_while_one_is_ongoing_is_refused(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 4))
    with pytest.raises(services.Refused) as refused:
        services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 20))
    assert "8896" in codes(refused)


@pytest.mark.parametrize("authorised, code", [
    (dt.date(2024, 11, 3), "8608"),          # before it started
    (dt.date(2024, 12, 19), "AUTHORISED"),   # before it was completed
    (None, "FUTURE"),                        # tomorrow
])
def test_impossible_authorisation_dates_are_refused(world, kid, open_referral, authorised, code):
    episode = open_referral(dt.date(2024, 11, 1))
    a = services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 4), outcome="nfa",
                                   completed_date=dt.date(2024, 12, 20), factors=["21"])
    with pytest.raises(services.Refused) as refused:
        services.authorise_assessment(actor=world.bob, assessment=a, expected_version=1,
                                      authorised_date=authorised or timezone.localdate() + dt.timedelta(days=1))
    assert code in codes(refused)
    a.refresh_from_db()
    assert a.authorised_date is None and a.authorised_by is None


def test_an_assessment_must_be_completed_before_authorisation(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    a = services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 4))
    with pytest.raises(services.Refused) as refused:
        services.authorise_assessment(actor=world.bob, assessment=a, expected_version=1,
                                      authorised_date=dt.date(2024, 12, 2))
    assert "AUTHORISED" in codes(refused)


def test_only_a_manager_can_authorise(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    a = services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 4), outcome="nfa",
                                   completed_date=dt.date(2024, 12, 20), factors=["21"])
    with pytest.raises(PermissionDenied):
        services.authorise_assessment(actor=world.alice, assessment=a, expected_version=1,
                                      authorised_date=dt.date(2024, 12, 20))


def test_an_authorised_assessment_cannot_be_changed(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    a = authorised_assessment(world, episode)
    with pytest.raises(services.Refused) as refused:
        services.update_assessment(actor=world.alice, assessment=a, expected_version=a.version, factors=["3A"],
                                   analysis="Rewritten")
    assert "AUTHORISED" in codes(refused)


def test_updating_an_assessment_replaces_its_factors(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    a = services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 4))
    services.update_assessment(actor=world.alice, assessment=a, expected_version=1, factors=["3B", "16A"],
                               completed_date=dt.date(2024, 12, 2), outcome="cin_plan", analysis="Done")
    services.update_assessment(actor=world.alice, assessment=a, expected_version=2, factors=["16A"],
                               completed_date=dt.date(2024, 12, 2), outcome="cin_plan", analysis="Done")
    assert [f.code for f in a.factors.all()] == ["16A"]
    entry = AccessLog.objects.filter(action="update", object_type="assessments.assessment").latest("pk")
    assert entry.detail["changed"] == ["factors"]


# --- exemptions and extensions ---------------------------------------------------------------

def test_an_extension_gives_a_new_due_date_and_is_audited(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    exemption = services.record_exemption(actor=world.bob, episode=episode, rule="assessment_45wd", kind="extend",
                                          extended_to=dt.date(2025, 1, 22), reason="Child in hospital for two weeks")
    assert due_date(episode) == dt.date(2025, 1, 22)
    d = deadline(episode, "assessment_45wd")
    assert not d.exempt and d.exemption_reason == "Extended: Child in hospital for two weeks"
    entry = AccessLog.objects.get(action="create", object_type="work.timescaleexemption", object_id=str(exemption.pk))
    assert entry.person_id == kid.pk and entry.username == "bob"
    assert exemption.decided_by == world.bob and exemption.authority == world.westminster


def test_an_exemption_stops_the_clock(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    services.record_exemption(actor=world.bob, episode=episode, rule="assessment_45wd", kind="exempt",
                              reason="Family moved abroad; assessment cannot continue")
    d = deadline(episode, "assessment_45wd")
    assert d.exempt and not d.is_overdue
    # A later change to the episode recomputes the deadlines and keeps the exemption.
    services.update_referral(actor=world.alice, episode=episode, expected_version=episode.version,
                             referral_date=dt.date(2024, 11, 4), source="2A", primary_need="N0")
    assert deadline(episode, "assessment_45wd").exempt


@pytest.mark.parametrize("values, field", [
    ({"kind": "extend", "extended_to": dt.date(2025, 1, 8)}, "extended_to"),   # not after the due date
    ({"kind": "extend"}, "extended_to"),
    ({"kind": "exempt", "reason": " "}, "reason"),
    ({"kind": "exempt", "rule": "referral_decision_1wd"}, "rule"),              # not exemptible
])
def test_impossible_exemptions_are_refused(world, kid, open_referral, values, field):
    from haven.work.models import TimescaleExemption

    episode = open_referral(dt.date(2024, 11, 1))
    args = {"rule": "assessment_45wd", "reason": "A reason", **values}
    with pytest.raises(services.Refused) as refused:
        services.record_exemption(actor=world.bob, episode=episode, **args)
    assert field in {p.field for p in refused.value.problems}
    assert not TimescaleExemption.objects.filter(object_id=episode.pk).exists()


def test_no_exemption_once_the_clock_is_met_or_by_a_social_worker(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    with pytest.raises(PermissionDenied):
        services.record_exemption(actor=world.alice, episode=episode, rule="assessment_45wd", kind="exempt", reason="x")
    authorised_assessment(world, episode)
    with pytest.raises(services.Refused):
        services.record_exemption(actor=world.bob, episode=episode, rule="assessment_45wd", kind="exempt", reason="x")


# --- closure ---------------------------------------------------------------------------------

def test_closing_after_an_assessment_with_step_down_sets_rc9(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    authorised_assessment(world, episode, outcome=Assessment.Outcome.EARLY_HELP)
    episode.refresh_from_db()
    services.close_episode(actor=world.bob, episode=episode, expected_version=episode.version,
                           closure_date=dt.date(2024, 12, 2), closure_reason="", stepped_down_to_early_help=True)
    episode.refresh_from_db()
    assert episode.closure_reason == ClosureReason.RC9 and episode.stepped_down_to_early_help
    assert not episode.is_open
    assert AccessLog.objects.filter(action="update", object_id=str(episode.pk), summary__contains="RC9").exists()


def test_closing_stops_a_running_clock(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    services.close_episode(actor=world.bob, episode=episode, expected_version=1, closure_date=dt.date(2024, 11, 8),
                           closure_reason=ClosureReason.RC5)
    assert deadline(episode, "assessment_45wd") is None   # due after the closure: the clock stopped


@pytest.mark.parametrize("closure, reason, code", [
    (dt.date(2024, 10, 31), ClosureReason.RC7, "8630"),
    (None, ClosureReason.RC7, "CLOSURE"),                    # tomorrow
    (dt.date(2024, 11, 8), "", "8805"),
    (dt.date(2024, 11, 8), ClosureReason.RC8, "8825Q"),       # RC8 without an assessment
    (dt.date(2024, 11, 8), ClosureReason.RC2, "8585Q"),       # died, no date of death
])
def test_impossible_closures_are_refused(world, kid, open_referral, closure, reason, code):
    episode = open_referral(dt.date(2024, 11, 1))
    with pytest.raises(services.Refused) as refused:
        services.close_episode(actor=world.bob, episode=episode, expected_version=1,
                               closure_date=closure or timezone.localdate() + dt.timedelta(days=1), closure_reason=reason)
    assert code in codes(refused)
    episode.refresh_from_db()
    assert episode.is_open


def test_closing_before_the_assessment_was_authorised_is_refused(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    authorised_assessment(world, episode, start=dt.date(2024, 11, 4))   # authorised 26 November
    episode.refresh_from_db()
    with pytest.raises(services.Refused) as refused:
        services.close_episode(actor=world.bob, episode=episode, expected_version=episode.version,
                               closure_date=dt.date(2024, 11, 20), closure_reason=ClosureReason.RC7)
    assert "8565" in codes(refused)


def test_closing_with_an_unauthorised_assessment_is_refused(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 4))
    with pytest.raises(services.Refused) as refused:
        services.close_episode(actor=world.bob, episode=episode, expected_version=1, closure_date=dt.date(2024, 12, 2),
                               closure_reason=ClosureReason.RC7)
    assert "8867" in codes(refused)


def test_closing_while_a_child_protection_plan_is_open_is_refused(world, kid, open_referral):
    from haven.plans.models import Plan

    episode = open_referral(dt.date(2024, 11, 1))
    plan = Plan.objects.create(person=kid, episode=episode, authority=kid.authority, kind=Plan.Kind.CP,
                               start_date=dt.date(2024, 11, 20), initial_category="NEG", latest_category="NEG")
    with pytest.raises(services.Refused) as refused:
        services.close_episode(actor=world.bob, episode=episode, expected_version=1, closure_date=dt.date(2024, 12, 2),
                               closure_reason=ClosureReason.RC7)
    assert "CPP" in codes(refused)
    assert "open child protection plan" in str(refused.value)
    plan.end_date = dt.date(2024, 12, 1)
    plan.save()
    services.close_episode(actor=world.bob, episode=episode, expected_version=1, closure_date=dt.date(2024, 12, 2),
                           closure_reason=ClosureReason.RC7)


def test_closing_with_an_unfinished_s47_is_refused(world, kid, open_referral):
    from haven.protection.models import S47Enquiry, StrategyDiscussion

    episode = open_referral(dt.date(2024, 11, 1))
    sd = StrategyDiscussion.objects.create(authority=kid.authority,
                                           held_at=timezone.make_aware(dt.datetime(2024, 11, 1, 15, 0)))
    s47 = S47Enquiry.objects.create(person=kid, episode=episode, strategy_discussion=sd, authority=kid.authority,
                                    start_date=dt.date(2024, 11, 2))
    with pytest.raises(services.Refused) as refused:
        services.close_episode(actor=world.bob, episode=episode, expected_version=1, closure_date=dt.date(2024, 12, 2),
                               closure_reason=ClosureReason.RC7)
    assert "8868" in codes(refused)
    s47.outcome = S47Enquiry.Outcome.NOT_SUBSTANTIATED
    s47.completed_date = dt.date(2024, 11, 20)
    s47.save()
    with pytest.raises(services.Refused) as refused:   # RC8 cannot follow a section 47 enquiry
        services.close_episode(actor=world.bob, episode=episode, expected_version=1, closure_date=dt.date(2024, 12, 2),
                               closure_reason=ClosureReason.RC8)
    assert "2990" in codes(refused)
    services.close_episode(actor=world.bob, episode=episode, expected_version=1, closure_date=dt.date(2024, 12, 2),
                           closure_reason=ClosureReason.RC7)


def test_only_a_manager_can_close(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    with pytest.raises(PermissionDenied):
        services.close_episode(actor=world.alice, episode=episode, expected_version=1, closure_date=dt.date(2024, 11, 8),
                               closure_reason=ClosureReason.RC7)


def test_a_closed_episode_takes_no_new_assessment(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    services.close_episode(actor=world.bob, episode=episode, expected_version=1, closure_date=dt.date(2024, 11, 8),
                           closure_reason=ClosureReason.RC5)
    with pytest.raises(services.Refused) as refused:
        services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 8))
    assert "8565" in codes(refused)


def test_imported_records_are_flagged_not_hidden(world, kid):
    """A record saved around the forms (an import) keeps its data; the episode says what breaks."""
    episode = CINEpisode.objects.create(person=kid, authority=kid.authority, referral_date=dt.date(2024, 11, 1),
                                        source="2A", closure_date=dt.date(2024, 10, 1))
    Assessment.objects.create(episode=episode, person=kid, authority=kid.authority, start_date=dt.date(2024, 10, 20))
    found = {p.code for p in services.episode_problems(episode)}
    assert {"8630", "8805", "1103", "8867"} <= found


def test_the_chronology_shows_each_dated_fact(world, kid, open_referral):
    from haven.chronology.registry import chronology_for

    episode = open_referral(dt.date(2024, 11, 1))
    services.record_decision(actor=world.alice, episode=episode, expected_version=1, decision_date=dt.date(2024, 11, 4),
                             nfa=False)
    authorised_assessment(world, episode, outcome=Assessment.Outcome.EARLY_HELP)
    episode.refresh_from_db()
    services.close_episode(actor=world.bob, episode=episode, expected_version=episode.version,
                           closure_date=dt.date(2024, 12, 2), closure_reason="", stepped_down_to_early_help=True)
    titles = {e.title for e in chronology_for(kid, world.alice)}
    assert {"Referral to children's social care", "Decision on referral: further action", "Single assessment started",
            "Child seen alone", "Single assessment completed", "Single assessment authorised", "Case closed"} <= titles


def test_other_modules_can_ask_whether_an_activity_fits_the_episode(world, kid, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    assert services.activity_problems(episode=episode, kind="s47", start=dt.date(2024, 11, 2)) == []
    assert [p.code for p in services.activity_problems(episode=episode, kind="s47", start=dt.date(2024, 10, 30))] == ["2889"]
    assert "1105" in {p.code for p in services.activity_problems(episode=episode, kind="cp_plan", start=dt.date(2024, 10, 1))}
    services.close_episode(actor=world.bob, episode=episode, expected_version=1, closure_date=dt.date(2024, 11, 8),
                           closure_reason="RC5")
    episode.refresh_from_db()
    found = services.activity_problems(episode=episode, kind="cin_plan", start=dt.date(2024, 11, 20))
    assert "8565" in {p.code for p in found} and found[0].field == "start"
    nfa = open_referral(dt.date(2024, 11, 8))
    services.record_decision(actor=world.bob, episode=nfa, expected_version=1, decision_date=dt.date(2024, 11, 8), nfa=True)
    nfa.refresh_from_db()
    assert {"8831"} <= {p.code for p in services.activity_problems(episode=nfa, kind="s47", start=dt.date(2024, 11, 8))}
