"""Test world records for referrals and assessments: one closed episode with an authorised
assessment (and its factors) in Westminster and one in Hammersmith and Fulham, so the URL
permission walk reaches every page. Closed, so other modules' tests can still open a referral
for these children."""

from __future__ import annotations

import datetime as dt

from haven.core.codes import ClosureReason, PrimaryNeed

from .models import Assessment, AssessmentFactorIdentified, CINEpisode


def _closed_episode(person, *, referral: dt.date, worker, manager) -> CINEpisode:
    episode = CINEpisode.objects.create(
        person=person, authority=person.authority, referral_date=referral, source="2A", primary_need=PrimaryNeed.N1,
        decision_date=referral + dt.timedelta(days=1), closure_date=referral + dt.timedelta(days=51),
        closure_reason=ClosureReason.RC9, stepped_down_to_early_help=True, created_by=worker, updated_by=worker)
    assessment = Assessment.objects.create(
        episode=episode, person=person, authority=person.authority, start_date=referral + dt.timedelta(days=3),
        child_seen_date=referral + dt.timedelta(days=4), seen_alone=True, analysis="Synthetic analysis.",
        outcome=Assessment.Outcome.EARLY_HELP, completed_date=referral + dt.timedelta(days=42),
        authorised_date=referral + dt.timedelta(days=46), authorised_by=manager, created_by=worker, updated_by=worker)
    for code in ("16A", "3B"):
        AssessmentFactorIdentified.objects.create(assessment=assessment, code=code, authority=person.authority,
                                                  created_by=worker, updated_by=worker)
    return episode


def build(world) -> None:
    _closed_episode(world.child, referral=dt.date(2023, 1, 9), worker=world.alice, manager=world.bob)
    _closed_episode(world.outsider, referral=dt.date(2023, 2, 6), worker=world.charlie, manager=world.charlie)
