"""/api/v1/missing: the same services, scope and audit as the pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from haven.audit.models import AccessLog
from haven.missing.models import MissingEpisode

pytestmark = pytest.mark.django_db

API = "/api/v1/missing"


def send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data, default=str), content_type="application/json")


def test_episode_return_and_interview(world, child, as_user):
    client = as_user(world.alice)
    url = f"{API}/people/{child.pk}/episodes"
    r = send(client, "post", url, {"started_at": "2026-03-01T21:00:00+00:00", "risk_level": "high"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["ended_at"] is None and body["rhi_due_at"] is None and body["from_care"] is False
    pk = body["id"]
    overlap = send(client, "post", url, {"started_at": "2026-03-02T21:00:00+00:00"})
    assert overlap.status_code == 422 and overlap.json()["errors"][0]["field"] == "started_at"

    bad = send(client, "patch", f"{API}/episodes/{pk}", {"ended_at": "2026-03-01T20:00:00+00:00",
                                                          "where_found": "home", "version": body["version"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "ended_at"
    ok = send(client, "patch", f"{API}/episodes/{pk}", {"ended_at": "2026-03-02T09:00:00+00:00",
                                                         "where_found": "home", "version": body["version"]})
    assert ok.status_code == 200 and ok.json()["rhi_due_at"].startswith("2026-03-05T09:00")
    stale = send(client, "patch", f"{API}/episodes/{pk}", {"ended_at": "2026-03-02T10:00:00+00:00",
                                                            "where_found": "home", "version": body["version"]})
    assert stale.status_code == 409

    rhi = send(client, "post", f"{API}/episodes/{pk}/return-interviews", {
        "outcome": "accepted", "offered_at": "2026-03-03T10:00:00+00:00", "offered_by": "Jo", "independent": True,
        "push_factors": ["bullying"], "pull_factors": ["friends"]})
    assert rhi.status_code == 201, rhi.content
    detail = client.get(f"{API}/episodes/{pk}").json()
    assert detail["rhi_in_time"] is True and detail["return_interviews"][0]["pull_factors"] == ["friends"]
    listed = client.get(url).json()
    assert [e["id"] for e in listed] == [pk]
    assert client.get(f"{API}/episodes/{pk}/return-interviews").json()[0]["outcome"] == "accepted"
    assert AccessLog.objects.filter(action="view", object_type="missing.missingepisode", object_id=str(pk)).exists()


def test_a_whole_episode_after_the_event_and_refusals(world, child, as_user):
    client = as_user(world.alice)
    r = send(client, "post", f"{API}/people/{child.pk}/episodes", {
        "started_at": "2026-03-01T21:00:00+00:00",
        "returned": {"ended_at": "2026-03-01T20:00:00+00:00", "where_found": "home"}})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"ended_at"}
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    r = send(client, "post", f"{API}/people/{child.pk}/episodes", {"started_at": future.isoformat()})
    assert r.status_code == 422
    assert not MissingEpisode.objects.filter(person=child).exists()


def test_scope_and_capabilities(world, child, hf_manager, as_user):
    wcc = MissingEpisode.objects.get(person__first_name="Mia", person__last_name="Runaway")
    hf = MissingEpisode.objects.get(person__first_name="Tyler", person__last_name="Wander")
    charlie = as_user(world.charlie)
    assert charlie.get(f"{API}/episodes/{wcc.pk}").status_code == 404
    assert charlie.get(f"{API}/episodes/{hf.pk}").status_code == 200
    assert send(charlie, "post", f"{API}/people/{child.pk}/episodes",
                {"started_at": "2026-03-01T21:00:00+00:00"}).status_code == 404
    assert charlie.get(f"{API}/frequent").status_code == 403
    frequent = as_user(hf_manager).get(f"{API}/frequent?start=2025-01-01")
    assert frequent.status_code == 200
    body = frequent.json()
    assert [r["name"] for r in body["rows"]] == ["Tyler Wander"] and body["authorities"] == ["Hammersmith and Fulham"]
    assert {"factor": "Exploitation or grooming", "count": 1} in body["pull_factors_latest"]
    assert as_user(hf_manager).get(f"{API}/frequent?authority_id={world.westminster.pk}").status_code == 404
    assert as_user(world.nora).get(f"{API}/people/{child.pk}/episodes").status_code == 403
