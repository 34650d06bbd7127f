from haven.chronology.registry import Entry, chronology_source

from .models import ConferenceChild, CoreGroupMeeting, S47Enquiry, StrategyChild


@chronology_source("strategy", "Strategy discussions", significant=True)
def strategy(person, user):
    rows = StrategyChild.objects.visible_to(user).filter(person=person).select_related("discussion")
    for sc in rows.prefetch_related("discussion__attendees"):
        d = sc.discussion
        missing = d.missing_agencies()
        detail = "Section 47 enquiry decided" if sc.s47_decided else "No section 47 enquiry"
        if missing:
            detail += f". Did not take part: {', '.join(missing)}"
        yield Entry(date=d.held_at, title="Strategy discussion", detail=detail, url=d.get_absolute_url())


@chronology_source("s47", "Section 47 enquiries", significant=True)
def s47(person, user):
    for e in S47Enquiry.objects.visible_to(user).filter(person=person):
        yield Entry(date=e.start_date, title="Section 47 enquiry started", url=e.get_absolute_url())
        if e.completed_date:
            yield Entry(date=e.completed_date, title="Section 47 enquiry concluded", detail=e.get_outcome_display(),
                        url=e.get_absolute_url())


@chronology_source("conference", "Child protection conferences", significant=True)
def conferences(person, user):
    rows = ConferenceChild.objects.visible_to(user).filter(person=person).select_related("conference")
    for cc in rows:
        c = cc.conference
        if c.kind == c.Kind.REVIEW:
            detail = "Plan continues" if cc.plan_needed else "Plan ended"
        else:
            detail = "Plan needed" if cc.plan_needed else "No plan needed"
        if cc.category:
            detail += f" ({cc.get_category_display().lower()})"
        yield Entry(date=c.held_on, title=c.get_kind_display(), detail=detail, url=c.get_absolute_url())


@chronology_source("core_group", "Core groups")
def core_groups(person, user):
    for m in CoreGroupMeeting.objects.visible_to(user).filter(person=person):
        yield Entry(date=m.held_on, title="Core group meeting", url=m.get_absolute_url())
