"""Rule ``missing_rhi_72h``: a return home interview offered within 72 hours of the return."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from haven.core.timescales.rules import RULES
from haven.missing import services
from haven.missing.models import MissingEpisode
from haven.missing.services import EpisodeIn, InterviewIn, ReturnIn
from haven.work.models import Deadline

from .conftest import at

pytestmark = pytest.mark.django_db

D = dt.date(2026, 1, 12)


def deadlines(episode):
    ct = ContentType.objects.get_for_model(MissingEpisode)
    return list(Deadline.objects.filter(rule="missing_rhi_72h", content_type=ct, object_id=episode.pk))


def returned_episode(world, child, back):
    e = services.start_episode(actor=world.alice, person=child, data=EpisodeIn(started_at=at(D, 21)))
    assert deadlines(e) == []  # still missing: no clock
    services.record_return(actor=world.alice, episode=e, returned=ReturnIn(ended_at=back, where_found="home"),
                           expected_version=e.version)
    e.refresh_from_db()
    return e


def test_the_rule_is_an_hour_clock_with_its_citation():
    rule = RULES["missing_rhi_72h"]
    assert rule.hours and rule.describe == "within 72 hours"
    assert "2014" in rule.citation and "72 hours" in rule.citation


def test_an_open_episode_has_no_clock(world, child):
    e = services.start_episode(actor=world.alice, person=child, data=EpisodeIn(started_at=at(D, 21)))
    assert deadlines(e) == []


def test_the_clock_starts_on_return_and_is_met_by_an_offer_in_time(world, child):
    back = at(D + dt.timedelta(days=1), 9, 30)
    e = returned_episode(world, child, back)
    [d] = deadlines(e)
    assert d.starts_at == back and d.due_at == back + dt.timedelta(hours=72) and d.met_at is None
    assert d.is_overdue  # January 2026 is long past
    services.record_interview(actor=world.alice, episode=e, data=InterviewIn(
        outcome="declined", offered_at=back + dt.timedelta(hours=71), offered_by="Jo", independent=True))
    [d] = deadlines(e)
    assert d.met_at == back + dt.timedelta(hours=71) and d.met_in_time is True and not d.is_open


def test_an_offer_after_72_hours_is_late(world, child):
    back = at(D + dt.timedelta(days=1), 9)
    e = returned_episode(world, child, back)
    services.record_interview(actor=world.alice, episode=e, data=InterviewIn(
        outcome="offered", offered_at=back + dt.timedelta(hours=73), offered_by="Jo"))
    [d] = deadlines(e)
    assert d.met_in_time is False


def test_not_offered_does_not_meet_the_clock(world, child):
    e = returned_episode(world, child, at(D + dt.timedelta(days=1), 9))
    services.record_interview(actor=world.alice, episode=e, data=InterviewIn(
        outcome="not_offered", not_offered_reason="Moved out of the area"))
    [d] = deadlines(e)
    assert d.met_at is None and d.is_overdue


def test_reopening_the_return_moves_the_clock(world, child):
    e = returned_episode(world, child, at(D + dt.timedelta(days=1), 9))
    services.record_return(actor=world.alice, episode=e, expected_version=e.version,
                           returned=ReturnIn(ended_at=at(D + dt.timedelta(days=2), 9), where_found="home"))
    [d] = deadlines(e)
    assert d.starts_at == at(D + dt.timedelta(days=2), 9)
