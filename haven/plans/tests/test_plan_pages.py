import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from haven.audit.models import AccessLog
from haven.plans.models import Plan, PlanAction, PlanObjective, PlanReview
from haven.work.models import Deadline

from .conftest import date_fields


def world_plan(world):
    return Plan.objects.get(person=world.child, kind="cin", summary__startswith="Lily")


# --- starting a child in need plan ---------------------------------------------------------------

def test_a_social_worker_starts_a_cin_plan_within_the_open_referral(world, as_user, new_child, today):
    child = new_child()
    client = as_user(world.alice)
    url = reverse("plans:plan-create", args=[child.pk]) + "?kind=cin"
    page = client.get(url)
    assert page.status_code == 200 and "Start a child in need plan" in page.content.decode()
    response = client.post(url, {**date_fields("start_date", today - dt.timedelta(days=3)),
                                 "summary": "Maisie is safe at home"})
    plan = Plan.objects.get(person=child)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.kind == "cin" and plan.episode.person == child and plan.created_by == world.alice
    assert AccessLog.objects.filter(action="create", object_type="plans.plan", object_id=str(plan.pk)).exists()
    # Its review clock starts.
    assert Deadline.objects.filter(rule="cin_review_3m", object_id=plan.pk, met_at__isnull=True).exists()


def test_impossible_start_dates_are_refused_with_a_clear_message(world, as_user, new_child, today, cp_plan):
    child = new_child(referral_days_ago=10)
    client = as_user(world.alice)
    url = reverse("plans:plan-create", args=[child.pk])
    cases = [
        (today + dt.timedelta(days=1), "Start date must be today or in the past"),
        (today - dt.timedelta(days=11), "Start date must be on or after the referral on"),
    ]
    for start, message in cases:
        response = client.post(url, {**date_fields("start_date", start), "summary": "x"})
        body = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in body and message in body, message
    assert not Plan.objects.filter(person=child).exists()
    # On a child protection plan: no child in need plan at the same time (CIN census 4001).
    cp_plan(child, start=today - dt.timedelta(days=5))
    body = client.post(url, {**date_fields("start_date", today), "summary": "x"}).content.decode()
    assert "is on a child protection plan" in body
    assert not Plan.objects.filter(person=child, kind="cin").exists()


def test_a_cin_plan_needs_an_open_referral_and_only_one_at_a_time(world, as_user, new_child, today):
    from haven.core.testing import make_person

    client = as_user(world.alice)
    nobody = make_person(world.westminster, first="Nel", last="Noreferral")
    page = client.get(reverse("plans:plan-create", args=[nobody.pk]))
    assert "has no open referral" in page.content.decode()
    response = client.post(reverse("plans:plan-create", args=[nobody.pk]),
                           {**date_fields("start_date", today), "summary": "x"})
    assert "has no open referral" in response.content.decode() and not Plan.objects.filter(person=nobody).exists()
    # Lily already has a current child in need plan (CIN census 4004).
    response = client.post(reverse("plans:plan-create", args=[world.child.pk]),
                           {**date_fields("start_date", today), "summary": "x"})
    assert "already has a child in need plan" in response.content.decode()
    # A referral closed with no further action cannot have one (CIN census 4000).
    nfa = new_child(first="Nora", referral_nfa=True)
    response = client.post(reverse("plans:plan-create", args=[nfa.pk]), {**date_fields("start_date", today), "summary": "x"})
    assert "no further action" in response.content.decode()


def test_child_protection_plans_are_not_started_here(world, as_user):
    page = as_user(world.alice).get(reverse("plans:plan-create", args=[world.child.pk]) + "?kind=cp")
    assert page.status_code == 200 and "start at a conference" in page.content.decode()


def test_scope_and_capability_apply(world, as_user, new_child, today):
    plan = world_plan(world)
    assert as_user(world.charlie).get(plan.get_absolute_url()).status_code == 404
    assert as_user(world.charlie).post(reverse("plans:plan-create", args=[world.child.pk]), {}).status_code == 404
    assert as_user(world.nora).get(plan.get_absolute_url()).status_code == 403
    # Petra (partner, read only) holds plans.view but Lily is not allocated to her; she cannot record.
    assert as_user(world.petra).get(plan.get_absolute_url()).status_code == 404
    assert as_user(world.petra).get(reverse("plans:action-create", args=[plan.pk])).status_code == 403


