"""What the education services refuse (the pages and the API run the same checks)."""

from __future__ import annotations

import datetime as dt

import pytest

from haven.education import services
from haven.education.models import (
    Attendance,
    Exclusion,
    PersonalEducationPlan,
    SchoolPlacement,
    VirtualSchoolNote,
)

D = dt.date


def refused(model, child, **data):
    with pytest.raises(services.Refused) as info:
        services.create(model, actor=_actor(child), person=child, data=data)
    return dict(info.value.errors)


def _actor(child):
    from haven.accounts.models import User

    return User.objects.get(username="alice")


def school(child, start=D(2022, 9, 1), end=None, name="Oak School"):
    return SchoolPlacement.objects.create(person=child, school_name=name, start_date=start, end_date=end)


def test_a_urn_must_be_6_digits(cla_child):
    errors = refused(SchoolPlacement, cla_child(), school_name="Oak", urn="12345", start_date=D(2022, 9, 1))
    assert errors["urn"] == "The URN must be 6 digits, like 100000"


def test_a_school_that_overlaps_another_is_refused(cla_child):
    child = cla_child()
    school(child, start=D(2022, 9, 1))
    errors = refused(SchoolPlacement, child, school_name="Elm", start_date=D(2024, 9, 1))
    assert "This overlaps Oak School (from 1 September 2022 with no date they left)" in errors["start_date"]


def test_a_school_left_before_it_started_is_refused(cla_child):
    errors = refused(SchoolPlacement, cla_child(), school_name="Oak", start_date=D(2022, 9, 1), end_date=D(2022, 8, 1))
    assert "must be on or after they started" in errors["end_date"]


def test_a_pep_needs_the_child_looked_after_targets_and_attendees(cla_child, today):
    child = cla_child(start=today - dt.timedelta(days=20))
    errors = refused(PersonalEducationPlan, child, held_on=today - dt.timedelta(days=21), attendees="", targets="")
    assert "was not looked after on" in errors["held_on"]
    assert errors["attendees"] == "Enter who took part" and errors["targets"] == "Enter the targets agreed"


def test_a_pep_for_another_childs_school_is_refused(cla_child, today):
    child, other = cla_child(), cla_child(first="Other")
    errors = refused(PersonalEducationPlan, child, held_on=today, attendees="x", targets="y", school=school(other))
    assert errors["school"] == "Choose one of Edu's schools"


def test_a_future_pep_is_refused(cla_child, today):
    errors = refused(PersonalEducationPlan, cla_child(), held_on=today + dt.timedelta(days=1), attendees="x", targets="y")
    assert errors["held_on"] == "The date of the PEP meeting must be today or in the past"


def test_attendance_is_computed_and_persistent_absence_flagged(world, cla_child, today):
    child = cla_child()
    a = services.create(Attendance, actor=world.alice, person=child, data={
        "start_date": today - dt.timedelta(days=60), "end_date": today - dt.timedelta(days=1),
        "sessions_possible": 60, "sessions_attended": 53})
    assert str(a.percentage) == "88.3" and a.persistent_absence
    a.sessions_attended = 54
    assert str(a.percentage) == "90.0" and not a.persistent_absence


def test_attendance_refusals(cla_child, today):
    child = cla_child(start=today - dt.timedelta(days=30))
    errors = refused(Attendance, child, start_date=today - dt.timedelta(days=5), end_date=today - dt.timedelta(days=6),
                     sessions_possible=10, sessions_attended=11)
    assert "must be on or after its start" in errors["end_date"]
    assert errors["sessions_attended"] == "Sessions attended must be no more than the 10 possible"
    errors = refused(Attendance, child, start_date=today - dt.timedelta(days=90), end_date=today - dt.timedelta(days=40),
                     sessions_possible=0, sessions_attended=0)
    assert "was not looked after between" in errors["start_date"]
    assert errors["sessions_possible"] == "Sessions possible must be 1 or more"


def test_exclusion_refusals(cla_child, today):
    child = cla_child()
    errors = refused(Exclusion, child, kind="suspension", start_date=today, sessions=None, reason="x")
    assert "Enter the length of the suspension" in errors["sessions"]
    errors = refused(Exclusion, child, kind="suspension", start_date=today, sessions=91, reason="x")
    assert "from 1 to 90 sessions" in errors["sessions"]
    errors = refused(Exclusion, child, kind="permanent", start_date=today, sessions=4, reason="")
    assert "has no length" in errors["sessions"] and errors["reason"] == "Enter the reason the school gave"


def test_a_virtual_school_note_needs_text_and_an_author(cla_child, today):
    errors = refused(VirtualSchoolNote, cla_child(), written_on=today, note=" ", author="")
    assert set(errors) == {"note", "author"}


def test_an_adult_gets_no_education_record(world, today):
    errors = refused(VirtualSchoolNote, world.parent, written_on=today, note="x", author="y")
    assert "is not a child" in errors[None]
