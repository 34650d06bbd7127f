"""/api/v1/work: my deadlines and a child's deadlines."""

from __future__ import annotations

from haven.audit.models import AccessLog


def test_anonymous_callers_get_401(caseload, client):
    assert client.get("/api/v1/work/").status_code == 401
    assert client.get(f"/api/v1/work/person/{caseload['kit'].pk}").status_code == 401


def test_my_deadlines(caseload, as_user):
    c = caseload
    response = as_user(c["world"].alice).get("/api/v1/work/")
    assert response.status_code == 200
    data = response.json()
    kit = [d for d in data if d["person_id"] == c["kit"].pk]
    assert {d["rule"] for d in kit} == {"referral_decision_1wd", "contact_decision_red", "assessment_45wd"}
    decision = next(d for d in kit if d["rule"] == "referral_decision_1wd")
    assert decision["group"] == "overdue" and decision["status"] == "overdue" and decision["overdue_by"].endswith("days")
    assert decision["label"] == "Decision on a referral" and decision["local_id"] == c["kit"].local_id
    assert decision["due_at"].startswith("2025-12-29T23:59:59")
    assert decision["trigger_type"] == "assessments.cinepisode" and decision["trigger_id"] == c["kit_episode"].pk
    assert not any(d["person_id"] in (c["cal"].pk, c["eve"].pk, c["ruby"].pk) for d in data)
    dues = [d["due_at"] for d in data if d["group"] == "overdue"]
    assert dues == sorted(dues)


def test_my_deadlines_by_group(caseload, as_user):
    client = as_user(caseload["world"].alice)
    overdue = client.get("/api/v1/work/?group=overdue").json()
    assert overdue and {d["group"] for d in overdue} == {"overdue"}
    response = client.get("/api/v1/work/?group=soon")
    assert response.status_code == 422 and "group" in response.json()["detail"]


def test_a_childs_deadlines_open_first_then_past_and_audited(caseload, as_user):
    from haven.work import testing as kit

    c = caseload
    kit.make_episode(c["kit"], kit.D(2025, 6, 2), decision_date=kit.D(2025, 6, 3), referral_nfa=True)
    response = as_user(c["world"].alice).get(f"/api/v1/work/person/{c['kit'].pk}")
    assert response.status_code == 200
    data = response.json()
    statuses = [d["status"] for d in data]
    assert "met_in_time" in statuses and "overdue" in statuses
    first_past = min(i for i, s in enumerate(statuses) if s in ("met_in_time", "met_late", "exempt", "stopped"))
    assert all(s in ("open", "overdue") for s in statuses[:first_past])
    assert AccessLog.objects.filter(action="view", person_id=c["kit"].pk, username="alice",
                                    summary__startswith="API: timescales").exists()


def test_a_childs_deadlines_are_scoped(caseload, as_user):
    c = caseload
    world = c["world"]
    charlie = as_user(world.charlie)
    assert charlie.get(f"/api/v1/work/person/{c['kit'].pk}").status_code == 404
    own = charlie.get(f"/api/v1/work/person/{c['ruby'].pk}")
    assert own.status_code == 200 and own.json()
    assert not any(d["person_id"] != c["ruby"].pk for d in own.json())
    assert as_user(world.alice).get(f"/api/v1/work/person/{world.restricted.pk}").status_code == 403
    assert as_user(world.alice).get("/api/v1/work/person/999999").status_code == 404


def test_callers_without_a_worklist_are_refused(caseload, as_user):
    petra = as_user(caseload["world"].petra)
    assert petra.get("/api/v1/work/").status_code == 403
    assert petra.get(f"/api/v1/work/person/{caseload['world'].allocated.pk}").status_code == 403


def test_the_endpoints_are_documented(caseload, as_user):
    paths = as_user(caseload["world"].alice).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/work/" in paths and "/api/v1/work/person/{pk}" in paths
