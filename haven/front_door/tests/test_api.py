import datetime as dt
import json

from django.utils import timezone

from haven.audit.models import AccessLog
from haven.front_door.models import Contact
from haven.people.models import Person

from .helpers import contact_about, decide, rate


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def body(world, **changes) -> dict:
    data = {"received_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(), "source": "3E",
            "reason": "Jack seen at A&E with a burn", "consent": "given", "people": [world.sibling.pk, world.parent.pk],
            "authority_lea_code": "213"}
    data.update(changes)
    return data


def test_creating_a_contact_uses_the_same_service(world, as_user):
    client = as_user(world.mash)
    response = post_json(client, "/api/v1/contacts/", body(world, new_people=[
        {"first_name": "Rosa", "last_name": "O'Brien", "date_of_birth": "2022-08-01", "sex": "F"}]))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["authority"] == "213" and data["rag"] == "" and data["clock"]["due_at"] is None
    assert sorted(s["name"] for s in data["subjects"]) == ["Jack O'Brien", "Maura O'Brien", "Rosa O'Brien"]
    assert sorted(data["children"]) == ["Jack O'Brien", "Rosa O'Brien"]
    assert Contact.objects.get(pk=data["id"]).created_by == world.mash


def test_creating_answers_422_with_a_message_and_saves_nothing(world, as_user):
    client = as_user(world.mash)
    before = (Contact.objects.count(), Person.objects.count())
    no_manager = post_json(client, "/api/v1/contacts/", body(world, consent="overridden", consent_reason="Risk"))
    assert no_manager.status_code == 422 and "consent_overridden_by" in no_manager.json()["detail"]
    future = post_json(client, "/api/v1/contacts/", body(world, received_at=(timezone.now() + dt.timedelta(days=1)).isoformat()))
    assert future.status_code == 422 and future.json()["detail"].startswith("received_at:")
    duplicate = post_json(client, "/api/v1/contacts/", body(world, new_people=[
        {"first_name": "Lily", "last_name": "O'Brien", "date_of_birth": "2016-03-04", "sex": "F"}]))
    assert duplicate.status_code == 422 and world.child.local_id in duplicate.json()["detail"]
    assert "new_people[0].confirm_new" in duplicate.json()["detail"]
    nobody = post_json(client, "/api/v1/contacts/", body(world, people=[world.parent.pk]))
    assert nobody.status_code == 422 and "at least one child" in nobody.json()["detail"]
    bad_source = post_json(client, "/api/v1/contacts/", body(world, source="99"))
    assert bad_source.status_code == 422
    both = post_json(client, "/api/v1/contacts/", body(world, authority_lea_code=None))
    assert both.status_code == 422 and both.json()["detail"].startswith("authority:")  # mash serves two authorities
    assert (Contact.objects.count(), Person.objects.count()) == before
    assert post_json(as_user(world.petra), "/api/v1/contacts/", body(world)).status_code == 403


def test_the_list_is_the_queue_in_the_users_scope(world, as_user):
    red = rate(world, contact_about(world, world.sibling), "R")
    hf = contact_about(world, world.outsider)
    decided = decide(world, rate(world, contact_about(world, world.parent, world.sibling), "B"), "nfa")
    mash = as_user(world.mash).get("/api/v1/contacts/").json()
    ids = [c["id"] for c in mash]
    assert ids[0] == red.pk and hf.pk in ids and decided.pk not in ids
    assert mash[0]["clock"]["due_at"] and not mash[0]["clock"]["overdue"] and "left" in mash[0]["clock"]["description"]
    charlie = [c["id"] for c in as_user(world.charlie).get("/api/v1/contacts/").json()]
    assert hf.pk in charlie and red.pk not in charlie
    assert [c["id"] for c in as_user(world.mash).get("/api/v1/contacts/", {"rag": "R"}).json()] == [red.pk]
    hf_only = as_user(world.mash).get("/api/v1/contacts/", {"authority": "205"}).json()
    assert {c["authority"] for c in hf_only} == {"205"}
    assert as_user(world.mash).get("/api/v1/contacts/", {"rag": "purple"}).status_code == 422
    assert as_user(world.nora).get("/api/v1/contacts/").status_code == 403


def test_reading_a_contact_applies_scope_and_is_audited(world, as_user):
    contact = decide(world, rate(world, contact_about(world, world.sibling, world.parent), "G"), "information")
    response = as_user(world.alice).get(f"/api/v1/contacts/{contact.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["decision"] == "information" and data["clock"]["description"].startswith("Decided in time")
    assert data["version"] == contact.version
    assert AccessLog.objects.filter(action="view", username="alice", object_id=str(contact.pk),
                                    object_type="front_door.contact").exists()
    assert as_user(world.charlie).get(f"/api/v1/contacts/{contact.pk}").status_code == 404


def test_the_openapi_document_describes_the_contact_endpoints(world, as_user):
    schema = as_user(world.alice).get("/api/v1/openapi.json").json()
    assert {"/api/v1/contacts/", "/api/v1/contacts/{pk}"} <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/v1/contacts/"]
