"""Missing episodes and return home interviews: what is refused, and what is computed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.missing import services
from haven.missing.models import MissingEpisode
from haven.missing.services import EpisodeIn, InterviewIn, Refused, ReturnIn

from .conftest import at, looked_after

pytestmark = pytest.mark.django_db

D = dt.date(2026, 3, 2)


def start(world, child, when, **kw):
    return services.start_episode(actor=world.alice, person=child, data=EpisodeIn(started_at=when, **kw))


def returned(when, **kw):
    return ReturnIn(ended_at=when, where_found=kw.pop("where_found", "friend"), **kw)


def fields(exc) -> set[str]:
    return {p.field for p in exc.value.problems}


def test_an_episode_is_started_and_the_return_recorded(world, child):
    e = start(world, child, at(D, 21), risk_level="high", reported_to_police=True, police_reference="CAD 123")
    assert e.is_open and e.from_care is False and e.placement is None and e.authority == world.westminster
    services.record_return(actor=world.alice, episode=e, expected_version=e.version,
                           returned=returned(at(D + dt.timedelta(days=1), 9), found_by="Police",
                                             police_safe_and_well_check_on=at(D + dt.timedelta(days=1), 11)))
    e.refresh_from_db()
    assert e.ended_at == at(D + dt.timedelta(days=1), 9) and e.where_found == "friend" and e.version == 2
    assert e.hours() == 12


def test_from_care_and_the_placement_are_computed(world, child):
    period, placement = looked_after(child, dt.date(2025, 1, 1))
    before = services.start_episode(actor=world.alice, person=child, data=EpisodeIn(started_at=at(dt.date(2024, 12, 1), 21)),
                                    returned=returned(at(dt.date(2024, 12, 2), 9)))
    assert before.from_care is False and before.placement is None
    e = start(world, child, at(D, 21))
    assert e.from_care is True and e.placement == placement and e.source == "care"


def test_the_end_must_be_after_the_start_and_not_in_the_future(world, child):
    e = start(world, child, at(D, 21))
    with pytest.raises(Refused) as exc:
        services.record_return(actor=world.alice, episode=e, returned=returned(at(D, 20)), expected_version=e.version)
    assert fields(exc) == {"ended_at"} and "after" in str(exc.value)
    with pytest.raises(Refused) as exc:
        services.record_return(actor=world.alice, episode=e, returned=returned(timezone.now() + dt.timedelta(hours=2)),
                               expected_version=e.version)
    assert fields(exc) == {"ended_at"} and "in the past" in str(exc.value)
    with pytest.raises(Refused) as exc:
        services.record_return(actor=world.alice, episode=e, returned=returned(at(D, 23), where_found=""),
                               expected_version=e.version)
    assert fields(exc) == {"where_found"}
    with pytest.raises(Refused) as exc:
        services.record_return(actor=world.alice, episode=e, expected_version=e.version,
                               returned=returned(at(D, 23), police_safe_and_well_check_on=at(D, 22)))
    assert fields(exc) == {"police_safe_and_well_check_on"}


def test_a_start_in_the_future_is_refused(world, child):
    with pytest.raises(Refused) as exc:
        start(world, child, timezone.now() + dt.timedelta(hours=1))
    assert fields(exc) == {"started_at"}
    assert not MissingEpisode.objects.filter(person=child).exists()


def test_overlapping_episodes_are_refused(world, child):
    first = start(world, child, at(D, 21))
    with pytest.raises(Refused) as exc:
        start(world, child, at(D + dt.timedelta(days=2), 21))
    assert "still open" in str(exc.value)
    services.record_return(actor=world.alice, episode=first, returned=returned(at(D + dt.timedelta(days=1), 9)),
                           expected_version=first.version)
    with pytest.raises(Refused) as exc:
        start(world, child, at(D, 23))
    assert "already missing" in str(exc.value)
    # An episode recorded afterwards that would swallow the first one.
    with pytest.raises(Refused):
        services.start_episode(actor=world.alice, person=child, data=EpisodeIn(started_at=at(D, 8)),
                               returned=returned(at(D + dt.timedelta(days=3), 9)))
    # Back to back is fine.
    ok = start(world, child, at(D + dt.timedelta(days=1), 9))
    assert ok.pk
    # A correction of the first that would run into the second is refused.
    first.refresh_from_db()
    with pytest.raises(Refused):
        services.record_return(actor=world.alice, episode=first, returned=returned(at(D + dt.timedelta(days=1), 12)),
                               expected_version=first.version)


def test_adults_and_out_of_scope_children_are_refused(world, child):
    with pytest.raises(Refused) as exc:
        start(world, world.parent, at(D, 21))
    assert "adult" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.start_episode(actor=world.charlie, person=child, data=EpisodeIn(started_at=at(D, 21)))
    with pytest.raises(PermissionDenied):
        services.start_episode(actor=world.petra, person=world.allocated, data=EpisodeIn(started_at=at(D, 21)))


def test_return_home_interview_refusals(world, child):
    e = start(world, child, at(D, 21))
    offered = InterviewIn(outcome="offered", offered_at=at(D + dt.timedelta(days=1), 12), offered_by="Jo")
    with pytest.raises(Refused) as exc:
        services.record_interview(actor=world.alice, episode=e, data=offered)
    assert "has not returned yet" in str(exc.value)
    services.record_return(actor=world.alice, episode=e, returned=returned(at(D + dt.timedelta(days=1), 9)),
                           expected_version=e.version)
    e.refresh_from_db()
    with pytest.raises(Refused) as exc:
        services.record_interview(actor=world.alice, episode=e, data=InterviewIn(
            outcome="offered", offered_at=at(D + dt.timedelta(days=1), 8), offered_by="Jo"))
    assert fields(exc) == {"offered_at"} and "on or after" in str(exc.value)
    with pytest.raises(Refused) as exc:
        services.record_interview(actor=world.alice, episode=e, data=InterviewIn(outcome="not_offered"))
    assert fields(exc) == {"not_offered_reason"}
    with pytest.raises(Refused) as exc:
        services.record_interview(actor=world.alice, episode=e, data=InterviewIn(
            outcome="completed", offered_at=at(D + dt.timedelta(days=2), 9), offered_by="Jo",
            completed_at=at(D + dt.timedelta(days=1), 12), conducted_by="Jo"))
    assert fields(exc) == {"completed_at"}
    with pytest.raises(Refused) as exc:
        services.record_interview(actor=world.alice, episode=e, data=InterviewIn(
            outcome="accepted", offered_at=at(D + dt.timedelta(days=2), 9), offered_by="Jo", push_factors=["nonsense"]))
    assert fields(exc) == {"push_factors"}
    rhi = services.record_interview(actor=world.alice, episode=e, data=InterviewIn(
        outcome="completed", offered_at=at(D + dt.timedelta(days=2), 9), offered_by="Jo", independent=True,
        completed_at=at(D + dt.timedelta(days=2), 15), conducted_by="Jo", push_factors=["bullying", "conflict_home"],
        pull_factors=["friends"], referrals=["mase"]))
    assert rhi.push_factors == ["conflict_home", "bullying"] and rhi.taken_up
    assert services.interview_warnings(e, InterviewIn(outcome="offered", offered_at=at(D + dt.timedelta(days=5), 9))) == [
        "The interview was offered more than 72 hours after the child returned",
        "The interview was not offered by someone independent of the child's care"]
