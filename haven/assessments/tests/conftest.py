import datetime as dt

import pytest


@pytest.fixture
def kid(world):
    """A Westminster child of our own: other modules' test records never give them a referral."""
    from haven.core.testing import make_person

    return make_person(world.westminster, first="Mia", last="Referral-Test", born=dt.date(2015, 5, 17), sex="F")


@pytest.fixture
def open_referral(world, kid):
    """open_referral(referral_date=…) -> a new episode for ``kid`` opened by alice."""
    from haven.assessments import services

    def _open(referral_date=dt.date(2024, 11, 1), person=None, **extra):
        return services.open_episode(actor=world.alice, person=person or kid, referral_date=referral_date,
                                     source="2A", **extra)

    return _open
