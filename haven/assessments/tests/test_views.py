"""The referral and assessment pages: forms, GOV.UK error summaries, who may do what, and the
episode page reading its clocks from ``Deadline``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.assessments import services
from haven.assessments.models import Assessment, CINEpisode
from haven.audit.models import AccessLog
from haven.work.models import TimescaleExemption

from .helpers import date_fields, deadline, due_date

pytestmark = pytest.mark.django_db


def referral_data(day=dt.date(2024, 11, 1), **extra):
    return {**date_fields("referral_date", day), "source": "2A", "primary_need": "N1", **extra}


def page(response) -> str:
    return response.content.decode()


# --- record a referral -----------------------------------------------------------------------

def test_alice_records_a_referral_from_the_childs_record(world, kid, as_user):
    client = as_user(world.alice)
    url = reverse("assessments:episode-create", args=[kid.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, referral_data())
    episode = CINEpisode.objects.get(person=kid)
    assert response.status_code == 302 and response["Location"] == episode.get_absolute_url()
    assert episode.created_by == world.alice and episode.referral_date == dt.date(2024, 11, 1)
    assert AccessLog.objects.filter(action="create", object_id=str(episode.pk), username="alice").exists()


@pytest.mark.parametrize("data, message", [
    (referral_data(day=None), "Enter referral date"),
    (referral_data(source=""), "Select referral source"),
    ({**referral_data(), "referral_date_0": "31", "referral_date_1": "2"}, "Referral date must be a real date"),
    (referral_data(day=dt.date(2099, 1, 1)), "Referral date must be today or in the past"),
    (referral_data(day=dt.date(2014, 7, 1)), "more than 40 weeks before the child"),
])
def test_bad_referrals_show_the_error_summary_and_save_nothing(world, kid, as_user, data, message):
    client = as_user(world.alice)
    response = client.post(reverse("assessments:episode-create", args=[kid.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in page(response) and message in page(response)
    assert page(response).count("govuk-error-summary") >= 1
    assert not CINEpisode.objects.filter(person=kid).exists()


def test_a_second_open_referral_is_refused_on_the_page(world, kid, as_user, open_referral):
    first = open_referral()
    client = as_user(world.alice)
    url = reverse("assessments:episode-create", args=[kid.pk])
    assert "already has an open referral" in page(client.get(url))
    response = client.post(url, referral_data(day=dt.date(2024, 12, 2)))
    assert response.status_code == 200 and "already has an open referral" in page(response)
    assert list(CINEpisode.objects.filter(person=kid)) == [first]


def test_outsiders_and_readers_cannot_record_referrals(world, kid, as_user):
    url = reverse("assessments:episode-create", args=[kid.pk])
    assert as_user(world.charlie).post(url, referral_data()).status_code == 404
    assert as_user(world.petra).post(url, referral_data()).status_code == 403
    assert not CINEpisode.objects.filter(person=kid).exists()


# --- the episode page ------------------------------------------------------------------------

def test_the_episode_page_shows_the_clocks_as_deadline_records_them(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    client = as_user(world.alice)
    html = page(client.get(episode.get_absolute_url()))
    assert "8 January 2025" in html and "Overdue by" in html
    # The page reads Deadline, it does not recompute the rule: move the stored deadline and see it.
    d = deadline(episode, "assessment_45wd")
    d.due_at = timezone.make_aware(dt.datetime(2025, 2, 3, 23, 59))
    d.save()
    assert "3 February 2025" in page(client.get(episode.get_absolute_url()))
    assert AccessLog.objects.filter(action="view", object_id=str(episode.pk), username="alice").exists()


def test_the_episode_page_flags_census_problems_of_imported_records(world, kid, as_user):
    episode = CINEpisode.objects.create(person=kid, authority=kid.authority, referral_date=dt.date(2024, 11, 1),
                                        source="2A", closure_date=dt.date(2024, 10, 1), closure_reason="RC7")
    html = page(as_user(world.alice).get(episode.get_absolute_url()))
    assert "breaks CIN census rules" in html and "8630" in html


def test_outsiders_get_404_for_episode_pages(world, kid, as_user, open_referral):
    episode = open_referral()
    client = as_user(world.charlie)
    for name in ("episode-detail", "episode-edit", "episode-decision"):
        assert client.get(reverse(f"assessments:{name}", args=[episode.pk])).status_code == 404
    assert as_user(world.petra).get(episode.get_absolute_url()).status_code == 404   # not allocated to her


# --- change the referral ---------------------------------------------------------------------

def test_changing_the_referral_date_on_the_page_moves_the_deadline(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    client = as_user(world.alice)
    url = reverse("assessments:episode-edit", args=[episode.pk])
    assert 'value="2024"' in page(client.get(url))
    response = client.post(url, referral_data(day=dt.date(2025, 2, 20), version=1))
    assert response.status_code == 302
    assert due_date(episode) == dt.date(2025, 4, 28)
    assert AccessLog.objects.filter(action="update", object_id=str(episode.pk), username="alice").exists()
    assert episode.history.count() == 2


def test_a_stale_edit_keeps_the_input_and_says_who_changed_it(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    services.update_referral(actor=world.bob, episode=episode, expected_version=1, referral_date=dt.date(2024, 11, 4),
                             source="2A", primary_need="N0")
    response = as_user(world.alice).post(reverse("assessments:episode-edit", args=[episode.pk]),
                                         referral_data(day=dt.date(2024, 11, 5), version=1))
    assert response.status_code == 200
    assert "changed this record" in page(response) and "Bob" in page(response)
    episode.refresh_from_db()
    assert episode.referral_date == dt.date(2024, 11, 4)


# --- decision --------------------------------------------------------------------------------

def test_recording_the_decision(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    url = reverse("assessments:episode-decision", args=[episode.pk])
    client = as_user(world.alice)
    response = client.post(url, {"decision": "nfa", **date_fields("decision_date", dt.date(2024, 11, 1)), "version": 1})
    assert response.status_code == 200 and "Only a manager" in page(response)
    response = client.post(url, {"decision": "further", **date_fields("decision_date", dt.date(2024, 10, 31)),
                                 "version": 1})
    assert "on or after the referral date" in page(response)
    response = client.post(url, {"decision": "further", **date_fields("decision_date", dt.date(2024, 11, 4)),
                                 "version": 1})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.decision_date == dt.date(2024, 11, 4) and not episode.referral_nfa


def test_a_manager_closes_a_referral_with_no_further_action(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    response = as_user(world.bob).post(reverse("assessments:episode-decision", args=[episode.pk]),
                                       {"decision": "nfa", **date_fields("decision_date", dt.date(2024, 11, 1)),
                                        "version": 1})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.referral_nfa and episode.closure_reason == "RC7" and episode.closure_date == dt.date(2024, 11, 1)


# --- assessments -----------------------------------------------------------------------------

def assessment_data(**extra):
    data = {**date_fields("start_date", dt.date(2024, 11, 4)), **date_fields("child_seen_date", dt.date(2024, 11, 5)),
            "seen_alone": "on", "analysis": "Lily is safe at school; worries about home.",
            **date_fields("completed_date", None)}
    data.update(extra)
    return data


def test_starting_and_completing_an_assessment_on_the_pages(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    client = as_user(world.alice)
    url = reverse("assessments:assessment-create", args=[episode.pk])
    html = page(client.get(url))
    assert 'data-behaviour="exclusive"' in html and "21 No factors identified" in html
    assert html.count('class="govuk-checkboxes__item"') == 42 + 1 and 'class="govuk-checkboxes__input"' in html  # 42 DfE factors, and 'seen alone'
    response = client.post(url, assessment_data())
    assessment = Assessment.objects.get(episode=episode)
    assert response.status_code == 302 and assessment.seen_alone and assessment.person == kid
    edit = reverse("assessments:assessment-edit", args=[assessment.pk])
    response = client.post(edit, {**assessment_data(), **date_fields("completed_date", dt.date(2024, 12, 20)),
                                  "outcome": "cin_plan", "factors": ["16A", "3B"], "version": 1})
    assert response.status_code == 302, page(response)[:3000]
    assert sorted(f.code for f in assessment.factors.all()) == ["16A", "3B"]
    assert "16A Neglect" in page(client.get(assessment.get_absolute_url()))


@pytest.mark.parametrize("extra, message", [
    ({**date_fields("start_date", dt.date(2024, 10, 31))}, "The start date must be on or after the referral date"),
    ({**date_fields("start_date", dt.date(2099, 1, 1))}, "Start date must be today or in the past"),
    ({"factors": ["21", "3A"], **date_fields("completed_date", dt.date(2024, 12, 1)), "outcome": "nfa"},
     "Select &#x27;No factors identified&#x27;, or select factors, not both"),
    ({"factors": ["3A"]}, "factors are recorded for a completed assessment"),
    ({**date_fields("completed_date", dt.date(2024, 12, 1)), "outcome": "nfa"}, "Select the factors identified"),
    ({**date_fields("completed_date", dt.date(2024, 11, 2)), "outcome": "nfa", "factors": ["21"]},
     "must be on or after its start date"),
])
def test_impossible_assessments_show_clear_messages(world, kid, as_user, open_referral, extra, message):
    episode = open_referral(dt.date(2024, 11, 1))
    response = as_user(world.alice).post(reverse("assessments:assessment-create", args=[episode.pk]),
                                         assessment_data(**extra))
    assert response.status_code == 200
    assert "There is a problem" in page(response) and message in page(response)
    assert not Assessment.objects.filter(episode=episode).exists()


def test_a_manager_authorises_and_the_clock_is_met(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    a = services.create_assessment(actor=world.alice, episode=episode, start_date=dt.date(2024, 11, 4), outcome="nfa",
                                   completed_date=dt.date(2024, 12, 20), factors=["21"])
    url = reverse("assessments:assessment-authorise", args=[a.pk])
    assert as_user(world.alice).get(url).status_code == 403
    client = as_user(world.bob)
    response = client.post(url, {**date_fields("authorised_date", dt.date(2024, 12, 19)), "version": 1})
    assert "on or after the date the assessment was completed" in page(response)
    response = client.post(url, {**date_fields("authorised_date", dt.date(2025, 1, 6)), "version": 1})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.authorised_by == world.bob
    assert deadline(episode, "assessment_45wd").met_in_time
    assert "Met on 6 January 2025" in page(client.get(episode.get_absolute_url()))


# --- exemption, extension --------------------------------------------------------------------

def test_a_manager_extends_the_assessment_clock_on_the_page(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    url = reverse("assessments:exemption-create", args=[episode.pk])
    assert as_user(world.alice).get(url).status_code == 403
    client = as_user(world.bob)
    assert "Due 8 January 2025" in page(client.get(url))
    response = client.post(url, {"rule": "assessment_45wd", "kind": "extend",
                                 **date_fields("extended_to", dt.date(2025, 1, 7)), "reason": "Interpreter needed"})
    assert "must be after the current due date (8 January 2025)" in page(response)
    response = client.post(url, {"rule": "assessment_45wd", "kind": "extend",
                                 **date_fields("extended_to", dt.date(2025, 1, 22)), "reason": "Interpreter needed"})
    assert response.status_code == 302
    assert due_date(episode) == dt.date(2025, 1, 22)
    assert TimescaleExemption.objects.get(object_id=episode.pk).decided_by == world.bob
    html = page(client.get(episode.get_absolute_url()))
    assert "22 January 2025" in html and "Extended" in html and "Interpreter needed" in html


def test_a_manager_stops_the_clock_on_the_page(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    response = as_user(world.bob).post(reverse("assessments:exemption-create", args=[episode.pk]),
                                       {"rule": "assessment_45wd", "kind": "exempt",
                                        **date_fields("extended_to", None), "reason": "Family left the country"})
    assert response.status_code == 302
    assert deadline(episode, "assessment_45wd").exempt


# --- closure ---------------------------------------------------------------------------------

def test_closing_on_the_page_refuses_an_open_cp_plan_with_a_clear_message(world, kid, as_user, open_referral):
    from haven.plans.models import Plan

    episode = open_referral(dt.date(2024, 11, 1))
    Plan.objects.create(person=kid, episode=episode, authority=kid.authority, kind=Plan.Kind.CP,
                        start_date=dt.date(2024, 11, 20), initial_category="NEG", latest_category="NEG")
    url = reverse("assessments:episode-close", args=[episode.pk])
    assert as_user(world.alice).get(url).status_code == 403
    client = as_user(world.bob)
    assert "A child protection plan started 20 November 2024 is still open" in page(client.get(url))
    response = client.post(url, {**date_fields("closure_date", dt.date(2024, 12, 2)), "closure_reason": "RC7",
                                 "version": 1})
    assert response.status_code == 200
    assert "open child protection plan on this referral: end the plan before closing" in page(response)
    episode.refresh_from_db()
    assert episode.is_open


def test_closing_on_the_page(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    client = as_user(world.bob)
    url = reverse("assessments:episode-close", args=[episode.pk])
    assert "Reason for closure (optional)" not in page(client.get(url))
    response = client.post(url, {**date_fields("closure_date", dt.date(2024, 11, 8)), "version": 1})
    assert "Select the reason for closure" in page(response)
    response = client.post(url, {**date_fields("closure_date", dt.date(2024, 11, 8)), "closure_reason": "RC5",
                                 "version": 1})
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.closure_reason == "RC5" and episode.closure_date == dt.date(2024, 11, 8)


# --- the panel on the child's summary ----------------------------------------------------------

def test_the_childs_summary_lists_referrals_with_status_and_links(world, kid, as_user, open_referral):
    client = as_user(world.alice)
    html = page(client.get(kid.get_absolute_url()))
    assert "Referrals and assessments" in html and "No referrals to children" in html
    assert reverse("assessments:episode-create", args=[kid.pk]) in html
    episode = open_referral(dt.date(2024, 11, 1))
    html = page(client.get(kid.get_absolute_url()))
    assert episode.get_absolute_url() in html and "Open" in html and "Assessment due 08/01/2025" in html
    assert reverse("assessments:assessment-create", args=[episode.pk]) in html
    assert reverse("assessments:episode-create", args=[kid.pk]) not in html   # one open referral at a time


def test_the_panel_is_not_shown_without_the_capability_or_for_adults(world, as_user):
    from haven.people.panels import panels_for

    assert not [p for p in panels_for(world.parent, world.alice) if p.title == "Referrals and assessments"]
    assert not [p for p in panels_for(world.child, world.sid) if p.title == "Referrals and assessments"]
    assert [p for p in panels_for(world.child, world.alice) if p.title == "Referrals and assessments"]
