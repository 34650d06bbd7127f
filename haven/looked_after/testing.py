"""Test-world records for children looked after: in Westminster, Mia (looked after for 400
days: a foster placement, then a move to a children's home in Kent); in Hammersmith and Fulham,
Theo (the same shape, placed in Hammersmith then Reading). Each has a provider. Their own
children, so other apps' tests are undisturbed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def build(world) -> None:
    from haven.core.testing import make_person

    from . import services
    from .models import Episode, PeriodOfCare, Placement, Provider

    today = timezone.localdate()
    start, move = today - dt.timedelta(days=400), today - dt.timedelta(days=200)
    specs = [
        (world.westminster, "Mia", "Looked-After", dt.date(2011, 9, 14), "W2 5AB",
         ("Westminster Fostering Service", "SC400001", "PR1", "W9 3AA"),
         ("Oakfield House", "SC400002", "PR4", "ME14 1AB"), "CARPL"),
        (world.hammersmith, "Theo", "Cared-For", dt.date(2010, 2, 3), "W6 7AB",
         ("Hammersmith Fostering", "SC400003", "PR1", "W12 8AA"),
         ("Riverside Children's Home", "SC400004", "PR5", "RG1 2AB"), "CREQB"),
    ]
    built = {}
    for authority, first, last, born, home, foster, home_provider, reason in specs:
        child = make_person(authority, first=first, last=last, born=born, sex="F" if first == "Mia" else "M")
        fostering, children_home = (
            Provider.objects.create(name=name, urn=urn, provider_code=code, postcode=pc, authority=authority,
                                    ofsted_rating="good", rating_date=today - dt.timedelta(days=300))
            for name, urn, code, pc in (foster, home_provider))
        period = PeriodOfCare.objects.create(person=child, authority=authority, start_date=start, home_postcode=home)
        first_placement = Placement(period=period, person=child, authority=authority, start_date=start, end_date=move,
                                    place="U6", provider_code="PR1", provider=fostering, carer="Mr and Mrs Carer",
                                    postcode=foster[3], reason_for_change=reason, urn=fostering.urn,
                                    ofsted_rating="good")
        services.compute_location(first_placement, period, "C2")
        first_placement.save()
        second = Placement(period=period, person=child, authority=authority, start_date=move, place="K2",
                           provider_code=children_home.provider_code, provider=children_home,
                           carer=children_home.name, postcode=home_provider[3], urn=children_home.urn,
                           ofsted_rating="good")
        services.compute_location(second, period, "C2")
        second.save()
        Episode.objects.create(period=period, person=child, authority=authority, placement=first_placement,
                               start_date=start, reason_new="S", legal_status="C2", category_of_need="N1",
                               end_date=move, end_reason="X1")
        Episode.objects.create(period=period, person=child, authority=authority, placement=second, start_date=move,
                               reason_new="P", legal_status="C2", category_of_need="N1")
        built[authority.pk] = child
    world.la_child = built[world.westminster.pk]
    world.la_outsider = built[world.hammersmith.pk]
