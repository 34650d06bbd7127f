"""The timescale rules engine, and every registered rule end to end.

Part 1 is pure (``haven.core.timescales.engine.compute``, no database, hypothesis). Part 2 creates
the records each rule reads through the ORM and checks the ``Deadline`` rows that the signals
(``haven.work.signals`` → ``haven.work.sync``) derive from them: due dates on weekends, bank
holidays, Christmas and Easter; met in time or late; recurring clocks; stopped clocks.
"""

from __future__ import annotations

import datetime as dt
import importlib
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.core.calendar import add_working_days, is_working_day
from haven.core.timescales.engine import Clock, Deadline, Interval, Schedule, add, compute

D = dt.date
LONDON = zoneinfo.ZoneInfo("Europe/London")
WD = Clock.WORKING_DAYS


# ==============================================================================================
# Part 1: the pure engine
# ==============================================================================================
def test_the_first_deadline_runs_from_the_trigger():
    [d] = compute(Schedule(Interval(WD, 45)), D(2025, 12, 24), [])
    assert d == Deadline(1, D(2025, 12, 24), D(2026, 3, 2), None)
    assert d.met_in_time is None and d.is_open


def test_the_earliest_event_on_or_after_the_trigger_meets_it():
    [d] = compute(Schedule(Interval(WD, 1)), D(2025, 12, 24), [D(2025, 12, 30), D(2025, 12, 29), D(2025, 12, 1)])
    assert d.due == D(2025, 12, 29)
    assert d.met == D(2025, 12, 29) and d.met_in_time is True


def test_an_event_on_the_trigger_day_meets_it():
    [d] = compute(Schedule(Interval(WD, 1)), D(2025, 6, 2), [D(2025, 6, 2)])
    assert d.met == D(2025, 6, 2) and d.met_in_time


def test_an_event_after_the_due_date_meets_it_late():
    [d] = compute(Schedule(Interval(WD, 1)), D(2025, 12, 24), [D(2025, 12, 30)])
    assert d.met == D(2025, 12, 30) and d.met_in_time is False
    assert not d.is_open


def test_a_single_deadline_is_met_once_and_later_events_do_not_start_another():
    assert len(compute(Schedule(Interval(WD, 1)), D(2025, 6, 2), [D(2025, 6, 3), D(2025, 6, 4)])) == 1


def test_a_recurring_series_starts_each_clock_from_the_event_that_met_the_last():
    schedule = Schedule(Interval(WD, 10), Interval(WD, 10))
    series = compute(schedule, D(2025, 12, 1), [D(2025, 12, 10), D(2025, 12, 23), D(2025, 12, 23)])
    assert [(d.sequence, d.starts, d.due, d.met) for d in series] == [
        (1, D(2025, 12, 1), D(2025, 12, 15), D(2025, 12, 10)),
        (2, D(2025, 12, 10), D(2025, 12, 24), D(2025, 12, 23)),
        # a second event on the same day does not meet the next deadline
        (3, D(2025, 12, 23), D(2026, 1, 9), None),
    ]


def test_a_late_event_in_a_series_is_late_and_the_next_clock_runs_from_it():
    series = compute(Schedule(Interval(Clock.MONTHS, 3), Interval(Clock.MONTHS, 6)), D(2025, 11, 30),
                     [D(2026, 3, 2)])
    assert series[0].due == D(2026, 2, 28) and series[0].met_in_time is False
    assert series[1] == Deadline(2, D(2026, 3, 2), D(2026, 9, 2), None)


def test_a_stop_before_the_due_date_drops_the_open_deadline():
    assert compute(Schedule(Interval(WD, 45)), D(2025, 12, 24), [], stop=D(2026, 1, 15)) == []


def test_a_stop_on_or_after_the_due_date_keeps_the_missed_deadline_but_not_as_open_work():
    [d] = compute(Schedule(Interval(WD, 1)), D(2025, 12, 24), [], stop=D(2026, 1, 15))
    assert d.due == D(2025, 12, 29) and d.met is None
    assert d.stopped == D(2026, 1, 15) and not d.is_open


def test_events_after_the_stop_are_ignored():
    schedule = Schedule(Interval(WD, 10), Interval(WD, 10))
    events = [D(2025, 12, 10), D(2026, 1, 20)]
    # stopped on 20 December: the visit of 20 January does not count, the next (due 24 December) is dropped
    series = compute(schedule, D(2025, 12, 1), events, stop=D(2025, 12, 20))
    assert [(d.due, d.met) for d in series] == [(D(2025, 12, 15), D(2025, 12, 10))]
    # stopped on 15 January: the one due 24 December was missed; 20 January still does not count
    series = compute(schedule, D(2025, 12, 1), events, stop=D(2026, 1, 15))
    assert [(d.due, d.met, d.stopped) for d in series] == [
        (D(2025, 12, 15), D(2025, 12, 10), None), (D(2025, 12, 24), None, D(2026, 1, 15))]


def test_a_stop_keeps_the_met_deadlines_before_it():
    schedule = Schedule(Interval(Clock.MONTHS, 3), Interval(Clock.MONTHS, 3))
    series = compute(schedule, D(2026, 1, 31), [D(2026, 4, 15)], stop=D(2026, 6, 1))
    assert [(d.due, d.met) for d in series] == [(D(2026, 4, 30), D(2026, 4, 15))]


