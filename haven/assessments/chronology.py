from haven.chronology.registry import Entry, chronology_source

from .models import Assessment, CINEpisode


@chronology_source("referral", "Referrals", significant=True)
def referrals(person, user):
    for e in CINEpisode.objects.visible_to(user).filter(person=person):
        yield Entry(date=e.referral_date, title="Referral to children's social care",
                    detail=f"{e.get_source_display()}; primary need {e.get_primary_need_display().lower()}",
                    url=e.get_absolute_url())
        if e.decision_date:
            yield Entry(date=e.decision_date,
                        title="Decision on referral: " + ("no further action" if e.referral_nfa else "further action"),
                        url=e.get_absolute_url())
        if e.closure_date:
            detail = e.get_closure_reason_display()
            if e.stepped_down_to_early_help:
                detail += "; stepped down to early help"
            yield Entry(date=e.closure_date, title="Case closed", detail=detail, url=e.get_absolute_url())


@chronology_source("assessment", "Assessments")
def assessments(person, user):
    for a in Assessment.objects.visible_to(user).filter(person=person):
        yield Entry(date=a.start_date, title="Single assessment started", url=a.get_absolute_url())
        if a.child_seen_date:
            yield Entry(date=a.child_seen_date, title="Child seen" + (" alone" if a.seen_alone else ""),
                        detail="During the single assessment", url=a.get_absolute_url())
        if a.completed_date:
            yield Entry(date=a.completed_date, title="Single assessment completed", detail=a.get_outcome_display(),
                        url=a.get_absolute_url())
        if a.authorised_date:
            yield Entry(date=a.authorised_date, title="Single assessment authorised",
                        detail=a.get_outcome_display(), url=a.get_absolute_url())
