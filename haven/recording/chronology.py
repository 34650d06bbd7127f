from haven.chronology.registry import Entry, chronology_source

from .models import RecordingSubject


@chronology_source("recording", "Visits, meetings and notes")
def recordings(person, user):
    rows = (RecordingSubject.objects.visible_to(user).filter(person=person)
            .select_related("recording").prefetch_related("recording__parts__hidden_from"))
    for s in rows:
        r = s.recording
        detail = ""
        if r.kind in ("home_visit", "cp_visit", "cin_visit"):
            detail = "Seen alone" if s.seen_alone else ("Seen" if s.seen else "Not seen")
        parts = r.parts_for(person)
        if parts:
            text = parts[0].text
            detail = f"{detail}. {text[:200]}" if detail else text[:200]
        yield Entry(date=r.occurred_at, title=f"{r.get_kind_display()}: {r.title}", detail=detail,
                    significant=r.significant, url=r.get_absolute_url())
