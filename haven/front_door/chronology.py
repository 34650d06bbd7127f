"""The front door's dated facts in a person's chronology: each contact when it was received,
and the MASH decision when it was made (a referral or a strategy discussion is significant, as
is a contact rated red)."""

from django.utils import timezone

from haven.chronology.registry import Entry, chronology_source

from .models import Contact


def _when(value) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else ""


@chronology_source("contact", "Contacts")
def contacts(person, user):
    rows = (Contact.objects.visible_to(user).filter(subjects__person=person).distinct()
            .select_related("created_by", "decision_by"))
    for c in rows:
        detail = c.get_source_display()
        if c.referrer_organisation:
            detail += f" ({c.referrer_organisation})"
        if c.rag:
            detail += f"; rated {c.get_rag_display().split(':')[0].lower()}"
            if c.rated_at:
                detail += f" at {_when(c.rated_at)}"
        yield Entry(date=c.received_at, title="Contact received", detail=detail, url=c.get_absolute_url(),
                    significant=c.rag == Contact.Rag.RED, by=str(c.created_by or ""))
        if c.decision and c.decision_at:
            yield Entry(date=c.decision_at, title=f"MASH decision: {c.get_decision_display().lower()}",
                        detail=c.decision_reason[:300], url=c.get_absolute_url(),
                        significant=c.decision in (Contact.Decision.REFERRAL, Contact.Decision.STRATEGY),
                        by=str(c.decision_by or ""))