def test_hour_clocks_count_hours_including_nights_weekends_and_holidays():
    rated = dt.datetime(2025, 12, 24, 9, 0, tzinfo=LONDON)
    [d] = compute(Schedule(Interval(Clock.HOURS, 72)), rated, [])
    assert d.due == dt.datetime(2025, 12, 27, 9, 0, tzinfo=LONDON)
    [d] = compute(Schedule(Interval(Clock.HOURS, 4)), dt.datetime(2025, 12, 5, 22, 30, tzinfo=LONDON),
                  [dt.datetime(2025, 12, 6, 2, 0, tzinfo=LONDON)])
    assert d.due == dt.datetime(2025, 12, 6, 2, 30, tzinfo=LONDON) and d.met_in_time


def test_hour_clocks_count_elapsed_hours_across_the_change_of_the_clocks():
    # Clocks go back at 02:00 BST on Sunday 26 October 2025: 24 hours after noon is 11:00 GMT.
    due = add(dt.datetime(2025, 10, 25, 12, 0, tzinfo=LONDON), Clock.HOURS, 24)
    assert due == dt.datetime(2025, 10, 26, 11, 0, tzinfo=LONDON)
    assert due.astimezone(dt.UTC) - dt.datetime(2025, 10, 25, 11, 0, tzinfo=dt.UTC) == dt.timedelta(hours=24)
    # Clocks go forward on Sunday 29 March 2026: 4 hours after 23:00 GMT is 04:00 BST.
    assert add(dt.datetime(2026, 3, 28, 23, 0, tzinfo=LONDON), Clock.HOURS, 4) == dt.datetime(2026, 3, 29, 4, 0, tzinfo=LONDON)


def test_a_day_clock_started_by_a_datetime_counts_from_its_date():
    assert add(dt.datetime(2026, 4, 2, 14, 0), WD, 15) == D(2026, 4, 27)
    assert add(D(2025, 1, 31), Clock.MONTHS, 1) == D(2025, 2, 28)
    assert add(D(2025, 12, 24), Clock.CALENDAR_DAYS, 8) == D(2026, 1, 1)
    assert add(D(2025, 12, 24), Clock.WEEKS, 6) == D(2026, 2, 4)


def test_intervals_describe_themselves():
    assert Interval(WD, 1).describe() == "1 working day"
    assert Interval(WD, 45).describe() == "45 working days"
    assert Interval(Clock.HOURS, 4).describe() == "4 hours"
    assert Interval(Clock.MONTHS, 3).describe() == "3 months"
    assert Interval(Clock.WEEKS, 6).describe() == "6 weeks"


day = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
intervals = st.builds(Interval, st.sampled_from([WD, Clock.CALENDAR_DAYS, Clock.WEEKS, Clock.MONTHS]),
                      st.integers(min_value=1, max_value=50))
schedules = st.builds(Schedule, intervals, st.one_of(st.none(), intervals))


@given(schedules, day, st.lists(day, max_size=12), st.one_of(st.none(), day))
def test_series_invariants(schedule, trigger, events, stop):
    series = compute(schedule, trigger, events, stop=stop)
    counted = sorted({e for e in events if e >= trigger and (stop is None or e <= stop)})
    # numbered 1, 2, 3…; each runs from the trigger or the event that met the one before
    assert [d.sequence for d in series] == list(range(1, len(series) + 1))
    for i, d in enumerate(series):
        interval = schedule.first if i == 0 else schedule.repeat
        assert d.starts == (trigger if i == 0 else series[i - 1].met)
        assert d.due == interval.after(d.starts)
        if d.met is not None:
            assert d.met in counted and d.met >= d.starts
            assert d.met_in_time == (d.met <= d.due)
            # the earliest event that could meet it did
            assert not [e for e in counted if d.starts <= e < d.met and (i == 0 or e > d.starts)]
    # at most one unmet deadline, and only the last
    assert all(d.met is not None for d in series[:-1])
    if schedule.repeat is None:
        assert len(series) <= 1
    else:
        assert len([d for d in series if d.met is not None]) == len([e for e in counted if e >= trigger])
    if series and series[-1].met is None:
        last = series[-1]
        if stop is None:
            assert last.is_open
        else:
            assert last.due <= stop and last.stopped == stop
    if stop is not None:
        assert all(d.met is None or d.met <= stop for d in series)
    if not counted:
        assert all(d.met is None for d in series)


@given(day, st.integers(min_value=1, max_value=60))
def test_working_day_deadlines_always_fall_on_working_days(trigger, n):
    [d] = compute(Schedule(Interval(WD, n)), trigger, [])
    assert is_working_day(d.due) and d.due == add_working_days(trigger, n)


# ==============================================================================================
# Part 2: every registered rule, end to end through the ORM and the signals
# ==============================================================================================
from haven.core.timescales.rules import RULES, Rule, Source, register  # noqa: E402
from haven.work import testing as kit  # noqa: E402
from haven.work.testing import at, deadlines, local_date  # noqa: E402