# --- SMART actions -------------------------------------------------------------------------------

def test_an_action_without_owner_and_due_date_warns_and_saves_only_when_acknowledged(world, as_user):
    plan = world_plan(world)
    client = as_user(world.alice)
    url = reverse("plans:action-create", args=[plan.pk])
    before = PlanAction.objects.filter(plan=plan).count()
    data = {"action": "Family to attend parenting course", "measurable_outcome": "Certificate of completion"}
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-warning-text" in body and "This action does not have an owner and a due date" in body
    assert "Save without an owner and a due date" in body
    assert PlanAction.objects.filter(plan=plan).count() == before
    # Ticking "Save without …" saves it, as incomplete.
    response = client.post(url, {**data, "save_incomplete": "on", "incomplete_items": "an owner,a due date"})
    assert response.status_code == 302
    action = PlanAction.objects.filter(plan=plan).latest("pk")
    assert action.missing == ["an owner", "a due date"] and not action.is_smart
    entry = AccessLog.objects.get(action="create", object_type="plans.planaction", object_id=str(action.pk))
    assert entry.detail == {"incomplete": ["an owner", "a due date"]}


def test_the_tick_counts_only_for_what_was_missing_when_it_was_shown(world, as_user):
    plan = world_plan(world)
    client = as_user(world.alice)
    url = reverse("plans:action-create", args=[plan.pk])
    # Acknowledged "without an owner", but the measurable outcome is missing too now: warn again.
    response = client.post(url, {"action": "Visit", "save_incomplete": "on", "incomplete_items": "an owner"})
    assert "Save without an owner, a measurable outcome and a due date" in response.content.decode()
    assert not PlanAction.objects.filter(plan=plan, action="Visit").exists()


def test_a_smart_action_saves_without_a_warning(world, as_user, today):
    plan = world_plan(world)
    objective = PlanObjective.objects.get(plan=plan)
    client = as_user(world.alice)
    response = client.post(reverse("plans:action-create", args=[plan.pk]), {
        "objective": objective.pk, "action": "Health visitor checks Lily's weight", "owner": "Health visitor",
        "measurable_outcome": "Weight on the 25th centile", **date_fields("due_date", today + dt.timedelta(days=30))})
    assert response.status_code == 302
    action = PlanAction.objects.get(action__startswith="Health visitor")
    assert action.is_smart and action.objective == objective


def test_an_action_due_before_the_plan_started_is_refused(world, as_user):
    plan = world_plan(world)
    response = as_user(world.alice).post(reverse("plans:action-create", args=[plan.pk]), {
        "action": "x", "owner": "y", "measurable_outcome": "z",
        **date_fields("due_date", plan.start_date - dt.timedelta(days=1))})
    assert "By when must be on or after the plan started" in response.content.decode()


def test_the_plan_page_shows_incomplete_actions_and_what_they_miss(world, as_user):
    plan = world_plan(world)
    PlanAction.objects.create(plan=plan, action="Sort out housing", owner="Housing officer", authority=plan.authority)
    body = as_user(world.alice).get(plan.get_absolute_url()).content.decode()
    assert "2 actions are not specific, measurable and timed" in body
    assert "This action does not have an owner, a measurable outcome and a due date" in body
    assert "This action does not have a measurable outcome and a due date" in body
    assert body.count('data-testid="incomplete"') == 2
    assert "In words Lily understands" in body and "Your social worker will visit you every month." in body
    # Its timescales come from the derived deadlines.
    assert 'data-rule="cin_review_3m"' in body and "Child in need plan review" in body


def test_the_plan_page_shows_an_overdue_clock(world, as_user, new_child, cp_plan, today):
    plan = cp_plan(new_child(referral_days_ago=120), start=today - dt.timedelta(days=100))
    body = as_user(world.alice).get(plan.get_absolute_url()).content.decode()
    for rule in ("core_group_10wd", "cp_review_conference", "cp_visit_10wd"):
        assert f'data-rule="{rule}"' in body
    assert body.count("govuk-tag--red\">Overdue") >= 3


