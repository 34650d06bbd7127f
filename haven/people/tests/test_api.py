import json

from haven.audit.models import AccessLog
from haven.people.models import Person


def test_search_returns_hits_with_duplicates_and_masks_restricted_records(world, as_user):
    client = as_user(world.alice)
    hits = client.get("/api/v1/people/", {"name": "o'brien"}).json()
    assert {h["name"] for h in hits} == {"Lily O'Brien", "Jack O'Brien", "Maura O'Brien"}
    restricted = client.get("/api/v1/people/", {"name": "restricted"}).json()
    assert restricted == [{"id": world.restricted.pk, "local_id": world.restricted.local_id, "can_open": False,
                           "name": None, "date_of_birth": None, "possible_duplicates": []}]
    assert client.get("/api/v1/people/").status_code == 400
    assert AccessLog.objects.filter(action="search", summary__startswith="API").count() == 2


def test_reading_a_person_applies_scope(world, as_user):
    assert as_user(world.alice).get(f"/api/v1/people/{world.child.pk}").json()["nhs_number"] == "9990000107"
    assert as_user(world.charlie).get(f"/api/v1/people/{world.child.pk}").status_code == 404
    assert as_user(world.alice).get(f"/api/v1/people/{world.restricted.pk}").status_code == 403
    assert as_user(world.nora).get(f"/api/v1/people/{world.child.pk}").status_code == 403


def post_json(client, url, data, method="post"):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_creating_validates_and_answers_4xx_with_a_message(world, as_user):
    client = as_user(world.alice)
    bad = post_json(client, "/api/v1/people/", {"first_name": "A", "last_name": "B", "date_of_birth": "2015-01-01",
                                                "nhs_number": "1234567890"})
    assert bad.status_code == 422 and "nhs_number" in bad.json()["detail"]
    missing = post_json(client, "/api/v1/people/", {"first_name": "A"})
    assert missing.status_code == 422
    ok = post_json(client, "/api/v1/people/", {"first_name": "Ada", "last_name": "Lovelace", "date_of_birth": "2015-12-10",
                                               "sex": "F", "disabilities": ["VIS"]})
    assert ok.status_code == 201 and ok.json()["local_id"].startswith("WCC") and ok.json()["disabilities"] == ["VIS"]
    assert as_user(world.petra).post("/api/v1/people/", "{}", content_type="application/json").status_code == 403


def test_updating_with_a_stale_version_answers_409(world, as_user):
    client = as_user(world.alice)
    person = client.get(f"/api/v1/people/{world.child.pk}").json()
    body = {k: person[k] for k in ("first_name", "last_name", "date_of_birth", "sex", "ethnicity", "nhs_number")}
    first = post_json(client, f"/api/v1/people/{world.child.pk}", {**body, "first_name": "Lil", "version": person["version"]}, "put")
    assert first.status_code == 200 and first.json()["version"] == person["version"] + 1
    stale = post_json(client, f"/api/v1/people/{world.child.pk}", {**body, "first_name": "Lula", "version": person["version"]}, "put")
    assert stale.status_code == 409 and "Alice Alice changed this record" in stale.json()["detail"]
    assert Person.objects.get(pk=world.child.pk).first_name == "Lil"


def test_the_openapi_document_describes_the_people_endpoints(world, as_user):
    schema = as_user(world.alice).get("/api/v1/openapi.json").json()
    assert {"/api/v1/people/", "/api/v1/people/{pk}"} <= set(schema["paths"])


def test_the_chronology_is_in_the_api_and_its_reading_is_logged(world, as_user):
    client = as_user(world.alice)
    entries = client.get(f"/api/v1/people/{world.child.pk}/chronology").json()
    assert any(e["title"] == "Born" and e["date"] == "2016-03-04" for e in entries)
    only = client.get(f"/api/v1/people/{world.child.pk}/chronology", {"category": "address"}).json()
    assert only and {e["category"] for e in only} == {"address"}
    assert as_user(world.charlie).get(f"/api/v1/people/{world.child.pk}/chronology").status_code == 404
    assert AccessLog.objects.filter(summary__startswith="API: chronology", person_id=world.child.pk).exists()
