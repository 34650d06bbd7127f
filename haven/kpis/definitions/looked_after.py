"""Children looked after: how many, and how well their care is going."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from haven.core.calendar import add_months, age_on, birthday
from haven.core.codes.looked_after import ADOPTION_PLACEMENTS, TEMPORARY_PLACEMENTS
from haven.kpis.catalogue import COUNT, HIGHER, LOWER, PER_10K, PERCENT, Row, Scope, kpi
from haven.kpis.common import bounds, deadline_rows, local_date

GROUP = "Children looked after"


def looked_after_on(scope: Scope):
    """Periods of care open at the end of the as-at day (a period that ended that day is over,
    as the SSDA903 counts "looked after at 31 March")."""
    from haven.looked_after.models import PeriodOfCare

    return (PeriodOfCare.objects.filter(authority_id__in=scope.authority_ids, start_date__lte=scope.as_of)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=scope.as_of)))


@kpi("cla_count", "Children looked after", kind=COUNT, unit="children", polarity=None,
     source="DfE SSDA903: children looked after at 31 March", group=GROUP, annual=True)
def cla_count(scope: Scope):
    """Children looked after at the end of the as-at date: a period of care started on or before
    it and not ended by it (a child who ceased to be looked after that day is not counted)."""
    for period in looked_after_on(scope).order_by("person_id").distinct():
        yield Row(period.person_id, why={"looked after since": period.start_date, "UASC": period.uasc})


@kpi("cla_per_10k", "Children looked after per 10,000 children", kind=PER_10K, unit="per 10,000",
     polarity=None, source="DfE Children looked after in England (SSDA903): rate per 10,000 children aged under 18 at 31 March",
     group=GROUP, annual=True)
def cla_per_10k(scope: Scope):
    """Children looked after at the as-at date (as ``cla_count``) per 10,000 children aged 0-17
    in the authority's population (ONS mid-year estimate, ``ChildPopulation``)."""
    yield from cla_count(scope)


# --- shared helpers ----------------------------------------------------------------------------

SHORT_BREAKS = ("V3", "V4")   # an agreed series of short-term breaks (respite): not in DfE stability or OC2


def _year_before(as_of: dt.date) -> dt.date:
    """The first day of the 12 months ending ``as_of`` (1 April 2025 for 31 March 2026)."""
    return add_months(as_of + dt.timedelta(days=1), -12)


def _on_short_breaks(scope: Scope, periods) -> set[int]:
    """The ids of those ``periods`` whose episode open at the end of the as-at day has legal
    status V3 or V4 (an agreed series of short breaks)."""
    from haven.looked_after.models import Episode

    return set(Episode.objects.filter(period__in=periods.values("pk"), legal_status__in=SHORT_BREAKS,
                                      start_date__lte=scope.as_of)
               .filter(Q(end_date__isnull=True) | Q(end_date__gt=scope.as_of))
               .values_list("period_id", flat=True))


# --- starting and ceasing ----------------------------------------------------------------------

@kpi("cla_starting_count", "Children who started to be looked after", kind=COUNT, unit="children", polarity=None,
     source="DfE SSDA903 (Children looked after in England): children who started to be looked after during the "
            "year; only the first occasion in the year is counted", group=GROUP, annual=True)
def cla_starting_count(scope: Scope):
    """Children who started a period of care in the period (start date from ``scope.start`` to
    ``scope.end``, both included). A child who started more than once in the period is counted
    once, at their first start (as the DfE counts); the row says how many periods started."""
    from haven.looked_after.models import PeriodOfCare

    by_child: dict[int, list] = {}
    for p in (PeriodOfCare.objects.filter(authority_id__in=scope.authority_ids,
                                          start_date__range=(scope.start, scope.end))
              .order_by("person_id", "start_date", "pk").values("person_id", "start_date", "uasc")):
        by_child.setdefault(p["person_id"], []).append(p)
    for person_id, periods in by_child.items():
        yield Row(person_id, why={"started": periods[0]["start_date"], "periods started in the period": len(periods),
                                  "UASC": periods[0]["uasc"]})


