"""The clocks this module's records start and meet, read from ``Deadline`` as the worklists do:
``icpc_15wd`` (this app), ``core_group_10wd`` and ``cp_review_conference`` (plans)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from haven.core.calendar import add_working_days
from haven.plans.models import Plan
from haven.protection.models import ConferenceChild, S47Enquiry
from haven.work.models import Deadline

from .conftest import conference_post, date_fields
from .helpers import conclude, discuss, icpc

pytestmark = pytest.mark.django_db

# Thursday before Easter 2025: Good Friday (18 April), Easter Monday (21 April) and the Early May
# bank holiday (5 May) fall inside the 15 working days.
MAUNDY_THURSDAY = dt.date(2025, 4, 17)
ICPC_DUE = dt.date(2025, 5, 13)


def deadlines(obj, rule):
    ct = ContentType.objects.get_for_model(type(obj))
    return list(Deadline.objects.filter(content_type=ct, object_id=obj.pk, rule=rule).order_by("sequence"))


def local(value):
    return timezone.localtime(value).date() if value else None


def test_the_icpc_is_due_15_working_days_after_the_discussion_over_bank_holidays(world, family, as_user):
    discuss(world.alice, [family.older], MAUNDY_THURSDAY)
    s47 = S47Enquiry.objects.get(person=family.older)
    [deadline] = deadlines(s47, "icpc_15wd")
    assert local(deadline.due_at) == ICPC_DUE == add_working_days(MAUNDY_THURSDAY, 15)
    assert deadline.person_id == family.older.pk and deadline.met_at is None
    page = as_user(world.alice).get(s47.get_absolute_url()).content.decode()
    assert "Initial child protection conference due 13 May 2025" in page
    assert "Overdue" in page  # 2025 is in the past and no conference was held


def test_the_icpc_meets_the_clock(world, family, as_user):
    discuss(world.alice, [family.older], MAUNDY_THURSDAY)
    s47 = S47Enquiry.objects.get(person=family.older)
    conclude(world.alice, s47, dt.date(2025, 5, 6))
    icpc(world.bob, [s47], ICPC_DUE)
    [deadline] = deadlines(s47, "icpc_15wd")
    assert local(deadline.met_at) == ICPC_DUE and deadline.met_in_time
    page = as_user(world.alice).get(s47.get_absolute_url()).content.decode()
    assert "Met on 13 May 2025" in page


def test_a_conference_a_day_late_meets_it_late(world, family):
    discuss(world.alice, [family.older], MAUNDY_THURSDAY)
    s47 = S47Enquiry.objects.get(person=family.older)
    conclude(world.alice, s47, dt.date(2025, 5, 6))
    icpc(world.bob, [s47], ICPC_DUE + dt.timedelta(days=1))
    [deadline] = deadlines(s47, "icpc_15wd")
    assert deadline.met_at is not None and deadline.met_in_time is False


def test_an_s47_that_needs_no_conference_stops_the_clock(world, family):
    today = timezone.localdate()
    discuss(world.alice, [family.older], today - dt.timedelta(days=3))
    s47 = S47Enquiry.objects.get(person=family.older)
    assert Deadline.objects.open().filter(rule="icpc_15wd", person=family.older).exists()
    conclude(world.alice, s47, today, outcome="not_substantiated")
    assert not Deadline.objects.open().filter(rule="icpc_15wd", person=family.older).exists()


def test_a_recent_discussion_shows_the_time_left(world, family, as_user):
    today = timezone.localdate()
    discuss(world.alice, [family.older], today, hour=0)
    s47 = S47Enquiry.objects.get(person=family.older)
    due = add_working_days(today, 15)
    page = as_user(world.alice).get(s47.get_absolute_url()).content.decode()
    assert f"due {due.day} {due:%B %Y}" in page
    assert f"Due in {(due - today).days} days" in page
    summary = as_user(world.alice).get(family.older.get_absolute_url()).content.decode()
    assert f"Due {due.day} {due:%B %Y}" in summary


def started_plan(world, family, day=dt.date(2025, 5, 1)):
    discuss(world.alice, [family.older], MAUNDY_THURSDAY)
    s47 = S47Enquiry.objects.get(person=family.older)
    conclude(world.alice, s47, dt.date(2025, 4, 28))
    icpc(world.bob, [s47], day)
    return Plan.objects.get(person=family.older, kind="cp")


def test_a_core_group_meets_core_group_10wd(world, family, as_user):
    plan = started_plan(world, family)
    [first] = deadlines(plan, "core_group_10wd")
    assert local(first.due_at) == add_working_days(plan.start_date, 10) == dt.date(2025, 5, 16)  # over 5 May
    url = reverse("protection:core-group-create", args=[plan.pk])
    client = as_user(world.alice)
    page = client.get(url).content.decode()
    assert "The first core group is due within 10 working days" in page
    response = client.post(url, {**date_fields("held_on", dt.date(2025, 5, 9)), "attendees": "Sam Social (CSC)\nMs Green (school)"})
    assert response.status_code == 302, response.content.decode()[:3000]
    first, second = deadlines(plan, "core_group_10wd")
    assert local(first.met_at) == dt.date(2025, 5, 9) and first.met_in_time
    assert local(second.starts_at) == dt.date(2025, 5, 9)  # then every 6 weeks from the meeting


def test_a_core_group_before_the_plan_or_in_the_future_is_refused(world, family, as_user):
    plan = started_plan(world, family)
    url = reverse("protection:core-group-create", args=[plan.pk])
    client = as_user(world.alice)
    page = client.post(url, date_fields("held_on", dt.date(2025, 4, 30))).content.decode()
    assert "Date of the meeting must be on or after the plan started on 1 May 2025" in page
    page = client.post(url, date_fields("held_on", timezone.localdate() + dt.timedelta(days=1))).content.decode()
    assert "Date of the meeting must be today or in the past" in page
    assert not plan.core_groups.exists()


def test_a_core_group_for_a_child_in_need_plan_is_refused(world, family, as_user):
    from haven.assessments.models import CINEpisode

    episode = CINEpisode.objects.create(person=family.older, referral_date=dt.date(2025, 1, 1), source="2A")
    plan = Plan.objects.create(person=family.older, episode=episode, kind="cin", start_date=dt.date(2025, 1, 10))
    url = reverse("protection:core-group-create", args=[plan.pk])
    client = as_user(world.alice)
    assert client.get(url).status_code == 200
    page = client.post(url, date_fields("held_on", dt.date(2025, 2, 1))).content.decode()
    assert "Core groups meet for child protection plans" in page
    assert not plan.core_groups.exists()


def test_a_review_conference_meets_cp_review_conference(world, family, as_user):
    plan = started_plan(world, family)
    [first] = deadlines(plan, "cp_review_conference")
    assert local(first.due_at) == dt.date(2025, 8, 1)
    client = as_user(world.bob)
    url = f"{reverse('protection:conference-create')}?plan={plan.pk}"
    data = conference_post({family.older.pk: {"participation": "written", "plan_continues": "yes", "category": "NEG"}},
                           day=dt.date(2025, 7, 24), chair=world.bob)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    cc = ConferenceChild.objects.get(conference__kind="review", person=family.older)
    assert cc.plan == plan
    first, second = deadlines(plan, "cp_review_conference")
    assert local(first.met_at) == dt.date(2025, 7, 24) and first.met_in_time
    assert local(second.due_at) == dt.date(2026, 1, 24)  # then every 6 months
