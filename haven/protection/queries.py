"""Read helpers for the protection pages, the API and the person's panel: the family a
discussion or conference can cover, the child's open referral, and the ICPC clock as the
timescale rules derived it (``haven.work.models.Deadline``; the rule lives in ``timescales``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from .models import S47Enquiry

SIBLING_TYPES = ("sibling", "half_sibling", "step_sibling")


def day(value: dt.date | None) -> str:
    """27 March 2019 (GOV.UK style)."""
    return f"{value.day} {value:%B %Y}" if value else ""


def family_in_scope(person, user, action: str = "change") -> list:
    """``person`` first, then the children the user may reach for ``action`` who are ``person``'s
    siblings (current sibling, half- or step-sibling relationships) or live in the same
    household now: the children one discussion or conference can be about."""
    from haven.people.models import HouseholdMember, Person, Relationship

    today = timezone.localdate()
    related = Relationship.objects.involving(person).current(today).filter(type__in=SIBLING_TYPES)
    ids = {r.other_id if r.person_id == person.pk else r.person_id for r in related}
    households = HouseholdMember.objects.current(today).filter(person=person).values("household_id")
    ids |= set(HouseholdMember.objects.current(today).filter(household_id__in=households)
               .values_list("person_id", flat=True))
    ids.discard(person.pk)
    others = list(Person.objects.children().visible_to(user, action).filter(pk__in=ids, date_of_death__isnull=True)
                  .order_by("date_of_birth", "pk"))
    return [person, *others]


def open_episode(person, on: dt.date | None = None):
    """The child's open child in need episode (the latest), or None. With ``on``, only an
    episode that had started by then."""
    from haven.assessments.models import CINEpisode

    qs = CINEpisode.objects.filter(person=person, closure_date__isnull=True, referral_nfa=False)
    if on is not None:
        qs = qs.filter(referral_date__lte=on)
    return qs.order_by("-referral_date", "-pk").first()


def current_cp_plan(person, on: dt.date | None = None):
    from haven.plans.models import Plan

    qs = Plan.objects.filter(person=person, kind=Plan.Kind.CP)
    if on is not None:
        qs = qs.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
    else:
        qs = qs.filter(end_date__isnull=True)
    return qs.order_by("-start_date", "-pk").first()


def icpc_deadlines(s47s) -> dict[int, object]:
    """{S47 pk: its ``icpc_15wd`` Deadline} (the first of the series), for the S47s given."""
    from haven.work.models import Deadline

    ids = [s.pk for s in s47s]
    if not ids:
        return {}
    ct = ContentType.objects.get_for_model(S47Enquiry)
    rows = Deadline.objects.filter(rule="icpc_15wd", content_type=ct, object_id__in=ids).order_by("sequence")
    out: dict[int, object] = {}
    for d in rows:
        out.setdefault(d.object_id, d)
    return out


def icpc_deadline(s47):
    return icpc_deadlines([s47]).get(s47.pk)


def initial_conference_for(s47):
    """The initial conference held for this enquiry (ConferenceChild), or None."""
    from .models import ConferenceChild

    return (ConferenceChild.objects.filter(s47=s47, conference__kind="initial").select_related("conference")
            .order_by("conference__held_on").first())


def awaiting_conference(s47) -> bool:
    """The enquiry concluded that a conference is needed and none has been held yet."""
    return s47.outcome == S47Enquiry.Outcome.ICPC and initial_conference_for(s47) is None


def plan_url(plan) -> str:
    """The plan's page, when the plans module serves one."""
    from django.urls import NoReverseMatch

    try:
        return plan.get_absolute_url()
    except NoReverseMatch:
        return ""


def deadline_status(deadline) -> dict | None:
    """What a page says about a clock, read from ``Deadline`` (never recomputed here)."""
    if deadline is None:
        return None
    due = timezone.localtime(deadline.due_at).date()
    row = {"deadline": deadline, "label": deadline.label, "due": due}
    if deadline.met_at is not None:
        met = timezone.localtime(deadline.met_at).date()
        row.update(status=f"Met on {day(met)}" if deadline.met_in_time else f"Met late, on {day(met)}",
                   colour="green" if deadline.met_in_time else "orange", overdue=False)
    elif deadline.exempt:
        row.update(status="Clock stopped", colour="grey", overdue=False)
    elif getattr(deadline, "stopped_at", None) and deadline.stopped_at <= timezone.now():
        stopped = timezone.localtime(deadline.stopped_at).date()
        row.update(status=f"Not met: the clock stopped on {day(stopped)}", colour="grey", overdue=False)
    elif deadline.is_overdue:
        row.update(status="Overdue", colour="red", overdue=True)
    else:
        left = (due - timezone.localdate()).days
        row.update(status="Due today" if left == 0 else f"Due in {left} day{'s' if left != 1 else ''}",
                   colour="yellow" if left <= 2 else "blue", overdue=False)
    return row