@kpi("cla_ceasing_count", "Children who ceased to be looked after", kind=COUNT, unit="children", polarity=None,
     source="DfE SSDA903 (Children looked after in England): children who ceased to be looked after during the "
            "year; only the last occasion in the year is counted", group=GROUP, annual=True)
def cla_ceasing_count(scope: Scope):
    """Children whose period of care ended in the period (end date from ``scope.start`` to
    ``scope.end``, both included: a child who ceased on the as-at date is counted here and not in
    ``cla_count``). A child who ceased more than once is counted once, at their last end, with
    its reason (REC)."""
    from haven.looked_after.models import PeriodOfCare

    by_child: dict[int, list] = {}
    for p in (PeriodOfCare.objects.filter(authority_id__in=scope.authority_ids,
                                          end_date__range=(scope.start, scope.end))
              .order_by("person_id", "end_date", "pk").values("person_id", "start_date", "end_date", "end_reason")):
        by_child.setdefault(p["person_id"], []).append(p)
    for person_id, periods in by_child.items():
        last = periods[-1]
        yield Row(person_id, why={"ceased": last["end_date"], "reason": last["end_reason"],
                                  "looked after since": last["start_date"],
                                  "periods ended in the period": len(periods)})


# --- placement stability -----------------------------------------------------------------------

@kpi("cla_3plus_placements_pct", "Children looked after with 3 or more placements in the year", kind=PERCENT,
     unit="%", polarity=LOWER,
     source="DfE Children looked after in England (SSDA903): children looked after at 31 March with three or more "
            "placements during the year (former NI 62); temporary placements and short breaks excluded",
     group=GROUP, annual=True)
def cla_3plus_placements_pct(scope: Scope):
    """Cohort: children looked after at the end of the as-at date (as ``cla_count``), except
    those whose current legal status is V3 or V4 (an agreed series of short breaks: the DfE leaves
    them out). Counted: 3 or more placements in the 12 months to the as-at date, as
    ``haven.looked_after.queries.placements_in_last_year`` counts them for the child's glance
    panel (the same filter, run for the whole cohort at once): every placement the child was in
    at any time from 365 days before the as-at date to it (started on or before the as-at date;
    not ended, or ended on or after that day), any period of care, except temporary placements
    (T0-T4: hospital, holidays, a carer's holiday, 7 days or less). A change of legal status
    alone is not a new placement (the placement carries on)."""
    from haven.looked_after.models import Placement

    on = scope.as_of
    since = on - dt.timedelta(days=365)     # as placements_in_last_year
    periods = looked_after_on(scope)
    short = _on_short_breaks(scope, periods)
    cohort: dict[int, dict] = {}
    for p in periods.order_by("person_id", "start_date").values("pk", "person_id", "start_date"):
        if p["pk"] not in short:
            cohort.setdefault(p["person_id"], p)
    placements: dict[int, list] = {}
    for pl in (Placement.objects.filter(person_id__in=periods.values("person_id"), start_date__lte=on)
               .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
               .exclude(place__in=TEMPORARY_PLACEMENTS)
               .order_by("person_id", "start_date", "pk").values("person_id", "place", "start_date", "end_date")):
        placements.setdefault(pl["person_id"], []).append(pl)
    for person_id, p in sorted(cohort.items()):
        mine = placements.get(person_id, [])
        yield Row(person_id, counted=len(mine) >= 3, measure=len(mine), why={
            "looked after since": p["start_date"], "placements in the 12 months": len(mine),
            "placements": "; ".join(f"{pl['place']} {pl['start_date']:%d/%m/%Y}-"
                                    f"{pl['end_date'].strftime('%d/%m/%Y') if pl['end_date'] else ''}"
                                    for pl in mine)})


@kpi("cla_long_term_stability_pct", "Long-term placement stability", kind=PERCENT, unit="%", polarity=HIGHER,
     source="DfE Children looked after in England (SSDA903): children under 16 at 31 March looked after for 2.5 "
            "years or more, in the same placement for 2 years or placed for adoption with the adoptive and the "
            "previous placement together lasting 2 years (former NI 63)", group=GROUP, annual=True)
