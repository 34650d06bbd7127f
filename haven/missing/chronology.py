"""Chronology entries: went missing and returned, return home interviews, exploitation risk
assessments and panel decisions."""

from django.utils import timezone

from haven.chronology.registry import Entry, chronology_source

from .codes import PullFactor, PushFactor, labels
from .models import ExploitationRiskAssessment, MissingEpisode, PanelDecision, ReturnInterview


@chronology_source("missing", "Missing episodes", significant=True)
def missing(person, user):
    for e in MissingEpisode.objects.visible_to(user).filter(person=person):
        source = "care" if e.from_care else "home"
        yield Entry(date=timezone.localtime(e.started_at), title=f"{e.get_kind_display()} from {source}",
                    detail=f"{e.get_risk_level_display()} risk" + (", reported to the police" if e.reported_to_police else ""),
                    url=e.get_absolute_url())
        if e.ended_at:
            detail = f"After {e.hours():.0f} hours"
            if e.where_found:
                detail += f". Found: {e.get_where_found_display().lower()}"
            yield Entry(date=timezone.localtime(e.ended_at), title="Returned from missing", detail=detail,
                        url=e.get_absolute_url())


@chronology_source("return_interview", "Return home interviews")
def return_interviews(person, user):
    rows = ReturnInterview.objects.visible_to(user).filter(episode__person=person).select_related("episode")
    for rhi in rows:
        date = rhi.completed_at or rhi.offered_at or rhi.episode.ended_at or rhi.created_at
        factors = labels(PushFactor, rhi.push_factors) + labels(PullFactor, rhi.pull_factors)
        detail = rhi.get_outcome_display()
        if factors:
            detail += f". Factors: {', '.join(factors)}"
        yield Entry(date=timezone.localtime(date), title="Return home interview", detail=detail,
                    url=rhi.get_absolute_url())


@chronology_source("exploitation_risk", "Exploitation risk assessments", significant=True)
def assessments(person, user):
    for a in ExploitationRiskAssessment.objects.visible_to(user).filter(person=person):
        yield Entry(date=a.assessed_on, title="Exploitation risk assessment",
                    detail=f"{a.get_kind_display()}: {a.get_risk_level_display().lower()}", by=a.assessed_by,
                    url=a.get_absolute_url())


@chronology_source("exploitation_panel", "Exploitation panel decisions", significant=True)
def panels(person, user):
    for d in PanelDecision.objects.visible_to(user).filter(person=person):
        yield Entry(date=d.held_on, title=d.get_panel_display(), detail=d.decision[:200], url=d.get_absolute_url())
