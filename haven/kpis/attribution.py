"""Whose work a row is: the team and the worker a child's row counts for, so that one computation
of the catalogue gives the figures of the authority, of each team and of each worker, and a
team's drill-through lists exactly the children its figure counts.

A child's row counts for the allocation responsible for the child at the end of the period:

1. of the KPI's allocation roles (``Kpi.allocations``: a social worker or a team, by default; for
   care leavers, the personal adviser first), in that order of preference;
2. the allocation current at the end of the period (started on or before the last day and not
   ended by it: an allocation that ends on the last day has passed the child on, as
   ``Allocation.objects.current`` has it); if none is, the one that ended last within the period
   (a case closed during the period counts for whoever held it);
3. the team it names, and its worker (none for an allocation to a team only).

A child with no such allocation counts for nobody ("not allocated"). A row about a worker (the
caseload KPIs) carries its own ``worker_id`` and ``team_id``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

NONE = "none"   # the key of rows that count for no team (or no worker)


@dataclass(frozen=True)
class Holder:
    team_id: int | None
    worker_id: int | None


def holders(authority_ids: Iterable[int], start: dt.date, end: dt.date,
            roles: tuple[str, ...], *, people: Iterable[int] | None = None) -> dict[int, Holder]:
    """{child id: Holder} for every child of the authorities with an allocation of one of
    ``roles`` at some time in ``start``..``end`` (one query), or only for ``people`` (a page of
    a drill-through)."""
    from haven.people.models import Allocation

    rank = {role: i for i, role in enumerate(roles)}
    best: dict[int, tuple] = {}
    found = (Allocation.objects.filter(authority_id__in=list(authority_ids), role__in=roles, start_date__lte=end)
             .filter(Q(end_date__isnull=True) | Q(end_date__gte=start)))
    if people is not None:
        found = found.filter(person_id__in=[p for p in people if p is not None])
    for person_id, role, team_id, worker_id, began, ended, pk in (
            found.values_list("person_id", "role", "team_id", "worker_id", "start_date", "end_date", "pk")):
        current = ended is None or ended > end
        # Lower sorts first: the preferred role, current at the end, then the latest to end and start.
        key = (rank[role], not current, -(ended or end).toordinal(), -(began or start).toordinal(), -pk)
        if person_id not in best or key < best[person_id][0]:
            best[person_id] = (key, Holder(team_id, worker_id))
    return {person_id: holder for person_id, (_key, holder) in best.items()}


def place(row, found: dict[int, Holder]) -> Holder:
    """The team and worker ``row`` counts for."""
    if row.worker_id is not None or row.team_id is not None:
        return Holder(row.team_id, row.worker_id)
    return found.get(row.person_id) or Holder(None, None)


def key(value: int | None) -> str:
    return NONE if value is None else str(value)
