from __future__ import annotations

import datetime as dt

from django.utils import timezone

from haven.front_door import services
from haven.front_door.models import Contact


def details(**changes) -> services.ContactDetails:
    values = dict(received_at=timezone.now() - dt.timedelta(hours=1), source="2A",
                  reason="Lily said her mum's partner hit her", consent="given",
                  referrer_name="Ms Head", referrer_organisation="St Mary's Primary")
    values.update(changes)
    return services.ContactDetails(**values)


def contact_about(world, *people, actor=None, authority=None, **changes) -> Contact:
    """A contact recorded through the service (the MASH officer by default)."""
    actor = actor or world.mash
    authority = authority or people[0].authority
    return services.record_contact(actor=actor, authority=authority, details=details(**changes),
                                   people=[p.pk for p in people])


def rate(world, contact: Contact, rag: str = "R", actor=None) -> Contact:
    contact.refresh_from_db()
    return services.rate_contact(actor=actor or world.mash, contact=contact, expected_version=contact.version,
                                 rag=rag, reason="Disclosure of physical harm")


def decide(world, contact: Contact, decision: str = "referral", actor=None, **kwargs) -> Contact:
    contact.refresh_from_db()
    return services.decide_contact(actor=actor or world.mash, contact=contact, expected_version=contact.version,
                                   decision=decision, reason="Threshold for social care met", **kwargs)