def cla_long_term_stability_pct(scope: Scope):
    """Cohort: children looked after at the end of the as-at date (as ``cla_count``) who are
    under 16 that day (a child whose 16th birthday is on or before the as-at date is out, one
    whose birthday is the day after is in), whose current period of care started 2.5 years (30
    calendar months) or more before it (on or before 30 September 2023 for 31 March 2026), except
    children on short breaks (current legal status V3 or V4) and children with no date of birth.
    Counted: the current placement (the one open at the end of the as-at date; a change of legal
    status alone keeps the placement) started 2 years or more before it (on or before 31 March
    2024 for 31 March 2026); or the child is placed for adoption (A3-A6) and the adoptive
    placement together with the placement before it in the period started 2 years or more
    before. A move to another placement with the same carers (RNE B or U) is a new placement
    here (a decision: the DfE measure counts placements)."""
    from haven.looked_after.models import Placement

    on = scope.as_of
    in_care_since, placed_since = add_months(on, -30), add_months(on, -24)
    periods = looked_after_on(scope).filter(start_date__lte=in_care_since)
    short = _on_short_breaks(scope, periods)
    cohort = {}
    for p in periods.order_by("person_id", "start_date").values("pk", "person_id", "start_date",
                                                                  "person__date_of_birth"):
        born = p["person__date_of_birth"]
        if p["pk"] in short or born is None or birthday(born, 16) <= on:
            continue
        cohort.setdefault(p["person_id"], p)
    placements: dict[int, list] = {}
    for pl in (Placement.objects.filter(period_id__in=[p["pk"] for p in cohort.values()], start_date__lte=on)
               .order_by("period_id", "start_date", "pk").values("period_id", "place", "start_date", "end_date")):
        placements.setdefault(pl["period_id"], []).append(pl)
    for person_id, p in sorted(cohort.items()):
        mine = placements.get(p["pk"], [])
        current = next((pl for pl in reversed(mine) if pl["end_date"] is None or pl["end_date"] > on),
                       mine[-1] if mine else None)
        why = {"born": p["person__date_of_birth"], "age": age_on(p["person__date_of_birth"], on),
               "looked after since": p["start_date"]}
        counted = False
        if current is not None:
            why.update({"placement": current["place"], "placed since": current["start_date"]})
            counted = current["start_date"] <= placed_since
            if not counted and current["place"] in ADOPTION_PLACEMENTS:
                i = mine.index(current)
                if i > 0:
                    why["previous placement since"] = mine[i - 1]["start_date"]
                    counted = mine[i - 1]["start_date"] <= placed_since
        yield Row(person_id, counted=counted, why=why)


# --- reviews, visits, PEPs (timeliness: the rules engine's deadlines) ---------------------------

@kpi("cla_reviews_on_time_pct", "Looked-after reviews on time", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33 (rule cla_review)",
     group=GROUP)
def cla_reviews_on_time_pct(scope: Scope):
    """Looked-after reviews due in the period (``cla_review`` deadlines with a due date from
    ``scope.start`` to ``scope.end``: first review 20 working days after coming into care, the
    second within 3 months, then every 6 months); counted: held on or before the due date. One
    row per review due (a child may have two in a year). Exempt deadlines, and deadlines whose
    clock stopped (care ended) before they fell due, are not in the cohort."""
    yield from deadline_rows(scope, "cla_review")


@kpi("cla_visits_on_time_pct", "Statutory visits to looked-after children on time", kind=PERCENT, unit="%",
     polarity=HIGHER,
     source="Care Planning, Placement and Case Review (England) Regulations 2010, reg. 28 (rule cla_visit)",
     group=GROUP)
