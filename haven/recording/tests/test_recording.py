import datetime as dt
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.chronology.registry import chronology_for
from haven.recording import services
from haven.recording.models import Recording, RecordingSubject
from haven.work.models import Deadline

ABOUT_LILY = "Lily said she is frightened when her mother shouts."
SHARED = "The children were playing in the living room. The home was warm and clean."


def date_fields(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


@pytest.fixture
def yesterday():
    return timezone.localdate() - dt.timedelta(days=1)


def visit_form(world, yesterday, **changes):
    data = {
        "kind": "home_visit", **date_fields("date", yesterday), "time": "16:30", "title": "Unannounced home visit",
        "subjects": [str(world.child.pk), str(world.sibling.pk)],
        "seen": [str(world.child.pk), str(world.sibling.pk)], "seen_alone": [str(world.child.pk)],
        "parts-TOTAL_FORMS": "2", "parts-INITIAL_FORMS": "0", "parts-MIN_NUM_FORMS": "1", "parts-MAX_NUM_FORMS": "20",
        "parts-0-text": ABOUT_LILY, "parts-0-hidden_from": [str(world.sibling.pk)],
        "parts-1-text": SHARED,
    }
    data.update(changes)
    return data


def add_url(person):
    return reverse("recording:recording-create") + f"?person={person.pk}"


def test_the_form_offers_the_family_in_the_users_scope(world, as_user):
    body = as_user(world.alice).get(add_url(world.child)).content.decode()
    for name in ("Lily O&#x27;Brien (child", "Jack O&#x27;Brien (child", "Maura O&#x27;Brien (adult"):
        assert name in body
    assert "Ruby" not in body and "Not shown on Jack O&#x27;Brien&#x27;s record" in body
    assert as_user(world.charlie).get(add_url(world.child)).status_code == 404
    assert as_user(world.audrey).get(add_url(world.child)).status_code == 403  # auditors read, never record
    # Without a child: where to start.
    assert "Start from the record of a child" in as_user(world.alice).get(reverse("recording:recording-create")).content.decode()


def test_a_visit_is_recorded_once_for_the_family(world, as_user, yesterday):
    client = as_user(world.alice)
    response = client.post(add_url(world.child), visit_form(world, yesterday))
    assert response.status_code == 302, response.content.decode()[:3000]
    recording = Recording.objects.get(title="Unannounced home visit")
    assert response["Location"] == f"{recording.get_absolute_url()}?person={world.child.pk}"
    assert timezone.localtime(recording.occurred_at).strftime("%H:%M") == "16:30"
    subjects = {s.person_id: s for s in recording.subjects.all()}
    assert set(subjects) == {world.child.pk, world.sibling.pk}
    assert subjects[world.child.pk].seen_alone and subjects[world.sibling.pk].seen and not subjects[world.sibling.pk].seen_alone
    hidden = recording.parts.get(text=ABOUT_LILY)
    assert list(hidden.hidden_from.all()) == [world.sibling]
    # Audited once per child it concerns.
    assert set(AccessLog.objects.filter(action="create", object_type="recording.recording", object_id=str(recording.pk))
               .values_list("person_id", flat=True)) == {world.child.pk, world.sibling.pk}


def test_each_childs_record_shows_it_but_a_hidden_part_only_where_it_belongs(world, as_user, yesterday):
    client = as_user(world.alice)
    client.post(add_url(world.child), visit_form(world, yesterday))
    recording = Recording.objects.get(title="Unannounced home visit")

    lily = [e for e in chronology_for(world.child, world.alice) if e.title == "Home visit: Unannounced home visit"]
    jack = [e for e in chronology_for(world.sibling, world.alice) if e.title == "Home visit: Unannounced home visit"]
    assert len(lily) == 1 and len(jack) == 1
    assert ABOUT_LILY in lily[0].detail and lily[0].detail.startswith("Seen alone")
    assert ABOUT_LILY not in jack[0].detail and "The children were playing" in jack[0].detail
    assert jack[0].url == f"{recording.get_absolute_url()}?person={world.sibling.pk}"

    lily_page = client.get(reverse("people:person-chronology", args=[world.child.pk])).content.decode()
    jack_page = client.get(reverse("people:person-chronology", args=[world.sibling.pk])).content.decode()
    assert "Unannounced home visit" in lily_page and "Unannounced home visit" in jack_page
    assert "frightened" in lily_page and "frightened" not in jack_page

    as_jack = client.get(f"{recording.get_absolute_url()}?person={world.sibling.pk}").content.decode()
    assert "frightened" not in as_jack and "playing in the living room" in as_jack
    as_lily = client.get(f"{recording.get_absolute_url()}?person={world.child.pk}").content.decode()
    assert "frightened" in as_lily
    whole = client.get(recording.get_absolute_url()).content.decode()
    assert "frightened" in whole and "Not shown on Jack O&#x27;Brien's record" in whole
    # Not one of its subjects: 404.
    assert client.get(f"{recording.get_absolute_url()}?person={world.parent.pk}").status_code == 404

    summary = client.get(world.sibling.get_absolute_url()).content.decode()
    assert 'data-testid="recordings-panel"' in summary and "Unannounced home visit" in summary


def test_a_reader_sees_only_parts_shown_on_a_child_in_their_scope(world, as_user):
    """Charlie (Hammersmith and Fulham) is allocated Lily but not Jack: the whole recording shows
    him only what is on Lily's record, and Jack's name is masked."""
    from haven.people.models import Allocation

    Allocation.objects.create(person=world.child, authority=world.westminster, team=world.hf_team,
                              worker=world.charlie, start_date=dt.date(2024, 1, 1))
    recording = services.record_family_event(
        actor=world.alice, kind="meeting", occurred_at=timezone.now() - dt.timedelta(hours=1), title="Family meeting",
        subjects=[services.Subject(world.child), services.Subject(world.sibling)],
        parts=[services.Part("About Jack's health.", [world.child]), services.Part("Shared.")])
    body = as_user(world.charlie).get(recording.get_absolute_url()).content.decode()
    assert "Shared." in body and "About Jack" not in body and "Someone outside your access" in body
    assert "Jack" not in body


def test_impossible_input_is_refused_and_nothing_is_saved(world, as_user, yesterday):
    client = as_user(world.alice)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    cases = [
        (visit_form(world, yesterday, **date_fields("date", tomorrow)), "Date must be today or in the past"),
        (visit_form(world, yesterday, **{"parts-0-hidden_from": [str(world.child.pk), str(world.sibling.pk)]}),
         "Part 1 is not shown on anyone&#x27;s record"),
        (visit_form(world, yesterday, kind="meeting"), "Seen and seen alone are recorded for visits only"),
        (visit_form(world, yesterday, subjects=[]), "Select who it concerns"),
        (visit_form(world, yesterday, **{"parts-0-text": "", "parts-1-text": "", "parts-0-hidden_from": []}),
         "Enter what happened"),
        (visit_form(world, yesterday, time="25:00"), "Enter a time using the 24-hour clock"),
        (visit_form(world, yesterday, subjects=[str(world.child.pk)]), "Jack was seen but is not selected"),
    ]
    for data, message in cases:
        response = client.post(add_url(world.child), data)
        body = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in body and message in body, message
    now = timezone.localtime() + dt.timedelta(hours=1)
    if now.date() == timezone.localdate():  # an hour from now is still today
        body = client.post(add_url(world.child), visit_form(world, yesterday, **date_fields("date", now.date()),
                                                            time=f"{now:%H:%M}")).content.decode()
        assert "The time must be now or in the past" in body
    assert not Recording.objects.filter(title="Unannounced home visit").exists()


def test_add_another_part_keeps_what_was_typed(world, as_user, yesterday):
    data = visit_form(world, yesterday, add_part="1")
    body = as_user(world.alice).post(add_url(world.child), data).content.decode()
    assert "Part 3" in body and "There is a problem" not in body and "frightened" in body
    assert not Recording.objects.filter(title="Unannounced home visit").exists()


def test_a_cp_visit_with_the_child_seen_meets_the_cp_visit_clock(world):
    from haven.assessments.models import CINEpisode
    from haven.core.testing import make_person
    from haven.plans.models import Plan

    today = timezone.localdate()
    child = make_person(world.westminster, first="Cora", last="Visited")
    episode = CINEpisode.objects.create(person=child, authority=child.authority, source="1A",
                                        referral_date=today - dt.timedelta(days=60))
    plan = Plan.objects.create(person=child, episode=episode, kind="cp", start_date=today - dt.timedelta(days=30),
                               initial_category="NEG", authority=child.authority)
    ct = ContentType.objects.get_for_model(Plan)

    def clock():
        return list(Deadline.objects.filter(rule="cp_visit_10wd", content_type=ct, object_id=plan.pk).order_by("sequence"))

    assert len(clock()) == 1 and clock()[0].is_overdue
    when = timezone.now() - dt.timedelta(days=1)
    # A note, or a visit where the child was not seen, does not meet it.
    services.record_family_event(actor=world.alice, kind="note", occurred_at=when, title="Call",
                                 subjects=[services.Subject(child)], parts=[services.Part("Phoned mother.")])
    services.record_family_event(actor=world.alice, kind="cp_visit", occurred_at=when, title="No answer",
                                 subjects=[services.Subject(child)], parts=[services.Part("Nobody home.")])
    assert clock()[0].met_at is None
    services.record_family_event(actor=world.alice, kind="cp_visit", occurred_at=when, title="Visit",
                                 subjects=[services.Subject(child, seen_alone=True)], parts=[services.Part("Seen in her room.")])
    first, second = clock()
    assert timezone.localtime(first.met_at).date() == timezone.localtime(when).date() and first.met_in_time is False
    assert second.met_at is None and not second.is_overdue
    subject = RecordingSubject.objects.get(person=child, recording__title="Visit")
    assert subject.seen and subject.seen_alone  # seen alone implies seen


def test_the_service_refuses_people_outside_the_actors_scope(world):
    with pytest.raises(services.RecordingError) as error:
        services.record_family_event(actor=world.alice, kind="note", occurred_at=timezone.now(), title="x",
                                     subjects=[services.Subject(world.outsider)], parts=[services.Part("x")])
    assert "You cannot record" in str(error.value)
    assert not Recording.objects.filter(title="x").exists()


# --- API -----------------------------------------------------------------------------------------

def post_json(client, url, data):
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def api_visit(world, **changes):
    body = {"kind": "home_visit", "occurred_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
            "title": "API visit", "subjects": [{"person_id": world.child.pk, "seen": True, "seen_alone": True},
                                              {"person_id": world.sibling.pk, "seen": True}],
            "parts": [{"text": ABOUT_LILY, "hidden_from": [world.sibling.pk]}, {"text": SHARED}]}
    body.update(changes)
    return body


def test_the_api_records_a_family_visit_and_reads_it_as_seen_from_a_child(world, as_user):
    client = as_user(world.alice)
    created = post_json(client, "/api/v1/recordings/", api_visit(world))
    assert created.status_code == 201, created.content
    body = created.json()
    assert [p["hidden_from"] for p in body["parts"]] == [[world.sibling.pk], []]
    as_jack = client.get(f"/api/v1/recordings/{body['id']}", {"person": world.sibling.pk}).json()
    assert as_jack["as_seen_from"] == world.sibling.pk and [p["text"] for p in as_jack["parts"]] == [SHARED]
    as_lily = client.get(f"/api/v1/recordings/{body['id']}", {"person": world.child.pk}).json()
    assert len(as_lily["parts"]) == 2
    assert client.get(f"/api/v1/recordings/{body['id']}", {"person": world.parent.pk}).status_code == 404
    listed = client.get("/api/v1/recordings/", {"person": world.sibling.pk}).json()
    assert body["id"] in [r["id"] for r in listed]
    assert as_user(world.charlie).get(f"/api/v1/recordings/{body['id']}").status_code == 404


def test_the_api_refuses_impossible_recordings_with_a_message(world, as_user):
    client = as_user(world.alice)
    future = post_json(client, "/api/v1/recordings/",
                       api_visit(world, occurred_at=(timezone.now() + dt.timedelta(days=1)).isoformat()))
    assert future.status_code == 422 and "must be now or in the past" in future.json()["detail"]
    outsider = post_json(client, "/api/v1/recordings/", api_visit(world, subjects=[{"person_id": world.outsider.pk}]))
    assert outsider.status_code == 404
    nobody = post_json(client, "/api/v1/recordings/", api_visit(world, parts=[{"text": "x", "hidden_from": [
        world.child.pk, world.sibling.pk]}]))
    assert nobody.status_code == 422 and "not shown on anyone's record" in nobody.json()["detail"]
    assert as_user(world.petra).post("/api/v1/recordings/", "{}", content_type="application/json").status_code == 403
    assert not Recording.objects.filter(title="API visit").exists()
