"""Pages and /api/v1/looked-after: who may read and record, the GOV.UK error summary, the
SSDA903 warnings and their acknowledgement, scope, audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.looked_after.models import Episode, PeriodOfCare, Provider

from .conftest import date_fields

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=60)


@pytest.fixture(autouse=True)
def _today():
    """Today as each test runs, not as the module was collected (a run may cross midnight)."""
    global TODAY, START
    TODAY = timezone.localdate()
    START = TODAY - dt.timedelta(days=60)
API = "/api/v1/looked-after"


def start_data(**kw):
    data = {**date_fields("start_date", START), "legal_status": "C2", "category_of_need": "N1", "place": "U6",
            "provider_code": "PR1", "carer": "Ms Foster", "postcode": "W9 3AB", "home_postcode": "W2 4AB"}
    data.update(kw)
    return data


def post_json(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data, default=str), content_type="application/json")


def test_start_page_refuses_then_starts(world, kid, as_user):
    client = as_user(world.alice)
    url = f"/looked-after/child/{kid.pk}/start/"
    assert client.get(url).status_code == 200
    bad = client.post(url, start_data(**date_fields("start_date", TODAY + dt.timedelta(days=3)), legal_status=""))
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "govuk-error-summary" in body and "Select legal status" in body
    ok = client.post(url, start_data())
    period = PeriodOfCare.objects.get(person=kid)
    assert ok.status_code == 302 and ok["Location"] == period.get_absolute_url()
    page = client.get(period.get_absolute_url())
    assert page.status_code == 200
    assert AccessLog.objects.filter(person_id=kid.pk, action="view").exists()
    assert "Westminster" in page.content.decode()


def test_warnings_are_shown_then_saved_when_acknowledged(world, kid, as_user):
    client = as_user(world.alice)
    url = f"/looked-after/child/{kid.pk}/start/"
    first = client.post(url, start_data(place="K2", provider_code="PR4", postcode="W2 4AB"))
    body = first.content.decode()
    assert first.status_code == 200 and "govuk-error-summary" in body
    assert "I have checked these warnings and want to save" in body and "392d" in body and "218" in body
    assert not PeriodOfCare.objects.filter(person=kid).exists()
    codes = first.context["form"].data["warning_codes"]
    second = client.post(url, start_data(place="K2", provider_code="PR4", postcode="W2 4AB",
                                         acknowledge_warnings="on", warning_codes=codes))
    assert second.status_code == 302
    episode = Episode.objects.get(person=kid)
    assert "392d" in episode.warnings_acknowledged
    assert "Warnings acknowledged" in client.get(episode.period.get_absolute_url()).content.decode()


def test_move_legal_status_end_and_correct_pages(world, kid, as_user):
    client = as_user(world.alice)
    client.post(f"/looked-after/child/{kid.pk}/start/", start_data())
    period = PeriodOfCare.objects.get(person=kid)
    move_day = START + dt.timedelta(days=10)
    r = client.post(f"/looked-after/periods/{period.pk}/placement/", {
        **date_fields("date", move_day), "place": "U4", "provider_code": "PR4", "postcode": "W11 2AB",
        "reason_for_change": "CARPL"})
    assert r.status_code == 302, r.content.decode()[:3000]
    r = client.post(f"/looked-after/periods/{period.pk}/legal-status/", {
        **date_fields("date", move_day + dt.timedelta(days=5)), "legal_status": "C1"})
    assert r.status_code == 302
    assert [e.reason_new for e in period.episodes.order_by("start_date", "pk")] == ["S", "P", "L"]
    last = period.episodes.order_by("-start_date", "-pk").first()
    page = client.get(f"/looked-after/episodes/{last.pk}/correct/")
    assert page.status_code == 200
    r = client.post(f"/looked-after/episodes/{last.pk}/correct/", {
        **date_fields("start_date", last.start_date), "reason_new": "L", "legal_status": "C1",
        "category_of_need": "N2", **date_fields("end_date", None), "end_reason": "", "version": last.version})
    assert r.status_code == 302
    last.refresh_from_db()
    assert last.category_of_need == "N2"
    r = client.post(f"/looked-after/periods/{period.pk}/end/", {**date_fields("date", TODAY), "reason": "X1"})
    assert r.status_code == 200 and "govuk-error-summary" in r.content.decode()
    r = client.post(f"/looked-after/periods/{period.pk}/end/", {**date_fields("date", TODAY), "reason": "E13"})
    assert r.status_code == 302
    period.refresh_from_db()
    assert period.end_reason == "E13"
    detail = client.get(period.get_absolute_url()).content.decode()
    assert "Change placement" not in detail and "CARPL" in detail


@pytest.mark.parametrize("persona", ["petra", "nora"])
def test_readers_and_strangers_cannot_record(world, kid, as_user, persona):
    client = as_user(getattr(world, persona))
    period = PeriodOfCare.objects.get(person=world.la_child)
    assert client.get(f"/looked-after/child/{kid.pk}/start/").status_code in (403, 404)
    assert client.post(f"/looked-after/child/{kid.pk}/start/", start_data()).status_code in (403, 404)
    assert client.get(f"/looked-after/periods/{period.pk}/placement/").status_code in (403, 404)
    assert client.post(f"{API}/children/{kid.pk}/periods", {}).status_code in (403, 404)
    assert not PeriodOfCare.objects.filter(person=kid).exists()


def test_charlie_gets_404_on_westminster_and_sees_his_own(world, as_user):
    client = as_user(world.charlie)
    wcc = PeriodOfCare.objects.get(person=world.la_child)
    hf = PeriodOfCare.objects.get(person=world.la_outsider)
    for url in (f"/looked-after/periods/{wcc.pk}/", f"/looked-after/periods/{wcc.pk}/placement/",
                f"/looked-after/periods/{wcc.pk}/end/", f"{API}/periods/{wcc.pk}",
                f"{API}/children/{world.la_child.pk}/periods"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/looked-after/periods/{hf.pk}/").status_code == 200
    assert client.get(f"{API}/periods/{hf.pk}").status_code == 200


def test_providers(world, as_user):
    client = as_user(world.alice)
    assert "Oakfield House" in client.get("/looked-after/providers/").content.decode()
    bad = client.post("/looked-after/providers/add/", {"name": "New Home", "urn": "12", "provider_code": "PR4"})
    assert bad.status_code == 200 and "Ofsted URN" in bad.content.decode()
    ok = client.post("/looked-after/providers/add/", {"name": "New Home", "urn": "sc123123", "provider_code": "PR4",
                                                       "ofsted_rating": "good", **date_fields("rating_date", TODAY)})
    assert ok.status_code == 302
    provider = Provider.objects.get(name="New Home")
    assert provider.urn == "SC123123" and provider.authority == world.westminster
    r = client.post(f"/looked-after/providers/{provider.pk}/edit/", {
        "name": "New Home", "urn": "SC123123", "provider_code": "PR4", "ofsted_rating": "outstanding",
        **date_fields("rating_date", TODAY), "active": "on"})
    assert r.status_code == 302
    provider.refresh_from_db()
    assert provider.ofsted_rating == "outstanding"
    assert as_user(world.petra).get("/looked-after/providers/add/").status_code == 403


def test_summary_page_shows_the_panel(world, as_user):
    client = as_user(world.alice)
    body = client.get(world.la_child.get_absolute_url()).content.decode()
    assert 'data-testid="looked-after-panel"' in body and "Oakfield House" in body


def test_api_start_move_status_end(world, kid, as_user):
    client = as_user(world.alice)
    body = {"start_date": START, "legal_status": "C2", "category_of_need": "N1", "place": "K2",
            "provider_code": "PR4", "postcode": "W2 4AB", "home_postcode": "W2 4AB"}
    warned = post_json(client, f"{API}/children/{kid.pk}/periods", body)
    assert warned.status_code == 422
    assert {"218", "392d"} <= {e["code"] for e in warned.json()["errors"]}
    refused = post_json(client, f"{API}/children/{kid.pk}/periods", {**body, "legal_status": "ZZ"})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "legal_status"
    created = post_json(client, f"{API}/children/{kid.pk}/periods", {**body, "acknowledge_warnings": True})
    assert created.status_code == 201
    period_id = created.json()["id"]
    moved = post_json(client, f"{API}/periods/{period_id}/placements", {
        "date": START + dt.timedelta(days=5), "place": "U6", "provider_code": "PR1", "postcode": "W9 3AB",
        "reason_for_change": "CHILD"})
    assert moved.status_code == 201 and moved.json()["reason_new"] == "P"
    status = post_json(client, f"{API}/periods/{period_id}/episodes", {"date": START + dt.timedelta(days=6),
                                                                       "legal_status": "C1"})
    assert status.status_code == 201 and status.json()["reason_new"] == "L"
    listed = client.get(f"{API}/children/{kid.pk}/periods").json()
    assert [e["reason_new"] for e in listed[0]["episodes"]] == ["S", "P", "L"]
    assert len(listed[0]["placements"]) == 2 and listed[0]["placements"][1]["distance_miles"] is not None
    ended = post_json(client, f"{API}/periods/{period_id}", {"end_date": TODAY, "end_reason": "X1"}, "patch")
    assert ended.status_code == 422
    ended = post_json(client, f"{API}/periods/{period_id}", {"end_date": TODAY, "end_reason": "E4A"}, "patch")
    assert ended.status_code == 200 and ended.json()["end_reason"] == "E4A"
    assert as_user(world.petra).get(f"{API}/children/{kid.pk}/periods").status_code in (403, 404)


def test_api_is_in_the_openapi(world, as_user):
    paths = as_user(world.alice).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/looked-after/children/{person_pk}/periods" in paths
    assert "patch" in paths["/api/v1/looked-after/periods/{pk}"]


def test_the_period_page_says_when_a_plan_is_still_open(world, kid, as_user):
    """A child on a child protection plan comes into care: the period page says the plan is still
    open and links to ending it; once ended, it says nothing."""
    from haven.assessments.models import CINEpisode
    from haven.plans.models import Plan

    episode = CINEpisode.objects.create(person=kid, authority=world.westminster, referral_date=START - dt.timedelta(days=200),
                                        source="6", primary_need="N1")
    plan = Plan.objects.create(person=kid, episode=episode, kind=Plan.Kind.CP, start_date=START - dt.timedelta(days=150),
                               initial_category="NEG", latest_category="NEG", authority=world.westminster)
    client = as_user(world.alice)
    client.post(f"/looked-after/child/{kid.pk}/start/", start_data())
    period = PeriodOfCare.objects.get(person=kid)
    body = client.get(period.get_absolute_url()).content.decode()
    assert 'data-testid="open-plan"' in body and f"/plans/{plan.pk}/end/" in body
    plan.end_date, plan.end_reason = START, Plan.EndReason.LOOKED_AFTER
    plan.save()
    assert 'data-testid="open-plan"' not in client.get(period.get_absolute_url()).content.decode()
