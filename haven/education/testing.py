"""Test-world records for education: in each authority a looked-after child of our own (period
of care, placement and episode created directly), with a school, a PEP, attendance (persistent
absence in Hammersmith and Fulham), a suspension and a virtual school note; so other apps' tests
about the world's children are undisturbed. Rows are bulk-created and the children's deadlines
recomputed once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def looked_after(person, start: dt.date, end: dt.date | None = None, *, place: str = "U4"):
    """A period of care with one placement and one episode, created directly (test data only)."""
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=person, authority=person.authority, start_date=start, end_date=end,
                                         end_reason="E8" if end else "")
    placement = Placement.objects.create(period=period, person=person, authority=person.authority, start_date=start,
                                         end_date=end, place=place, provider_code="PR1", carer="Test carers")
    Episode.objects.create(period=period, person=person, authority=person.authority, placement=placement,
                           start_date=start, reason_new="S", legal_status="C2", category_of_need="N1", end_date=end,
                           end_reason="E8" if end else "")
    return period


def build(world) -> None:
    from haven.core.testing import make_person
    from haven.work.sync import recompute_for_people

    from .models import (
        Attendance,
        Exclusion,
        PersonalEducationPlan,
        SchoolPlacement,
        VirtualSchoolNote,
    )

    start = timezone.localdate() - dt.timedelta(days=200)
    children = [make_person(world.westminster, first="Ella", last="Learner", born=dt.date(2014, 9, 9), sex="F"),
                make_person(world.hammersmith, first="Eddie", last="Learner", born=dt.date(2013, 10, 10), sex="M")]
    for child in children:
        looked_after(child, start)
    schools = SchoolPlacement.objects.bulk_create([
        SchoolPlacement(person=c, authority=c.authority, school_name=f"{c.authority.name} Academy", urn=urn,
                        start_date=dt.date(2021, 9, 1), year_group="7")
        for c, urn in zip(children, ("100001", "100002"), strict=True)])
    PersonalEducationPlan.objects.bulk_create([
        PersonalEducationPlan(person=s.person, authority=s.authority, school=s, held_on=start + dt.timedelta(days=14),
                              attendees="The child\nDesignated teacher\nSocial worker",
                              targets="Reading age up by 6 months by July (English lead)",
                              pupil_premium_plus="Weekly one-to-one reading tutor", designated_teacher="Ms Teach")
        for s in schools])
    Attendance.objects.bulk_create([
        Attendance(person=s.person, authority=s.authority, school=s, start_date=start + dt.timedelta(days=7),
                   end_date=start + dt.timedelta(days=90), sessions_possible=100, sessions_attended=attended)
        for s, attended in zip(schools, (96, 85), strict=True)])
    Exclusion.objects.bulk_create([
        Exclusion(person=s.person, authority=s.authority, school=s, kind="suspension",
                  start_date=start + dt.timedelta(days=30), sessions=4, reason="Persistent disruptive behaviour")
        for s in schools])
    VirtualSchoolNote.objects.bulk_create([
        VirtualSchoolNote(person=c, authority=c.authority, written_on=start + dt.timedelta(days=20),
                          note="Spoke to the designated teacher about reading support", author="Vic Virtual")
        for c in children])
    recompute_for_people([c.pk for c in children])
