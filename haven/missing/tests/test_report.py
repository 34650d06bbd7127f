"""The most frequently missing children: per authority and across the partnership, scope,
push and pull factors aggregated, and the audited CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.missing import queries, services
from haven.missing.services import EpisodeIn, InterviewIn, ReturnIn

from .conftest import at, looked_after

pytestmark = pytest.mark.django_db


def episodes(world, child, n, *, first: dt.date, push=(), pull=(), offer_after_hours=24, actor=None):
    actor = actor or world.alice
    out = []
    for i in range(n):
        day = first + dt.timedelta(days=7 * i)
        e = services.start_episode(actor=actor, person=child, data=EpisodeIn(started_at=at(day, 20)),
                                   returned=ReturnIn(ended_at=at(day + dt.timedelta(days=1), 8), where_found="friend"))
        if offer_after_hours is not None:
            services.record_interview(actor=actor, episode=e, data=InterviewIn(
                outcome="accepted" if i % 2 == 0 else "declined", offered_by="Jo", independent=True,
                offered_at=e.ended_at + dt.timedelta(hours=offer_after_hours), push_factors=list(push),
                pull_factors=list(pull)))
        out.append(e)
    return out


@pytest.fixture
def recent():
    return timezone.localdate() - dt.timedelta(days=100)


def test_frequent_per_authority_and_across_the_partnership(world, child, hf_child, hf_manager, recent):
    from haven.accounts.models import Membership
    from haven.accounts.roles import Role
    from haven.core.testing import make_person

    other = make_person(world.westminster, first="Ola", last="Test", born=dt.date(2012, 1, 1))
    looked_after(child, recent - dt.timedelta(days=400))
    episodes(world, child, 3, first=recent, push=["conflict_placement"], pull=["friends", "gang"])
    episodes(world, other, 1, first=recent, push=["bullying"], pull=["friends"], offer_after_hours=80)
    episodes(world, hf_child, 2, first=recent, pull=["drugs"], actor=world.charlie)
    # Outside the default 12 months.
    episodes(world, other, 1, first=timezone.localdate() - dt.timedelta(days=500), pull=["partner"])

    # A manager serving both authorities (through a shared team) sees the partnership.
    Membership.objects.create(user=world.bob, team=world.mash_team, role=Role.TEAM_MANAGER)
    from haven.accounts.models import User

    bob = User.objects.get(pk=world.bob.pk)
    report = queries.frequent(bob)
    names = [r.person.first_name for r in report.rows]
    assert names == ["Skye", "Zane", "Ola"]
    skye = report.rows[0]
    assert (skye.episodes, skye.from_care, skye.returned, skye.offered, skye.taken_up, skye.in_time) == (3, 3, 3, 3, 2, 3)
    assert skye.hours == 36 and skye.offered_pct == 100 and skye.taken_up_pct == 67
    assert report.rows[2].in_time == 0  # offered after 80 hours
    assert dict(report.pull_latest) == {"Friends": 2, "Gang association": 1, "Drugs or alcohol": 1}
    assert dict(report.pull_all) == {"Friends": 4, "Gang association": 3, "Drugs or alcohol": 2}
    assert dict(report.push_latest) == {"Conflict in the placement": 1, "Bullying": 1}

    only_wcc = queries.frequent(bob, authority=world.westminster)
    assert [r.person.first_name for r in only_wcc.rows] == ["Skye", "Ola"]
    assert [r.person.first_name for r in queries.frequent(bob, source="home").rows] == ["Zane", "Ola"]
    longer = queries.frequent(bob, start=timezone.localdate() - dt.timedelta(days=600))
    assert next(r for r in longer.rows if r.person.first_name == "Ola").episodes == 2

    # Hammersmith's manager sees only Hammersmith, even asking for Westminster.
    hf = queries.frequent(hf_manager)
    assert [r.person.first_name for r in hf.rows] == ["Zane"]
    assert queries.frequent(hf_manager, authority=world.westminster).rows == []


def test_the_page_and_the_export(world, child, hf_child, hf_manager, as_user, recent):
    episodes(world, child, 2, first=recent, push=["bullying"], pull=["money_gifts"])
    episodes(world, hf_child, 1, first=recent, pull=["drugs"], actor=world.charlie)
    client = as_user(world.bob)
    page = client.get("/missing/frequent/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Skye Test" in html and "Zane Test" not in html and "Money or gifts" in html
    assert f'href="/missing/child/{child.pk}/"' in html
    filtered = client.get(f"/missing/frequent/?authority={world.westminster.pk}&source=care")
    assert "Skye Test" not in filtered.content.decode()

    export = client.get("/missing/frequent/export/")
    assert export.status_code == 200 and export["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    header = rows[0]
    first = dict(zip(header, rows[1], strict=False))
    assert first["name"] == "Skye Test" and first["episodes"] == "2" and first["rhi_offered_pct"] == "100"
    assert ["pull", "Money or gifts", "1", "2"] in rows
    assert AccessLog.objects.filter(action="export", user=world.bob, summary__contains="frequently missing").exists()

    hf_page = as_user(hf_manager).get("/missing/frequent/").content.decode()
    assert "Zane Test" in hf_page and "Skye Test" not in hf_page
    assert as_user(world.charlie).get("/missing/frequent/export/").status_code == 403
