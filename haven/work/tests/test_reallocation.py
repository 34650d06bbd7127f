"""Reallocation: a manager moves a child from one worker to another in the same team."""

from __future__ import annotations

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.people.models import Allocation
from haven.work import services, worklists

from .conftest import NOW


def url(allocation):
    return f"/work/team/reallocate/{allocation.pk}/"


def test_a_manager_moves_a_child_to_another_worker_in_the_team(caseload, as_user):
    c = caseload
    world, dana = c["world"], c["dana"]
    old = c["allocations"]["kit"]
    client = as_user(world.bob)
    page = client.get(url(old)).content.decode()
    assert "Reallocate Kit Worklist" in page and "Dana" in page
    assert f'name="worker" value="{world.alice.pk}"' not in page  # not to the worker who has the child already
    assert f'name="worker" value="{dana.pk}"' in page
    response = client.post(url(old), {"worker": dana.pk, "version": old.version})
    assert response.status_code == 302 and response["Location"] == f"/work/team/?worker={dana.pk}"

    old.refresh_from_db()
    today = timezone.localdate()
    assert old.end_date == today and old.version == 2 and old.updated_by == world.bob
    new = Allocation.objects.current().get(person=c["kit"], worker=dana)
    assert new.start_date == today and new.team == old.team and new.role == old.role
    assert new.created_by == world.bob
    assert not Allocation.objects.current().filter(person=c["kit"], worker=world.alice).exists()
    # audited: the allocation ended, the new one created, both on the child's record
    ended = AccessLog.objects.get(action="update", object_type="people.allocation", object_id=str(old.pk))
    created = AccessLog.objects.get(action="create", object_type="people.allocation", object_id=str(new.pk))
    for entry in (ended, created):
        assert entry.username == "bob" and entry.person_id == c["kit"].pk
        assert entry.detail["to_worker"] == dana.pk and entry.detail["from_worker"] == world.alice.pk
    # and the work moves with the child
    assert c["kit"].pk not in {i.person.pk for *_x, items, _n in worklists.my_work(world.alice, NOW).sections() for i in items}
    assert c["kit"].pk in {i.person.pk for *_x, items, _n in worklists.my_work(dana, NOW).sections() for i in items}


def test_a_child_allocated_to_the_team_can_be_given_a_worker(caseload, as_user):
    c = caseload
    old = c["allocations"]["tia"]
    assert as_user(c["world"].bob).post(url(old), {"worker": c["dana"].pk}).status_code == 302
    assert Allocation.objects.current().get(person=c["tia"]).worker == c["dana"]


def test_a_worker_outside_the_team_is_refused_with_a_message_and_nothing_changes(caseload, as_user):
    c = caseload
    old = c["allocations"]["kit"]
    for worker in (c["world"].charlie, c["world"].petra, c["world"].audrey):
        response = as_user(c["world"].bob).post(url(old), {"worker": worker.pk})
        assert response.status_code == 200
        body = response.content.decode()
        assert "There is a problem" in body and "Select one of the workers listed" in body
    assert as_user(c["world"].bob).post(url(old), {}).content.decode().count("Select who the child is moving to") >= 1
    old.refresh_from_db()
    assert old.end_date is None and Allocation.objects.filter(person=c["kit"]).count() == 1


def test_a_stale_form_is_refused(caseload, as_user):
    c = caseload
    old = c["allocations"]["kit"]
    response = as_user(c["world"].bob).post(url(old), {"worker": c["dana"].pk, "version": old.version + 1})
    assert response.status_code == 200 and "changed this allocation after you opened it" in response.content.decode()
    old.refresh_from_db()
    assert old.end_date is None


def test_the_service_is_all_or_nothing(caseload, monkeypatch):
    c = caseload
    old = c["allocations"]["kit"]

    def broken(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.reallocate(actor=c["world"].bob, allocation=old, to_worker=c["dana"])
    old.refresh_from_db()
    assert old.end_date is None and old.version == 1
    assert not Allocation.objects.filter(person=c["kit"], worker=c["dana"]).exists()


def test_only_a_manager_of_the_allocations_team_may_reallocate(caseload, as_user):
    c = caseload
    world = c["world"]
    petras = Allocation.objects.get(person=world.allocated, worker=world.petra)
    client = as_user(world.bob)
    response = client.get(url(petras))
    assert response.status_code == 200
    assert "Only a manager of Partner agencies can reallocate this child" in response.content.decode()
    assert client.post(url(petras), {"worker": c["dana"].pk}).status_code == 403
    petras.refresh_from_db()
    assert petras.end_date is None


def test_an_ended_allocation_cannot_be_reallocated(caseload, as_user):
    c = caseload
    ended = c["allocations"]["eve"]
    body = as_user(c["world"].bob).get(url(ended)).content.decode()
    assert "This allocation has already ended" in body
    assert as_user(c["world"].bob).post(url(ended), {"worker": c["dana"].pk}).status_code == 403


def test_workers_and_other_authorities_cannot_reallocate(caseload, as_user):
    c = caseload
    old = c["allocations"]["kit"]
    assert as_user(c["world"].alice).get(url(old)).status_code == 403      # a worker, not a manager
    assert as_user(c["world"].alice).post(url(old), {"worker": c["dana"].pk}).status_code == 403
    assert as_user(c["hank"]).get(url(old)).status_code == 404             # another authority's child
    assert as_user(c["hank"]).post(url(old), {"worker": c["dana"].pk}).status_code == 404
    old.refresh_from_db()
    assert old.end_date is None


def test_a_restricted_childs_allocation_offers_break_glass(caseload, as_user):
    c = caseload
    world = c["world"]
    restricted = Allocation.objects.create(person=world.restricted, authority=world.westminster, team=world.wcc_team,
                                           worker=world.alice)
    response = as_user(world.bob).get(url(restricted))
    assert response.status_code == 403 and f"/people/{world.restricted.pk}/break-glass/" in response.content.decode()
