"""Child protection and children in need: section 47 enquiries and initial conferences, strategy
discussions, child protection plans and child in need plans.

Timeliness KPIs read the timescale rules engine's deadlines (``haven.work.models.Deadline``):
``icpc_15wd``, ``cp_visit_10wd``, ``cp_review_conference``, ``cin_review_3m``. For the "due in
the period" KPIs a deadline is in the cohort when its due day falls in the period, except:

- an exempt deadline (a manager stopped the clock): not in the cohort;
- a deadline whose clock stopped before it fell due (the plan ended on its due day): not in the
  cohort. One that fell due before the plan ended and was never met stays in: it was missed.

"On time" is ``met_at <= due_at`` (met on or before the due day); a deadline due in the period
and not met (or met after its due day) is counted as late.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from haven.core.calendar import birthday
from haven.kpis.catalogue import COUNT, HIGHER, LOWER, PER_10K, PERCENT, Row, Scope, kpi
from haven.kpis.common import bounds, deadline_rows, local_date

GROUP_S47 = "Child protection enquiries"
GROUP_CP = "Child protection plans"
GROUP_CIN = "Children in need"


# -- helpers ------------------------------------------------------------------------------------
def plans_current(scope: Scope, kind: str):
    """Plans of ``kind`` open at the end of the as-at day (``PlanQuerySet.current``: started on or
    before it, not ended by it; a plan that ended that day is over)."""
    from haven.plans.models import Plan

    return Plan.objects.filter(authority_id__in=scope.authority_ids, kind=kind).current(scope.as_of)


def _children_on_plans(scope: Scope, kind: str):
    seen = set()
    for p in plans_current(scope, kind).order_by("person_id", "start_date", "pk").values(
            "person_id", "start_date", "initial_category", "latest_category"):
        if p["person_id"] in seen:
            continue
        seen.add(p["person_id"])
        why = {"plan started": p["start_date"]}
        if kind == "cp":
            why["category"] = p["latest_category"] or p["initial_category"]
        yield Row(p["person_id"], why=why)


# -- section 47 enquiries and initial conferences ------------------------------------------------
def s47_started(scope: Scope):
    from haven.protection.models import S47Enquiry

    return S47Enquiry.objects.filter(authority_id__in=scope.authority_ids, start_date__gte=scope.start,
                                     start_date__lte=scope.end)


@kpi("s47_count", "Section 47 enquiries started", kind=COUNT, unit="enquiries", polarity=None,
     source="DfE Characteristics of children in need (CIN census): section 47 enquiries starting in the year "
            "(S47ActualStartDate)", group=GROUP_S47, annual=True)
def s47_count(scope: Scope):
    """Section 47 enquiries that started in the period (start date from the period's first day to
    the as-at date, inclusive), in the scope's authorities. Each enquiry is one row: a child with
    two enquiries in the period is counted twice, as the CIN census counts enquiries."""
    for s in s47_started(scope).order_by("start_date", "pk").values(
            "person_id", "start_date", "outcome", "completed_date", "strategy_discussion__held_at"):
        yield Row(s["person_id"], why={"started": s["start_date"],
                                       "strategy discussion": local_date(s["strategy_discussion__held_at"]),
                                       "outcome": s["outcome"] or "not yet", "completed": s["completed_date"]})


@kpi("s47_per_10k", "Section 47 enquiries per 10,000 children", kind=PER_10K, unit="per 10,000", polarity=None,
     source="DfE Characteristics of children in need: section 47 enquiries per 10,000 children aged under 18",
     group=GROUP_S47, annual=True)
def s47_per_10k(scope: Scope):
    """Section 47 enquiries started in the period (as ``s47_count``) per 10,000 children aged 0-17
    in the authority's population (``ChildPopulation``)."""
    yield from s47_count(scope)


@kpi("s47_to_icpc_pct", "Section 47 enquiries leading to an initial conference", kind=PERCENT, unit="%",
     polarity=None,
     source="DfE CIN census: section 47 enquiries and initial child protection conferences (ICPCnotRequired); "
            "local conversion rate", group=GROUP_S47)
