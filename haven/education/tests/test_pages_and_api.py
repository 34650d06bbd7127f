"""Education pages and API: the child's tab, adding (refusals shown on the form), detail,
versioned edit, the summary panel with the PEP clock, and the API's list / create / 422."""

from __future__ import annotations

import datetime as dt
import json

from haven.education.models import (
    Attendance,
    PersonalEducationPlan,
    SchoolPlacement,
    VirtualSchoolNote,
)

from .conftest import date_fields


def post_json(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_recording_a_pep_meets_the_clock_and_shows_on_the_summary(world, as_user, cla_child, today):
    child = cla_child(start=today - dt.timedelta(days=60))
    client = as_user(world.alice)
    page = client.get(f"/education/child/{child.pk}/").content.decode()
    assert 'data-rule="cla_pep">Overdue' in page
    school = SchoolPlacement.objects.create(person=child, school_name="Oak School", start_date=dt.date(2022, 9, 1))
    response = client.post(f"/education/pep/add/{child.pk}/", {
        **date_fields("held_on", today), "school": str(school.pk), "attendees": "Edu\nMs Teach",
        "targets": "Reading age up 6 months by July", "child_views": "", "pupil_premium_plus": "", "designated_teacher": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PersonalEducationPlan.objects.get(person=child).school == school
    summary = client.get(child.get_absolute_url()).content.decode()
    assert 'id="education"' in summary and 'data-rule="cla_pep">Due in' in summary and "Oak School" in summary


def test_the_form_shows_refusals_and_the_author_defaults_to_the_user(world, as_user, cla_child, today):
    child = cla_child()
    client = as_user(world.alice)
    assert 'value="Alice' in client.get(f"/education/note/add/{child.pk}/").content.decode()
    response = client.post(f"/education/attendance/add/{child.pk}/", {
        "school": "", **date_fields("start_date", today - dt.timedelta(days=20)), **date_fields("end_date", today),
        "sessions_possible": "10", "sessions_attended": "12"})
    assert response.status_code == 200 and "no more than the 10 possible" in response.content.decode()
    assert not Attendance.objects.filter(person=child).exists()


def test_a_note_is_edited_with_its_version(world, as_user, cla_child, today):
    child = cla_child()
    note = VirtualSchoolNote.objects.create(person=child, written_on=today, note="First", author="Vic")
    client = as_user(world.alice)
    assert "First" in client.get(f"/education/note/{note.pk}/").content.decode()
    data = {**date_fields("written_on", today), "author": "Vic", "note": "Second", "version": "1"}
    assert client.post(f"/education/note/{note.pk}/edit/", data).status_code == 302
    note.refresh_from_db()
    assert note.note == "Second" and note.version == 2
    assert client.post(f"/education/note/{note.pk}/edit/", {**data, "note": "Third"}).status_code == 200


def test_permissions_on_the_pages(world, as_user, cla_child, today):
    child = cla_child()
    note = VirtualSchoolNote.objects.create(person=child, written_on=today, note="First", author="Vic")
    assert as_user(world.nora).get(f"/education/note/{note.pk}/").status_code == 403
    assert as_user(world.charlie).get(f"/education/note/{note.pk}/").status_code == 404
    assert as_user(world.audrey).get(f"/education/note/{note.pk}/edit/").status_code == 403
    assert as_user(world.charlie).post(f"/education/note/add/{child.pk}/", {}).status_code == 404


def test_the_api_lists_creates_and_refuses(world, as_user, cla_child, today):
    child = cla_child()
    client = as_user(world.alice)
    school = post_json(client, "/api/v1/education/schools", {"person_id": child.pk, "school_name": "Oak", "urn": "123456",
                                                            "start_date": dt.date(2022, 9, 1)})
    assert school.status_code == 201
    bad = post_json(client, "/api/v1/education/schools", {"person_id": child.pk, "school_name": "Elm", "urn": "12",
                                                         "start_date": dt.date(2023, 9, 1)})
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"urn", "start_date"}
    att = post_json(client, "/api/v1/education/attendance", {
        "person_id": child.pk, "school_id": school.json()["id"], "start_date": today - dt.timedelta(days=30),
        "end_date": today, "sessions_possible": 40, "sessions_attended": 30})
    assert att.status_code == 201 and att.json()["persistent_absence"] is True and att.json()["percentage"] == "75.0"
    note = post_json(client, "/api/v1/education/virtual-school-notes", {"person_id": child.pk, "written_on": today,
                                                                        "note": "Called the school"})
    assert note.status_code == 201 and note.json()["author"].startswith("Alice")
    listed = client.get("/api/v1/education/attendance", {"person": child.pk}).json()
    assert len(listed) == 1 and client.get(f"/api/v1/education/attendance/{listed[0]['id']}").status_code == 200
    clocks = client.get("/api/v1/education/timescales", {"person": child.pk}).json()
    assert [c["rule"] for c in clocks] == ["cla_pep"] and clocks[0]["overdue"] is True
    assert as_user(world.charlie).get("/api/v1/education/attendance", {"person": child.pk}).status_code == 404
    assert as_user(world.nora).get("/api/v1/education/attendance", {"person": child.pk}).status_code == 403
    assert post_json(as_user(world.audrey), "/api/v1/education/virtual-school-notes",
                     {"person_id": child.pk, "written_on": today, "note": "x"}).status_code == 403


def test_targets_without_a_timescale_are_shown_as_a_gap(world, as_user, cla_child, today):
    child = cla_child()
    plan = PersonalEducationPlan.objects.create(person=child, held_on=today, attendees="Edu",
                                                targets="Read every night for 20 minutes\nBe happier\nJoin a club by March")
    assert plan.untimed_targets == ["Be happier"]
    page = as_user(world.alice).get(f"/education/pep/{plan.pk}/").content.decode()
    assert "1 target does not say by when" in page and "Be happier" in page
    body = as_user(world.alice).get(f"/api/v1/education/peps/{plan.pk}").json()
    assert body["untimed_targets"] == ["Be happier"]
