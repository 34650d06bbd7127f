"""Test-world records for performance management: a monthly scorecard for Westminster and one for
Hammersmith and Fulham, each with the edition (and its PDF, as the scheduled task makes it) of the
month the URL permission walk opens (``ScorecardMixin.url_values``), so every scorecard page and
download has a record to show. A small real PDF, not computed from figures: building the world
computes no KPI run."""

from __future__ import annotations

import datetime as dt
from functools import cache


@cache
def _pdf() -> bytes:
    """Made once per test process (the world is built once per test module)."""
    from haven.plans.pdf import html_to_pdf

    return html_to_pdf("<!DOCTYPE html><html lang='en'><body><h1>Test world scorecard</h1></body></html>")


def build(world) -> None:
    from django.utils import timezone

    from . import store
    from .models import Scorecard, ScorecardEdition
    from .scorecard_views import MONTH, ScorecardMixin

    month = store.month_end(dt.datetime.strptime(ScorecardMixin.url_values["month"], MONTH).date())
    pdf = _pdf()
    for authority, author in ((world.westminster, world.bob), (world.hammersmith, world.ada)):
        scorecard = Scorecard.objects.create(
            title=f"{authority.name} scrutiny scorecard", authority=authority,
            kpis=["referrals_per_10k", "cla_per_10k", "cla_reviews_on_time_pct"], generate_on_day=5,
            created_by=author)
        ScorecardEdition.objects.create(scorecard=scorecard, month=month, summary="A steady month.",
                                        commentary={"cla_per_10k": "Stable."}, pdf=pdf, generated_at=timezone.now())
