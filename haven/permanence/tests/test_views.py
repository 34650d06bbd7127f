"""The pages: the child's permanence page (plan history, clock status, adoption timeline), the
forms (refusals beside the fields), the adoption measures page, the panel, and who may see what."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from haven.audit.models import AccessLog
from haven.permanence import services
from haven.permanence.models import AdoptionDecision, CareProceedings, PermanencePlan

from .conftest import date_fields

D = dt.date
K = AdoptionDecision.Kind


def url(name, *args):
    return reverse(f"permanence:{name}", args=args)


def test_the_child_page_shows_plan_history_proceedings_clock_and_adoption(world, child, as_user):
    services.set_plan(actor=world.alice, person=child, plan="return_home", decided_on=D(2023, 2, 1), reason="First")
    services.set_plan(actor=world.alice, person=child, plan="adoption", decided_on=D(2023, 6, 1), reason="Changed")
    services.issue_proceedings(actor=world.alice, person=child, court="Family Court", application="care",
                               issued_on=D(2023, 4, 3), case_number="ZW23C001")
    services.record_adoption_step(actor=world.bob, person=child, kind=K.SHOULD_BE_PLACED, decided_on=D(2023, 6, 5))
    client = as_user(world.alice)
    response = client.get(url("child", child.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="plan-history"' in html and "Return home to parents" in html
    assert "To be decided by 2 October 2023" in html and "Overdue" in html
    assert "Should be placed for adoption (since 5 June 2023)" in html
    assert AccessLog.objects.filter(user=world.alice, person_id=child.pk, action="view").exists()


def test_the_plan_form_saves_and_refuses(world, child, as_user):
    client = as_user(world.alice)
    response = client.post(url("plan-create", child.pk), {"plan": "adoption", "reason": "",
                                                          **date_fields("decided_on", D(2023, 6, 1))})
    assert response.status_code == 200 and "Enter why this is the plan" in response.content.decode()
    response = client.post(url("plan-create", child.pk), {"plan": "adoption", "reason": "Assessment",
                                                          **date_fields("decided_on", D(2023, 6, 1))})
    assert response.status_code == 302
    assert PermanencePlan.objects.get(person=child).created_by == world.alice


def test_the_adoption_form_offers_adm_decisions_to_managers_only(world, child, as_user):
    client = as_user(world.alice)
    html = client.get(url("adoption-create", child.pk)).content.decode()
    assert 'value="should_be_placed"' not in html and 'value="matched"' in html
    response = client.post(url("adoption-create", child.pk), {"kind": "should_be_placed",
                                                              **date_fields("decided_on", D(2023, 6, 1))})
    assert response.status_code == 200 and not AdoptionDecision.objects.filter(person=child).exists()
    response = client.post(url("adoption-create", child.pk), {"kind": "matched",
                                                              **date_fields("decided_on", D(2023, 6, 1))})
    assert "Record the agency decision maker" in response.content.decode()
    client = as_user(world.bob)
    assert 'value="should_be_placed"' in client.get(url("adoption-create", child.pk)).content.decode()
    response = client.post(url("adoption-create", child.pk), {"kind": "should_be_placed",
                                                              **date_fields("decided_on", D(2023, 6, 1))})
    assert response.status_code == 302
    assert AdoptionDecision.objects.get(person=child).kind == K.SHOULD_BE_PLACED


def test_proceedings_forms_issue_update_and_extend(world, child, as_user):
    client = as_user(world.alice)
    response = client.post(url("proceedings-create", child.pk), {
        "court": "Family Court", "application": "care", **date_fields("issued_on", D(2023, 4, 3)),
        **date_fields("concluded_on", D(2023, 3, 1))})
    assert response.status_code == 200
    html = response.content.decode()
    assert "on or after the application was issued" in html and "Select the outcome" in html
    response = client.post(url("proceedings-create", child.pk), {
        "court": "Family Court", "application": "care", **date_fields("issued_on", D(2023, 4, 3))})
    assert response.status_code == 302
    p = CareProceedings.objects.get(person=child)
    response = client.get(url("proceedings-extension", p.pk))
    assert "To be decided by 2 October 2023" in response.content.decode()
    response = client.post(url("proceedings-extension", p.pk), {"reason": "Expert report",
                                                                **date_fields("extended_to", D(2023, 11, 27))})
    assert response.status_code == 302
    data = {"court": "Family Court", "application": "care", "outcome": "care_order", "version": "2",
            **date_fields("issued_on", D(2023, 4, 3)), **date_fields("concluded_on", D(2023, 11, 20))}
    response = client.post(url("proceedings-edit", p.pk), data)
    assert response.status_code == 302
    html = client.get(url("child", child.pk)).content.decode()
    assert "extended by the court" in html and "Met on 20 November 2023" in html
    # A stale version is refused and the input kept.
    response = client.post(url("proceedings-edit", p.pk), {**data, "version": "1", "court": "Other court"})
    assert response.status_code == 200 and "changed this record" in response.content.decode()


def test_other_forms(world, child, as_user):
    client = as_user(world.alice)
    assert client.post(url("meeting-create", child.pk), {"decisions": "Adoption", "attendees": "SW",
                                                          **date_fields("held_on", D(2023, 3, 1))}).status_code == 302
    assert client.post(url("pre-proceedings-create", child.pk), {
        "outcome": "ongoing", **date_fields("pla_meeting_on", D(2023, 3, 1))}).status_code == 302
    pre = child.pre_proceedings.get()
    response = client.post(url("pre-proceedings-edit", pre.pk), {
        "outcome": "diverted", "version": str(pre.version), **date_fields("pla_meeting_on", D(2023, 3, 1))})
    assert "Enter the date pre-proceedings ended" in response.content.decode()
    assert client.post(url("pre-proceedings-edit", pre.pk), {
        "outcome": "diverted", "version": str(pre.version), **date_fields("pla_meeting_on", D(2023, 3, 1)),
        **date_fields("ended_on", D(2023, 5, 1))}).status_code == 302
    assert client.post(url("sgo-create", child.pk), {"guardians": "Ann Aunt", "relationship": "relative",
                                                      **date_fields("granted_on", D(2023, 9, 1))}).status_code == 302
    html = client.get(url("child", child.pk)).content.decode()
    assert "Diverted from proceedings" in html and "Ann Aunt" in html


def test_permissions(world, child, as_user):
    assert as_user(world.nora).get(url("child", child.pk)).status_code == 403
    assert as_user(world.charlie).get(url("child", child.pk)).status_code == 404
    assert as_user(world.charlie).get(url("plan-create", child.pk)).status_code == 404
    # An auditor reads but cannot record.
    assert as_user(world.audrey).get(url("child", child.pk)).status_code == 200
    assert as_user(world.audrey).get(url("plan-create", child.pk)).status_code == 403


def test_the_measures_page_drills_through(world, as_user):
    from haven.core.testing import make_person
    from haven.looked_after.models import PeriodOfCare

    kid = make_person(world.westminster, first="Amy", last="Measure", born=D(2018, 1, 1))
    PeriodOfCare.objects.create(person=kid, authority=world.westminster, start_date=D(2020, 1, 6),
                                end_date=D(2021, 6, 7), end_reason="E11")
    for kind, on in ((K.SHOULD_BE_PLACED, D(2020, 6, 1)), (K.PLACEMENT_ORDER, D(2020, 9, 1)),
                     (K.MATCHED, D(2020, 12, 1)), (K.PLACED, D(2021, 1, 4)), (K.ADOPTION_ORDER, D(2021, 6, 7))):
        AdoptionDecision.objects.create(person=kid, authority=world.westminster, kind=kind, decided_on=on)
    client = as_user(world.bob)
    response = client.get(url("measures"), {"start_0": "1", "start_1": "4", "start_2": "2019",
                                            "end_0": "31", "end_1": "3", "end_2": "2022"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="avg-A1">364<' in html and 'data-testid="avg-A2">91<' in html
    assert url("child", kid.pk) in html
    assert as_user(world.petra).get(url("measures")).status_code == 403
    assert as_user(world.nora).get(url("measures")).status_code == 403


def test_the_summary_panel(world, child, as_user):
    services.issue_proceedings(actor=world.alice, person=child, court="Family Court", application="care",
                               issued_on=D(2023, 4, 3))
    html = as_user(world.alice).get(child.get_absolute_url()).content.decode()
    assert 'data-testid="permanence-panel"' in html and "to be decided by 2 October 2023" in html


def test_chronology_entries(world, child):
    from haven.chronology.registry import SOURCES

    services.set_plan(actor=world.alice, person=child, plan="adoption", decided_on=D(2023, 6, 1), reason="x")
    services.issue_proceedings(actor=world.alice, person=child, court="FC", application="care",
                               issued_on=D(2023, 4, 3))
    titles = [e.title for code in ("permanence_plan", "care_proceedings")
              for e in SOURCES[code].func(child, world.alice)]
    assert titles == ["Permanence plan: adoption", "Care proceedings issued"]