def test_editing_an_action_is_versioned_and_updates_status(world, as_user):
    plan = world_plan(world)
    action = PlanAction.objects.get(plan=plan, action="Walk to school together")
    client = as_user(world.alice)
    url = reverse("plans:action-status", args=[action.pk])
    assert client.post(url, {"status": "in_progress", "version": action.version}).status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress" and action.version == 2
    stale = client.post(url, {"status": "done", "version": 1})
    assert stale.status_code == 200 and "changed this record" in stale.content.decode()
    action.refresh_from_db()
    assert action.status == "in_progress"
    edit = client.post(reverse("plans:action-edit", args=[action.pk]), {
        "action": "Walk to school together every day", "owner": "Parent", "measurable_outcome": "95%",
        **date_fields("due_date", action.due_date), "status": "in_progress", "version": action.version})
    assert edit.status_code == 302
    action.refresh_from_db()
    assert action.action.endswith("every day") and action.history.count() == 2  # both edits (the world bulk-creates)


def test_objectives_are_added_and_edited(world, as_user):
    plan = world_plan(world)
    client = as_user(world.alice)
    assert client.post(reverse("plans:objective-create", args=[plan.pk]), {"text": "Lily sleeps well"}).status_code == 302
    objective = PlanObjective.objects.get(text="Lily sleeps well")
    assert objective.authority == plan.authority
    response = client.post(reverse("plans:objective-edit", args=[objective.pk]),
                           {"text": "Lily sleeps through the night", "version": objective.version})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.text == "Lily sleeps through the night"


