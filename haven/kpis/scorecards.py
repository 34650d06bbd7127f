"""The monthly scorecard for scrutiny committees and leaders: the KPIs an analyst chose for an
authority (or a partnership), for one month, as a PDF with commentary.

Each KPI shows its value for the month, for the 12 months to the month's end, the month before,
the target and RAG (of the 12-month figure, against the authority's target; a partnership has
only the default targets), and England's latest published figure; then the commentary written
for it. The figures come from the KPI store (the runs for the month, for the 12 months to its
end and for the month before), computed when missing. A page shows the runs as stored (saying
when they are out of date); making the PDF recomputes any run that is out of date first, so an
edition made on demand and one made by the scheduled task say the same.

A KPI that has left the catalogue is left out of the figures (the scorecard's page says which);
commentary already written for it is kept with the edition, not shown.

The scheduled task (``make_due``, run by ``haven worker``) makes last month's edition of every
active scorecard on or after its ``generate_on_day``, once: commentary written later can be added
and the PDF made again by hand. A scorecard that fails is logged and left for the next pass; the
others are still made.

Every view, change and PDF is written to the access log (``audit``): with the authority, or for
a partnership's scorecard with no authority and the partnership and its authorities in the
entry's detail.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from haven.audit.log import Action, record
from haven.core.calendar import add_months

from . import reference, store
from .catalogue import load

logger = logging.getLogger(__name__)

DEFAULT_KPIS = [
    "referrals_per_10k", "rereferrals_12m_pct", "assessments_45wd_referral_pct", "icpc_15wd_pct",
    "strategy_police_pct", "cp_per_10k", "cp_second_pct", "cp_visits_on_time_pct", "cla_per_10k",
    "cla_3plus_placements_pct", "cla_reviews_on_time_pct", "cla_visits_on_time_pct", "cla_health_assessments_pct",
    "missing_rhi_offered_72h_pct", "leavers_19_21_eet_pct", "caseload_per_worker",
]
MONTH = "%Y-%m"          # a month in a URL: 2026-03
EARLIEST = dt.date(2000, 1, 31)   # no edition for a month before this one
MARKING = "OFFICIAL"     # figures only, no child named: the PDF's protective marking


def last_month(today: dt.date) -> dt.date:
    """The last day of the month before ``today``'s."""
    return today.replace(day=1) - dt.timedelta(days=1)


def month_key(month: dt.date) -> str:
    return f"{month:{MONTH}}"


def recent_months(today: dt.date, count: int = 12) -> list[dt.date]:
    """The last days of the ``count`` months before ``today``'s, newest first."""
    months = [last_month(today)]
    while len(months) < count:
        months.append(last_month(months[-1].replace(day=1)))
    return months


def unit_of(scorecard) -> store.Unit:
    if scorecard.authority_id:
        return store.Unit.of_authority(scorecard.authority)
    return store.Unit.of_partnership(scorecard.partnership)


def removed_kpis(scorecard) -> list[str]:
    """The scorecard's KPI ids that are no longer in the catalogue."""
    catalogue = load()
    return [k for k in scorecard.kpis if k not in catalogue]


def next_edition(scorecard, today: dt.date, *, made_last_month: bool) -> tuple[dt.date, dt.date]:
    """(the day the scheduled task next makes an edition, the month it will report): last month's
    on its day (today when that has passed: the worker's next pass) unless its PDF is made already,
    else this month's, on its day next month."""
    day = today.replace(day=scorecard.generate_on_day)
    if not made_last_month:
        return max(today, day), last_month(today)
    return add_months(day, 1), store.month_end(today)


def audit(who, action: str, scorecard, summary: str, *, month: dt.date | None = None, **detail):
    """Write one access-log entry about a scorecard (or one month's edition of it)."""
    detail = {"scorecard": scorecard.pk, **detail}
    if month is not None:
        detail["month"] = month_key(month)
    if scorecard.partnership_id:
        detail["partnership"] = scorecard.partnership_id
        detail["authorities"] = sorted(scorecard.partnership.authorities.values_list("pk", flat=True))
    return record(who, action, obj=scorecard, authority_id=scorecard.authority_id, summary=summary, detail=detail)


# --- the figures -------------------------------------------------------------------------------

@dataclass
class Line:
    kpi: object
    month: object | None         # Figure for the calendar month
    year: object | None          # Figure for the 12 months to the month's end
    previous: object | None      # Figure for the month before
    target: object | None
    rag: str | None
    england: object | None
    commentary: str


@dataclass
class Figures:
    lines: list[Line]
    states: dict[str, store.RunState] = field(default_factory=dict)   # "month", "year", "previous"
    removed: list[str] = field(default_factory=list)                  # KPI ids no longer in the catalogue

    @property
    def computed_at(self) -> dt.datetime | None:
        """When the oldest of the runs read was computed."""
        times = [s.run.computed_at for s in self.states.values() if s.ready]
        return min(times) if times else None

    @property
    def stale_reasons(self) -> list[str]:
        return list(dict.fromkeys(r for s in self.states.values() for r in s.reasons))


