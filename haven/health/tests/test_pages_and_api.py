"""Health pages and API: the child's tab, adding (refusals shown on the form), detail, versioned
edit, the summary panel with the clocks, chronology, and the API's list / create / 422."""

from __future__ import annotations

import datetime as dt
import json

from haven.health.models import DentalCheck, HealthAssessment, SDQScore

from .conftest import date_fields


def post_json(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_the_child_page_lists_records_and_the_clocks(world, as_user, cla_child, today):
    child = cla_child(start=today - dt.timedelta(days=60))
    body = as_user(world.alice).get(f"/health/child/{child.pk}/").content.decode()
    assert "Health assessment" in body and "Overdue" in body  # the initial assessment was due at 20 working days
    assert f"/health/assessment/add/{child.pk}/" in body
    petra_page = as_user(world.petra).get(f"/health/child/{child.pk}/")
    assert petra_page.status_code in (403, 404)  # a partner sees only the allocated child


def test_recording_an_assessment_meets_the_clock_and_shows_on_the_summary(world, as_user, cla_child, today):
    child = cla_child(start=today - dt.timedelta(days=10))
    client = as_user(world.alice)
    response = client.post(f"/health/assessment/add/{child.pk}/", {
        "kind": "initial", **date_fields("completed_on", today), "by_name": "Dr Ada", "by_role": "Paediatrician",
        "outcome": "Well", "health_plan_actions": "", **date_fields("health_history_given_on", None)})
    assert response.status_code == 302, response.content.decode()[:3000]
    a = HealthAssessment.objects.get(person=child)
    assert a.created_by == world.alice
    summary = client.get(child.get_absolute_url()).content.decode()
    assert 'id="health"' in summary and "Initial health assessment" in summary
    # met: the next clock (a review, 12 months on for a child over 5) is shown
    assert 'data-rule="cla_health_assessment">Due in' in summary
    chronology = [e.title for e in __import__("haven.health.chronology", fromlist=["x"]).assessments(child, world.alice)]
    assert chronology == ["Initial health assessment"]


def test_the_form_shows_refusals(world, as_user, cla_child, today):
    child = cla_child(born=dt.date(2014, 1, 1))
    client = as_user(world.alice)
    response = client.post(f"/health/sdq/add/{child.pk}/", {**date_fields("completed_on", today), "score": "41",
                                                            "reason": "", "completed_by": "carer"})
    assert response.status_code == 200
    assert "The score must be a whole number from 0 to 40" in response.content.decode()
    response = client.post(f"/health/dental/add/{child.pk}/", {**date_fields("checked_on", today + dt.timedelta(days=1))})
    assert "must be today or in the past" in response.content.decode()
    assert not SDQScore.objects.filter(person=child).exists() and not DentalCheck.objects.filter(person=child).exists()


def test_a_record_is_edited_with_its_version_and_a_stale_edit_is_refused(world, as_user, cla_child, today):
    child = cla_child()
    check = DentalCheck.objects.create(person=child, checked_on=today - dt.timedelta(days=5), practice="Old")
    client = as_user(world.alice)
    assert "Old" in client.get(f"/health/dental/{check.pk}/").content.decode()
    data = {**date_fields("checked_on", check.checked_on), "practice": "New", "notes": "", "version": "1"}
    assert client.post(f"/health/dental/{check.pk}/edit/", data).status_code == 302
    check.refresh_from_db()
    assert check.practice == "New" and check.version == 2
    stale = client.post(f"/health/dental/{check.pk}/edit/", {**data, "practice": "Stale"})
    assert stale.status_code == 200 and "changed this record" in stale.content.decode()


def test_permissions_on_the_pages(world, as_user, cla_child):
    child = cla_child()
    check = DentalCheck.objects.create(person=child, checked_on=child.periods_of_care.get().start_date)
    assert as_user(world.nora).get(f"/health/dental/{check.pk}/").status_code == 403
    assert as_user(world.charlie).get(f"/health/dental/{check.pk}/").status_code == 404
    assert as_user(world.audrey).get(f"/health/dental/{check.pk}/").status_code == 200
    assert as_user(world.audrey).get(f"/health/dental/{check.pk}/edit/").status_code == 403  # read-only
    assert as_user(world.charlie).get(f"/health/dental/add/{child.pk}/").status_code == 404


def test_the_api_lists_creates_and_refuses(world, as_user, cla_child, today):
    child = cla_child(born=dt.date(2014, 1, 1))
    client = as_user(world.alice)
    ok = post_json(client, "/api/v1/health/sdq-scores", {"person_id": child.pk, "completed_on": today, "score": 14})
    assert ok.status_code == 201 and ok.json()["score"] == 14
    bad = post_json(client, "/api/v1/health/sdq-scores", {"person_id": child.pk, "completed_on": today, "score": 14,
                                                          "reason": "SDQ4"})
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "reason", "message": "Enter a score or a reason there is no score, not both"}]
    listed = client.get("/api/v1/health/sdq-scores", {"person": child.pk}).json()
    assert [s["score"] for s in listed] == [14]
    one = client.get(f"/api/v1/health/sdq-scores/{listed[0]['id']}")
    assert one.status_code == 200
    clocks = client.get("/api/v1/health/timescales", {"person": child.pk}).json()
    assert {c["rule"] for c in clocks} == {"cla_health_assessment", "cla_dental_check"}
    assert as_user(world.charlie).get("/api/v1/health/sdq-scores", {"person": child.pk}).status_code == 404
    assert post_json(as_user(world.charlie), "/api/v1/health/dental-checks",
                     {"person_id": child.pk, "checked_on": today}).status_code == 404
    assert post_json(as_user(world.audrey), "/api/v1/health/dental-checks",
                     {"person_id": child.pk, "checked_on": today}).status_code == 403
    assert as_user(world.nora).get("/api/v1/health/sdq-scores", {"person": child.pk}).status_code == 403


def test_the_world_has_records_in_both_authorities(world):
    for model in (HealthAssessment, DentalCheck, SDQScore):
        assert {r.authority for r in model.objects.all()} >= {world.westminster, world.hammersmith}