def s47_to_icpc_pct(scope: Scope):
    """Of the section 47 enquiries that ended in the period (completed date from the period's
    first day to the as-at date, inclusive), the percentage whose outcome was "concerns
    substantiated: initial child protection conference" (the CIN census's conference deemed
    necessary: ``ICPCnotRequired`` false). The service only lets an initial conference be held
    for an enquiry with that outcome; the row shows when it was held, if it was by the as-at date.
    Enquiries still open at the as-at date are not in the cohort."""
    from haven.protection.models import ConferenceChild, S47Enquiry

    ended = S47Enquiry.objects.filter(authority_id__in=scope.authority_ids, completed_date__gte=scope.start,
                                      completed_date__lte=scope.end)
    held: dict[int, dt.date] = {}
    conferences = ConferenceChild.objects.filter(s47__in=ended.values("pk"), conference__kind="initial",
                                                 conference__held_on__lte=scope.end)
    for s47_id, day in (conferences
                        .order_by("conference__held_on").values_list("s47_id", "conference__held_on")):
        held.setdefault(s47_id, day)
    for s in ended.order_by("completed_date", "pk").values("pk", "person_id", "start_date", "completed_date", "outcome"):
        yield Row(s["person_id"], counted=s["outcome"] == S47Enquiry.Outcome.ICPC,
                  why={"started": s["start_date"], "ended": s["completed_date"], "outcome": s["outcome"] or "not recorded",
                       "initial conference held": held.get(s["pk"])})


@kpi("icpc_15wd_pct", "Initial conferences within 15 working days", kind=PERCENT, unit="%", polarity=HIGHER,
     source="DfE CIN census / Working Together 2023 3.223: initial child protection conferences held within "
            "15 working days of the strategy discussion", group=GROUP_S47, annual=True)
def icpc_15wd_pct(scope: Scope):
    """Initial child protection conferences held in the period (the conference day from the
    period's first day to the as-at date, inclusive) for a section 47 enquiry in the scope's
    authorities, one row per child and enquiry: the first initial conference for the enquiry,
    as the ``icpc_15wd`` deadline records it. Counted when it was held on or before the due day:
    15 working days after the strategy discussion (weekends and England bank holidays are not
    working days). An initial conference not linked to an enquiry has no clock and is not in the
    cohort."""
    from haven.work.models import Deadline

    low, high = bounds(scope)
    for d in (Deadline.objects.filter(rule="icpc_15wd", authority_id__in=scope.authority_ids, met_at__gte=low,
                                      met_at__lt=high, exempt=False)
              .order_by("met_at", "person_id", "pk").values("person_id", "object_id", "starts_at", "due_at", "met_at")):
        on_time = d["met_at"] <= d["due_at"]
        yield Row(d["person_id"], counted=on_time,
                  why={"strategy discussion": local_date(d["starts_at"]), "conference due by": local_date(d["due_at"]),
                       "conference held": local_date(d["met_at"]), "on time": on_time})


# -- strategy discussions ------------------------------------------------------------------------
def _strategy_rows(scope: Scope, agency: str):
    from haven.core.codes import Agency
    from haven.protection.models import (
        REQUIRED_AGENCIES,
        StrategyAttendee,
        StrategyChild,
        StrategyDiscussion,
    )

    low, high = bounds(scope)
    discussions = StrategyDiscussion.objects.filter(authority_id__in=scope.authority_ids, held_at__gte=low,
                                                    held_at__lt=high)
    present: dict[int, set[str]] = {}
    for discussion_id, code in (StrategyAttendee.objects.filter(discussion__in=discussions.values("pk"), attended=True)
                                .values_list("discussion_id", "agency")):
        present.setdefault(discussion_id, set()).add(code)
    first_child: dict[int, int] = {}
    for discussion_id, person_id in (StrategyChild.objects.filter(discussion__in=discussions.values("pk"))
                                     .order_by("discussion_id", "pk").values_list("discussion_id", "person_id")):
        first_child.setdefault(discussion_id, person_id)
    for pk, held_at in discussions.order_by("held_at", "pk").values_list("pk", "held_at"):
        there = present.get(pk, set())
        yield Row(first_child.get(pk), counted=agency in there,
                  why={"held": local_date(held_at),
                       "agencies present": ", ".join(Agency(a).label for a in REQUIRED_AGENCIES if a in there),
                       "agencies absent": ", ".join(Agency(a).label for a in REQUIRED_AGENCIES if a not in there)})


def _documented(agency: str):
    """Give a strategy KPI its definition (before ``kpi`` registers it)."""

    def set_doc(func):
        func.__doc__ = _STRATEGY_DOC.format(agency=agency)
        return func

    return set_doc


_STRATEGY_DOC = """Strategy discussions held in the period (the day, London time, from the period's
    first day to the as-at date, inclusive) in the scope's authorities: one row per discussion
    (the child is the first child it was about), counted when someone from {agency} took part
    (an attendee of that agency marked as attended; one invited who did not attend does not
    count)."""