EXPECTED_RULES = {
    "contact_decision_red", "contact_decision_amber", "contact_decision_green", "referral_decision_1wd",
    "assessment_45wd", "icpc_15wd", "core_group_10wd", "cp_review_conference", "cp_visit_10wd", "cin_review_3m",
    "cla_care_plan", "cla_review", "cla_visit", "cla_health_assessment", "cla_dental_check", "cla_pep",
    "missing_rhi_72h", "proceedings_26w", "leaver_needs_assessment", "leaver_pathway_review",
}
END = dt.time(23, 59, 59)


def due_dates(rows):
    return [local_date(d.due_at) for d in rows]


@pytest.fixture
def kid(world):
    """A Westminster child of this test's own (the world's children carry other modules' records)."""
    from haven.core.testing import make_person

    return make_person(world.westminster, first="Kit", last="Timescale", born=D(2017, 5, 5))


@pytest.fixture
def kid2(world):
    from haven.core.testing import make_person

    return make_person(world.westminster, first="Kim", last="Timescale", born=D(2019, 8, 8))


def summary(rows):
    """(sequence, due date, met date, in time) for day clocks."""
    return [(d.sequence, local_date(d.due_at), local_date(d.met_at), d.met_in_time) for d in rows]


# -- the registry --------------------------------------------------------------------------------
def test_every_expected_rule_is_registered():
    assert EXPECTED_RULES <= set(RULES)


def test_no_rule_is_registered_twice_with_different_definitions():
    before = dict(RULES)
    for module in ("front_door", "assessments", "protection", "plans"):
        importlib.reload(importlib.import_module(f"haven.{module}.timescales"))  # same definitions: accepted
    assert RULES == before
    rule = RULES["assessment_45wd"]
    changed = Rule(**{**rule.__dict__, "schedule": Schedule(Interval(WD, 40))})
    with pytest.raises(ValueError, match="registered twice"):
        register(changed)
    assert RULES["assessment_45wd"] is rule or RULES["assessment_45wd"] == rule


def test_an_hour_clock_must_say_so():
    with pytest.raises(ValueError, match="hour clocks"):
        register(Rule(code="test_bad_hours", label="x", citation="x",
                      trigger=Source("front_door.Contact", date="rated_at"),
                      schedule=Schedule(Interval(Clock.HOURS, 4)),
                      satisfied_by=Source("front_door.Contact", date="decision_at")))
    assert "test_bad_hours" not in RULES


@pytest.mark.parametrize("code", sorted(EXPECTED_RULES))
def test_every_rules_models_and_paths_resolve(code, db):
    from django.apps import apps

    from haven.work.models import Deadline
    from haven.work.signals import _connected, watched_models
    from haven.work.sync import recompute

    rule = RULES[code]
    assert len(rule.code) <= Deadline._meta.get_field("rule").max_length
    assert rule.label and rule.citation
    for label in rule.models() | watched_models(rule):
        assert apps.get_model(label) is not None
        assert label in _connected, f"{label} is read by {code} but its saves do not recompute deadlines"
    T, S = rule.trigger.model_class, rule.satisfied_by.model_class
    # every path is a real lookup (a FieldError here means the rule names a field that is not there)
    list(T._base_manager.filter(**rule.trigger.filter).exclude(**rule.trigger.exclude)
         .values_list(rule.trigger.date, rule.person)[:1])
    if rule.stop:
        list(T._base_manager.filter(**rule.stop_when).values_list(rule.stop)[:1])
    list(S._base_manager.filter(**rule.satisfied_by.filter).exclude(**rule.satisfied_by.exclude)
         .values_list(rule.satisfied_by.date)[:1])
    assert recompute(rule) == 0


# -- contacts: MASH decisions by RAG rating (hour clocks) -----------------------------------------
def test_contact_decision_red_is_due_four_hours_after_rating(world, kid, kid2):
    rated = at(D(2025, 12, 1), 10)
    contact = kit.make_contact(world.westminster, [kid, kid2], received=at(D(2025, 12, 1), 9),
                               rag="R", rated=rated, decided=at(D(2025, 12, 1), 13, 30))
    rows = deadlines(contact)
    assert {d.rule for d in rows} == {"contact_decision_red"}
    assert {d.person_id for d in rows} == {kid.pk, kid2.pk}  # one clock per child
    for d in rows:
        assert d.starts_at == rated and d.due_at == at(D(2025, 12, 1), 14)
        assert d.met_at == at(D(2025, 12, 1), 13, 30) and d.met_in_time


def test_contact_decision_red_met_late(world, kid):
    contact = kit.make_contact(world.westminster, [kid], received=at(D(2025, 12, 1), 9), rag="R",
                               rated=at(D(2025, 12, 1), 15), decided=at(D(2025, 12, 1), 19, 1))
    [d] = deadlines(contact)
    assert d.due_at == at(D(2025, 12, 1), 19) and d.met_in_time is False


def test_contact_decision_amber_runs_through_the_weekend(world, kid):
    contact = kit.make_contact(world.westminster, [kid], received=at(D(2025, 12, 5), 15), rag="A",
                               rated=at(D(2025, 12, 5), 16))
    [d] = deadlines(contact)
    assert d.rule == "contact_decision_amber"
    assert d.due_at == at(D(2025, 12, 6), 16)  # Saturday: hours are hours
    assert d.met_at is None and d.is_overdue