def cla_visits_on_time_pct(scope: Scope):
    """Statutory visits due in the period (``cla_visit`` deadlines due from ``scope.start`` to
    ``scope.end``: within a week of each placement starting, then every 6 weeks, 3-monthly after
    a year in a long-term placement, weekly under temporary approval); counted: the child was seen
    on a statutory visit on or before the due date. Exempt and stopped-before-due deadlines are not
    in the cohort."""
    yield from deadline_rows(scope, "cla_visit")


@kpi("cla_care_plans_on_time_pct", "Care plans on time", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Care Planning, Placement and Case Review (England) Regulations 2010, reg. 4(2) (rule cla_care_plan)",
     group=GROUP)
def cla_care_plans_on_time_pct(scope: Scope):
    """Care plans due in the period (``cla_care_plan`` deadlines due from ``scope.start`` to
    ``scope.end``: 10 working days after a period of care starts; a plan agreed up to 3 months
    before the period started meets it); counted: a care plan agreed on or before the due date.
    Exempt deadlines, and deadlines whose clock stopped (care ended) before they fell due, are not
    in the cohort."""
    yield from deadline_rows(scope, "cla_care_plan")


@kpi("cla_health_assessments_on_time_pct", "Health assessments on time", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Promoting the health and well-being of looked-after children (statutory guidance, 2015): initial "
            "assessment within 20 working days, then 6-monthly under 5 and annually from 5 (rule "
            "cla_health_assessment)", group=GROUP)
def cla_health_assessments_on_time_pct(scope: Scope):
    """Health assessments due in the period (``cla_health_assessment`` deadlines due from
    ``scope.start`` to ``scope.end``: the initial one 20 working days after coming into care,
    then a review every 6 months under 5 and every 12 months from the fifth birthday); counted:
    an initial or review assessment completed on or before the due date. Unlike
    ``cla_health_assessments_pct`` (OC2: children in care 12 months with an assessment in the
    year), every child in care is in, from their first 20 working days."""
    yield from deadline_rows(scope, "cla_health_assessment")


@kpi("cla_pep_pct", "Personal education plans on time", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Promoting the education of looked-after children (DfE statutory guidance, 2018): PEP in place for "
            "the first review and reviewed termly (rule cla_pep)", group=GROUP)
def cla_pep_pct(scope: Scope):
    """PEPs due in the period (``cla_pep`` deadlines due from ``scope.start`` to ``scope.end``:
    20 working days after coming into care, or after the third birthday, then every 4 months);
    counted: a PEP held on or before the due date. Deadlines are read, not "PEP in date at the
    as-at date", so late PEPs count against the period they fell due in. Exempt deadlines (a
    manager's recorded reason) and stopped-before-due deadlines are not in the cohort."""
    yield from deadline_rows(scope, "cla_pep")


# --- health (SSDA903 OC2) ----------------------------------------------------------------------

def _oc2_cohort(scope: Scope) -> dict[int, dict]:
    """{person id: period}: children looked after continuously for 12 months at the as-at date
    (SSDA903 OC2): a period of care that started on or before the first day of the 12 months
    ending on it (1 April 2025 for 31 March 2026) and was still open at the end of the as-at day;
    children on short breaks (current legal status V3 or V4) are left out."""
    periods = looked_after_on(scope).filter(start_date__lte=_year_before(scope.as_of))
    short = _on_short_breaks(scope, periods)
    cohort: dict[int, dict] = {}
    for p in periods.order_by("person_id", "start_date").values("pk", "person_id", "start_date"):
        if p["pk"] not in short:
            cohort.setdefault(p["person_id"], p)
    return cohort


@kpi("cla_health_assessments_pct", "Annual health assessments (OC2)", kind=PERCENT, unit="%", polarity=HIGHER,
     source="DfE SSDA903 OC2: children looked after continuously for 12 months at 31 March whose health "
            "assessment was up to date", group=GROUP, annual=True)
