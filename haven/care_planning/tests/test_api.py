"""/api/v1/care-planning: same services, same refusals (422 with errors), scope (404),
capabilities (403) and audit as the pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.care_planning.models import LACReview, ReviewRecommendation
from haven.people.models import Allocation, Person

API = "/api/v1/care-planning"


def post_json(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data, default=str), content_type="application/json")


@pytest.fixture
def mia(world):
    return Person.objects.get(first_name="Mia", last_name="Cared")


@pytest.fixture
def today():
    return timezone.localdate()


def test_care_plans_list_and_create(world, as_user, mia, today):
    client = as_user(world.alice)
    listed = client.get(f"{API}/care-plans", {"person": mia.pk})
    assert listed.status_code == 200 and listed.json()[0]["permanence_aim"] == "long_term_fostering"
    assert AccessLog.objects.filter(action="view", person_id=mia.pk, summary__startswith="API: care plans").exists()
    data = {"person_id": mia.pk, "agreed_on": today, "summary": "Stay", "needs": "School",
            "permanence_aim": "long_term_fostering"}
    created = post_json(client, f"{API}/care-plans", data)
    assert created.status_code == 201 and created.json()["gaps"]
    refused = post_json(client, f"{API}/care-plans", {**data, "agreed_on": today + dt.timedelta(days=3)})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "agreed_on"
    assert client.get(f"{API}/care-plans/{created.json()['id']}").status_code == 200
    assert as_user(world.charlie).get(f"{API}/care-plans", {"person": mia.pk}).status_code == 404
    assert as_user(world.nora).get(f"{API}/care-plans", {"person": mia.pk}).status_code == 403


def test_reviews_with_recommendations_and_progress(world, as_user, mia, today):
    client = as_user(world.iris)
    data = {"person_id": mia.pk, "held_on": today, "participation": "PN1", "decisions": "Endorsed",
            "recommendations": [{"action": "Life story", "owner": "SW", "measurable_outcome": "Book",
                                 "due_date": today + dt.timedelta(days=30)}]}
    created = post_json(client, f"{API}/reviews", data)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["chair_id"] == world.iris.pk and body["recommendations"][0]["is_smart"]
    incomplete = post_json(client, f"{API}/reviews/{body['id']}/recommendations", {"action": "Dentist"})
    assert incomplete.status_code == 422 and incomplete.json()["errors"][0]["field"] == "save_incomplete"
    ok = post_json(client, f"{API}/reviews/{body['id']}/recommendations", {"action": "Dentist", "save_incomplete": True})
    assert ok.status_code == 201 and ok.json()["missing"] == ["an owner", "a measurable outcome", "a due date"]
    rec = ok.json()
    sw = as_user(world.alice)
    updated = post_json(sw, f"{API}/recommendations/{rec['id']}", {"status": "in_progress", "version": 1}, "patch")
    assert updated.status_code == 200 and updated.json()["status"] == "in_progress"
    stale = post_json(sw, f"{API}/recommendations/{rec['id']}", {"status": "done", "version": 1}, "patch")
    assert stale.status_code == 409
    assert ReviewRecommendation.objects.get(pk=rec["id"]).status == "in_progress"
    # an older child cannot be PN0; only an IRO records reviews
    pn0 = post_json(as_user(world.iris), f"{API}/reviews", {**data, "participation": "PN0", "recommendations": []})
    assert pn0.status_code == 422 and "PN0" in pn0.json()["detail"]
    sw = as_user(world.alice)
    assert post_json(sw, f"{API}/reviews", data).status_code == 403
    listed = sw.get(f"{API}/reviews", {"person": mia.pk}).json()
    assert {r["id"] for r in listed} == set(LACReview.objects.filter(person=mia).values_list("pk", flat=True))


def test_iro_allocation_and_allocations(world, as_user, mia, today):
    from haven.accounts.roles import Role
    from haven.core.testing import make_user

    olive = make_user("olive", role=Role.CP_CHAIR_IRO, team=world.wcc_team, first="Olive")
    assert post_json(as_user(world.alice), f"{API}/iro", {"person_id": mia.pk, "worker_id": olive.pk}).status_code == 403
    client = as_user(world.bob)
    refused = post_json(client, f"{API}/iro", {"person_id": mia.pk, "worker_id": world.alice.pk})
    assert refused.status_code == 422
    ok = post_json(client, f"{API}/iro", {"person_id": mia.pk, "worker_id": olive.pk})
    assert ok.status_code == 201 and ok.json()["worker_id"] == olive.pk
    roles = {a["role"]: a["worker_id"] for a in client.get(f"{API}/allocations", {"person": mia.pk}).json()}
    assert roles == {"iro": olive.pk, "social_worker": world.alice.pk}
    assert Allocation.objects.get(person=mia, role="iro", worker=world.iris).end_date == today - dt.timedelta(days=1)


def test_recording_a_visit(world, as_user, mia):
    client = as_user(world.alice)
    when = timezone.now() - dt.timedelta(hours=1)
    ok = post_json(client, f"{API}/visits", {"person_id": mia.pk, "occurred_at": when.isoformat(), "notes": "Fine",
                                             "seen_alone": True})
    assert ok.status_code == 201 and ok.json()["seen"] and ok.json()["seen_alone"]
    future = post_json(client, f"{API}/visits", {"person_id": mia.pk, "notes": "x",
                                                 "occurred_at": (timezone.now() + dt.timedelta(days=1)).isoformat()})
    assert future.status_code == 422
    assert post_json(client, f"{API}/visits", {"person_id": world.child.pk, "notes": "x",
                                               "occurred_at": when.isoformat()}).status_code == 422


def test_the_team_view_as_json(world, as_user, mia):
    body = as_user(world.bob).get(f"{API}/team", {"place": "U4"}).json()
    assert body["count"] == len(body["results"]) and all(r["placement_type"] == "U4" for r in body["results"])
    [row] = [r for r in body["results"] if r["person_id"] == mia.pk]
    assert row["iro"] == world.iris.get_full_name() and row["visit"]["overdue"] is True
    by_iro = as_user(world.bob).get(f"{API}/team", {"iro": world.iris.pk}).json()["results"]
    assert mia.pk in [r["person_id"] for r in by_iro] and all(r["iro"] == row["iro"] for r in by_iro)
    out = as_user(world.bob).get(f"{API}/team", {"location": "OUT"}).json()["results"]
    assert mia.pk not in [r["person_id"] for r in out] and all(r["location"] == "OUT" for r in out)
    assert as_user(world.alice).get(f"{API}/team").status_code == 403


def test_the_endpoints_are_in_the_openapi(world, as_user):
    paths = as_user(world.alice).get("/api/v1/openapi.json").json()["paths"]
    for path in ("care-plans", "care-plans/{pk}", "reviews", "reviews/{pk}", "reviews/{pk}/recommendations",
                 "recommendations/{pk}", "allocations", "iro", "visits", "team"):
        assert f"{API}/{path}" in paths