def test_contact_decision_green_runs_through_christmas(world, kid):
    contact = kit.make_contact(world.westminster, [kid], received=at(D(2025, 12, 24), 8), rag="G",
                               rated=at(D(2025, 12, 24), 9), decided=at(D(2025, 12, 29), 9))
    [d] = deadlines(contact)
    assert d.rule == "contact_decision_green"
    assert d.due_at == at(D(2025, 12, 27), 9) and d.met_in_time is False


def test_contact_decision_counts_elapsed_hours_when_the_clocks_go_back(world, kid):
    contact = kit.make_contact(world.westminster, [kid], received=at(D(2025, 10, 25), 11), rag="A",
                               rated=at(D(2025, 10, 25), 12))
    [d] = deadlines(contact)
    assert d.due_at == at(D(2025, 10, 26), 11)
    assert d.due_at - d.starts_at == dt.timedelta(hours=24)


def test_blue_and_unrated_contacts_have_no_clock(world, kid):
    blue = kit.make_contact(world.westminster, [kid], received=at(D(2025, 12, 1), 9), rag="B",
                            rated=at(D(2025, 12, 1), 10))
    unrated = kit.make_contact(world.westminster, [kid], received=at(D(2025, 12, 1), 9))
    assert deadlines(blue) == [] and deadlines(unrated) == []


def test_changing_the_rating_replaces_the_clock(world, kid):
    contact = kit.make_contact(world.westminster, [kid], received=at(D(2025, 12, 1), 9), rag="R",
                               rated=at(D(2025, 12, 1), 10))
    assert [d.rule for d in deadlines(contact)] == ["contact_decision_red"]
    contact.rag, contact.rated_at = "A", at(D(2025, 12, 1), 11)
    contact.save()
    [d] = deadlines(contact)
    assert d.rule == "contact_decision_amber" and d.due_at == at(D(2025, 12, 2), 11)
    contact.decision, contact.decision_at = "nfa", at(D(2025, 12, 2), 10)
    contact.save()
    [d] = deadlines(contact)
    assert d.met_in_time


def test_a_child_added_to_a_rated_contact_gets_its_clock_and_a_child_removed_loses_it(world, kid, kid2):
    from haven.front_door.models import ContactSubject

    contact = kit.make_contact(world.westminster, [kid], received=at(D(2025, 12, 1), 9), rag="R",
                               rated=at(D(2025, 12, 1), 10))
    added = ContactSubject.objects.create(contact=contact, person=kid2, authority=world.westminster)
    assert {d.person_id for d in deadlines(contact)} == {kid.pk, kid2.pk}
    added.delete()
    assert {d.person_id for d in deadlines(contact)} == {kid.pk}


# -- referrals and assessments -------------------------------------------------------------------
def test_referral_decision_on_christmas_eve_is_due_the_next_working_day(world, kid):
    # Wednesday 24 December 2025: Thursday and Friday are bank holidays, then the weekend.
    episode = kit.make_episode(kid, D(2025, 12, 24))
    [d] = deadlines(episode, "referral_decision_1wd")
    assert local_date(d.due_at) == D(2025, 12, 29)
    assert timezone_local_time(d.due_at) == END  # due by the end of the day
    episode.decision_date = D(2025, 12, 29)
    episode.save()
    assert summary(deadlines(episode, "referral_decision_1wd")) == [(1, D(2025, 12, 29), D(2025, 12, 29), True)]
    episode.decision_date = D(2025, 12, 30)
    episode.save()
    assert summary(deadlines(episode, "referral_decision_1wd")) == [(1, D(2025, 12, 29), D(2025, 12, 30), False)]


def test_referral_decision_on_a_friday_or_saturday_is_due_monday(world, kid, kid2):
    friday = kit.make_episode(kid, D(2025, 12, 5))
    saturday = kit.make_episode(kid2, D(2025, 12, 6))
    assert due_dates(deadlines(friday, "referral_decision_1wd")) == [D(2025, 12, 8)]
    assert due_dates(deadlines(saturday, "referral_decision_1wd")) == [D(2025, 12, 8)]


def test_referral_decision_before_easter_2025(world, kid):
    episode = kit.make_episode(kid, D(2025, 4, 17))  # Maundy Thursday
    assert due_dates(deadlines(episode, "referral_decision_1wd")) == [D(2025, 4, 22)]


def test_a_referral_closed_before_the_decision_was_due_has_no_open_clock(world, kid):
    episode = kit.make_episode(kid, D(2025, 12, 24), closure_date=D(2025, 12, 24), closure_reason="RC8")
    assert deadlines(episode, "referral_decision_1wd") == []


def test_a_referral_closed_after_the_decision_was_missed_keeps_the_miss_but_not_as_work(world, kid):
    from haven.work.models import Deadline

    episode = kit.make_episode(kid, D(2025, 12, 24), closure_date=D(2026, 1, 20), closure_reason="RC8",
                               referral_nfa=True)
    [d] = deadlines(episode, "referral_decision_1wd")
    assert d.met_at is None and d.stopped_at is not None and local_date(d.stopped_at) == D(2026, 1, 20)
    assert not d.is_open and not d.is_overdue
    assert not Deadline.objects.open().filter(pk=d.pk).exists()


