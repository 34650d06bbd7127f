"""/api/v1/care-leavers: the summary with the computed category, creating records through the
same services and checks (422 with field errors), scope, capability and audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.care_leavers.models import Accommodation, LeaverContact, PathwayPlan

pytestmark = pytest.mark.django_db
API = "/api/v1/care-leavers"
TODAY = timezone.localdate


def post_json(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_the_summary_computes_the_category_and_is_audited(world, as_user):
    client = as_user(world.alice)
    body = client.get(f"{API}/{world.leaver.pk}").json()
    assert body["category"] == "former_relevant" and body["computed"]["category"] == "former_relevant"
    assert body["computed"]["days_counted"] >= 91 and body["computed"]["reasons"]
    assert body["personal_adviser"].startswith("Paula")
    assert body["custody"]["establishment"] == "HMYOI Feltham" and body["custody"]["contact_overdue"] is False
    assert body["pathway_review"]["next_due"] and body["in_touch"] is True
    assert body["activity"]["in_eet"] is True and body["accommodation"]["code"] == "X2"
    assert AccessLog.objects.filter(action="view", person_id=world.leaver.pk, summary__startswith="API:").exists()
    child = client.get(f"{API}/{world.child.pk}").json()
    assert child["category"] == "not_eligible" and child["pathway_plan"] is None


def test_scope_and_capability(world, as_user):
    assert as_user(world.charlie).get(f"{API}/{world.leaver.pk}").status_code == 404
    assert as_user(world.charlie).get(f"{API}/{world.leaver_hf.pk}").status_code == 200
    assert as_user(world.nora).get(f"{API}/{world.leaver.pk}").status_code == 403
    assert as_user(world.audrey).get(f"{API}/{world.leaver.pk}").status_code == 200
    assert post_json(as_user(world.audrey), f"{API}/{world.leaver.pk}/contacts",
                     {"contact_on": TODAY(), "method": "phone", "in_touch": "YES"}).status_code == 403
    assert post_json(as_user(world.charlie), f"{API}/{world.leaver.pk}/contacts",
                     {"contact_on": TODAY(), "method": "phone", "in_touch": "YES"}).status_code == 404


def test_list_is_for_managers(world, as_user):
    assert as_user(world.alice).get(f"{API}/").status_code == 403
    rows = as_user(world.bob).get(f"{API}/?category=former_relevant").json()
    ids = {r["person_id"] for r in rows}
    assert world.leaver.pk in ids and world.leaver_hf.pk not in ids
    jade = next(r for r in rows if r["person_id"] == world.leaver.pk)
    assert jade["in_custody"] and jade["in_eet"] and jade["suitable_accommodation"] is False


def test_creating_records_and_refusals(world, as_user, young):
    client = as_user(world.paula)
    ok = post_json(client, f"{API}/{young.pk}/contacts", {"contact_on": TODAY(), "method": "video", "in_touch": "YES",
                                                           "seen": True})
    assert ok.status_code == 201, ok.content
    assert LeaverContact.objects.get(pk=ok.json()["id"]).by == world.paula
    bad = post_json(client, f"{API}/{young.pk}/contacts", {"contact_on": TODAY(), "method": "text", "in_touch": "YES",
                                                            "seen": True})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "seen"

    start = TODAY() - dt.timedelta(days=50)
    missing = post_json(client, f"{API}/{young.pk}/accommodation", {"start_date": start, "kind": "D"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "suitable"
    assert post_json(client, f"{API}/{young.pk}/accommodation", {"start_date": start, "kind": "D",
                                                                  "suitable": True}).status_code == 201
    overlap = post_json(client, f"{API}/{young.pk}/accommodation", {"start_date": TODAY(), "kind": "W", "suitable": False})
    assert overlap.status_code == 422 and "already has accommodation" in overlap.json()["detail"]
    assert Accommodation.objects.filter(person=young).count() == 1

    act = post_json(client, f"{API}/{young.pk}/activities", {"start_date": start, "end_date": start - dt.timedelta(days=1),
                                                              "code": "F5"})
    assert act.status_code == 422 and act.json()["errors"][0]["field"] == "end_date"
    assert post_json(client, f"{API}/{young.pk}/activities", {"start_date": start, "code": "F5"}).status_code == 201

    custody = post_json(client, f"{API}/{young.pk}/custody", {"start_date": TODAY(), "establishment": "HMP Test",
                                                               "contact_every_days": 7})
    assert custody.status_code == 201
    assert post_json(client, f"{API}/{young.pk}/custody", {"start_date": TODAY(), "establishment": "HMP Test",
                                                            "contact_every_days": 5}).status_code == 422  # not a choice

    plan = post_json(client, f"{API}/{young.pk}/pathway-plans", {
        "needs_assessment_completed_on": start, "plan_agreed_on": start + dt.timedelta(days=1), "finance": "Budgeting"})
    assert plan.status_code == 201, plan.content
    plan_id = plan.json()["id"]
    again = post_json(client, f"{API}/{young.pk}/pathway-plans", {"needs_assessment_completed_on": start})
    assert again.status_code == 422
    review = post_json(client, f"{API}/pathway-plans/{plan_id}/reviews", {"held_on": start})
    assert review.status_code == 422 and review.json()["errors"][0]["field"] == "held_on"
    assert post_json(client, f"{API}/pathway-plans/{plan_id}/reviews", {"held_on": TODAY()}).status_code == 201
    summary = client.get(f"{API}/{young.pk}").json()
    assert summary["pathway_plan"]["id"] == plan_id and summary["pathway_review"]["last_done"] == str(TODAY())
    assert summary["custody"]["contact_overdue"] is False and summary["activity"]["code"] == "F5"
    assert PathwayPlan.objects.get(pk=plan_id).created_by == world.paula


def test_a_plan_for_a_child_who_is_not_a_care_leaver_is_refused(world, as_user):
    resp = post_json(as_user(world.alice), f"{API}/{world.child.pk}/pathway-plans", {})
    assert resp.status_code == 422 and "not a care leaver" in resp.json()["detail"]


def test_the_api_is_in_the_openapi(world, as_user):
    paths = as_user(world.alice).get("/api/v1/openapi.json").json()["paths"]
    assert f"{API}/{{person_pk}}" in paths and f"{API}/pathway-plans/{{pk}}/reviews" in paths
