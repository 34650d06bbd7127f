"""Adoption scorecard measures (DfE), computed from the adoption timeline and the periods of care:

- **A1**: average days between a child entering care (the start of the period of care in which
  they were adopted) and moving in with their adoptive family (placed for adoption);
- **A2**: average days between the court's placement order and the decision to match the child
  with their adopters (children with a placement order);
- **A10**: as A1, but for a child adopted by carers they lived with first as foster carers
  (foster to adopt, early permanence), counted to the day they moved in with those carers.

Each is averaged over the children adopted (adoption order) in a date range (the scorecard uses
three years) and returns the children behind it, so that a page can drill through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .models import AdoptionDecision

Kind = AdoptionDecision.Kind


@dataclass
class Row:
    """One adopted child behind a measure."""

    person: object
    adopted_on: dt.date
    start: dt.date          # the day the measure counts from
    end: dt.date            # the day it counts to
    days: int
    start_label: str
    end_label: str


@dataclass
class Measure:
    code: str
    label: str
    description: str
    start: dt.date
    end: dt.date
    rows: list[Row] = field(default_factory=list)
    excluded: list[tuple[object, str]] = field(default_factory=list)   # (person, why not counted)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def average(self) -> int | None:
        """Average days, rounded to a whole day (None when no child counts)."""
        if not self.rows:
            return None
        return round(sum(r.days for r in self.rows) / len(self.rows))


@dataclass
class Journey:
    """A child's last adoption journey ending in an adoption order in the range."""

    person: object
    adopted_on: dt.date
    entered_care: dt.date | None
    placement_order: dt.date | None
    matched: dt.date | None
    moved_in: dt.date | None
    placed: dt.date | None


def default_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The three years ending on the last 31 March (the scorecard's reporting years)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    end_year = today.year if today >= dt.date(today.year, 3, 31) else today.year - 1
    end = dt.date(end_year, 3, 31)
    return dt.date(end_year - 3, 4, 1), end


def journeys(authority, start: dt.date, end: dt.date, *, user=None) -> list[Journey]:
    """The children of ``authority`` adopted between ``start`` and ``end`` (inclusive), each
    with the dates of their adoption journey. With ``user``, only children they may see."""
    from haven.looked_after.models import PeriodOfCare

    orders = AdoptionDecision.objects.filter(authority=authority, kind=Kind.ADOPTION_ORDER,
                                             decided_on__gte=start, decided_on__lte=end)
    if user is not None:
        orders = orders.filter(pk__in=AdoptionDecision.objects.visible_to(user).values("pk"))
    orders = list(orders.select_related("person").order_by("decided_on", "person__last_name", "pk"))
    if not orders:
        return []
    ids = [o.person_id for o in orders]
    steps: dict[int, list[AdoptionDecision]] = {}
    for s in AdoptionDecision.objects.filter(person_id__in=ids).order_by("decided_on", "pk"):
        steps.setdefault(s.person_id, []).append(s)
    periods: dict[int, list] = {}
    for p in PeriodOfCare.objects.filter(person_id__in=ids).order_by("start_date"):
        periods.setdefault(p.person_id, []).append(p)
    out = []
    for order in orders:
        adopted_on = order.decided_on
        before = [s for s in steps.get(order.person_id, []) if s.decided_on <= adopted_on and s.pk != order.pk]
        # The journey is what followed the last decision that the child should be placed.
        adm = [i for i, s in enumerate(before) if s.kind == Kind.SHOULD_BE_PLACED]
        cycle = before[adm[-1]:] if adm else before
        reversals = [i for i, s in enumerate(before) if s.kind == Kind.REVERSED]
        moved_from = before[reversals[-1] + 1:] if reversals else before

        def last(kind, among):
            found = [s.decided_on for s in among if s.kind == kind]
            return found[-1] if found else None

        # The period of care in which the child was adopted: it covers the adoption order (which
        # ends it), else the latest that started before it.
        candidates = [p for p in periods.get(order.person_id, []) if p.start_date <= adopted_on]
        covering = [p for p in candidates if p.end_date is None or p.end_date >= adopted_on]
        period = (covering or candidates or [None])[-1]
        out.append(Journey(person=order.person, adopted_on=adopted_on,
                           entered_care=period.start_date if period else None,
                           placement_order=last(Kind.PLACEMENT_ORDER, cycle), matched=last(Kind.MATCHED, cycle),
                           moved_in=last(Kind.MOVED_IN_WITH_CARERS, moved_from), placed=last(Kind.PLACED, cycle)))
    return out


def a1(authority, start: dt.date, end: dt.date, *, user=None) -> Measure:
    m = Measure("A1", "Entering care to moving in with the adoptive family",
                "Average days between a child entering care and moving in with their adoptive family, for children "
                "adopted", start, end)
    for j in journeys(authority, start, end, user=user):
        if j.entered_care is None:
            m.excluded.append((j.person, "No period of care recorded"))
        elif j.placed is None:
            m.excluded.append((j.person, "No placement for adoption recorded"))
        else:
            m.rows.append(Row(j.person, j.adopted_on, j.entered_care, j.placed, (j.placed - j.entered_care).days,
                              "Entered care", "Placed for adoption"))
    return m


def a2(authority, start: dt.date, end: dt.date, *, user=None) -> Measure:
    m = Measure("A2", "Placement order to match",
                "Average days between the court's placement order and the decision to match the child with their "
                "adopters, for children adopted", start, end)
    for j in journeys(authority, start, end, user=user):
        if j.placement_order is None:
            m.excluded.append((j.person, "No placement order (placed with consent)"))
        elif j.matched is None:
            m.excluded.append((j.person, "No match recorded"))
        else:
            m.rows.append(Row(j.person, j.adopted_on, j.placement_order, j.matched,
                              (j.matched - j.placement_order).days, "Placement order", "Matched"))
    return m


def a10(authority, start: dt.date, end: dt.date, *, user=None) -> Measure:
    m = Measure("A10", "Entering care to moving in with the adoptive family, adjusted for foster carer adoptions",
                "As A1, but for children adopted by their foster carers (foster to adopt), counted to the day they "
                "moved in with those carers", start, end)
    for j in journeys(authority, start, end, user=user):
        if j.entered_care is None:
            m.excluded.append((j.person, "No period of care recorded"))
            continue
        ends = [d for d in (j.moved_in, j.placed) if d is not None]
        if not ends:
            m.excluded.append((j.person, "No placement for adoption recorded"))
            continue
        to = min(ends)
        label = "Moved in with the foster carers who adopted" if j.moved_in is not None and to == j.moved_in \
            else "Placed for adoption"
        m.rows.append(Row(j.person, j.adopted_on, j.entered_care, to, (to - j.entered_care).days, "Entered care",
                          label))
    return m


def scorecard(authority, start: dt.date, end: dt.date, *, user=None) -> list[Measure]:
    return [a1(authority, start, end, user=user), a2(authority, start, end, user=user),
            a10(authority, start, end, user=user)]
