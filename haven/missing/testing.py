"""Records for the test world (``World.build`` calls ``build``): in each authority a child of
our own (so other apps' tests about the world's children are undisturbed) with a missing episode
from home, a completed return home interview, an exploitation risk assessment and a panel
decision with one action."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def build(world) -> None:
    from haven.core.testing import make_person

    for authority, first, last in ((world.westminster, "Mia", "Runaway"), (world.hammersmith, "Tyler", "Wander")):
        child = make_person(authority, first=first, last=last, born=dt.date(2010, 5, 5), sex="F" if first == "Mia" else "M")
        history(child)


def history(child, *, day: dt.date = dt.date(2025, 6, 1)):
    """One episode (with an interview offered in time), an assessment and a panel decision."""
    from .models import (
        ExploitationRiskAssessment,
        MissingEpisode,
        PanelAction,
        PanelDecision,
        ReturnInterview,
    )

    episode = MissingEpisode.objects.create(person=child, kind="M", started_at=at(day, 20),
                                            ended_at=at(day + dt.timedelta(days=1), 10), reported_to_police=True,
                                            police_reference="MPS-0001", risk_level="high", where_found="friend",
                                            found_by="Police", police_safe_and_well_check_on=at(day + dt.timedelta(days=1), 12))
    ReturnInterview.objects.create(episode=episode, outcome="completed", offered_at=at(day + dt.timedelta(days=2), 9),
                                   offered_by="Jo Bloggs, return interview worker", independent=True,
                                   completed_at=at(day + dt.timedelta(days=3), 15), conducted_by="Jo Bloggs",
                                   push_factors=["conflict_home"], pull_factors=["friends", "exploitation"],
                                   referrals=["mace"])
    ExploitationRiskAssessment.objects.create(person=child, assessed_on=day + dt.timedelta(days=9), kind="cce",
                                              risk_level="medium", indicators=["missing", "gifts_money"],
                                              assessed_by="Sam Social, social worker")
    decision = PanelDecision.objects.create(person=child, panel="mace", held_on=day + dt.timedelta(days=19),
                                            risk_level="medium", decision="Disruption plan; youth worker allocated",
                                            next_review_on=day + dt.timedelta(days=49))
    PanelAction.objects.create(decision=decision, action="Allocate a youth worker", owner="Youth service",
                               due_date=day + dt.timedelta(days=26))
    return episode
