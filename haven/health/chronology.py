"""Health entries in a child's chronology: health assessments (significant), dental checks,
immunisation checks and SDQ scores."""

from haven.chronology.registry import Entry, chronology_source

from .models import DentalCheck, HealthAssessment, Immunisations, SDQScore


@chronology_source("health_assessment", "Health assessments", significant=True)
def assessments(person, user):
    for a in HealthAssessment.objects.visible_to(user).filter(person=person):
        yield Entry(date=a.completed_on, title=a.get_kind_display(), detail=a.outcome[:200], url=a.get_absolute_url(),
                    by=a.by)
        if a.health_history_given_on:
            yield Entry(date=a.health_history_given_on, title="Health history given to the young person",
                        url=a.get_absolute_url())


@chronology_source("health_check", "Dental, immunisation and SDQ checks")
def checks(person, user):
    for d in DentalCheck.objects.visible_to(user).filter(person=person):
        yield Entry(date=d.checked_on, title="Dental check", detail="Treatment needed" if d.treatment_needed else "",
                    url=d.get_absolute_url())
    for i in Immunisations.objects.visible_to(user).filter(person=person):
        yield Entry(date=i.recorded_on, title="Immunisations up to date" if i.up_to_date else "Immunisations not up to date",
                    detail=i.notes[:200], url=i.get_absolute_url())
    for s in SDQScore.objects.visible_to(user).filter(person=person):
        detail = f"Score {s.score} ({s.band.lower()})" if s.score is not None else f"No score: {s.get_reason_display()}"
        yield Entry(date=s.completed_on, title="Strengths and Difficulties Questionnaire", detail=detail,
                    url=s.get_absolute_url())
