"""A small caseload for the worklist tests.

Fixed "now": Monday 5 January 2026, 10:00. Alice (Westminster) has Kit and Kim allocated; Dana
is another social worker in Alice's team; Cal is allocated to Bob; Ruby (Hammersmith and Fulham)
to Charlie; Hank manages the Hammersmith and Fulham team.
"""

from __future__ import annotations

import datetime as dt

import pytest

from haven.work import testing as kit
from haven.work.testing import at

D = dt.date
NOW = at(D(2026, 1, 5), 10)


@pytest.fixture
def caseload(world):
    from haven.accounts.roles import Role
    from haven.core.testing import make_person, make_user
    from haven.people.models import Allocation

    wcc = world.westminster
    dana = make_user("dana", role=Role.SOCIAL_WORKER, team=world.wcc_team, first="Dana")
    hank = make_user("hank", role=Role.TEAM_MANAGER, team=world.hf_team, first="Hank")
    kit_ = make_person(wcc, first="Kit", last="Worklist", born=D(2017, 5, 5))
    kim = make_person(wcc, first="Kim", last="Worklist", born=D(2019, 8, 8))
    cal = make_person(wcc, first="Cal", last="Worklist", born=D(2016, 1, 1))
    ended = make_person(wcc, first="Eve", last="Worklist", born=D(2015, 1, 1))
    teamonly = make_person(wcc, first="Tia", last="Worklist", born=D(2014, 1, 1))
    ruby = world.outsider

    allocations = {
        "kit": Allocation.objects.create(person=kit_, authority=wcc, team=world.wcc_team, worker=world.alice,
                                         start_date=D(2025, 12, 1)),
        "kim": Allocation.objects.create(person=kim, authority=wcc, team=world.wcc_team, worker=world.alice,
                                         start_date=D(2025, 12, 1)),
        "cal": Allocation.objects.create(person=cal, authority=wcc, team=world.wcc_team, worker=world.bob,
                                         start_date=D(2025, 12, 1)),
        "eve": Allocation.objects.create(person=ended, authority=wcc, team=world.wcc_team, worker=world.alice,
                                         start_date=D(2025, 6, 1), end_date=D(2025, 12, 1)),
        "tia": Allocation.objects.create(person=teamonly, authority=wcc, team=world.wcc_team, worker=None,
                                         role=Allocation.Role.TEAM, start_date=D(2025, 12, 1)),
    }
    # Kit: a referral on Christmas Eve with no decision (overdue since 29 December; assessment due
    # 2 March), and a red contact rated at 09:00 today (due 13:00 today).
    kit_episode = kit.make_episode(kit_, D(2025, 12, 24))
    kit.make_contact(wcc, [kit_], received=at(D(2026, 1, 5), 8), rag="R", rated=at(D(2026, 1, 5), 9))
    # Kim: a green contact rated yesterday at noon (due Wednesday 7 January, 12:00), and a referral
    # decided in time (nothing open) and closed.
    kit.make_contact(wcc, [kim], received=at(D(2026, 1, 4), 11), rag="G", rated=at(D(2026, 1, 4), 12))
    kit.make_episode(kim, D(2025, 12, 1), decision_date=D(2025, 12, 2), referral_nfa=True,
                     closure_date=D(2025, 12, 3), closure_reason="RC8")
    # Cal (Bob's), Eve (no longer allocated), Tia (the team's), Ruby (Charlie's): one referral each.
    cal_episode = kit.make_episode(cal, D(2025, 12, 24))
    kit.make_episode(ended, D(2025, 12, 24))
    kit.make_episode(teamonly, D(2025, 12, 24))
    kit.make_episode(ruby, D(2025, 12, 24))
    return dict(world=world, dana=dana, hank=hank, kit=kit_, kim=kim, cal=cal, eve=ended, tia=teamonly,
                ruby=ruby, allocations=allocations, kit_episode=kit_episode, cal_episode=cal_episode)