def test_assessment_45_working_days_from_a_christmas_eve_referral(world, kid):
    episode = kit.make_episode(kid, D(2025, 12, 24))
    [d] = deadlines(episode, "assessment_45wd")
    # 25, 26 December and 1 January are bank holidays: the 45th working day is Monday 2 March 2026
    assert local_date(d.due_at) == D(2026, 3, 2)
    assessment = kit.make_assessment(episode, D(2026, 1, 5), authorised=D(2026, 3, 2))
    assert summary(deadlines(episode, "assessment_45wd")) == [(1, D(2026, 3, 2), D(2026, 3, 2), True)]
    assessment.authorised_date = D(2026, 3, 3)
    assessment.save()
    assert summary(deadlines(episode, "assessment_45wd")) == [(1, D(2026, 3, 2), D(2026, 3, 3), False)]
    assessment.delete()
    assert summary(deadlines(episode, "assessment_45wd")) == [(1, D(2026, 3, 2), None, None)]


def test_assessment_clock_across_easter_2026(world, kid):
    episode = kit.make_episode(kid, D(2026, 3, 2))
    # 3 and 6 April (Good Friday, Easter Monday) and 4 May (early May bank holiday) do not count
    expected = add_working_days(D(2026, 3, 2), 45)
    assert expected == D(2026, 5, 7)
    assert due_dates(deadlines(episode, "assessment_45wd")) == [expected]


def test_a_referral_with_no_further_action_needs_no_assessment(world, kid):
    episode = kit.make_episode(kid, D(2025, 12, 24), decision_date=D(2025, 12, 29), referral_nfa=True)
    assert deadlines(episode, "assessment_45wd") == []
    assert summary(deadlines(episode, "referral_decision_1wd")) == [(1, D(2025, 12, 29), D(2025, 12, 29), True)]


def test_closing_the_episode_stops_the_assessment_clock(world, kid):
    episode = kit.make_episode(kid, D(2025, 12, 24))
    episode.closure_date, episode.closure_reason = D(2026, 2, 1), "RC8"
    episode.save()
    assert deadlines(episode, "assessment_45wd") == []  # closed before it was due
    kit.make_assessment(episode, D(2026, 1, 5), authorised=D(2026, 2, 10))  # after closure: ignored
    assert deadlines(episode, "assessment_45wd") == []


def test_an_exemption_stops_the_clock_and_an_extension_moves_it(world, kid, kid2):
    from haven.work.models import TimescaleExemption

    episode = kit.make_episode(kid, D(2025, 12, 24))
    exemption = TimescaleExemption.objects.create(
        rule="assessment_45wd", trigger=episode, authority=world.westminster, kind="extend",
        extended_to=D(2026, 3, 16), reason="Child in hospital", decided_by=world.bob)
    [d] = deadlines(episode, "assessment_45wd")
    assert local_date(d.due_at) == D(2026, 3, 16) and "Child in hospital" in d.exemption_reason
    kit.make_assessment(episode, D(2026, 1, 5), authorised=D(2026, 3, 10))
    [d] = deadlines(episode, "assessment_45wd")
    assert d.met_in_time is True, "authorised within the agreed extension"
    exemption.delete()
    [d] = deadlines(episode, "assessment_45wd")
    assert local_date(d.due_at) == D(2026, 3, 2) and d.met_in_time is False

    other = kit.make_episode(kid2, D(2025, 12, 24))
    TimescaleExemption.objects.create(rule="assessment_45wd", trigger=other, authority=world.westminster,
                                      kind="exempt", reason="Family moved abroad", decided_by=world.bob)
    [d] = deadlines(other, "assessment_45wd")
    assert d.exempt and d.exemption_reason == "Family moved abroad" and not d.is_open


def test_editing_the_referral_date_moves_its_clocks(world, kid):
    episode = kit.make_episode(kid, D(2025, 12, 24))
    episode.referral_date = D(2025, 12, 19)  # a Friday
    episode.save()
    assert due_dates(deadlines(episode, "referral_decision_1wd")) == [D(2025, 12, 22)]
    assert due_dates(deadlines(episode, "assessment_45wd")) == [add_working_days(D(2025, 12, 19), 45)]


# -- strategy discussion → initial child protection conference -------------------------------------
@pytest.fixture
def s47(world, kid):
    episode = kit.make_episode(kid, D(2026, 3, 30))
    discussion = kit.make_strategy([kid], at(D(2026, 4, 2), 14))  # Thursday before Easter
    return kit.make_s47(discussion, kid, episode)


def test_icpc_15_working_days_after_a_strategy_discussion_before_easter(s47):
    [d] = deadlines(s47, "icpc_15wd")
    # Good Friday 3 April and Easter Monday 6 April do not count: Monday 27 April 2026
    assert local_date(d.due_at) == D(2026, 4, 27)
    assert local_date(d.starts_at) == D(2026, 4, 2)