@kpi("strategy_police_pct", "Strategy discussions with the police", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Working Together to Safeguard Children 2023, 3.202: the police, health and children's social care "
            "take part in every strategy discussion (local measure)", group=GROUP_S47)
@_documented("the police")
def strategy_police_pct(scope: Scope):
    yield from _strategy_rows(scope, "police")


@kpi("strategy_health_pct", "Strategy discussions with health", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Working Together to Safeguard Children 2023, 3.202: the police, health and children's social care "
            "take part in every strategy discussion (local measure)", group=GROUP_S47)
@_documented("health")
def strategy_health_pct(scope: Scope):
    yield from _strategy_rows(scope, "health")


@kpi("strategy_education_pct", "Strategy discussions with education", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Working Together to Safeguard Children 2023, 3.202: education or the child's setting takes part "
            "where the child attends one (local measure)", group=GROUP_S47)
@_documented("education")
def strategy_education_pct(scope: Scope):
    yield from _strategy_rows(scope, "education")




# -- child protection plans -----------------------------------------------------------------------
@kpi("cp_count", "Children on a child protection plan", kind=COUNT, unit="children", polarity=None,
     source="DfE Characteristics of children in need (CIN census): children subject to a child protection plan "
            "at 31 March", group=GROUP_CP, annual=True)
def cp_count(scope: Scope):
    """Children on a child protection plan at the end of the as-at date: a plan started on or
    before it and not ended by it (a plan that ended that day is over). Each child once."""
    yield from _children_on_plans(scope, "cp")


@kpi("cp_per_10k", "Children on a child protection plan per 10,000 children", kind=PER_10K, unit="per 10,000",
     polarity=None, source="DfE Characteristics of children in need: rate of children subject to a child "
                           "protection plan at 31 March per 10,000 children aged under 18", group=GROUP_CP, annual=True)
def cp_per_10k(scope: Scope):
    """Children on a child protection plan at the as-at date (as ``cp_count``) per 10,000 children
    aged 0-17 in the authority's population (``ChildPopulation``)."""
    yield from cp_count(scope)


def cp_plans_starting(scope: Scope):
    from haven.plans.models import Plan

    return Plan.objects.filter(authority_id__in=scope.authority_ids, kind=Plan.Kind.CP, start_date__gte=scope.start,
                               start_date__lte=scope.end)


@kpi("cp_starting_count", "Child protection plans starting", kind=COUNT, unit="plans", polarity=None,
     source="DfE Characteristics of children in need: children who became the subject of a child protection plan "
            "in the year (CPPstartDate)", group=GROUP_CP, annual=True)
def cp_starting_count(scope: Scope):
    """Child protection plans that started in the period (start date from the period's first day
    to the as-at date, inclusive). Each plan is one row: a child whose plan started twice in the
    period is counted twice."""
    for p in cp_plans_starting(scope).order_by("start_date", "pk").values("person_id", "start_date", "initial_category"):
        yield Row(p["person_id"], why={"plan started": p["start_date"], "initial category": p["initial_category"]})


@kpi("cp_2years_pct", "Child protection plans ending that lasted 2 years or more", kind=PERCENT, unit="%",
     polarity=LOWER,
     source="DfE Characteristics of children in need: child protection plans ceasing in the year that lasted "
            "two years or more", group=GROUP_CP, annual=True)
def cp_2years_pct(scope: Scope):
    """Of the child protection plans that ended in the period (end date from the period's first
    day to the as-at date, inclusive), the percentage that lasted two years or more: ended on or
    after the second anniversary of the start. A plan that ended exactly two years after it
    started (1 June 2024 to 1 June 2026) lasted two years and is counted; one that ended the day
    before is not. A plan starting on 29 February reaches two years on 1 March."""
    from haven.plans.models import Plan

    for p in (Plan.objects.filter(authority_id__in=scope.authority_ids, kind=Plan.Kind.CP, end_date__gte=scope.start,
                                  end_date__lte=scope.end)
              .order_by("end_date", "pk").values("person_id", "start_date", "end_date", "end_reason")):
        two_years = birthday(p["start_date"], 2)
        lasted = (p["end_date"] - p["start_date"]).days
        yield Row(p["person_id"], counted=p["end_date"] >= two_years, measure=lasted,
                  why={"plan started": p["start_date"], "plan ended": p["end_date"], "two years on": two_years,
                       "days": lasted, "end reason": p["end_reason"]})


@kpi("cp_second_pct", "Child protection plans for a second or subsequent time", kind=PERCENT, unit="%",
     polarity=LOWER,
     source="DfE Characteristics of children in need: children who became the subject of a plan for a second or "
            "subsequent time (any previous plan, ever; NumberOfPreviousCPP)", group=GROUP_CP, annual=True)