def cla_health_assessments_pct(scope: Scope):
    """Cohort: children looked after continuously for 12 months at the as-at date (OC2; see
    ``_oc2_cohort``). Counted: a health assessment (any kind) completed in the 12 months ending on
    the as-at date, as the SSDA903 OC2 table's HEALTH_ASSESSMENT is written. (The OC2 measure, not
    the ``cla_health_assessment`` deadlines: the figure agrees with the return.)"""
    from haven.health.models import HealthAssessment

    cohort = _oc2_cohort(scope)
    last: dict[int, dt.date] = {}
    for pk, day in (HealthAssessment.objects.filter(person_id__in=list(cohort),
                                                    completed_on__range=(_year_before(scope.as_of), scope.as_of))
                    .order_by("completed_on").values_list("person_id", "completed_on")):
        last[pk] = day
    for person_id, p in sorted(cohort.items()):
        yield Row(person_id, counted=person_id in last,
                  why={"looked after since": p["start_date"], "latest assessment in the year": last.get(person_id)})


@kpi("cla_dental_checks_pct", "Dental checks (OC2)", kind=PERCENT, unit="%", polarity=HIGHER,
     source="DfE SSDA903 OC2: children looked after continuously for 12 months at 31 March whose teeth were "
            "checked by a dentist in the year", group=GROUP, annual=True)
def cla_dental_checks_pct(scope: Scope):
    """Cohort: children looked after continuously for 12 months at the as-at date (OC2).
    Counted: a dental check in the 12 months ending on the as-at date (OC2 TEETH_CHECK)."""
    from haven.health.models import DentalCheck

    cohort = _oc2_cohort(scope)
    last: dict[int, dt.date] = {}
    for pk, day in (DentalCheck.objects.filter(person_id__in=list(cohort),
                                               checked_on__range=(_year_before(scope.as_of), scope.as_of))
                    .order_by("checked_on").values_list("person_id", "checked_on")):
        last[pk] = day
    for person_id, p in sorted(cohort.items()):
        yield Row(person_id, counted=person_id in last,
                  why={"looked after since": p["start_date"], "latest dental check in the year": last.get(person_id)})


@kpi("cla_immunisations_pct", "Immunisations up to date (OC2)", kind=PERCENT, unit="%", polarity=HIGHER,
     source="DfE SSDA903 OC2: children looked after continuously for 12 months at 31 March whose immunisations "
            "were up to date", group=GROUP, annual=True)
def cla_immunisations_pct(scope: Scope):
    """Cohort: children looked after continuously for 12 months at the as-at date (OC2).
    Counted: the latest immunisation record on or before the as-at date says up to date (OC2
    IMMUNISATIONS; no record: not counted)."""
    from haven.health.models import Immunisations

    cohort = _oc2_cohort(scope)
    latest: dict[int, dict] = {}
    for i in (Immunisations.objects.filter(person_id__in=list(cohort), recorded_on__lte=scope.as_of)
              .order_by("recorded_on", "pk").values("person_id", "recorded_on", "up_to_date")):
        latest[i["person_id"]] = i
    for person_id, p in sorted(cohort.items()):
        i = latest.get(person_id)
        yield Row(person_id, counted=bool(i and i["up_to_date"]),
                  why={"looked after since": p["start_date"], "recorded": i["recorded_on"] if i else None,
                       "up to date": i["up_to_date"] if i else "no record"})


# --- missing -----------------------------------------------------------------------------------

def _missing_from_care(scope: Scope):
    """Missing episodes (kind M: missing, not "away from placement") from care (the child was
    looked after when they went missing: ``from_care``, computed on save) that started in the
    period."""
    from haven.missing.models import MissingEpisode

    lo, hi = bounds(scope)
    return (MissingEpisode.objects.filter(authority_id__in=scope.authority_ids, from_care=True, kind="M",
                                          started_at__gte=lo, started_at__lt=hi)
            .order_by("person_id", "started_at", "pk").values("pk", "person_id", "started_at", "ended_at"))


@kpi("cla_missing_children_count", "Looked-after children who went missing", kind=COUNT, unit="children",
     polarity=None, source="DfE Children looked after in England (SSDA903 Missing table): children who had a "
                           "missing incident during the year", group=GROUP, annual=True)
