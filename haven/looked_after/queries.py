"""Read-only questions about a child's care history, shared by pages, panel, API and returns."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone


def home_postcode(person) -> str:
    """The postcode of the child's current address (the default home postcode of a period)."""
    from haven.people.models import Address

    today = timezone.localdate()
    address = (Address.objects.filter(person=person).filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
               .filter(Q(end_date__isnull=True) | Q(end_date__gt=today)).order_by("-start_date", "-pk").first())
    return address.postcode if address else ""


def legal_status_history(episodes) -> list[dict]:
    """Runs of the same legal status across episodes (oldest first): status, from, to."""
    runs: list[dict] = []
    for e in episodes:
        if runs and runs[-1]["legal_status"] == e.legal_status and runs[-1]["to"] == e.start_date:
            runs[-1]["to"] = e.end_date
            continue
        runs.append({"legal_status": e.legal_status, "label": e.get_legal_status_display(), "from": e.start_date,
                     "to": e.end_date})
    return runs


def placements_in_last_year(person, user=None, on: dt.date | None = None) -> int:
    """Placements the child was in at any time in the 12 months to ``on`` (placement stability)."""
    from .models import Placement

    on = on or timezone.localdate()
    since = on - dt.timedelta(days=365)
    qs = Placement.objects.visible_to(user) if user is not None else Placement.objects.all()
    return (qs.filter(person=person, start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
            .exclude(place__in=["T0", "T1", "T2", "T3", "T4"]).count())
