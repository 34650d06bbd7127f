import datetime as dt
import json

from haven.audit.models import AccessLog
from haven.plans.models import Plan, PlanAction


def post_json(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def world_plan(world):
    return Plan.objects.get(person=world.child, kind="cin", summary__startswith="Lily")


def test_a_plan_reads_with_objectives_actions_and_what_is_incomplete(world, as_user):
    plan = world_plan(world)
    body = as_user(world.alice).get(f"/api/v1/plans/{plan.pk}").json()
    assert body["kind"] == "cin" and body["person_id"] == world.child.pk
    assert [a["action"] for a in body["objectives"][0]["actions"]] == ["Walk to school together", "Talk to the school nurse"]
    assert body["incomplete_count"] == 1
    assert body["incomplete"][0]["missing"] == ["an owner", "a measurable outcome", "a due date"]
    assert {c["rule"] for c in body["timescales"]} == {"cin_review_3m"}
    assert AccessLog.objects.filter(action="view", object_type="plans.plan", summary__startswith="API").exists()
    assert as_user(world.charlie).get(f"/api/v1/plans/{plan.pk}").status_code == 404
    assert as_user(world.nora).get(f"/api/v1/plans/{plan.pk}").status_code == 403
    listed = as_user(world.alice).get("/api/v1/plans/", {"person": world.child.pk}).json()
    assert plan.pk in [p["id"] for p in listed]


def test_starting_a_cin_plan_through_the_api_uses_the_same_rules(world, as_user, new_child, today):
    child = new_child(referral_days_ago=10)
    client = as_user(world.alice)
    future = post_json(client, "/api/v1/plans/", {"person_id": child.pk, "start_date": today + dt.timedelta(days=1),
                                                 "summary": "x"})
    assert future.status_code == 422 and "must be today or in the past" in future.json()["detail"]
    early = post_json(client, "/api/v1/plans/", {"person_id": child.pk, "start_date": today - dt.timedelta(days=11),
                                                "summary": "x"})
    assert early.status_code == 422 and "on or after the referral" in early.json()["detail"]
    ok = post_json(client, "/api/v1/plans/", {"person_id": child.pk, "start_date": today, "summary": "Safe at home"})
    assert ok.status_code == 201 and ok.json()["kind"] == "cin" and ok.json()["incomplete_count"] == 0
    again = post_json(client, "/api/v1/plans/", {"person_id": child.pk, "start_date": today, "summary": "x"})
    assert again.status_code == 422 and "already has a child in need plan" in again.json()["detail"]
    assert post_json(as_user(world.charlie), "/api/v1/plans/", {"person_id": child.pk, "start_date": today,
                                                                "summary": "x"}).status_code == 404
    assert post_json(as_user(world.audrey), "/api/v1/plans/", {"person_id": child.pk, "start_date": today,
                                                               "summary": "x"}).status_code == 403


def test_adding_an_action_through_the_api_warns_like_the_form(world, as_user, today):
    plan = world_plan(world)
    client = as_user(world.alice)
    url = f"/api/v1/plans/{plan.pk}/actions"
    vague = post_json(client, url, {"action": "Support the family"})
    assert vague.status_code == 422
    assert vague.json()["detail"] == ("This action does not have an owner, a measurable outcome and a due date. Add them, "
                                      "or send save_incomplete: true to save it as incomplete")
    saved = post_json(client, url, {"action": "Support the family", "save_incomplete": True})
    assert saved.status_code == 201 and saved.json()["is_smart"] is False
    smart = post_json(client, url, {"action": "Book a dentist", "owner": "Maura", "measurable_outcome": "Seen by a dentist",
                                    "due_date": today + dt.timedelta(days=14)})
    assert smart.status_code == 201 and smart.json()["missing"] == []
    wrong = post_json(client, url, {"action": "x", "objective_id": 999999, "save_incomplete": True})
    assert wrong.status_code == 422 and "objective_id" in wrong.json()["detail"]
    assert PlanAction.objects.filter(plan=plan).count() == 4
    assert post_json(as_user(world.charlie), url, {"action": "x", "save_incomplete": True}).status_code == 404
    assert as_user(world.alice).get(url).json()[-1]["action"] in {"Support the family", "Book a dentist",
                                                                  "Talk to the school nurse"}


def test_the_openapi_document_describes_the_plan_endpoints(world, as_user):
    schema = as_user(world.alice).get("/api/v1/openapi.json").json()
    assert {"/api/v1/plans/", "/api/v1/plans/{pk}", "/api/v1/plans/{pk}/actions"} <= set(schema["paths"])
