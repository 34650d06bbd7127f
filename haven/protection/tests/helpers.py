"""Service-level set-up for the protection tests (the pages are tested in each test)."""

from __future__ import annotations

import datetime as dt

from haven.protection import services

from .conftest import EVERYONE, at


def attendees(rows=EVERYONE):
    return [services.AttendeeIn(**r) for r in rows]


def discuss(actor, children, day: dt.date, *, s47=True, hour: int = 10):
    return services.record_strategy_discussion(
        actor=actor, held_at=at(day, hour), children=[services.ChildDecisionIn(person=c, s47=s47) for c in children],
        attendees=attendees(), referral_source="6")


def conclude(actor, s47, day: dt.date, outcome: str = "icpc"):
    s47.refresh_from_db()
    return services.record_s47_outcome(actor=actor, s47=s47, expected_version=s47.version, outcome=outcome,
                                       completed_date=day)


def icpc(chair, s47s, day: dt.date, *, category: str = "NEG", plan_needed: bool = True):
    return services.record_initial_conference(
        actor=chair, held_on=day, parents_received_report=True, attendees=attendees(),
        children=[services.InitialChildIn(s47=s, participation="too_young", plan_needed=plan_needed,
                                          category=category if plan_needed else "") for s in s47s])