def test_icpc_held_on_the_due_date_is_in_time_and_a_day_later_is_late(world, s47, kid):
    conference = kit.make_conference([(kid, s47, None)], D(2026, 4, 27))
    assert summary(deadlines(s47, "icpc_15wd")) == [(1, D(2026, 4, 27), D(2026, 4, 27), True)]
    conference.held_on = D(2026, 4, 28)
    conference.save()
    assert summary(deadlines(s47, "icpc_15wd")) == [(1, D(2026, 4, 27), D(2026, 4, 28), False)]


def test_a_review_conference_does_not_meet_the_icpc_clock(world, s47, kid):
    kit.make_conference([(kid, s47, None)], D(2026, 4, 20), kind="review")
    assert summary(deadlines(s47, "icpc_15wd")) == [(1, D(2026, 4, 27), None, None)]


def test_moving_the_strategy_discussion_moves_the_icpc_clock(world, s47):
    discussion = s47.strategy_discussion
    discussion.held_at = at(D(2026, 4, 7), 9)
    discussion.save()
    assert due_dates(deadlines(s47, "icpc_15wd")) == [D(2026, 4, 28)]


def test_an_s47_concluded_without_a_conference_stops_the_clock(world, s47):
    s47.outcome, s47.completed_date = "not_substantiated", D(2026, 4, 20)
    s47.save()
    assert deadlines(s47, "icpc_15wd") == []


def test_an_s47_concluded_without_a_conference_after_the_due_date_is_no_longer_open_work(world, s47):
    s47.outcome, s47.completed_date = "substantiated_no_icpc", D(2026, 5, 1)
    s47.save()
    [d] = deadlines(s47, "icpc_15wd")
    assert d.stopped_at is not None and not d.is_open


def test_an_s47_concluded_with_a_conference_keeps_the_clock(world, s47):
    s47.outcome, s47.completed_date = "icpc", D(2026, 4, 20)
    s47.save()
    assert summary(deadlines(s47, "icpc_15wd")) == [(1, D(2026, 4, 27), None, None)]


# -- child protection plans ----------------------------------------------------------------------
@pytest.fixture
def episode(world, kid):
    return kit.make_episode(kid, D(2025, 11, 3))


def test_first_core_group_within_10_working_days_over_christmas_then_every_6_weeks(world, episode, kid):
    plan = kit.make_plan(kid, episode, D(2025, 12, 12))  # ICPC on Friday 12 December 2025
    assert summary(deadlines(plan, "core_group_10wd")) == [(1, D(2025, 12, 30), None, None)]
    kit.make_core_group(plan, D(2025, 12, 30))
    kit.make_core_group(plan, D(2026, 2, 12))
    assert summary(deadlines(plan, "core_group_10wd")) == [
        (1, D(2025, 12, 30), D(2025, 12, 30), True),
        (2, D(2026, 2, 10), D(2026, 2, 12), False),   # six weeks after 30 December
        (3, D(2026, 3, 26), None, None),
    ]


def test_review_conference_within_3_months_then_every_6_months(world, episode, kid):
    plan = kit.make_plan(kid, episode, D(2025, 11, 30))
    # 3 months after 30 November is 28 February (the month end)
    assert summary(deadlines(plan, "cp_review_conference")) == [(1, D(2026, 2, 28), None, None)]
    kit.make_conference([(kid, None, plan)], D(2025, 12, 15), kind="initial")  # not a review
    assert summary(deadlines(plan, "cp_review_conference")) == [(1, D(2026, 2, 28), None, None)]
    kit.make_conference([(kid, None, plan)], D(2026, 2, 20), kind="review")
    kit.make_conference([(kid, None, plan)], D(2026, 9, 1), kind="review")
    assert summary(deadlines(plan, "cp_review_conference")) == [
        (1, D(2026, 2, 28), D(2026, 2, 20), True),
        (2, D(2026, 8, 20), D(2026, 9, 1), False),
        (3, D(2027, 3, 1), None, None),
    ]


def test_cp_visits_every_10_working_days(world, episode, kid, kid2):
    plan = kit.make_plan(kid, episode, D(2025, 12, 1))
    assert due_dates(deadlines(plan, "cp_visit_10wd")) == [D(2025, 12, 15)]
    kit.make_visit([kid], at(D(2025, 12, 10), 16))
    kit.make_visit([kid], at(D(2025, 12, 18), 11), seen=False)           # child not seen
    kit.make_visit([kid], at(D(2025, 12, 19), 11), kind="phone")         # not a visit
    kit.make_visit([kid2], at(D(2025, 12, 22), 11))                     # another child
    kit.make_visit([kid, kid2], at(D(2025, 12, 23), 10), kind="home_visit")
    assert summary(deadlines(plan, "cp_visit_10wd")) == [
        (1, D(2025, 12, 15), D(2025, 12, 10), True),
        (2, D(2025, 12, 24), D(2025, 12, 23), True),
        (3, D(2026, 1, 9), None, None),  # 24 December, then 29, 30, 31 December, 2 January …
    ]


def test_a_visit_recorded_late_at_night_counts_on_its_london_date(world, episode, kid):
    plan = kit.make_plan(kid, episode, D(2025, 6, 2))
    kit.make_visit([kid], at(D(2025, 6, 16), 23, 30))  # 22:30 UTC, still 16 June in London
    assert summary(deadlines(plan, "cp_visit_10wd"))[0] == (1, D(2025, 6, 16), D(2025, 6, 16), True)


