"""/api/v1/permanence: the child's summary, creates (422 refusals, 403 for ADM decisions
without permanence.decide), proceedings with the clock, the measures; scope and audit."""

from __future__ import annotations

import datetime as dt

from haven.audit.models import AccessLog
from haven.permanence import services

D = dt.date
API = "/api/v1/permanence"


def post(client, path, data):
    return client.post(f"{API}{path}", data, content_type="application/json")


def test_summary_and_creates(world, child, as_user):
    client = as_user(world.alice)
    r = post(client, "/plans", {"person_id": child.pk, "plan": "adoption", "decided_on": "2023-06-01",
                                "reason": "Assessment"})
    assert r.status_code == 201, r.content
    r = post(client, "/proceedings", {"person_id": child.pk, "court": "FC", "application": "care",
                                      "issued_on": "2023-04-03"})
    assert r.status_code == 201 and r.json()["due"] == "2023-10-02" and r.json()["overdue"] is True
    pid = r.json()["id"]
    r = post(client, "/extensions", {"proceedings_id": pid, "extended_to": "2023-11-27", "reason": "Expert"})
    assert r.status_code == 201 and r.json()["due"] == "2023-11-27" and r.json()["extension_granted"]
    r = client.patch(f"{API}/proceedings/{pid}", {"version": 1, "concluded_on": "2023-11-20",
                                                  "outcome": "care_order"}, content_type="application/json")
    assert r.status_code == 409
    r = client.patch(f"{API}/proceedings/{pid}", {"version": 2, "concluded_on": "2023-11-20",
                                                  "outcome": "care_order"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "Met on 20 November 2023"
    assert post(client, "/meetings", {"person_id": child.pk, "held_on": "2023-03-01",
                                      "decisions": "x"}).status_code == 201
    assert post(client, "/pre-proceedings", {"person_id": child.pk, "pla_meeting_on": "2023-03-01"}).status_code == 201
    assert post(client, "/special-guardianship-orders", {"person_id": child.pk, "granted_on": "2023-12-01",
                                                         "guardians": "Ann", "relationship": "relative"}).status_code == 201
    r = client.get(f"{API}/children/{child.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["current_plan"]["plan"] == "adoption" and len(body["proceedings"]) == 1
    assert len(body["special_guardianship_orders"]) == 1
    assert AccessLog.objects.filter(user=world.alice, person_id=child.pk, action="view").exists()


def test_refusals_are_422(world, child, as_user):
    client = as_user(world.alice)
    r = post(client, "/adoption-steps", {"person_id": child.pk, "kind": "matched", "decided_on": "2023-06-01"})
    assert r.status_code == 422
    assert "agency decision maker" in r.json()["errors"][0]["message"]
    r = post(client, "/adoption-steps", {"person_id": child.pk, "kind": "should_be_placed",
                                         "decided_on": "2023-06-01"})
    assert r.status_code == 403
    r = post(as_user(world.bob), "/adoption-steps", {"person_id": child.pk, "kind": "should_be_placed",
                                                     "decided_on": "2023-06-01"})
    assert r.status_code == 201


def test_scope(world, child, as_user):
    p = services.issue_proceedings(actor=world.alice, person=child, court="FC", application="care",
                                   issued_on=D(2023, 4, 3))
    charlie = as_user(world.charlie)
    assert charlie.get(f"{API}/children/{child.pk}").status_code == 404
    assert charlie.get(f"{API}/proceedings/{p.pk}").status_code == 404
    assert post(charlie, "/plans", {"person_id": child.pk, "plan": "adoption", "decided_on": "2023-06-01",
                                    "reason": "x"}).status_code == 404
    assert as_user(world.nora).get(f"{API}/children/{child.pk}").status_code == 403


def test_measures(world, as_user):
    r = as_user(world.bob).get(f"{API}/adoption-measures", {"start": "2019-04-01", "end": "2022-03-31"})
    assert r.status_code == 200 and [m["code"] for m in r.json()] == ["A1", "A2", "A10"]
    assert as_user(world.petra).get(f"{API}/adoption-measures").status_code == 403
