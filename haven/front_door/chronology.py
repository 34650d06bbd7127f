from haven.chronology.registry import Entry, chronology_source

from .models import Contact


@chronology_source("contact", "Contacts")
def contacts(person, user):
    for c in Contact.objects.visible_to(user).filter(subjects__person=person).distinct():
        detail = c.get_source_display()
        if c.rag:
            detail += f"; rated {c.get_rag_display().split(':')[0].lower()}"
        if c.decision:
            detail += f"; decision: {c.get_decision_display().lower()}"
        yield Entry(date=c.received_at, title="Contact received", detail=detail, url=c.get_absolute_url(),
                    significant=c.decision in ("referral", "strategy"))