def test_the_plan_form_edits_a_cp_plans_text_and_category(world, as_user, new_child, cp_plan):
    plan = cp_plan(new_child())
    client = as_user(world.alice)
    page = client.get(reverse("plans:plan-edit", args=[plan.pk])).content.decode()
    assert "Latest category of abuse" in page and "start_date" not in page
    response = client.post(reverse("plans:plan-edit", args=[plan.pk]),
                           {"summary": "Maisie is fed and clean", "latest_category": "EMO", "version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.summary == "Maisie is fed and clean" and plan.latest_category == "EMO"


# --- ending, reviews -----------------------------------------------------------------------------

def test_ending_a_plan_refuses_impossible_dates_and_stops_its_clocks(world, as_user, today):
    plan = world_plan(world)
    client = as_user(world.alice)
    url = reverse("plans:plan-end", args=[plan.pk])
    cases = [
        (plan.start_date - dt.timedelta(days=1), "End date must be on or after the plan started"),
        (today + dt.timedelta(days=1), "End date must be today or in the past"),
        (plan.start_date + dt.timedelta(days=1), "End date must be on or after the last review"),
    ]
    for end, message in cases:
        body = client.post(url, {**date_fields("end_date", end), "end_reason": "objectives_met",
                                 "version": plan.version}).content.decode()
        assert "There is a problem" in body and message in body, message
    body = client.post(url, {**date_fields("end_date", today), "version": plan.version}).content.decode()
    assert "Select the reason the plan ended" in body
    plan.refresh_from_db()
    assert plan.end_date is None
    assert client.post(url, {**date_fields("end_date", today), "end_reason": "objectives_met",
                             "version": plan.version}).status_code == 302
    plan.refresh_from_db()
    assert plan.end_date == today and plan.end_reason == "objectives_met"
    ct = ContentType.objects.get_for_model(Plan)
    assert not Deadline.objects.filter(content_type=ct, object_id=plan.pk, met_at__isnull=True,
                                       due_at__date__gt=today).exists()


def test_a_cin_review_meets_the_review_clock(world, as_user, new_child, today):
    from haven.plans import services

    child = new_child(referral_days_ago=200)
    plan = services.create_cin_plan(actor=world.alice, person=child, start_date=today - dt.timedelta(days=120),
                                    summary="x")
    ct = ContentType.objects.get_for_model(Plan)
    first = Deadline.objects.get(rule="cin_review_3m", content_type=ct, object_id=plan.pk)
    assert first.is_overdue  # 3 months passed without a review
    client = as_user(world.alice)
    url = reverse("plans:review-create", args=[plan.pk])
    for held, message in [(plan.start_date - dt.timedelta(days=1), "must be on or after the plan started"),
                          (today + dt.timedelta(days=1), "must be today or in the past")]:
        body = client.post(url, {**date_fields("held_on", held), "notes": "x"}).content.decode()
        assert message in body
    held = today - dt.timedelta(days=2)
    assert client.post(url, {**date_fields("held_on", held), "notes": "Progress made"}).status_code == 302
    review = PlanReview.objects.get(plan=plan)
    assert review.created_by == world.alice
    deadlines = list(Deadline.objects.filter(rule="cin_review_3m", content_type=ct, object_id=plan.pk).order_by("sequence"))
    assert deadlines[0].met_at.date() == held and deadlines[0].met_in_time is False
    assert deadlines[1].met_at is None and not deadlines[1].is_overdue  # next review due 3 months after this one
    assert "Progress made" in client.get(plan.get_absolute_url()).content.decode()


def test_cp_plans_are_reviewed_at_conferences_not_here(world, as_user, new_child, cp_plan, today):
    plan = cp_plan(new_child())
    client = as_user(world.alice)
    assert "reviewed at conferences" in client.get(reverse("plans:review-create", args=[plan.pk])).content.decode()
    client.post(reverse("plans:review-create", args=[plan.pk]), {**date_fields("held_on", today), "notes": "x"})
    assert not PlanReview.objects.filter(plan=plan).exists()


# --- the child-friendly version ------------------------------------------------------------------

def test_the_child_friendly_version_is_edited_beside_the_plan(world, as_user):
    plan = world_plan(world)
    client = as_user(world.alice)
    url = reverse("plans:child-friendly-edit", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "Walk to school together" in page and "The plan in words the child understands" in page
    response = client.post(url, {"child_friendly": "Mum will walk you to school.", "version": plan.version})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.child_friendly == "Mum will walk you to school."


def test_the_child_friendly_version_prints(world, as_user):
    plan = world_plan(world)
    page = as_user(world.alice).get(reverse("plans:child-friendly", args=[plan.pk])).content.decode()
    assert "Lily's plan" in page and "Your social worker will visit you every month." in page
    assert "@media print" in page and "window.print()" in page
    assert AccessLog.objects.filter(action="view", object_type="plans.plan", object_id=str(plan.pk)).exists()


def test_the_child_friendly_pdf_is_a_pdf_and_its_download_is_audited(world, as_user):
    plan = world_plan(world)
    response = as_user(world.alice).get(reverse("plans:child-friendly-pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'attachment; filename="lily-plan-' in response["Content-Disposition"]
    entry = AccessLog.objects.get(action="export", object_type="plans.plan", object_id=str(plan.pk))
    assert entry.username == "alice" and entry.person_id == world.child.pk
    assert as_user(world.charlie).get(reverse("plans:child-friendly-pdf", args=[plan.pk])).status_code == 404
    assert AccessLog.objects.filter(action="export").count() == 1


# --- the person's summary ------------------------------------------------------------------------

def test_the_persons_summary_has_a_plans_panel(world, as_user, new_child):
    body = as_user(world.alice).get(world.child.get_absolute_url()).content.decode()
    assert 'data-testid="plans-panel"' in body and "1 incomplete" in body
    child = new_child()
    body = as_user(world.alice).get(child.get_absolute_url()).content.decode()
    assert "No plans." in body and "Start a child in need plan" in body
    assert "Start a child in need plan" not in as_user(world.audrey).get(child.get_absolute_url()).content.decode()


def test_a_cp_plan_page_lists_its_core_groups(world, as_user, new_child, cp_plan, today):
    from haven.protection.models import CoreGroupMeeting

    plan = cp_plan(new_child())
    CoreGroupMeeting.objects.create(plan=plan, person=plan.person, held_on=today - dt.timedelta(days=10),
                                    authority=plan.authority)
    body = as_user(world.alice).get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="meetings"' in body and "Core group meeting" in body


def test_a_cin_plan_cannot_start_the_day_the_last_one_ended(world, new_child, today):
    """CIN census 4014 counts a plan's end date as inside it: the next plan starts the day after."""
    from haven.assessments.models import CINEpisode
    from haven.plans import checks
    from haven.plans.models import Plan

    child = new_child(first="Tess", referral_days_ago=90)
    episode = CINEpisode.objects.get(person=child)
    ended = today - dt.timedelta(days=10)
    Plan.objects.create(person=child, episode=episode, kind=Plan.Kind.CIN, start_date=today - dt.timedelta(days=60),
                        end_date=ended, authority=child.authority)
    assert any("already has a child in need plan" in m for _f, m in checks.cin_plan_start(child, ended, episode))
    assert checks.cin_plan_start(child, ended + dt.timedelta(days=1), episode) == []
