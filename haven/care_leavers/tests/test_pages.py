"""The care leaver pages: the leaver page, refusals on every form, confirm/override, personal
adviser allocation, pathway plan and SMART warning, the team list (filters, export, audit) and
the managers' custody list (scope and capability)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.care_leavers.models import (
    Accommodation,
    Activity,
    Custody,
    LeaverContact,
    LeaverStatus,
    PathwayPlan,
    PathwayPlanAction,
    StayingPut,
)

from .conftest import date_fields

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def url(name, *args):
    from django.urls import reverse

    return reverse(f"care_leavers:{name}", args=args)


def errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_leaver_page_explains_the_category_and_shows_everything(world, as_user):
    client = as_user(world.alice)
    page = client.get(url("leaver", world.leaver.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Former relevant (18 to 25)" in html
    assert "the day before their 18th birthday" in html
    assert "HMYOI Feltham" in html and "Every 2 weeks" in html
    assert "Paula" in html
    assert 'data-testid="review-clock"' in html and "Due " in html
    assert AccessLog.objects.filter(action="view", person_id=world.leaver.pk).exists()


def test_a_young_child_page_says_not_eligible(world, as_user):
    html = as_user(world.alice).get(url("leaver", world.child.pk)).content.decode()
    assert "Not eligible for leaving care services" in html and "leaving care categories start at 16" in html


def test_out_of_scope_and_no_capability(world, as_user):
    assert as_user(world.charlie).get(url("leaver", world.leaver.pk)).status_code == 404
    assert as_user(world.nora).get(url("leaver", world.leaver.pk)).status_code == 403
    assert as_user(world.sid).get(url("leaver", world.leaver.pk)).status_code == 403


def test_contact_refusals_and_save(world, as_user, young):
    client = as_user(world.paula)
    future = TODAY() + dt.timedelta(days=2)
    html = errors(client.post(url("contact-create", young.pk), {**date_fields("contact_on", future), "method": "phone",
                                                                 "in_touch": "YES"}))
    assert "Date of contact must be today or in the past" in html
    html = errors(client.post(url("contact-create", young.pk), {**date_fields("contact_on", TODAY()), "method": "phone",
                                                                 "in_touch": "YES", "seen": "on"}))
    assert "can be seen only in person or on a video call" in html
    html = errors(client.post(url("contact-create", young.pk), {**date_fields("contact_on", TODAY()),
                                                                 "method": "in_person", "in_touch": "REFU", "seen": "on"}))
    assert "choose &#x27;In touch&#x27;" in html or "choose 'In touch'" in html
    ok = client.post(url("contact-create", young.pk), {**date_fields("contact_on", TODAY()), "method": "in_person",
                                                        "in_touch": "YES", "seen": "on"})
    assert ok.status_code == 302
    contact = LeaverContact.objects.get(person=young)
    assert contact.by == world.paula and contact.seen


def test_accommodation_refusals(world, as_user, young):
    client = as_user(world.alice)
    start = TODAY() - dt.timedelta(days=100)
    base = {"kind": "U", **date_fields("start_date", start), **date_fields("end_date", None)}
    assert "Select whether the accommodation is suitable" in errors(client.post(url("accommodation-create", young.pk), base))
    html = errors(client.post(url("accommodation-create", young.pk), {**base, "suitable": "yes",
                                                                       **date_fields("end_date", start - dt.timedelta(days=1))}))
    assert "The end date must be on or after the start date" in html
    assert client.post(url("accommodation-create", young.pk), {**base, "suitable": "yes"}).status_code == 302
    html = errors(client.post(url("accommodation-create", young.pk), {**base, "kind": "D", "suitable": "no",
                                                                       **date_fields("start_date", TODAY())}))
    assert "already has accommodation recorded from" in html
    # abroad: no suitability
    acc = Accommodation.objects.get(person=young)
    edit = client.get(url("accommodation-edit", acc.pk))
    assert edit.status_code == 200
    assert client.post(url("accommodation-edit", acc.pk), {
        **base, "suitable": "yes", **date_fields("end_date", TODAY() - dt.timedelta(days=10)),
        "version": acc.version}).status_code == 302
    html = errors(client.post(url("accommodation-create", young.pk), {
        "kind": "G", "suitable": "yes", **date_fields("start_date", TODAY() - dt.timedelta(days=5))}))
    assert "Leave suitability blank" in html
    assert client.post(url("accommodation-create", young.pk), {
        "kind": "G", **date_fields("start_date", TODAY() - dt.timedelta(days=5))}).status_code == 302
    assert Accommodation.objects.filter(person=young, kind="G", suitable__isnull=True).exists()


def test_accommodation_before_16_is_refused(world, as_user, young):
    html = errors(as_user(world.alice).post(url("accommodation-create", young.pk), {
        "kind": "U", "suitable": "yes", **date_fields("start_date", young.date_of_birth + dt.timedelta(days=365 * 15))}))
    assert "16th birthday" in html


def test_activity_dates_and_overlap(world, as_user, young):
    client = as_user(world.alice)
    start = TODAY() - dt.timedelta(days=60)
    html = errors(client.post(url("activity-create", young.pk), {"code": "F2", **date_fields("start_date", start),
                                                                  **date_fields("end_date", start - dt.timedelta(days=3))}))
    assert "The end date must be on or after the start date" in html
    html = errors(client.post(url("activity-create", young.pk), {"code": "F2",
                                                                  **date_fields("start_date", TODAY() + dt.timedelta(days=3))}))
    assert "The start date must be today or in the past" in html
    assert client.post(url("activity-create", young.pk), {"code": "G5", **date_fields("start_date", start)}).status_code == 302
    html = errors(client.post(url("activity-create", young.pk), {"code": "F5", **date_fields("start_date", TODAY())}))
    assert "already has an activity recorded" in html
    act = Activity.objects.get(person=young)
    assert client.post(url("activity-edit", act.pk), {"code": "G5", **date_fields("start_date", start),
                                                      **date_fields("end_date", TODAY() - dt.timedelta(days=1)),
                                                      "version": act.version}).status_code == 302
    assert client.post(url("activity-create", young.pk), {"code": "F5", **date_fields("start_date", TODAY())}).status_code == 302


def test_custody_and_staying_put_refusals(world, as_user, young):
    client = as_user(world.alice)
    html = errors(client.post(url("custody-create", young.pk), {"establishment": "", "contact_every_days": "14",
                                                                 **date_fields("start_date", TODAY())}))
    assert "Enter establishment" in html or "Enter the establishment" in html
    html = errors(client.post(url("staying-put-create", young.pk), {
        "carer": "Mrs Carer", **date_fields("start_date", young.date_of_birth + dt.timedelta(days=365 * 17))}))
    assert "Staying put starts on or after" in html
    assert client.post(url("custody-create", young.pk), {"establishment": "HMP Test", "contact_every_days": "7",
                                                          **date_fields("start_date", TODAY() - dt.timedelta(days=20))}
                       ).status_code == 302
    assert Custody.objects.filter(person=young).count() == 1
    assert not StayingPut.objects.filter(person=young).exists()


def test_confirm_and_override_the_category(world, as_user, young):
    client = as_user(world.alice)
    page = client.get(url("status", young.pk))
    assert "Former relevant" in page.content.decode()
    html = errors(client.post(url("status", young.pk), {"category": "qualifying"}))
    assert "The category differs from the one the care history gives: say why" in html
    assert client.post(url("status", young.pk), {"category": "former_relevant"}).status_code == 302
    status = LeaverStatus.objects.get(person=young)
    assert status.computed_category == "former_relevant" and not status.is_override
    assert client.post(url("status", young.pk), {"category": "qualifying",
                                                 "override_reason": "Returned home for 6 months at 16"}).status_code == 302
    status.refresh_from_db()
    assert status.is_override and status.confirmed_by == world.alice
    assert status.history.count() == 2


def test_allocating_a_personal_adviser_is_for_team_managers(world, as_user, young):
    assert as_user(world.alice).get(url("adviser", young.pk)).status_code == 403
    client = as_user(world.bob)
    assert client.get(url("adviser", young.pk)).status_code == 200
    resp = client.post(url("adviser", young.pk), {"worker": world.paula.pk, **date_fields("start_date", TODAY())})
    assert resp.status_code == 302
    from haven.people.models import Allocation

    assert Allocation.objects.current().get(person=young, role="personal_adviser").worker == world.paula
    html = errors(client.post(url("adviser", young.pk), {"worker": world.paula.pk, **date_fields("start_date", TODAY())}))
    assert "already the personal adviser" in html


def test_pathway_plan_refusals_and_smart_actions(world, as_user, young):
    client = as_user(world.alice)
    # a child who is not a care leaver cannot have one
    html = errors(client.post(url("plan-create", world.child.pk), {**date_fields("needs_assessment_completed_on", TODAY())}))
    assert "is not a care leaver" in html or "15th birthday" in html
    html = errors(client.post(url("plan-create", young.pk), {
        **date_fields("needs_assessment_completed_on", TODAY() - dt.timedelta(days=10)),
        **date_fields("plan_agreed_on", TODAY() - dt.timedelta(days=20))}))
    assert "The plan is agreed after the needs assessment" in html
    resp = client.post(url("plan-create", young.pk), {
        **date_fields("needs_assessment_completed_on", TODAY() - dt.timedelta(days=20)),
        **date_fields("plan_agreed_on", TODAY() - dt.timedelta(days=10)), "accommodation": "Supported lodgings"})
    assert resp.status_code == 302
    plan = PathwayPlan.objects.get(person=young)
    html = errors(client.post(url("plan-create", young.pk), {
        **date_fields("needs_assessment_completed_on", TODAY() - dt.timedelta(days=5))}))
    assert "already has a current pathway plan" in html
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Not written yet: Education" in page and "Due " in page
    # an action without an owner: warned, then saved when the worker ticks "Save without"
    html = errors(client.post(url("action-create", plan.pk), {"action": "Open a bank account"}))
    assert 'data-testid="smart-warning"' in html
    assert not PathwayPlanAction.objects.filter(plan=plan).exists()
    resp = client.post(url("action-create", plan.pk), {
        "action": "Open a bank account", "save_incomplete": "on",
        "incomplete_items": "an owner,a measurable outcome,a due date"})
    assert resp.status_code == 302
    assert "1 action is not specific" in client.get(plan.get_absolute_url()).content.decode()
    # a review before the plan was agreed is refused; one after meets the clock
    html = errors(client.post(url("review-create", plan.pk), {**date_fields("held_on", TODAY() - dt.timedelta(days=15))}))
    assert "must be on or after the plan was agreed" in html
    assert client.post(url("review-create", plan.pk), {**date_fields("held_on", TODAY()),
                                                        "young_person_took_part": "on"}).status_code == 302
    from haven.work.testing import deadlines, local_date

    rows = deadlines(plan, "leaver_pathway_review")
    assert local_date(rows[0].met_at) == TODAY() and rows[-1].met_at is None
    # ending needs a reason
    html = errors(client.post(url("plan-end", plan.pk), {**date_fields("end_date", TODAY()), "version": plan.version}))
    assert "Select the reason the plan ended" in html
    assert client.post(url("plan-end", plan.pk), {**date_fields("end_date", TODAY()), "end_reason": "declined",
                                                   "version": plan.version}).status_code == 302
    assert deadlines(plan, "leaver_pathway_review")[-1].met_at is not None  # the open review was dropped


def test_health_facts(world, as_user, young):
    client = as_user(world.alice)
    html = errors(client.post(url("health", young.pk), {**date_fields("history_given_on", TODAY() + dt.timedelta(days=1))}))
    assert "must be today or in the past" in html
    assert client.post(url("health", young.pk), {**date_fields("history_given_on", TODAY())}).status_code == 302
    assert client.post(url("health", young.pk), {**date_fields("final_assessment_on", TODAY() - dt.timedelta(days=400)),
                                                 **date_fields("history_given_on", TODAY()),
                                                 "version": young.leaver_health.version}).status_code == 302
    young.leaver_health.refresh_from_db()
    assert young.leaver_health.final_assessment_on == TODAY() - dt.timedelta(days=400)


def test_team_list_filters_and_export(world, as_user, young):
    assert as_user(world.alice).get(url("team")).status_code == 403
    client = as_user(world.bob)
    html = client.get(url("team")).content.decode()
    assert f'data-person="{world.leaver.pk}"' in html and f'data-person="{young.pk}"' in html
    assert f'data-person="{world.leaver_hf.pk}"' not in html  # another authority
    html = client.get(url("team") + "?eet=yes").content.decode()
    assert f'data-person="{world.leaver.pk}"' in html and f'data-person="{young.pk}"' not in html
    html = client.get(url("team") + "?eet=unknown").content.decode()
    assert f'data-person="{young.pk}"' in html and f'data-person="{world.leaver.pk}"' not in html
    html = client.get(url("team") + "?suitable=no&age_band=19-21").content.decode()
    assert f'data-person="{world.leaver.pk}"' in html
    html = client.get(url("team") + "?adviser=none").content.decode()
    assert f'data-person="{young.pk}"' in html and f'data-person="{world.leaver.pk}"' not in html
    html = client.get(url("team") + f"?adviser={world.paula.pk}&in_touch=yes").content.decode()
    assert f'data-person="{world.leaver.pk}"' in html
    export = client.get(url("team-export") + "?category=former_relevant")
    assert export.status_code == 200 and export["Content-Type"] == "text/csv"
    body = export.content.decode()
    assert "Jade Leaver" in body and "Marcus" not in body
    assert AccessLog.objects.filter(action="export", user=world.bob, summary__startswith="Care leavers export").exists()


def test_custody_list_is_for_managers_in_scope_and_flags_overdue_contact(world, as_user, young):
    assert as_user(world.alice).get(url("custody-list")).status_code == 403
    assert as_user(world.paula).get(url("custody-list")).status_code == 403
    Custody.objects.create(person=young, authority=young.authority, establishment="HMP Overdue",
                           start_date=TODAY() - dt.timedelta(days=30), contact_every_days=7)
    html = as_user(world.bob).get(url("custody-list")).content.decode()
    assert "HMYOI Feltham" in html and "HMP Overdue" in html
    assert f'data-person="{world.leaver_hf.pk}"' not in html
    row = html[html.index(f'data-person="{young.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "Overdue" in row and "None recorded" in row
    jade = html[html.index(f'data-person="{world.leaver.pk}"'):]
    jade = jade[:jade.index("</tr>")]
    assert "Overdue" not in jade and "10 days ago" in jade
    assert AccessLog.objects.filter(action="view", user=world.bob, summary__startswith="Care leavers in custody").exists()


def test_panel_flag_and_chronology(world, as_user):
    client = as_user(world.alice)
    html = client.get(world.leaver.get_absolute_url()).content.decode()
    assert "Leaving care" in html and 'data-testid="leaving-care-panel"' in html
    assert "Care leaver" in html
    child = client.get(world.child.get_absolute_url()).content.decode()
    assert 'data-testid="leaving-care-panel"' not in child
    from haven.chronology.registry import chronology_for

    titles = {e.title for e in chronology_for(world.leaver, world.alice)}
    assert "Pathway plan agreed" in titles and "Entered custody: HMYOI Feltham" in titles
    assert "Health history given to the young person" in titles
    mine = {"leaver_status", "pathway_plan", "pathway_review", "leaver_accommodation", "custody", "staying_put",
            "leaver_health", "leaver_contact"}
    assert {e.category for e in chronology_for(world.leaver, world.alice)} >= mine
    assert not {e.category for e in chronology_for(world.leaver, world.charlie)} & mine
