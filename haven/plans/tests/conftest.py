import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def new_child(world, today):
    """new_child(referral_days_ago=60, **episode) -> a Westminster child with an open referral."""
    from haven.assessments.models import CINEpisode
    from haven.core.testing import make_person

    def make(referral_days_ago=60, first="Maisie", **episode):
        child = make_person(world.westminster, first=first, last="Planner", born=dt.date(2017, 1, 9))
        CINEpisode.objects.create(person=child, authority=child.authority, source="1A",
                                  referral_date=today - dt.timedelta(days=referral_days_ago), **episode)
        return child

    return make


@pytest.fixture
def cp_plan(world, today):
    """cp_plan(child, start) -> a child protection plan as the conference would make it."""
    from haven.assessments.models import CINEpisode
    from haven.plans.models import Plan

    def make(child, start=None):
        start = start or today - dt.timedelta(days=20)
        episode = CINEpisode.objects.filter(person=child).first() or CINEpisode.objects.create(
            person=child, authority=child.authority, source="1A", referral_date=start - dt.timedelta(days=20))
        return Plan.objects.create(person=child, episode=episode, kind=Plan.Kind.CP, start_date=start,
                                   initial_category="NEG", authority=child.authority)

    return make


def date_fields(name, value: dt.date) -> dict:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}
