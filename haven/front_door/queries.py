"""Reading the front door: the MASH queue (the page and the API share it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.utils import timezone

from haven.people.models import Person

from . import clock
from .models import Contact, ContactSubject


def open_contacts(user):
    """Every contact without a decision in the user's scope (across the authorities they serve),
    with ``due`` (the RAG clock's deadline, from the derived deadlines): overdue first (most
    overdue at the top), then the soonest due; contacts with no clock (not yet rated, or rated
    blue) after them, oldest first."""
    children = ContactSubject.objects.filter(role=ContactSubject.Role.CHILD).select_related("person").order_by(
        "person__last_name", "person__first_name", "pk")
    return (Contact.objects.visible_to(user).filter(decision="")
            .annotate(due=clock.due_subquery())
            .select_related("authority")
            .prefetch_related(Prefetch("subjects", queryset=children, to_attr="children"))
            .order_by(F("due").asc(nulls_last=True), "received_at", "pk"))


@dataclass
class QueueRow:
    contact: Contact
    children: list[tuple[Person, bool]]   # (child, whether the user may open their record)
    clock: clock.RagClock

    @property
    def not_rated(self) -> bool:
        return not self.contact.rag


def queue_rows(contacts: list[Contact], user) -> list[QueueRow]:
    """One row per contact, with its children (masked where restricted) and its clock."""
    people = {s.person_id for c in contacts for s in getattr(c, "children", [])}
    openable = set(Person.objects.filter(pk__in=people).visible_to(user, "view").values_list("pk", flat=True))
    now = timezone.now()
    clocks = clock.clocks_for([c.pk for c in contacts], now)
    rows = []
    for c in contacts:
        kids = [(s.person, s.person_id in openable) for s in getattr(c, "children", [])]
        rows.append(QueueRow(c, kids, clocks.get(c.pk, clock.RagClock(None, None, now))))
    return rows