def test_ending_the_plan_stops_every_clock_and_ignores_later_events(world, episode, kid):
    plan = kit.make_plan(kid, episode, D(2025, 12, 1))
    kit.make_visit([kid], at(D(2025, 12, 10), 16))
    plan.end_date, plan.end_reason = D(2026, 1, 5), "no_longer_at_risk"
    plan.save()
    kit.make_visit([kid], at(D(2026, 1, 6), 10))  # after the plan ended
    visits = deadlines(plan, "cp_visit_10wd")
    # the second visit was due 24 December and missed; the plan ended on 5 January
    assert summary(visits) == [(1, D(2025, 12, 15), D(2025, 12, 10), True), (2, D(2025, 12, 24), None, None)]
    assert local_date(visits[1].stopped_at) == D(2026, 1, 5) and not visits[1].is_open
    # the core group was due 15 December, before the end: missed; the review (1 March) is dropped
    [core] = deadlines(plan, "core_group_10wd")
    assert local_date(core.due_at) == D(2025, 12, 15) and not core.is_open
    assert deadlines(plan, "cp_review_conference") == []


def test_a_cp_plan_has_no_cin_review_clock_and_a_cin_plan_no_cp_clocks(world, episode, kid, kid2):
    cp = kit.make_plan(kid, episode, D(2025, 12, 1))
    cin = kit.make_plan(kid2, kit.make_episode(kid2, D(2025, 11, 3)), D(2025, 12, 1), kind="cin")
    assert {d.rule for d in deadlines(cp)} == {"core_group_10wd", "cp_review_conference", "cp_visit_10wd"}
    assert {d.rule for d in deadlines(cin)} == {"cin_review_3m"}


def test_cin_review_every_3_months(world, episode, kid):
    plan = kit.make_plan(kid, episode, D(2026, 1, 31), kind="cin")
    assert due_dates(deadlines(plan, "cin_review_3m")) == [D(2026, 4, 30)]  # the 31st → 30 April
    kit.make_plan_review(plan, D(2026, 4, 15))
    kit.make_plan_review(plan, D(2026, 7, 20))
    assert summary(deadlines(plan, "cin_review_3m")) == [
        (1, D(2026, 4, 30), D(2026, 4, 15), True),
        (2, D(2026, 7, 15), D(2026, 7, 20), False),
        (3, D(2026, 10, 20), None, None),
    ]
    plan.end_date = D(2026, 9, 1)
    plan.save()
    assert len(deadlines(plan, "cin_review_3m")) == 2  # the third was due after the plan ended


# -- adding a rule is adding data ----------------------------------------------------------------
@pytest.fixture
def throwaway_rule():
    from haven.work.models import Deadline
    from haven.work.signals import connect_rules

    rule = register(Rule(
        code="test_child_seen_5wd",
        label="Child seen during the assessment",
        citation="A local standard invented for this test",
        trigger=Source("assessments.Assessment", date="start_date"),
        schedule=Schedule(Interval(WD, 5)),
        satisfied_by=Source("assessments.Assessment", date="child_seen_date"),
        stop="completed_date",
    ))
    connect_rules()  # what WorkConfig.ready() does for the rules registered at start-up
    yield rule
    del RULES[rule.code]
    Deadline.objects.filter(rule=rule.code).delete()


def test_a_new_rule_is_data_and_its_deadlines_appear_without_new_code(world, throwaway_rule, kid):
    episode = kit.make_episode(kid, D(2025, 12, 24))
    assessment = kit.make_assessment(episode, D(2025, 12, 29))
    [d] = deadlines(assessment, "test_child_seen_5wd")
    assert local_date(d.due_at) == D(2026, 1, 6)  # 30, 31 December, 2, 5, 6 January
    assert d.label == "Child seen during the assessment" and d.person_id == kid.pk
    assert d.authority_id == world.westminster.pk
    assessment.child_seen_date = D(2026, 1, 5)
    assessment.save()
    [d] = deadlines(assessment, "test_child_seen_5wd")
    assert d.met_in_time


def test_the_throwaway_rule_is_gone_afterwards():
    assert "test_child_seen_5wd" not in RULES


def timezone_local_time(value):
    from django.utils import timezone

    return timezone.localtime(value).time()


# --- schedules with a second interval, a switch and early events (looked-after children) -------
from haven.core.timescales.engine import Switch  # noqa: E402


def test_second_interval_then_repeat():
    """CLA reviews: 20 working days, then 3 months, then every 6 months."""
    s = Schedule(Interval(WD, 20), Interval(Clock.MONTHS, 6), second=Interval(Clock.MONTHS, 3))
    ds = compute(s, D(2025, 1, 6), [D(2025, 1, 30), D(2025, 4, 20), D(2025, 10, 1)])
    assert [d.due for d in ds] == [D(2025, 2, 3), D(2025, 4, 30), D(2025, 10, 20), D(2026, 4, 1)]
    assert [d.met for d in ds] == [D(2025, 1, 30), D(2025, 4, 20), D(2025, 10, 1), None]


