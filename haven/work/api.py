"""Work endpoints of /api/v1: the caller's worklist and a child's deadlines. Same rules as the
pages: capability, scope, audit."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from haven.api.auth import Capability
from haven.audit.log import Action, record
from haven.core.views.generic import RestrictedRecord, fetch_in_scope
from haven.people.models import Person

from . import worklists
from .models import Deadline

router = Router(tags=["work"])


class DeadlineOut(Schema):
    id: int
    rule: str
    label: str
    trigger_type: str
    trigger_id: int
    person_id: int
    person_name: str
    local_id: str
    sequence: int
    starts_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None
    met_in_time: bool | None
    exempt: bool
    exemption_reason: str
    stopped_at: dt.datetime | None
    status: str
    group: str | None
    overdue_by: str


class Problem(Schema):
    detail: str


def _out(d: Deadline, now: dt.datetime) -> DeadlineOut:
    rule = d.rule_obj
    is_open = d.is_open
    if d.exempt:
        status = "exempt"
    elif d.met_at is not None:
        status = "met_in_time" if d.met_in_time else "met_late"
    elif not is_open:
        status = "stopped"
    else:
        status = "overdue" if d.due_at < now else "open"
    return DeadlineOut(
        id=d.pk, rule=d.rule, label=d.label, trigger_type=ContentType.objects.get_for_id(d.content_type_id).model_class()._meta.label_lower,
        trigger_id=d.object_id, person_id=d.person_id, person_name=d.person.full_name,
        local_id=d.person.local_id, sequence=d.sequence, starts_at=d.starts_at, due_at=d.due_at, met_at=d.met_at,
        met_in_time=d.met_in_time, exempt=d.exempt, exemption_reason=d.exemption_reason, stopped_at=d.stopped_at,
        status=status, group=worklists.group_of(d.due_at, now) if is_open else None,
        overdue_by=worklists.overdue_by(d.due_at, now, hours=bool(rule and rule.hours)) if is_open else "")


@router.get("/", response={200: list[DeadlineOut], 422: Problem}, auth=Capability("work.view"),
            summary="My work: open deadlines of the children allocated to me, soonest first")
def my_deadlines(request, group: str | None = None):
    if group and group not in worklists.GROUP_LABELS:
        raise HttpError(422, f"group: one of {', '.join(worklists.GROUP_LABELS)}")
    now = timezone.now()
    worklist = worklists.my_work(request.user, now)
    items = [i for code, _label, items, _n in worklist.sections(group) for i in items]
    return [_out(i.deadline, now) for i in items]


@router.get("/person/{int:pk}", response={200: list[DeadlineOut], 403: Problem, 404: Problem},
            auth=Capability("work.view"), summary="A child's deadlines: open first, then past ones")
def person_deadlines(request, pk: int):
    try:
        person = fetch_in_scope(Person, request.user, pk, "view")
    except RestrictedRecord:
        raise HttpError(403, "This record is restricted; use break-glass in the web application") from None
    except Http404:
        raise HttpError(404, "Not found") from None
    now = timezone.now()
    open_rows, past, _total = worklists.timescales_for(person, request.user, now=now, past_limit=None)
    record(request, Action.VIEW, obj=person, summary=f"API: timescales of {person.full_name}")
    return [_out(row[0], now) for row in [*open_rows, *past]]
