"""The pages: record an episode, the return and the interview; risk assessments and panel
decisions; the summary panel, header flags and chronology; capabilities and scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.missing.models import (
    ExploitationRiskAssessment,
    MissingEpisode,
    PanelAction,
    PanelDecision,
    ReturnInterview,
)
from haven.people.flags import flags_for

from .conftest import at, date_fields, moment

pytestmark = pytest.mark.django_db

D = dt.date(2026, 2, 2)


def test_recording_an_episode_its_return_and_the_interview(world, child, as_user):
    client = as_user(world.alice)
    url = f"/missing/child/{child.pk}/episodes/add/"
    assert client.get(url).status_code == 200
    future = client.post(url, {"kind": "M", "risk_level": "high", **moment("started_at", timezone.now() + dt.timedelta(days=2))})
    assert future.status_code == 200 and "must be today or in the past" in future.content.decode()
    r = client.post(url, {"kind": "M", "risk_level": "high", "reported_to_police": "on", "police_reference": "CAD 9",
                          **moment("started_at", at(D, 22))})
    e = MissingEpisode.objects.get(person=child)
    assert r.status_code == 302 and r["Location"] == f"/missing/episodes/{e.pk}/"
    assert [f.code for f in flags_for(child)].count("missing_now") == 1
    page = client.get(f"/people/{child.pk}/").content.decode()
    assert "Missing now" in page and "Missing and exploitation" in page

    # A second episode while the first is open is refused with the reason.
    again = client.post(url, {"kind": "M", "risk_level": "low", **moment("started_at", at(D + dt.timedelta(days=1), 8))})
    assert again.status_code == 200 and "still open" in again.content.decode()

    ret = f"/missing/episodes/{e.pk}/return/"
    early = client.post(ret, {"version": e.version, "where_found": "friend", **moment("ended_at", at(D, 21)),
                              **moment("police_safe_and_well_check_on", None)})
    assert early.status_code == 200 and "must be after" in early.content.decode()
    ok = client.post(ret, {"version": e.version, "where_found": "friend", "found_by": "Police",
                           **moment("ended_at", at(D + dt.timedelta(days=1), 9)),
                           **moment("police_safe_and_well_check_on", at(D + dt.timedelta(days=1), 10))})
    assert ok.status_code == 302
    e.refresh_from_db()
    assert e.ended_at == at(D + dt.timedelta(days=1), 9) and "missing_now" not in [f.code for f in flags_for(child)]

    rhi_url = f"/missing/episodes/{e.pk}/interviews/add/"
    assert client.get(rhi_url).status_code == 200
    r = client.post(rhi_url, {"outcome": "completed", "offered_by": "Jo Bloggs", "independent": "on",
                              "conducted_by": "Jo Bloggs", "push_factors": ["conflict_placement", "boundaries"],
                              "pull_factors": ["gang"], "referrals": ["mace"],
                              **moment("offered_at", at(D + dt.timedelta(days=2), 9)),
                              **moment("completed_at", at(D + dt.timedelta(days=2), 14))})
    assert r.status_code == 302, r.content.decode()
    rhi = ReturnInterview.objects.get(episode=e)
    assert rhi.pull_factors == ["gang"] and rhi.created_by == world.alice
    detail = client.get(f"/missing/episodes/{e.pk}/").content.decode()
    assert "Offered in time" in detail and "Gang association" in detail
    edit = client.post(f"/missing/interviews/{rhi.pk}/edit/", {
        "version": rhi.version, "outcome": "declined", "offered_by": "Jo Bloggs",
        **moment("offered_at", at(D + dt.timedelta(days=2), 9)), **moment("completed_at", None)})
    assert edit.status_code == 302
    rhi.refresh_from_db()
    assert rhi.outcome == "declined" and rhi.completed_at is None and rhi.version == 2
    assert AccessLog.objects.filter(action="create", object_type="missing.missingepisode", object_id=str(e.pk)).exists()
    assert AccessLog.objects.filter(action="view", object_type="missing.missingepisode", object_id=str(e.pk)).exists()

    chronology = client.get(f"/people/{child.pk}/chronology/").content.decode()
    assert "Returned from missing" in chronology and "Return home interview" in chronology


def test_risk_assessment_flag_and_panel_decision(world, child, as_user):
    client = as_user(world.alice)
    r = client.post(f"/missing/child/{child.pk}/risk/add/", {
        "kind": "cce", "risk_level": "high", "indicators": ["drugs", "travel"], "assessed_by": "Alice, social worker",
        "locations_and_associates": "Car park behind the station", **date_fields("assessed_on", D)})
    assert r.status_code == 302, r.content.decode()
    a = ExploitationRiskAssessment.objects.get(person=child)
    assert a.indicators == ["drugs", "travel"]
    flag = next(f for f in flags_for(child) if f.code == "exploitation_risk")
    assert flag.colour == "red" and "high" in flag.detail.lower()
    # A later, lower assessment clears the flag.
    client.post(f"/missing/child/{child.pk}/risk/add/", {
        "kind": "cce", "risk_level": "low", "assessed_by": "Alice", **date_fields("assessed_on", D + dt.timedelta(days=30))})
    assert "exploitation_risk" not in [f.code for f in flags_for(child)]
    assert client.get(f"/missing/risk/{a.pk}/").status_code == 200

    # Panel decisions need exploitation.panel (team managers).
    assert client.get(f"/missing/child/{child.pk}/panels/add/").status_code == 403
    manager = as_user(world.bob)
    bad = manager.post(f"/missing/child/{child.pk}/panels/add/", {
        "panel": "mace", "decision": "Disrupt", **date_fields("held_on", D), **date_fields("next_review_on", D)})
    assert bad.status_code == 200 and "next review must be after" in bad.content.decode()
    r = manager.post(f"/missing/child/{child.pk}/panels/add/", {
        "panel": "mace", "decision": "Disrupt", "risk_level": "high", **date_fields("held_on", D),
        **date_fields("next_review_on", D + dt.timedelta(days=28))})
    assert r.status_code == 302
    decision = PanelDecision.objects.get(person=child)
    r = manager.post(f"/missing/panels/{decision.pk}/actions/add/", {
        "action": "Youth worker", "owner": "Youth service", "status": "not_started",
        **date_fields("due_date", D + dt.timedelta(days=7)), **date_fields("completed_on", None)})
    assert r.status_code == 302
    action = PanelAction.objects.get(decision=decision)
    assert action.is_overdue
    # A social worker updates the action's status.
    r = as_user(world.alice).post(f"/missing/panel-actions/{action.pk}/edit/", {
        "version": action.version, "action": "Youth worker", "owner": "Youth service", "status": "done",
        **date_fields("due_date", D + dt.timedelta(days=7)), **date_fields("completed_on", D + dt.timedelta(days=5))})
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and not action.is_overdue
    summary = as_user(world.alice).get(f"/people/{child.pk}/").content.decode()
    assert "Multi-agency child exploitation (MACE) panel" in summary
    chronology = as_user(world.alice).get(f"/people/{child.pk}/chronology/").content.decode()
    assert "Exploitation risk assessment" in chronology


def test_capabilities_and_scope(world, child, as_user):
    hf = MissingEpisode.objects.get(person__first_name="Tyler", person__last_name="Wander")
    wcc = MissingEpisode.objects.get(person__first_name="Mia", person__last_name="Runaway")
    charlie = as_user(world.charlie)
    assert charlie.get(f"/missing/episodes/{wcc.pk}/").status_code == 404
    assert charlie.get(f"/missing/episodes/{hf.pk}/").status_code == 200
    assert charlie.get(f"/missing/child/{child.pk}/").status_code == 404
    assert charlie.get("/missing/frequent/").status_code == 403  # social workers do not hold missing.report
    nora = as_user(world.nora)
    assert nora.get(f"/missing/episodes/{wcc.pk}/").status_code == 403
    petra = as_user(world.petra)  # read-only partner: views, does not record
    assert petra.get(f"/missing/child/{world.allocated.pk}/episodes/add/").status_code == 403


def test_a_moment_needs_a_time_and_the_flag_is_red(world, child, as_user):
    client = as_user(world.alice)
    data = {"kind": "A", "risk_level": "low", **moment("started_at", at(D, 22))}
    data["started_at_time"] = ""
    r = client.post(f"/missing/child/{child.pk}/episodes/add/", data)
    assert r.status_code == 200 and "Enter the time: when the child went missing" in r.content.decode()
    data["started_at_time"] = "25:00"
    assert "24-hour clock" in client.post(f"/missing/child/{child.pk}/episodes/add/", data).content.decode()
    data["started_at_time"] = "22:15"
    assert client.post(f"/missing/child/{child.pk}/episodes/add/", data).status_code == 302
    flag = next(f for f in flags_for(child) if f.code == "missing_now")
    assert flag.colour == "red" and flag.label == "Missing now" and "Away from placement" in flag.detail
    panel = client.get(f"/people/{child.pk}/").content.decode()
    assert "Still missing: the 72-hour clock starts on return" in panel