def test_switch_after_first_year_of_trigger():
    """Visits: 6-weekly in the placement's first year, then 3-monthly."""
    s = Schedule(Interval(Clock.WEEKS, 1), Interval(Clock.WEEKS, 6),
                 switch=Switch(Interval(Clock.MONTHS, 12), Interval(Clock.MONTHS, 3)))
    ds = compute(s, D(2025, 1, 1), [D(2025, 1, 7), D(2025, 12, 31), D(2026, 1, 2)])
    # met 31/12/2025 (before the anniversary): next in 6 weeks; met 2/1/2026 (after): 3 months
    assert ds[2].due == D(2025, 12, 31) + dt.timedelta(weeks=6)
    assert ds[3].due == D(2026, 4, 2)


def test_switch_from_birth():
    """Health assessments: 6-monthly under 5, annual from the fifth birthday."""
    s = Schedule(Interval(WD, 20), Interval(Clock.MONTHS, 6),
                 switch=Switch(Interval(Clock.MONTHS, 60), Interval(Clock.MONTHS, 12), since="birth"))
    ds = compute(s, D(2025, 1, 6), [D(2025, 1, 20), D(2025, 7, 1)], born=D(2020, 6, 1))
    assert ds[1].due == D(2025, 7, 20)          # under 5 when the first was done
    assert ds[2].due == D(2026, 7, 1)           # 5 by the second: annual
    assert compute(s, D(2025, 1, 6), [D(2025, 1, 20)], born=None)[1].due == D(2025, 7, 20)


def test_early_event_meets_first_deadline_and_next_runs_from_trigger():
    """A care plan made before the placement meets the 10-working-day deadline."""
    s = Schedule(Interval(WD, 10), early=Interval(Clock.MONTHS, 3))
    [d] = compute(s, D(2025, 3, 3), [D(2025, 2, 10)])
    assert d.met == D(2025, 2, 10) and d.met_in_time
    [d] = compute(s, D(2025, 3, 3), [D(2024, 11, 1)])   # too early: it was another period's plan
    assert d.met is None
    s2 = Schedule(Interval(WD, 10), Interval(Clock.MONTHS, 6), early=Interval(Clock.MONTHS, 3))
    ds = compute(s2, D(2025, 3, 3), [D(2025, 2, 10)])
    assert ds[1].starts == D(2025, 3, 3) and ds[1].due == D(2025, 9, 3)


@pytest.mark.django_db
def test_a_rule_from_an_age_starts_on_that_birthday_and_skips_periods_that_end_before_it(world):
    """A personal education plan is due from age 3: a baby's period of care starts no clock
    until the third birthday, and none at all if the period ends before it."""
    from django.contrib.contenttypes.models import ContentType

    from haven.core.testing import make_person
    from haven.core.timescales.rules import Rule
    from haven.looked_after.models import PeriodOfCare
    from haven.work.models import Deadline
    from haven.work.sync import recompute

    rule = Rule(code="test_from_age", label="t", citation="t",
                trigger=Source("looked_after.PeriodOfCare", date="start_date"),
                schedule=Schedule(Interval(WD, 20)),
                satisfied_by=Source("education.PersonalEducationPlan", date="held_on", match="person"),
                stop="end_date", from_age=3)
    baby = make_person(world.westminster, first="Bea", last="Small", born=D(2024, 1, 10))
    toddler = make_person(world.westminster, first="Tom", last="Small", born=D(2021, 5, 5))
    short = PeriodOfCare.objects.create(person=baby, start_date=D(2024, 2, 1), end_date=D(2024, 9, 1))
    long = PeriodOfCare.objects.create(person=baby, start_date=D(2025, 1, 6))
    older = PeriodOfCare.objects.create(person=toddler, start_date=D(2025, 1, 6))
    recompute(rule, [short.pk, long.pk, older.pk])
    ct = ContentType.objects.get_for_model(PeriodOfCare)
    rows = {d.object_id: d for d in Deadline.objects.filter(rule="test_from_age", content_type=ct)}
    assert short.pk not in rows
    assert rows[long.pk].starts_at.date() == D(2027, 1, 10)
    assert rows[long.pk].due_at.date() == add_working_days(D(2027, 1, 10), 20)
    assert rows[older.pk].starts_at.date() == D(2025, 1, 6)


@pytest.mark.django_db
def test_saves_while_paused_recompute_nothing_and_a_later_recompute_catches_up(world):
    """The seed's bulk steps pause the deadline signals and derive every deadline afterwards."""
    from haven.core.testing import make_person
    from haven.looked_after.models import PeriodOfCare
    from haven.work.models import Deadline
    from haven.work.signals import paused
    from haven.work.sync import recompute_for_people

    kid = make_person(world.westminster, first="Pia", last="Paused", born=D(2015, 1, 1))
    with paused():
        PeriodOfCare.objects.create(person=kid, start_date=D(2025, 3, 3))
    assert not Deadline.objects.filter(person=kid).exists()
    recompute_for_people([kid.pk])
    assert Deadline.objects.filter(person=kid, rule="cla_review").exists()
    PeriodOfCare.objects.create(person=kid, start_date=D(2024, 1, 1), end_date=D(2024, 6, 1))
    assert Deadline.objects.filter(person=kid, rule="cla_review").count() >= 2