def cla_missing_children_count(scope: Scope):
    """Children who went missing from care in the period: at least one missing episode (not
    "away from placement") that started from ``scope.start`` to ``scope.end`` while they were
    looked after. One row per child, with how many episodes."""
    by_child: dict[int, list] = {}
    for e in _missing_from_care(scope):
        by_child.setdefault(e["person_id"], []).append(e)
    for person_id, episodes in by_child.items():
        yield Row(person_id, measure=len(episodes), why={"episodes": len(episodes),
                                                         "first went missing": local_date(episodes[0]["started_at"])})


@kpi("cla_missing_episodes_count", "Missing episodes from care", kind=COUNT, unit="episodes", polarity=None,
     source="DfE Children looked after in England (SSDA903 Missing table): missing incidents during the year",
     group=GROUP, annual=True)
def cla_missing_episodes_count(scope: Scope):
    """Missing episodes from care that started in the period (as ``cla_missing_children_count``),
    one row per episode."""
    for e in _missing_from_care(scope):
        yield Row(e["person_id"], why={"went missing": local_date(e["started_at"]), "returned": local_date(e["ended_at"])})


@kpi("missing_rhi_offered_72h_pct", "Return home interviews offered within 72 hours", kind=PERCENT, unit="%",
     polarity=HIGHER, source="Statutory guidance on children who run away or go missing from home or care (2014): "
                             "a return home interview offered within 72 hours of return (rule missing_rhi_72h)",
     group=GROUP)
def missing_rhi_offered_72h_pct(scope: Scope):
    """Missing (or away) episodes, from home or from care, whose child returned in the period:
    the ``missing_rhi_72h`` deadlines whose clock started (the return) from ``scope.start`` to
    ``scope.end``. Counted: a return home interview offered within 72 hours of the return (the
    deadline met on time; an interview recorded as "not offered" does not meet it). Exempt and
    stopped-before-due deadlines are not in the cohort. One row per episode."""
    for row in deadline_rows(scope, "missing_rhi_72h", by="start"):
        row.why["returned"] = row.why.pop("clock started")
        yield row


@kpi("missing_rhi_accepted_pct", "Return home interviews accepted", kind=PERCENT, unit="%", polarity=HIGHER,
     source="Statutory guidance on children who run away or go missing from home or care (2014): return home "
            "interviews offered and taken up", group=GROUP)
def missing_rhi_accepted_pct(scope: Scope):
    """Missing (or away) episodes, from home or from care, whose child returned in the period
    (``ended_at`` from ``scope.start`` to ``scope.end``) and who were offered a return home
    interview (any interview with an offer date and an outcome other than "not offered", in time
    or late). Counted: the child took it up (an interview accepted or completed). One row per
    episode, as the missing module's report counts "taken up"."""
    from haven.missing.codes import RHI_TAKEN_UP, RHIOutcome
    from haven.missing.models import MissingEpisode, ReturnInterview

    lo, hi = bounds(scope)
    episodes = MissingEpisode.objects.filter(authority_id__in=scope.authority_ids, ended_at__gte=lo, ended_at__lt=hi)
    offered: dict[int, dict] = {}
    for r in (ReturnInterview.objects.filter(episode__in=episodes, offered_at__isnull=False)
              .exclude(outcome=RHIOutcome.NOT_OFFERED).order_by("episode_id", "offered_at", "pk")
              .values("episode_id", "episode__person_id", "episode__ended_at", "offered_at", "outcome")):
        row = offered.setdefault(r["episode_id"], {"person_id": r["episode__person_id"],
                                                   "returned": local_date(r["episode__ended_at"]),
                                                   "offered": local_date(r["offered_at"]), "outcomes": []})
        row["outcomes"].append(r["outcome"])
    for _pk, e in sorted(offered.items()):
        taken_up = any(o in RHI_TAKEN_UP for o in e["outcomes"])
        yield Row(e["person_id"], counted=taken_up, why={"returned": e["returned"], "offered": e["offered"],
                                                         "outcome": ", ".join(e["outcomes"])})
