"""/api/v1/referrals: a child's referrals, a referral with its assessments and clocks, and
creating both, under the same capability, scope, audit and rules as the pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from haven.assessments.models import Assessment, CINEpisode
from haven.audit.models import AccessLog

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_list_and_detail_for_a_person(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    client = as_user(world.alice)
    listed = client.get(f"/api/v1/referrals/people/{kid.pk}")
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()] == [episode.pk] and listed.json()[0]["status"] == "open"
    detail = client.get(f"/api/v1/referrals/{episode.pk}").json()
    assert detail["referral_date"] == "2024-11-01" and detail["authority"] == "213"
    due = {d["rule"]: d["due"] for d in detail["deadlines"]}
    assert due["assessment_45wd"] == "2025-01-08"
    assert detail["assessments"] == [] and detail["census_problems"] == []
    assert AccessLog.objects.filter(action="view", object_id=str(episode.pk), username="alice",
                                    summary__startswith="API").exists()


def test_create_a_referral_and_an_assessment(world, kid, as_user):
    client = as_user(world.alice)
    response = post(client, f"/api/v1/referrals/people/{kid.pk}",
                    {"referral_date": "2025-02-20", "source": "6", "primary_need": "N1"})
    assert response.status_code == 201, response.content
    episode = CINEpisode.objects.get(person=kid)
    assert response.json()["id"] == episode.pk and episode.created_by == world.alice
    assert {d["rule"]: d["due"] for d in response.json()["deadlines"]}["assessment_45wd"] == "2025-04-28"
    response = post(client, f"/api/v1/referrals/{episode.pk}/assessments",
                    {"start_date": "2025-02-21", "child_seen_date": "2025-02-21", "seen_alone": True,
                     "completed_date": "2025-03-20", "outcome": "cin_plan", "factors": ["16A", "3B"]})
    assert response.status_code == 201, response.content
    assert response.json()["factors"] == ["16A", "3B"]
    listed = client.get(f"/api/v1/referrals/{episode.pk}/assessments").json()
    assert [a["id"] for a in listed] == [Assessment.objects.get(episode=episode).pk]


def test_refusals_are_422_with_the_rule_codes(world, kid, as_user, open_referral):
    client = as_user(world.alice)
    episode = open_referral(dt.date(2024, 11, 1))
    response = post(client, f"/api/v1/referrals/people/{kid.pk}", {"referral_date": "2024-12-02", "source": "2A"})
    assert response.status_code == 422 and response.json()["problems"][0]["code"] == "8815"
    response = post(client, f"/api/v1/referrals/{episode.pk}/assessments",
                    {"start_date": "2024-10-30", "completed_date": "2024-12-01", "outcome": "nfa",
                     "factors": ["21", "19A"]})
    assert response.status_code == 422
    assert {"1103", "8869", "8950Q"} <= {p["code"] for p in response.json()["problems"]}
    response = post(client, f"/api/v1/referrals/people/{kid.pk}", {"referral_date": "2024-12-02", "source": "XX"})
    assert response.status_code == 422   # not a referral source code
    assert not Assessment.objects.filter(episode=episode).exists()


def test_scope_and_capability(world, kid, as_user, open_referral):
    episode = open_referral(dt.date(2024, 11, 1))
    assert as_user(world.charlie).get(f"/api/v1/referrals/{episode.pk}").status_code == 404
    assert as_user(world.charlie).get(f"/api/v1/referrals/people/{kid.pk}").status_code == 404
    response = post(as_user(world.charlie), f"/api/v1/referrals/{episode.pk}/assessments", {"start_date": "2024-11-04"})
    assert response.status_code == 404
    assert as_user(world.nora).get(f"/api/v1/referrals/{episode.pk}").status_code == 403
    assert post(as_user(world.audrey), f"/api/v1/referrals/people/{kid.pk}",
                {"referral_date": "2024-12-02", "source": "2A"}).status_code == 403   # auditor reads only


def test_the_api_is_documented(world, as_user):
    spec = as_user(world.alice).get("/api/v1/openapi.json").json()
    paths = [p for p in spec["paths"] if p.startswith("/api/v1/referrals")]
    assert {"/api/v1/referrals/people/{person_pk}", "/api/v1/referrals/{pk}", "/api/v1/referrals/{pk}/assessments"} <= set(paths)
