"""Education entries in a child's chronology: schools started and left, PEP meetings,
suspensions and exclusions (significant) and virtual school notes."""

from haven.chronology.registry import Entry, chronology_source

from .models import Exclusion, PersonalEducationPlan, SchoolPlacement, VirtualSchoolNote


@chronology_source("school", "Schools and PEPs")
def schools(person, user):
    for s in SchoolPlacement.objects.visible_to(user).filter(person=person):
        yield Entry(date=s.start_date, title=f"Started at {s.school_name}", url=s.get_absolute_url())
        if s.end_date:
            yield Entry(date=s.end_date, title=f"Left {s.school_name}", url=s.get_absolute_url())
    for p in PersonalEducationPlan.objects.visible_to(user).filter(person=person):
        yield Entry(date=p.held_on, title="Personal education plan meeting", detail=p.targets[:200],
                    url=p.get_absolute_url())


@chronology_source("exclusion", "Suspensions and exclusions", significant=True)
def exclusions(person, user):
    for e in Exclusion.objects.visible_to(user).filter(person=person):
        yield Entry(date=e.start_date, title=e.get_kind_display(), detail=e.reason[:200], url=e.get_absolute_url())


@chronology_source("virtual_school", "Virtual school notes")
def notes(person, user):
    for n in VirtualSchoolNote.objects.visible_to(user).filter(person=person):
        yield Entry(date=n.written_on, title="Virtual school note", detail=n.note[:200], url=n.get_absolute_url(),
                    by=n.author)
