from haven.chronology.registry import Entry, chronology_source

from .models import RecordingSubject

VISITS = ("home_visit", "cp_visit", "cin_visit", "cla_visit")


@chronology_source("recording", "Visits, meetings and notes")
def recordings(person, user):
    """Each recording about ``person``, with only the parts shown on their record: a part kept
    off this child's record never reaches their chronology."""
    if not user.has_capability("recording.view"):
        return
    rows = (RecordingSubject.objects.visible_to(user).filter(person=person)
            .select_related("recording", "recording__created_by").prefetch_related("recording__parts__hidden_from"))
    for s in rows:
        r = s.recording
        detail = ""
        if r.kind in VISITS:
            detail = "Seen alone" if s.seen_alone else ("Seen" if s.seen else "Not seen")
        text = " ".join(p.text for p in r.parts_for(person))
        if len(text) > 300:
            text = text[:299].rstrip() + "…"
        if text:
            detail = f"{detail}. {text}" if detail else text
        yield Entry(date=r.occurred_at, title=f"{r.get_kind_display()}: {r.title}", detail=detail,
                    significant=r.significant, url=f"{r.get_absolute_url()}?person={person.pk}",
                    by=r.created_by.get_full_name() if r.created_by_id else "")
