"""Use-cases of the work module: reallocating a child within a team."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from haven.audit.log import Action, record


class ReallocationError(Exception):
    """A reallocation the rules do not allow; ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def workers_for(allocation):
    """Who the child can move to: the other active members of the allocation's team whose
    role has a worklist."""
    from .worklists import team_members

    return team_members([allocation.team]).exclude(pk=allocation.worker_id)


def can_reallocate(user, allocation) -> str | None:
    """None if ``user`` may reallocate ``allocation``; otherwise why not, in words."""
    from .worklists import managed_teams

    if not user.has_capability("work.team"):
        return "You need to be a team manager to reallocate children"
    if allocation.team_id not in {t.pk for t in managed_teams(user)}:
        return f"Only a manager of {allocation.team} can reallocate this child"
    today = timezone.localdate()
    if allocation.end_date is not None and allocation.end_date <= today:
        return "This allocation has already ended"
    if allocation.start_date and allocation.start_date > today:
        return "This allocation has not started yet"
    return None


@transaction.atomic
def reallocate(*, actor, allocation, to_worker, expected_version: int | None = None, request=None):
    """Move ``allocation``'s child to ``to_worker`` in the same team: the allocation ends today
    and a new one (same team and role) starts today, in one transaction, both audited.
    Returns the new allocation."""
    from haven.core.versioning import StaleEdit, save_versioned
    from haven.people.models import Allocation

    allocation = Allocation.objects.select_related("team", "worker", "person").get(pk=allocation.pk)
    problem = can_reallocate(actor, allocation)
    if problem:
        raise ReallocationError(problem)
    if not Allocation.objects.visible_to(actor, "change").filter(pk=allocation.pk).exists():
        raise ReallocationError("This child is outside your scope")
    if to_worker is None:
        raise ReallocationError("Select who the child is moving to", "worker")
    if to_worker.pk == allocation.worker_id:
        raise ReallocationError(f"{to_worker} is already allocated this child", "worker")
    if not workers_for(allocation).filter(pk=to_worker.pk).exists():
        raise ReallocationError(f"{to_worker} is not a worker in {allocation.team}", "worker")

    today = timezone.localdate()
    previous_worker = allocation.worker
    allocation.end_date = today
    try:
        save_versioned(allocation, expected_version=allocation.version if expected_version is None else expected_version,
                       actor=actor, reason="Reallocated")
    except StaleEdit as stale:
        raise ReallocationError(f"{stale.changed_by or 'Another user'} changed this allocation after you opened it. "
                                "Check it and try again.") from None
    new = Allocation.objects.create(person=allocation.person, authority=allocation.authority, team=allocation.team,
                                    worker=to_worker, role=allocation.role, start_date=today,
                                    created_by=actor, updated_by=actor)
    if not Allocation.objects.visible_to(actor, "change").filter(pk=new.pk).exists():
        raise ReallocationError("This child is outside your scope")  # re-checked inside the transaction
    detail = {"from_worker": previous_worker.pk if previous_worker else None, "to_worker": to_worker.pk,
              "team": allocation.team_id, "ended_allocation": allocation.pk, "new_allocation": new.pk}
    who = request if request is not None else actor
    summary = f"Reallocated from {previous_worker or allocation.team} to {to_worker}"
    record(who, Action.UPDATE, obj=allocation, summary=summary, detail=detail)
    record(who, Action.CREATE, obj=new, summary=summary, detail=detail)
    return new
