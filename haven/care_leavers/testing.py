"""Test-world records for care leavers: in Westminster Jade Leaver and in Hammersmith and Fulham
Marcus Leaver, both aged 19, each with a past period of care from 14 to 18 (a placement and an
episode), a confirmed category, a pathway plan (an action, a review), a contact, accommodation,
an activity, a spell in custody (current), a staying put arrangement and their health facts.
Jade's personal adviser is Paula. Children of their own, so other apps' tests are undisturbed.

Rows are bulk-created (no per-save signals); the tracking rows and deadlines are made once at
the end."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def build(world) -> None:
    from haven.core.testing import make_person
    from haven.looked_after.models import Episode, PeriodOfCare, Placement
    from haven.people.models import Allocation
    from haven.work.sync import recompute_for_people

    from . import services
    from .eligibility import birthday
    from .models import (
        Accommodation,
        Activity,
        Custody,
        LeaverContact,
        LeaverHealth,
        LeaverStatus,
        PathwayPlan,
        PathwayPlanAction,
        PathwayPlanReview,
        StayingPut,
    )

    today = timezone.localdate()
    born = today - dt.timedelta(days=19 * 365 + 100)
    jade = make_person(world.westminster, first="Jade", last="Leaver", born=born, sex="F")
    marcus = make_person(world.hammersmith, first="Marcus", last="Leaver", born=born - dt.timedelta(days=30), sex="M")
    world.leaver, world.leaver_hf = jade, marcus
    people = [jade, marcus]
    start = {p.pk: birthday(p.date_of_birth, 14) + dt.timedelta(days=20) for p in people}
    end = {p.pk: birthday(p.date_of_birth, 18) for p in people}
    periods = PeriodOfCare.objects.bulk_create([
        PeriodOfCare(person=p, authority=p.authority, start_date=start[p.pk], end_date=end[p.pk], end_reason="E17")
        for p in people])
    placements = Placement.objects.bulk_create([
        Placement(period=pc, person=pc.person, authority=pc.authority, start_date=pc.start_date, end_date=pc.end_date,
                  place="U1", provider_code="PR1", carer="Mr and Mrs Carer")
        for pc in periods])
    Episode.objects.bulk_create([
        Episode(period=pc, person=pc.person, placement=pl, authority=pc.authority, start_date=pc.start_date,
                reason_new="S", legal_status="C2", category_of_need="N1", end_date=pc.end_date, end_reason="E17")
        for pc, pl in zip(periods, placements, strict=True)])
    sixteen = {p.pk: birthday(p.date_of_birth, 16) for p in people}
    LeaverStatus.objects.bulk_create([
        LeaverStatus(person=p, authority=p.authority, category="former_relevant", computed_category="former_relevant",
                     confirmed_on=today - dt.timedelta(days=60)) for p in people])
    plans = PathwayPlan.objects.bulk_create([
        PathwayPlan(person=p, authority=p.authority, needs_assessment_completed_on=sixteen[p.pk] + dt.timedelta(days=40),
                    plan_agreed_on=today - dt.timedelta(days=90), accommodation="Own tenancy with support",
                    education_training_employment="College, level 2", health="Registered with a GP",
                    finance="Setting-up home allowance", relationships="Sees her sister weekly",
                    identity="Life story work", contingency="Duty PA out of hours") for p in people])
    PathwayPlanAction.objects.bulk_create([
        PathwayPlanAction(plan=pl, authority=pl.authority, section="accommodation", action="Apply for a tenancy",
                          owner="Personal adviser", measurable_outcome="Tenancy signed",
                          due_date=today + dt.timedelta(days=30)) for pl in plans])
    PathwayPlanReview.objects.bulk_create([
        PathwayPlanReview(plan=pl, authority=pl.authority, held_on=today - dt.timedelta(days=30), notes="Going well")
        for pl in plans])
    LeaverContact.objects.bulk_create([
        LeaverContact(person=p, authority=p.authority, contact_on=today - dt.timedelta(days=10), method="in_person",
                      in_touch="YES", seen=True, by=world.paula if p is jade else world.charlie) for p in people])
    custody_from = today - dt.timedelta(days=40)
    Accommodation.objects.bulk_create([
        row for p in people for row in (
            Accommodation(person=p, authority=p.authority, start_date=end[p.pk] + dt.timedelta(days=1),
                          end_date=custody_from - dt.timedelta(days=1), kind="U", suitable=True, postcode="W2 1AA"),
            Accommodation(person=p, authority=p.authority, start_date=custody_from, kind="X", suitable=False))])
    Activity.objects.bulk_create([
        Activity(person=p, authority=p.authority, start_date=end[p.pk], code="F2") for p in people])
    Custody.objects.bulk_create([
        Custody(person=p, authority=p.authority, start_date=custody_from, establishment="HMYOI Feltham",
                contact_every_days=Custody.Frequency.FORTNIGHTLY) for p in people])
    StayingPut.objects.bulk_create([
        StayingPut(person=p, authority=p.authority, start_date=end[p.pk], end_date=end[p.pk] + dt.timedelta(days=200),
                   carer="Mr and Mrs Carer") for p in people])
    LeaverHealth.objects.bulk_create([
        LeaverHealth(person=p, authority=p.authority, final_assessment_on=end[p.pk] - dt.timedelta(days=60),
                     history_given_on=end[p.pk] - dt.timedelta(days=30)) for p in people])
    Allocation.objects.create(person=jade, authority=world.westminster, team=world.wcc_team, worker=world.paula,
                              role=Allocation.Role.PERSONAL_ADVISER, start_date=end[jade.pk])
    for p in people:
        services.ensure_tracking(p)
    recompute_for_people([p.pk for p in people])
