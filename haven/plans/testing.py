"""Test-world records for plans: in Westminster a child in need plan for Lily (one SMART action,
one without an owner, a review), in Hammersmith and Fulham one for Ruby. Each child gets its own
open referral, so nothing here depends on another app's builder.

Rows are bulk-created (no per-save signals) and the children's deadlines recomputed once: the
world is built for every test, so it must stay fast."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def build(world) -> None:
    from haven.assessments.models import CINEpisode
    from haven.work.sync import recompute_for_people

    from .models import Plan, PlanAction, PlanObjective, PlanReview

    start = timezone.localdate() - dt.timedelta(days=30)
    children = [(world.child, "Lily is safe at home and goes to school every day"), (world.outsider, "Ruby is safe")]
    episodes = CINEpisode.objects.bulk_create([
        CINEpisode(person=c, authority=c.authority, referral_date=start - dt.timedelta(days=14), source="1A")
        for c, _ in children])
    plans = Plan.objects.bulk_create([
        Plan(person=c, episode=e, kind=Plan.Kind.CIN, start_date=start, summary=summary, authority=c.authority,
             child_friendly="Your social worker will visit you every month.")
        for (c, summary), e in zip(children, episodes, strict=True)])
    objectives = PlanObjective.objects.bulk_create([
        PlanObjective(plan=p, text="Goes to school every day", authority=p.authority) for p in plans])
    PlanAction.objects.bulk_create([
        row for p, o in zip(plans, objectives, strict=True) for row in (
            PlanAction(plan=p, objective=o, action="Walk to school together", owner="Parent",
                       measurable_outcome="Attendance over 95% for 4 weeks", due_date=start + dt.timedelta(days=28),
                       authority=p.authority),
            PlanAction(plan=p, objective=o, action="Talk to the school nurse", authority=p.authority))])
    PlanReview.objects.bulk_create([
        PlanReview(plan=p, held_on=start + dt.timedelta(days=7), notes="Going well", authority=p.authority)
        for p in plans])
    recompute_for_people([c.pk for c, _ in children])