def cp_second_pct(scope: Scope):
    """Of the child protection plans that started in the period (as ``cp_starting_count``), the
    percentage for a child who had had a child protection plan before, ever and in any authority
    recorded here: another plan that started before this one's start date (as the CIN census's
    NumberOfPreviousCPP counts them)."""
    from haven.plans.models import Plan

    earlier = Plan.objects.filter(person=OuterRef("person"), kind=Plan.Kind.CP, start_date__lt=OuterRef("start_date"))
    previous_count = Subquery(earlier.order_by().values("person").annotate(n=Count("pk")).values("n")[:1],
                              output_field=IntegerField())
    latest_previous = Subquery(earlier.order_by("-start_date", "-pk").values("start_date")[:1])
    for p in (cp_plans_starting(scope).annotate(previous=Coalesce(previous_count, 0), last_previous=latest_previous)
              .order_by("start_date", "pk").values("person_id", "start_date", "previous", "last_previous")):
        yield Row(p["person_id"], counted=p["previous"] > 0,
                  why={"plan started": p["start_date"], "previous plans": p["previous"],
                       "latest previous plan started": p["last_previous"]})


@kpi("cp_visits_on_time_pct", "Child protection visits on time", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Local standard (timescale rule cp_visit_10wd): a child on a child protection plan is seen at least "
            "every 10 working days", group=GROUP_CP)
def cp_visits_on_time_pct(scope: Scope):
    """The ``cp_visit_10wd`` deadlines that fell due in the period (the due day from the period's
    first day to the as-at date, inclusive), one row per deadline: counted when the child was seen
    on a visit on or before the due day. Exempt deadlines, and those whose clock stopped before
    they fell due (the plan ended), are not in the cohort; one due and not met is late."""
    yield from deadline_rows(scope, "cp_visit_10wd")


@kpi("core_groups_on_time_pct", "Core group meetings on time", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Working Together to Safeguard Children 2023, 3.236 (timescale rule core_group_10wd): the first core "
            "group within 10 working days of the initial conference, then regularly (local standard: 6-weekly)",
     group=GROUP_CP)
def core_groups_on_time_pct(scope: Scope):
    """The ``core_group_10wd`` deadlines that fell due in the period (the due day from the
    period's first day to the as-at date, inclusive), one row per deadline: counted when a core
    group met on or before the due day. Exempt deadlines, and those whose clock stopped before
    they fell due (the plan ended), are not in the cohort."""
    yield from deadline_rows(scope, "core_group_10wd")


@kpi("cp_reviews_on_time_pct", "Child protection review conferences on time", kind=PERCENT, unit="%",
     polarity=HIGHER,
     source="Working Together to Safeguard Children 2023, 3.245 (timescale rule cp_review_conference): first review "
            "within 3 months of the initial conference, then at most every 6 months", group=GROUP_CP)
def cp_reviews_on_time_pct(scope: Scope):
    """The ``cp_review_conference`` deadlines that fell due in the period (the due day from the
    period's first day to the as-at date, inclusive), one row per deadline: counted when a review
    conference for the plan was held on or before the due day. Exempt deadlines, and those whose
    clock stopped before they fell due (the plan ended), are not in the cohort."""
    yield from deadline_rows(scope, "cp_review_conference")


# -- child in need plans --------------------------------------------------------------------------
@kpi("cin_plans_count", "Children on a child in need plan", kind=COUNT, unit="children", polarity=None,
     source="DfE CIN census: child in need plans (CINPlanStartDate, CINPlanEndDate) open at 31 March", group=GROUP_CIN, annual=True)
def cin_plans_count(scope: Scope):
    """Children on a child in need plan at the end of the as-at date: a plan started on or before
    it and not ended by it (a plan that ended that day is over). Each child once; children on a
    child protection plan are counted only if they also have a child in need plan open."""
    yield from _children_on_plans(scope, "cin")


@kpi("cin_reviews_on_time_pct", "Child in need plan reviews on time", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Local standard (timescale rule cin_review_3m): child in need plans are reviewed at least every "
            "3 months", group=GROUP_CIN)
def cin_reviews_on_time_pct(scope: Scope):
    """The ``cin_review_3m`` deadlines that fell due in the period (the due day from the period's
    first day to the as-at date, inclusive), one row per deadline: counted when the plan was
    reviewed on or before the due day. Exempt deadlines, and those whose clock stopped before they
    fell due (the plan ended), are not in the cohort."""
    yield from deadline_rows(scope, "cin_review_3m")

