"""/api/v1/protection: the same services, scope and audit as the pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from haven.audit.models import AccessLog
from haven.plans.models import Plan
from haven.protection.models import S47Enquiry, StrategyDiscussion

from .conftest import EVERYONE

pytestmark = pytest.mark.django_db

API = "/api/v1/protection"


def post_json(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def patch_json(client, url, data):
    return client.patch(url, json.dumps(data, default=str), content_type="application/json")


def strategy_body(children, **extra):
    return {"held_at": "2025-04-17T10:00:00+01:00", "children": [{"person_id": c.pk, "s47": True} for c in children],
            "attendees": [r for r in EVERYONE if r["agency"] != "health"],
            "actions": [{"action": "Police check", "owner": "DS Rowe", "due_date": "2025-04-18"}],
            "referral_source": "6", **extra}


def test_a_strategy_discussion_is_created_listed_and_read(world, family, as_user):
    client = as_user(world.alice)
    refused = post_json(client, f"{API}/strategy-discussions", strategy_body([family.older, family.younger]))
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["errors"]} == {"absence_confirmed", "absence_reason"}
    assert "Health did not take part" in refused.json()["detail"]

    created = post_json(client, f"{API}/strategy-discussions", strategy_body(
        [family.older, family.younger], absence_confirmed=True, absence_reason="The health visitor was on leave"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["missing_agencies"] == ["Health"]
    assert {c["person_id"] for c in body["children"]} == {family.older.pk, family.younger.pk}
    assert all(c["s47_id"] for c in body["children"])

    listed = client.get(f"{API}/strategy-discussions?person={family.younger.pk}").json()
    assert [d["id"] for d in listed] == [body["id"]] and listed[0]["missing_agencies"] == ["Health"]

    detail = client.get(f"{API}/strategy-discussions/{body['id']}")
    assert detail.status_code == 200 and detail.json()["absence_reason"] == "The health visitor was on leave"
    assert AccessLog.objects.filter(action="view", object_type="protection.strategydiscussion",
                                    object_id=str(body["id"])).exists()


def test_the_s47_outcome_and_icpc_clock(world, family, as_user):
    client = as_user(world.alice)
    body = post_json(client, f"{API}/strategy-discussions", strategy_body(
        [family.older], attendees=EVERYONE)).json()
    s47_id = body["children"][0]["s47_id"]
    s47 = client.get(f"{API}/s47/{s47_id}").json()
    assert s47["icpc_due"] == "2025-05-13" and s47["icpc_overdue"] is True and s47["outcome"] == ""

    url = f"{API}/s47/{s47_id}"
    bad = patch_json(client, url, {"outcome": "icpc", "completed_date": "2025-04-16", "version": s47["version"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "completed_date"
    ok = patch_json(client, url, {"outcome": "icpc", "completed_date": "2025-04-30", "version": s47["version"]})
    assert ok.status_code == 200 and ok.json()["outcome"] == "icpc"
    stale = patch_json(client, url, {"outcome": "not_substantiated", "completed_date": "2025-04-30",
                                     "version": s47["version"]})
    assert stale.status_code == 409

    early = post_json(as_user(world.bob), f"{API}/conferences", {
        "kind": "initial", "held_on": "2025-04-16", "parents_received_report": True,
        "children": [{"s47_id": s47_id, "participation": "too_young", "plan_needed": True, "category": "NEG"}]})
    assert early.status_code == 422 and "strategy discussion" in early.json()["detail"]

    conference = post_json(as_user(world.bob), f"{API}/conferences", {
        "kind": "initial", "held_on": "2025-05-13", "parents_received_report": True, "attendees": EVERYONE,
        "children": [{"s47_id": s47_id, "participation": "too_young", "plan_needed": True, "category": "PHY"}]})
    assert conference.status_code == 201, conference.content
    child = conference.json()["children"][0]
    plan = Plan.objects.get(pk=child["plan_id"])
    assert plan.kind == "cp" and plan.initial_category == "PHY" and plan.start_date == dt.date(2025, 5, 13)
    s47 = client.get(f"{API}/s47/{s47_id}").json()
    assert s47["icpc_met_on"] == "2025-05-13" and s47["initial_conference_id"] == conference.json()["id"]
    assert client.get(f"{API}/conferences/{conference.json()['id']}").json()["kind"] == "initial"
    listed = client.get(f"{API}/conferences?person={family.older.pk}").json()
    assert [(c["kind"], c["category"], c["plan_id"]) for c in listed] == [("initial", "PHY", plan.pk)]

    review = post_json(as_user(world.bob), f"{API}/conferences", {
        "kind": "review", "held_on": "2025-08-01", "children": [
            {"plan_id": plan.pk, "participation": "written", "plan_continues": False, "end_reason": "no_longer_at_risk"}]})
    assert review.status_code == 201, review.content
    plan.refresh_from_db()
    assert plan.end_date == dt.date(2025, 8, 1)


def test_the_api_keeps_scope_and_capabilities(world, family, as_user):
    theirs = StrategyDiscussion.objects.filter(authority=world.hammersmith).first()
    ours = StrategyDiscussion.objects.filter(authority=world.westminster).first()
    s47 = S47Enquiry.objects.filter(authority=world.westminster).first()
    charlie = as_user(world.charlie)
    assert charlie.get(f"{API}/strategy-discussions/{ours.pk}").status_code == 404
    assert charlie.get(f"{API}/s47/{s47.pk}").status_code == 404
    assert charlie.get(f"{API}/strategy-discussions/{theirs.pk}").status_code == 200
    refused = post_json(charlie, f"{API}/strategy-discussions", strategy_body([family.older], attendees=EVERYONE))
    assert refused.status_code == 404
    assert not StrategyDiscussion.objects.filter(children__person=family.older).exists()
    petra = as_user(world.petra)
    assert post_json(petra, f"{API}/strategy-discussions", strategy_body([family.older])).status_code == 403
    assert post_json(as_user(world.alice), f"{API}/conferences", {"kind": "initial", "held_on": "2025-05-13",
                                                                  "children": []}).status_code == 403


def test_the_endpoints_are_documented(world, as_user):
    paths = as_user(world.alice).get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/protection/strategy-discussions", "/api/v1/protection/strategy-discussions/{pk}",
                 "/api/v1/protection/s47/{pk}", "/api/v1/protection/conferences", "/api/v1/protection/conferences/{pk}"):
        assert path in paths, sorted(p for p in paths if "protection" in p)
    assert {"get", "patch"} <= set(paths["/api/v1/protection/s47/{pk}"])
