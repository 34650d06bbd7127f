"""Hotspots: the children at highest concern, concern by concern, at the edges of each definition;
and the page as managers, chairs and analysts use it: who may see it, which authorities, restricted
records masked, the links, the CSV export and the access log. All people are made up."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.core.calendar import add_months
from haven.kpis import hotspots
from haven.work.testing import at, make_episode, make_plan, make_visit

pytestmark = pytest.mark.django_db

D = dt.date
URL = "/performance/hotspots/"


@pytest.fixture
def today():
    return timezone.localdate()


def kid(world, first, last="Hotspot", authority=None):
    from haven.core.testing import make_person

    return make_person(authority or world.westminster, first=first, last=last, born=D(2014, 4, 1))


def cp_plan(person, start, end=None):
    episode = make_episode(person, start - dt.timedelta(days=40))
    return make_plan(person, episode, start, end=end)


def in_care(person, start, *, placements=None):
    """A period of care from ``start`` with one placement, or placements starting on each date."""
    from haven.looked_after.models import PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=person, start_date=start, home_postcode="ZZ1 1AA")
    starts = placements or [start]
    for i, begin in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else None
        Placement.objects.create(period=period, person=person, start_date=begin, end_date=end, place="U4",
                                 provider_code="PR1")
    return period


def allocate(person, team, worker=None, start=D(2024, 1, 1), end=None):
    from haven.people.models import Allocation

    return Allocation.objects.create(person=person, authority=person.authority, team=team, worker=worker,
                                     role="social_worker", start_date=start, end_date=end)


def went_missing(person, day, *, hours=5, kind="M"):
    from haven.missing.models import MissingEpisode

    start = at(day, 2)
    return MissingEpisode.objects.create(person=person, kind=kind, started_at=start,
                                         ended_at=start + dt.timedelta(hours=hours))


def sections(world, today, authorities=None):
    return {s.code: s for s in hotspots.hotspots(authorities or [world.westminster], today)}


def row(section, person):
    return next((r for r in section.rows if r.person_id == person.pk), None)


# --- the concerns ----------------------------------------------------------------------------------

def test_a_plan_is_listed_from_the_day_after_it_is_15_months_old(world, today):
    exactly, older, ended, second = (kid(world, n) for n in ("Exactly", "Older", "Ended", "Second"))
    fifteen = add_months(today, -15)
    cp_plan(exactly, fifteen)
    cp_plan(older, fifteen - dt.timedelta(days=1))
    cp_plan(ended, fifteen - dt.timedelta(days=200), end=today - dt.timedelta(days=1))
    cp_plan(second, D(2019, 1, 1), end=D(2020, 1, 1))
    cp_plan(second, add_months(today, -20))
    found = sections(world, today)["cp_long"]
    assert row(found, exactly) is None and row(found, ended) is None
    r = row(found, older)
    assert r.why["plan started"] == fifteen - dt.timedelta(days=1)
    assert r.why["months on the plan"] == 15 and r.why["previous plans"] == 0
    assert r.why["2 years on"] == add_months(fifteen - dt.timedelta(days=1), 24)
    s = row(found, second)
    assert s.why["months on the plan"] == 20 and s.why["previous plans"] == 1
    # the longest first
    assert found.rows.index(s) < found.rows.index(r)


def test_three_missing_episodes_in_30_days_are_listed_two_are_not(world, today):
    two, three, old, edge, away = (kid(world, n) for n in ("Two", "Three", "Old", "Edge", "Away"))
    for days in (3, 10):
        went_missing(two, today - dt.timedelta(days=days))
    for days in (2, 9, 20):
        went_missing(three, today - dt.timedelta(days=days))
    for days in (31, 5, 6):          # the first is 31 days ago: not counted
        went_missing(old, today - dt.timedelta(days=days))
    for days in (30, 5, 6):          # 30 days ago is counted
        went_missing(edge, today - dt.timedelta(days=days))
    went_missing(away, today - dt.timedelta(days=4))
    for days in (7, 8):              # "away from placement" is not missing
        went_missing(away, today - dt.timedelta(days=days), kind="A")
    found = sections(world, today)["missing"]
    assert row(found, two) is None and row(found, old) is None and row(found, away) is None
    r = row(found, three)
    assert r.why["missing episodes in 30 days"] == 3
    assert [timezone.localtime(t).date() for t in r.why["went missing"]] == [
        today - dt.timedelta(days=d) for d in (20, 9, 2)]
    assert r.why["missing now"] is False
    assert row(found, edge).why["missing episodes in 30 days"] == 3


def test_an_overdue_visit_is_listed_one_done_late_is_not(world, today):
    from haven.work.models import Deadline

    waiting, late, in_care_child = (kid(world, n) for n in ("Waiting", "Late", "Cared"))
    start = today - dt.timedelta(days=21)
    cp_plan(waiting, start)
    plan = cp_plan(late, start)
    first = Deadline.objects.get(rule="cp_visit_10wd", object_id=plan.pk, sequence=1)
    assert timezone.localtime(first.due_at).date() < today
    make_visit([late], at(today, 9))       # seen today: after the first visit fell due
    first = Deadline.objects.get(rule="cp_visit_10wd", object_id=plan.pk, sequence=1)   # derived afresh
    assert first.met_at is not None and first.met_at > first.due_at   # met, late
    in_care(in_care_child, today - dt.timedelta(days=20))
    found = sections(world, today)["visits"]
    assert row(found, late) is None
    r = row(found, waiting)
    due = timezone.localtime(Deadline.objects.filter(rule="cp_visit_10wd", person=waiting).order_by("due_at")
                             .first().due_at).date()
    assert r.why["visit"] == "Child protection visit (child seen)" and r.why["due"] == due
    assert r.why["days overdue"] == (today - due).days > 0 and r.why["last seen on a visit"] is None
    assert r.action == ("Record a visit", f"/recording/add/?person={waiting.pk}", "recording.record")
    c = row(found, in_care_child)
    assert c.why["visit"] == "Statutory visit (child seen)" and c.why["due"] == today - dt.timedelta(days=13)
    # the longest overdue first
    assert found.rows.index(c) < found.rows.index(r)


def test_an_overdue_visit_says_when_the_child_was_last_seen_on_one(world, today):
    seen = kid(world, "Seen")
    cp_plan(seen, today - dt.timedelta(days=80))
    make_visit([seen], at(today - dt.timedelta(days=75), 10))    # the first visit, on time
    r = row(sections(world, today)["visits"], seen)
    assert r is not None and r.why["last seen on a visit"] == today - dt.timedelta(days=75)


def test_an_open_case_with_no_current_social_worker_is_unallocated(world, today):
    ended, current, team_only, closed, cared = (kid(world, n) for n in ("Ended", "Current", "Team", "Closed", "Cared"))
    for child in (ended, current, team_only):
        make_episode(child, D(2025, 1, 10))
    make_episode(closed, D(2025, 1, 10), closure_date=today - dt.timedelta(days=3), closure_reason="RC8")
    allocate(ended, world.wcc_team, world.alice, end=today - dt.timedelta(days=10))
    allocate(current, world.wcc_team, world.alice)
    allocate(team_only, world.wcc_team, None)
    in_care(cared, today - dt.timedelta(days=60))
    found = sections(world, today)["unallocated"]
    assert row(found, current) is None and row(found, closed) is None
    assert row(found, world.child) is None           # Lily: open, allocated to Alice
    r = row(found, ended)
    assert r.why["open as"] == "child in need" and r.why["open since"] == D(2025, 1, 10)
    assert r.why["unallocated since"] == today - dt.timedelta(days=10) and r.why["days unallocated"] == 10
    assert r.why["last social worker"] == "Alice Alice"
    t = row(found, team_only)
    assert t.why["allocated to team"] == "WCC Assessment" and t.why["unallocated since"] == D(2025, 1, 10)
    c = row(found, cared)
    assert c.why["open as"] == "looked after" and c.why["days unallocated"] == 60
    assert c.why["last social worker"] == "none"


def test_three_placements_in_12_months_and_late_return_interviews(world, today):
    from haven.missing.models import ReturnInterview

    moved, settled = kid(world, "Moved"), kid(world, "Settled")
    in_care(moved, today - dt.timedelta(days=200), placements=[today - dt.timedelta(days=d) for d in (200, 100, 50)])
    in_care(settled, today - dt.timedelta(days=200), placements=[today - dt.timedelta(days=d) for d in (200, 100)])
    found = sections(world, today)
    assert row(found["placements"], moved).why["placements in 12 months"] == 3
    assert row(found["placements"], settled) is None

    never, on_time, offered_late, long_ago = (kid(world, n) for n in ("Never", "OnTime", "Offered", "LongAgo"))
    went_missing(never, today - dt.timedelta(days=6))
    e = went_missing(on_time, today - dt.timedelta(days=6))
    ReturnInterview.objects.create(episode=e, outcome="offered", offered_at=e.ended_at + dt.timedelta(hours=20))
    e = went_missing(offered_late, today - dt.timedelta(days=6))
    ReturnInterview.objects.create(episode=e, outcome="offered", offered_at=e.ended_at + dt.timedelta(hours=100))
    went_missing(long_ago, today - dt.timedelta(days=40))
    rhi = sections(world, today)["rhi"]
    assert row(rhi, on_time) is None and row(rhi, long_ago) is None
    assert row(rhi, never).why["offered"] == "not offered"
    late = row(rhi, offered_late)
    assert late.why["hours late"] == 28 and late.why["offered"] == e.ended_at + dt.timedelta(hours=100)
    assert rhi.rows.index(row(rhi, never)) < rhi.rows.index(late)      # not offered at all first


def test_children_in_several_concerns_come_first(world, today):
    worst, once = kid(world, "Worst"), kid(world, "Once")
    cp_plan(worst, add_months(today, -18))      # long plan, visits overdue, no social worker
    cp_plan(once, add_months(today, -18))
    allocate(once, world.wcc_team, world.alice)
    make_visit([once], at(today, 9))
    found = hotspots.hotspots([world.westminster], today)
    many = dict(hotspots.in_more_than_one(found))
    assert {s.code for s in many[worst.pk]} == {"cp_long", "visits", "unallocated"}
    assert once.pk not in many
    ordered = [len(secs) for _pid, secs in hotspots.in_more_than_one(found)]
    assert ordered == sorted(ordered, reverse=True)       # the most lists first


def test_the_queries_do_not_grow_with_the_children(world, today, django_assert_max_num_queries):
    for i in range(6):
        child = kid(world, f"Many{i}")
        cp_plan(child, add_months(today, -16))
        for days in (4, 5, 6):       # back over 72 hours ago: each interview is overdue
            went_missing(child, today - dt.timedelta(days=days))
        in_care(child, today - dt.timedelta(days=90), placements=[today - dt.timedelta(days=d) for d in (90, 60, 30)])
    with django_assert_max_num_queries(16):
        found = hotspots.hotspots([world.westminster, world.hammersmith], today)
    counts = {s.code: s.count for s in found}
    assert all(counts[c] >= 6 for c in ("cp_long", "missing", "visits", "unallocated", "placements", "rhi"))


# --- the page --------------------------------------------------------------------------------------

def test_who_may_see_hotspots(world, as_user):
    assert as_user(world.alice).get(URL).status_code == 403       # a social worker
    assert as_user(world.nora).get(URL).status_code == 403
    assert as_user(world.audrey).get(URL).status_code == 403      # auditors read the dashboards, not this
    assert as_user(world.iris).get(URL).status_code == 200        # a child protection chair / IRO
    # a manager whose team serves no authority is told so
    from haven.accounts.models import Team
    from haven.accounts.roles import Role
    from haven.core.testing import make_user

    nowhere = make_user("nowhere", role=Role.TEAM_MANAGER, team=Team.objects.create(name="Nowhere",
                                                                                    authority=world.westminster))
    response = as_user(nowhere).get(URL)
    assert response.status_code == 200
    assert "You do not serve any authority, so there are no hotspots to show" in response.content.decode()
    assert as_user(nowhere).get(URL, {"format": "csv"}).status_code == 404


def test_a_manager_sees_his_authority_only(world, as_user, today):
    cp_plan(kid(world, "Longplan"), add_months(today, -16))
    cp_plan(kid(world, "Faraway", authority=world.hammersmith), add_months(today, -16))
    client = as_user(world.bob)
    html = client.get(URL).content.decode()
    assert "Hotspots: Westminster" in html and "Longplan Hotspot" in html and "Faraway Hotspot" not in html
    assert f'value="la-{world.hammersmith.pk}"' not in html and f'value="p-{world.westminster.partnership_id}"' not in html
    assert "As at" in html and "15 months is the early warning" in html     # the date and the definitions
    for garbage in (f"la-{world.hammersmith.pk}", f"p-{world.westminster.partnership_id}", "la-999999", "<script>"):
        response = client.get(URL, {"unit": garbage})
        page = response.content.decode()
        assert response.status_code == 200 and "govuk-error-summary" in page, garbage
        assert "Select an authority or partnership you serve" in page and "Faraway Hotspot" not in page
        assert "<title>Error:" in page
    assert client.get(URL, {"concern": "nonsense"}).status_code == 404
    assert client.get(URL, {"format": "xlsx"}).status_code == 404
    assert client.get(URL, {"unit": f"la-{world.hammersmith.pk}", "format": "csv"}).status_code == 404


def test_an_analyst_may_choose_the_partnership(world, as_user, today):
    cp_plan(kid(world, "Faraway", authority=world.hammersmith), add_months(today, -16))
    client = as_user(world.ada)
    html = client.get(URL).content.decode()
    assert "Hotspots: Test partnership" in html and "Faraway Hotspot" in html
    html = client.get(URL, {"unit": f"la-{world.westminster.pk}"}).content.decode()
    assert "Hotspots: Westminster" in html and "Faraway Hotspot" not in html


def test_the_page_lists_links_and_counts(world, as_user, today):
    waiting = kid(world, "Waiting")
    plan = cp_plan(waiting, add_months(today, -16))
    client = as_user(world.bob)
    html = client.get(URL).content.decode()
    assert f'href="/people/{waiting.pk}/"' in html
    assert f'href="/recording/add/?person={waiting.pk}"' in html       # where the visit can be done
    assert f'href="/plans/{plan.pk}/"' in html
    assert f'href="/people/{waiting.pk}/allocations/add/"' in html      # bob may allocate
    assert 'data-testid="list-multiple"' in html and "govuk-tag--red" in html
    assert '<th scope="col" class="govuk-table__header">Plan started</th>' in html
    one = client.get(URL, {"concern": "cp_long"}).content.decode()
    assert 'data-testid="list-cp_long"' in one and 'data-testid="list-visits"' not in one
    # a chair without people.allocate gets no allocation link
    assert f'href="/people/{waiting.pk}/allocations/add/"' not in as_user(world.iris).get(URL).content.decode()


def test_a_restricted_child_is_listed_without_a_name(world, as_user, today):
    from haven.accounts.models import RestrictedAccessGrant

    start = add_months(today, -17)
    cp_plan(world.restricted, start)
    client = as_user(world.bob)
    html = client.get(URL).content.decode()
    assert "Ava Restricted" not in html and "Restricted record" in html
    assert f'href="/people/{world.restricted.pk}/"' not in html
    assert f"?person={world.restricted.pk}" not in html
    assert f"{start:%-d %b %Y}" not in html                 # nothing that says why
    rows = list(csv.reader(io.StringIO(client.get(URL, {"format": "csv"}).content.decode())))
    masked = [r for r in rows[1:] if r[3] == "Restricted record"]
    assert masked and all(r[2] == "" and r[4] == "" and all(c == "" for c in r[6:]) for r in masked)
    assert "Ava Restricted" not in str(rows)
    RestrictedAccessGrant.objects.create(person=world.restricted, user=world.bob, reason="Test: the case manager")
    assert "Ava Restricted" in as_user(world.bob).get(URL).content.decode()


def test_views_and_exports_are_in_the_access_log(world, as_user, today):
    waiting = kid(world, "Logged")
    cp_plan(waiting, add_months(today, -16))
    client = as_user(world.bob)
    client.get(URL)
    entry = AccessLog.objects.filter(user=world.bob, action="view", summary__startswith="Hotspots").latest("at")
    assert entry.authority_id == world.westminster.pk and waiting.pk in entry.detail["people"]
    assert entry.detail["counts"]["cp_long"] >= 1
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "hotspots-westminster-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == ["concern", "place in the list", "child ID", "name", "date of birth",
                           "lists naming the child", "social worker"]
    mine = [r for r in rows[1:] if r[3] == "Logged Hotspot"]
    assert {r[0] for r in mine} == {"On a child protection plan for more than 15 months", "Statutory visits overdue",
                                    "Open case with no allocated social worker"}
    assert all(r[5] == "3" for r in mine)
    export = AccessLog.objects.filter(user=world.bob, action="export", summary__startswith="Hotspots (csv)").latest("at")
    assert waiting.pk in export.detail["people"]
    one = list(csv.reader(io.StringIO(client.get(URL, {"format": "csv", "concern": "cp_long"}).content.decode())))
    assert {r[0] for r in one[1:]} == {"On a child protection plan for more than 15 months"}
    several = list(csv.reader(io.StringIO(client.get(URL, {"format": "csv", "concern": "multiple"}).content.decode())))
    assert "Logged Hotspot" in {r[3] for r in several[1:]} and all(int(r[5]) >= 2 for r in several[1:])


def test_an_export_needs_kpis_export(world, as_user):
    response = as_user(world.iris).get(URL, {"format": "csv"})
    assert response.status_code == 403 and response["Content-Type"].startswith("text/plain")
    assert not AccessLog.objects.filter(user=world.iris, action="export").exists()
    assert "Download every list as CSV" not in as_user(world.iris).get(URL).content.decode()
