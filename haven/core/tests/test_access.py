"""Scope, restricted records, grants and break-glass."""

import datetime as dt

from django.utils import timezone

from haven.accounts.models import BreakGlassAccess
from haven.audit.models import AccessLog
from haven.people.models import Address, Person

BASE_WORLD = {"Lily", "Jack", "Maura", "Noah", "Ruby", "Rita", "Ava"}  # other apps' builders add more


def visible(user, action="view"):
    return set(Person.objects.visible_to(user, action).values_list("first_name", flat=True)) & BASE_WORLD


def test_authority_wide_roles_see_their_authoritys_people(world):
    assert visible(world.alice) == {"Lily", "Jack", "Maura", "Noah"}
    assert visible(world.charlie) == {"Ruby", "Rita"}


def test_a_shared_team_sees_every_authority_it_serves(world):
    assert visible(world.mash) == {"Lily", "Jack", "Maura", "Noah", "Ruby", "Rita"}


def test_partner_agencies_see_only_children_allocated_to_them(world):
    assert visible(world.petra) == {"Noah"}


def test_an_ended_allocation_gives_no_scope(world):
    world.allocated.allocations.update(end_date=dt.date.today())
    assert visible(world.petra) == set()


def test_system_administrators_and_users_without_roles_see_nobody(world):
    assert visible(world.sid) == set() and visible(world.nora) == set()


def test_restricted_records_are_discoverable_but_not_viewable(world):
    assert "Ava" in visible(world.alice, "discover")
    assert "Ava" not in visible(world.alice, "view")


def test_sub_records_follow_their_persons_scope(world):
    assert set(Address.objects.visible_to(world.alice).values_list("line_1", flat=True)) == {"1 Test Street"}
    assert set(Address.objects.visible_to(world.charlie).values_list("line_1", flat=True)) == {"2 Test Road"}


def test_a_restricted_record_answers_403_with_the_break_glass_route(world, as_user):
    response = as_user(world.alice).get(f"/people/{world.restricted.pk}/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "This record is restricted" in body and f"/people/{world.restricted.pk}/break-glass/" in body
    assert "Ava" not in body


def test_break_glass_gives_time_limited_access_and_is_reported(world, as_user):
    client = as_user(world.alice)
    url = f"/people/{world.restricted.pk}/break-glass/"
    short = client.post(url, {"reason": "short"})
    assert short.status_code == 200 and "Give a fuller reason" in short.content.decode()
    assert not BreakGlassAccess.objects.filter(reason="short").exists()
    response = client.post(url, {"reason": "Police at the door asking about the child's safety tonight"})
    assert response.status_code == 302 and response["Location"] == f"/people/{world.restricted.pk}/"
    assert client.get(f"/people/{world.restricted.pk}/").status_code == 200
    access = BreakGlassAccess.objects.filter(user=world.alice, person=world.restricted).latest("started_at")
    assert 59 <= (access.expires_at - access.started_at).total_seconds() / 60 <= 60
    entry = AccessLog.objects.filter(action="break_glass").latest("at")
    assert entry.username == "alice" and "Police at the door" in entry.reason and entry.person_id == world.restricted.pk
    report = as_user(world.bob).get("/audit/break-glass/").content.decode()
    assert "Police at the door" in report and world.restricted.local_id in report
    # when the time is up, the record is closed again
    BreakGlassAccess.objects.filter(pk=access.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(f"/people/{world.restricted.pk}/").status_code == 403


def test_break_glass_is_not_a_way_into_another_authoritys_records(world, as_user):
    world.outsider.restricted = True
    world.outsider.save()
    client = as_user(world.alice)
    assert client.get(f"/people/{world.outsider.pk}/break-glass/").status_code == 404
    assert client.post(f"/people/{world.outsider.pk}/break-glass/", {"reason": "I would like to see it please"}).status_code == 404


def test_partners_cannot_break_glass(world, as_user):
    assert as_user(world.petra).get(f"/people/{world.restricted.pk}/break-glass/").status_code == 403


def test_a_manager_restricts_a_record_and_grants_access(world, as_user):
    bob = as_user(world.bob)
    response = bob.post(f"/people/{world.child.pk}/restrict/", {"restricted": "on", "restricted_reason": "Adoption"})
    assert response.status_code == 302
    assert bob.get(f"/people/{world.child.pk}/").status_code == 200  # the manager keeps access
    alice_client = as_user(world.alice)
    assert alice_client.get(f"/people/{world.child.pk}/").status_code == 403
    bob = as_user(world.bob)
    bob.post(f"/people/{world.child.pk}/grant/", {"user": world.alice.pk, "reason": "Allocated worker"})
    assert as_user(world.alice).get(f"/people/{world.child.pk}/").status_code == 200
    assert AccessLog.objects.filter(action="grant", person_id=world.child.pk).count() == 2


def test_a_restriction_needs_a_reason(world, as_user):
    body = as_user(world.bob).post(f"/people/{world.child.pk}/restrict/", {"restricted": "on"}).content.decode()
    assert "Enter why the record is restricted" in body


def test_views_never_fetch_case_records_around_scope():
    """STYLE.md: views go through visible_to/fetch_in_scope, never Model.objects.get or
    get_object_or_404 on case records."""
    import pathlib
    import re

    offenders = []
    for path in pathlib.Path(__file__).resolve().parents[2].glob("*/views.py"):
        text = path.read_text()
        for pattern in (r"get_object_or_404\(", r"\b(Person|Address|Relationship|Household|Allocation)\.objects\.get\("):
            if re.search(pattern, text):
                offenders.append(f"{path.name}: {pattern}")
    assert offenders == []


def test_a_grant_can_be_revoked(world, as_user):
    from haven.people.services import grant_access

    grant = grant_access(actor=world.bob, person=world.restricted, user=world.alice, reason="Allocated worker")
    assert as_user(world.alice).get(f"/people/{world.restricted.pk}/").status_code == 200
    bob = as_user(world.bob)
    assert bob.post(f"/people/{world.restricted.pk}/grant/{grant.pk}/revoke/").status_code == 302
    assert as_user(world.alice).get(f"/people/{world.restricted.pk}/").status_code == 403


def test_partners_do_not_see_who_has_seen_a_record(world, as_user):
    client = as_user(world.petra)
    assert client.get(f"/people/{world.allocated.pk}/").status_code == 200
    assert "Who has seen this record" not in client.get(f"/people/{world.allocated.pk}/").content.decode()
    assert client.get(f"/people/{world.allocated.pk}/seen-by/").status_code == 403


def test_capabilities_are_also_django_permissions(world):
    assert world.alice.has_perm("people.view") and not world.nora.has_perm("people.view")
    assert world.bob.has_perm("people.restrict") and not world.sid.has_perm("people.restrict")


def test_demo_commands_refuse_without_demo_mode(db, settings):
    import io

    import pytest
    from django.core.management import CommandError, call_command

    settings.HAVEN_DEMO = False
    for command in ("demo", "seed"):
        with pytest.raises(CommandError, match="HAVEN_DEMO=1"):
            call_command(command, stdout=io.StringIO())
