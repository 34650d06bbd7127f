"""Front door records for the test world (``World.extend``): one contact in Westminster and one
in Hammersmith and Fulham, each about a child of its own with an agency check, so the permission
walk reaches every front door page. The children are the builder's own, so other modules' tests
about the world's children (their chronologies, deadlines) are unaffected. Not rated: no clocks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def build(world) -> None:
    from haven.core.testing import make_person

    from .models import AgencyCheck, Contact, ContactSubject

    received = timezone.now() - dt.timedelta(hours=2)
    for authority, first, last in ((world.westminster, "Isla", "Marlowe"), (world.hammersmith, "Kai", "Ashdown")):
        child = make_person(authority, first=first, last=last, born=dt.date(2017, 9, 12))
        contact = Contact.objects.create(authority=authority, received_at=received, source="2A",
                                         reason="Came to school with bruising on her arm", consent="given",
                                         referrer_name="Ms Head", referrer_organisation="St Test's Primary")
        ContactSubject.objects.create(contact=contact, person=child, authority=authority)
        AgencyCheck.objects.create(contact=contact, agency="police", requested_at=received + dt.timedelta(minutes=30))