def figures(edition, *, fresh: bool = False) -> Figures:
    """The scorecard's KPIs with their figures for the edition's month (computing the runs the
    store does not hold yet, and with ``fresh`` those that are out of date)."""
    catalogue = load()
    scorecard = edition.scorecard
    ids = [k for k in scorecard.kpis if k in catalogue]
    removed = [k for k in scorecard.kpis if k not in catalogue]
    if not ids:
        return Figures([], {}, removed)
    unit = unit_of(scorecard)
    month_end = edition.month
    periods = {"month": store.period("month", month_end), "year": store.period("12m", month_end),
               "previous": store.period("month", last_month(month_end.replace(day=1)))}
    states = {name: store.ensure(unit, start, end, fresh=fresh) for name, (start, end) in periods.items()}
    found = store.figures(states.values(), kpis=ids)
    targets = reference.targets_for(scorecard.authority)
    comparators = reference.benchmarks_for(ids, month_end.year)
    out = []
    for kpi_id in ids:
        k = catalogue[kpi_id]
        got = {name: found.get(state.run.pk, {}).get(kpi_id) if state.ready else None for name, state in states.items()}
        target = targets.get(kpi_id)
        year_value = got["year"].value if got["year"] else None
        out.append(Line(k, got["month"], got["year"], got["previous"], target,
                        reference.rag_for(k, year_value, target),
                        reference.latest(comparators.get(kpi_id, []), "england"),
                        (edition.commentary or {}).get(kpi_id, "")))
    return Figures(out, states, removed)


def lines(edition, *, fresh: bool = False) -> list[Line]:
    return figures(edition, fresh=fresh).lines


# --- the PDF -----------------------------------------------------------------------------------

def render_html(edition, lines_, *, made_at: dt.datetime | None = None, actor=None) -> str:
    return render_to_string("kpis/scorecard_pdf.html", {
        "edition": edition, "scorecard": edition.scorecard, "unit": unit_of(edition.scorecard), "lines": lines_,
        "made_at": timezone.localtime(made_at or timezone.now()), "made_by": actor,
        "period": store.period("month", edition.month), "year": store.period("12m", edition.month),
        "marking": MARKING,
    })


def make_pdf(edition, *, actor=None, request=None):
    """Make (or make again) the edition's PDF from the figures (recomputed first when out of date)
    and the commentary as they are now. ``actor`` empty: the scheduled task made it. Not in one
    transaction: computing the figures may take a few seconds, and the PDF is stored in one
    update of its own fields (commentary saved meanwhile is not overwritten)."""
    from haven.plans.pdf import html_to_pdf

    made_at = timezone.now()
    html = render_html(edition, lines(edition, fresh=True), made_at=made_at, actor=actor)
    edition.pdf = html_to_pdf(html)
    edition.generated_at, edition.generated_by = made_at, actor
    if edition.pk is None:
        edition.save()
    else:
        edition.save(update_fields=["pdf", "generated_at", "generated_by"])
    scorecard = edition.scorecard
    audit(request or actor, Action.EXPORT, scorecard,
          f"Scorecard {scorecard.title} {edition.month:%B %Y}: PDF made{'' if actor else ' by the scheduled task'} "
          f"({len(edition.pdf):,} bytes)", month=edition.month, bytes=len(edition.pdf))
    return edition


# --- editions ----------------------------------------------------------------------------------

def edition_for(scorecard, month: dt.date):
    """The month's edition, made (empty) if there is none yet."""
    from .models import ScorecardEdition

    edition, _created = ScorecardEdition.objects.get_or_create(scorecard=scorecard, month=month)
    edition.scorecard = scorecard
    return edition


def edition_or_new(scorecard, month: dt.date):
    """The month's edition, or an unsaved empty one (reading a page makes no record)."""
    from .models import ScorecardEdition

    edition = ScorecardEdition.objects.filter(scorecard=scorecard, month=month).defer("pdf").first()
    if edition is None:
        edition = ScorecardEdition(scorecard=scorecard, month=month)
    edition.scorecard = scorecard
    return edition


def save_commentary(edition, *, version: int, summary: str, commentary: dict[str, str], shown, actor) -> bool:
    """Save the summary and the commentary on the KPIs ``shown`` (commentary on others, such as a
    KPI that has left the catalogue, is kept) if the edition is still at ``version``; False
    (nothing saved) when someone saved it since. ``edition`` must be saved already."""
    from .models import ScorecardEdition

    kept = {k: v for k, v in (edition.commentary or {}).items() if k not in set(shown)}
    kept.update({k: v for k, v in commentary.items() if v})
    done = ScorecardEdition.objects.filter(pk=edition.pk, version=version).update(
        summary=summary, commentary=kept, version=F("version") + 1, updated_at=timezone.now(), updated_by=actor)
    if done:
        edition.refresh_from_db(fields=["summary", "commentary", "version", "updated_at", "updated_by"])
    return bool(done)


# --- the scheduled task ------------------------------------------------------------------------

def make_due(*, today: dt.date | None = None, log=None) -> list:
    """Make last month's edition of every active scorecard whose day has come and whose edition
    has no PDF yet (the scheduled task). Returns the editions made."""
    from .models import Scorecard, ScorecardEdition

    today = today or timezone.localdate()
    month = last_month(today)
    made = []
    done = set(ScorecardEdition.objects.filter(month=month, generated_at__isnull=False)
               .values_list("scorecard_id", flat=True))
    for scorecard in Scorecard.objects.filter(active=True).select_related("authority", "partnership"):
        if today.day < scorecard.generate_on_day or scorecard.pk in done:
            continue
        try:
            edition = make_pdf(edition_for(scorecard, month))
        except Exception as exc:   # one scorecard's failure must not stop the others, nor the worker
            logger.exception("scorecard %s (%s), %s: not made", scorecard.pk, scorecard.title, month)
            if log:
                log(f"scorecard {scorecard.title}, {month:%B %Y}: FAILED ({exc}); tried again on the next pass")
            continue
        made.append(edition)
        if log:
            log(f"scorecard {scorecard.title}, {month:%B %Y}: made ({len(edition.pdf):,} bytes)")
    return made
