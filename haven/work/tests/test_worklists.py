"""My work and Team work: grouping, scope, counts, the pages and the Timescales panel."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from haven.work import worklists
from haven.work.testing import at

from .conftest import NOW

D = dt.date


def rows(worklist, people=None):
    """{(first name, rule, group)} of a worklist, for the given people only."""
    ids = {p.pk for p in people} if people else None
    return {(i.person.first_name, i.deadline.rule, i.group)
            for _code, _label, items, _n in worklist.sections() for i in items
            if ids is None or i.person.pk in ids}


# -- grouping (pure) ---------------------------------------------------------------------------
def test_groups_by_when_things_are_due():
    now = at(D(2026, 1, 5), 10)
    assert worklists.group_of(at(D(2026, 1, 5), 9, 59), now) == "overdue"
    assert worklists.group_of(at(D(2026, 1, 5), 10), now) == "today"
    assert worklists.group_of(at(D(2026, 1, 5), 23, 59), now) == "today"
    assert worklists.group_of(at(D(2026, 1, 6), 0, 1), now) == "week"
    assert worklists.group_of(at(D(2026, 1, 12), 23, 59), now) == "week"
    assert worklists.group_of(at(D(2026, 1, 13), 0, 0), now) == "later"


def test_says_how_overdue():
    now = at(D(2026, 1, 5), 10)
    day_clock_due = at(D(2025, 12, 29), 23, 59)  # day clocks are due by the end of the day
    assert worklists.overdue_by(day_clock_due, now) == "7 days"
    assert worklists.overdue_by(at(D(2026, 1, 4), 23, 59), now) == "1 day"
    assert worklists.overdue_by(at(D(2026, 1, 5), 7), now, hours=True) == "3 hours"
    assert worklists.overdue_by(at(D(2026, 1, 5), 9, 30), now, hours=True) == "1 hour"
    assert worklists.overdue_by(at(D(2026, 1, 2), 9), now, hours=True) == "3 days"
    assert worklists.overdue_by(at(D(2026, 1, 5), 11), now) == ""


moments = st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31)).map(
    lambda d: at(d.date(), d.hour, d.minute))


@given(moments, moments, moments)
def test_groups_are_in_order_of_due_time(now, a, b):
    order = [code for code, _label in worklists.GROUPS]
    if a <= b:
        assert order.index(worklists.group_of(a, now)) <= order.index(worklists.group_of(b, now))
    assert (worklists.group_of(a, now) == "overdue") == (a < now) == bool(worklists.overdue_by(a, now))


# -- My work -----------------------------------------------------------------------------------
def test_my_work_groups_the_open_deadlines_of_my_children(caseload):
    c = caseload
    mine = worklists.my_work(c["world"].alice, NOW)
    assert rows(mine, [c["kit"], c["kim"], c["cal"], c["eve"], c["tia"], c["ruby"]]) == {
        ("Kit", "referral_decision_1wd", "overdue"),
        ("Kit", "contact_decision_red", "today"),
        ("Kim", "contact_decision_green", "week"),
        ("Kit", "assessment_45wd", "later"),
    }
    [late] = [i for i in mine.groups["overdue"] if i.person == c["kit"]]
    assert late.overdue_by == "7 days"
    assert mine.counts["overdue"] == len(mine.groups["overdue"])


def test_my_work_leaves_out_met_and_stopped_deadlines_and_ended_allocations(caseload):
    c = caseload
    people = {i.person.pk for _c, _l, items, _n in worklists.my_work(c["world"].alice, NOW).sections() for i in items}
    assert c["kim"].pk in people and c["eve"].pk not in people and c["cal"].pk not in people
    assert c["tia"].pk not in people  # allocated to the team, not to Alice


def test_charlie_sees_none_of_westminsters_children(caseload, as_user):
    c = caseload
    charlie = c["world"].charlie
    theirs = worklists.my_work(charlie, NOW)
    people = {i.person for _c, _l, items, _n in theirs.sections() for i in items}
    assert people and all(p.authority == c["world"].hammersmith for p in people)
    body = as_user(charlie).get("/work/").content.decode()
    assert "Ruby" in body and "Kit" not in body and "Lily" not in body


def test_my_work_page(caseload, as_user):
    c = caseload
    response = as_user(c["world"].alice).get("/work/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "My work" in body and "Kit Worklist" in body and "Decision on a referral" in body
    assert f'href="/people/{c["kit"].pk}/"' in body
    assert "Eve Worklist" not in body and "Cal Worklist" not in body
    assert 'data-testid="worklist-overdue"' in body


def test_my_work_filters_by_group(caseload, as_user):
    client = as_user(caseload["world"].alice)
    body = client.get("/work/?group=later").content.decode()
    assert 'id="group-later"' in body and 'id="group-overdue"' not in body
    assert "Single assessment authorised" in body  # Kit's assessment is due in March 2026 …
    body = client.get("/work/?group=overdue").content.decode()
    assert 'id="group-overdue"' in body and 'id="group-later"' not in body
    body = client.get("/work/?group=nonsense").content.decode()  # unknown: everything
    assert 'id="group-overdue"' in body and 'id="group-later"' in body


def test_my_work_needs_the_capability(caseload, as_user):
    assert as_user(caseload["world"].petra).get("/work/").status_code == 403


# -- Team work ---------------------------------------------------------------------------------
def test_team_work_counts_per_worker_and_the_teams_own_allocations(caseload):
    c = caseload
    world = c["world"]
    team = worklists.team_work(world.bob, now=NOW)
    names = {r.key: r for r in team.rows}
    assert set(names) >= {str(world.alice.pk), str(world.bob.pk), str(c["dana"].pk), f"team-{world.wcc_team.pk}"}
    assert str(world.audrey.pk) not in names  # an auditor has no worklist
    assert str(world.petra.pk) not in names   # another team
    alice = names[str(world.alice.pk)]
    assert rows(alice.worklist, [c["kit"], c["kim"]]) == rows(worklists.my_work(world.alice, NOW), [c["kit"], c["kim"]])
    assert rows(names[str(world.bob.pk)].worklist) == {("Cal", "referral_decision_1wd", "overdue"),
                                                       ("Cal", "assessment_45wd", "later")}
    assert rows(names[f"team-{world.wcc_team.pk}"].worklist) == {("Tia", "referral_decision_1wd", "overdue"),
                                                                 ("Tia", "assessment_45wd", "later")}
    assert names[str(c["dana"].pk)].children == 0 and names[str(c["dana"].pk)].worklist.total == 0
    assert alice.children >= 2
    # the whole team's list holds every row
    assert team.worklist.total == sum(r.worklist.total for r in team.rows)


def test_team_work_for_one_worker_lists_their_children_for_reallocation(caseload):
    c = caseload
    world = c["world"]
    team = worklists.team_work(world.bob, worker=str(world.bob.pk), now=NOW)
    assert team.chosen.worker == world.bob
    assert rows(team.worklist) == {("Cal", "referral_decision_1wd", "overdue"), ("Cal", "assessment_45wd", "later")}
    assert [a.person for a in team.allocations] == [c["cal"]]


def test_team_work_page(caseload, as_user):
    c = caseload
    world = c["world"]
    client = as_user(world.bob)
    body = client.get("/work/team/").content.decode()
    assert "Team work" in body and 'data-testid="team-counts"' in body
    assert "Kit Worklist" in body and "Cal Worklist" in body and "Tia Worklist" in body
    assert "Ruby" not in body
    body = client.get(f"/work/team/?worker={world.alice.pk}&group=overdue").content.decode()
    assert "Kit Worklist" in body and "Cal Worklist" not in body
    assert f'href="/work/team/reallocate/{c["allocations"]["kit"].pk}/"' in body


def test_team_work_of_another_authority_shows_none_of_westminsters_children(caseload, as_user):
    c = caseload
    team = worklists.team_work(c["hank"], now=NOW)
    people = {i.person for _c, _l, items, _n in team.worklist.sections() for i in items}
    assert people and all(p.authority == c["world"].hammersmith for p in people)
    body = as_user(c["hank"]).get("/work/team/").content.decode()
    assert "Ruby" in body and "Worklist" not in body and "Lily" not in body


def test_team_work_needs_a_manager(caseload, as_user):
    assert as_user(caseload["world"].alice).get("/work/team/").status_code == 403
    assert as_user(caseload["world"].charlie).get("/work/team/").status_code == 403


# -- the Timescales panel ----------------------------------------------------------------------
def test_the_timescales_panel_shows_every_deadline_of_the_child(caseload, as_user):
    from haven.work import testing as kit
    from haven.work.models import TimescaleExemption

    c = caseload
    world = c["world"]
    kim = c["kim"]
    episode = kit.make_episode(kim, D(2025, 6, 2), decision_date=D(2025, 6, 4))  # decided late
    kit.make_assessment(episode, D(2025, 6, 5), authorised=D(2025, 7, 1))         # in time
    TimescaleExemption.objects.create(rule="assessment_45wd", trigger=kit.make_episode(kim, D(2025, 9, 1),
                                      decision_date=D(2025, 9, 2)), authority=world.westminster, kind="exempt",
                                      reason="Family left the country", decided_by=world.bob)
    body = as_user(world.alice).get(f"/people/{kim.pk}/").content.decode()
    assert "Timescales" in body and 'data-testid="timescales"' in body
    assert "Met late on 4 June 2025" in body
    assert "Met in time on 1 July 2025" in body
    assert "Exempt" in body and "Family left the country" in body
    assert "MASH decision on a green-rated contact" in body and "Overdue by" in body
    assert "Referral 02/06/2025" in body  # what set the clock
    # open first
    assert body.index('data-status="open"') < body.index('data-status="met"')


def test_the_panel_marks_a_clock_stopped_before_it_was_met(caseload, as_user):
    from haven.work import testing as kit

    c = caseload
    kit.make_episode(c["kim"], D(2025, 10, 1), referral_nfa=True, closure_date=D(2025, 10, 20), closure_reason="RC8")
    body = as_user(c["world"].alice).get(f"/people/{c['kim'].pk}/").content.decode()
    assert "Not met: the clock stopped on 20 October 2025" in body


def test_the_panel_is_for_practitioners(caseload, as_user):
    body = as_user(caseload["world"].petra).get(f"/people/{caseload['world'].allocated.pk}/").content.decode()
    assert 'data-testid="timescales"' not in body
