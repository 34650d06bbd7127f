"""The front door, referrals and single assessments: contacts by outcome and RAG timeliness,
referrals and re-referrals, assessments within 45 working days (both clocks).

Periods are inclusive (``scope.start`` to ``scope.end``); a date-and-time field (a contact's
receipt or decision) falls in the period when its London date does. Timeliness reads the
timescale rules engine's deadlines (``haven.work.models.Deadline``): the RAG clocks of
``haven/front_door/timescales.py`` and ``assessment_45wd`` of ``haven/assessments/timescales.py``.
The start-based assessment clock, which no rule holds, is worked out with
``haven.core.calendar`` (the same working-day arithmetic the engine uses).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from haven.core.calendar import add_months, add_working_days, working_days_between
from haven.kpis.catalogue import (
    COUNT,
    HIGHER,
    LOWER,
    MEAN,
    PER_10K,
    PERCENT,
    Row,
    Scope,
    kpi,
    shared,
)
from haven.kpis.common import bounds, deadline_rows, deadlines, local, local_date

CONTACTS = "Contacts"
REFERRALS = "Referrals"
ASSESSMENTS = "Assessments"

ASSESSMENT_RULE = "assessment_45wd"   # haven/assessments/timescales.py
WORKING_DAYS = 45                     # the start-based clock (not a rule of the engine)


# Cached: many assessments share a start date, or a referral and authorisation date.
_add_wd = lru_cache(maxsize=8192)(add_working_days)
_wd_between = lru_cache(maxsize=65536)(working_days_between)


# -- contacts ---------------------------------------------------------------------------------------

def _contact_children(scope: Scope):
    """One row per child a contact is about (subjects with the child role), as Ofsted's Annex A
    list 1 counts contacts; adults involved are not counted."""
    from haven.front_door.models import ContactSubject

    return ContactSubject.objects.filter(contact__authority_id__in=scope.authority_ids,
                                         role=ContactSubject.Role.CHILD)


@kpi("contacts_count", "Contacts received", kind=COUNT, unit="children", polarity=None,
     source="Ofsted ILACS Annex A list 1: contacts received in the period, one row per child the contact is about",
     group=CONTACTS)
def contacts_count(scope: Scope):
    """Contacts received in the period (``received_at`` on or after the first day and before the
    day after the last, London time), counted once for each child the contact is about (a
    contact about three siblings counts three, as Annex A list 1 lists them); adults named on
    the contact are not counted. Whether the contact has been decided does not matter."""
    first, stop = bounds(scope)
    rows = (_contact_children(scope).filter(contact__received_at__gte=first, contact__received_at__lt=stop)
            .order_by("contact__received_at", "contact_id", "person_id")
            .values_list("person_id", "contact_id", "contact__received_at", "contact__source", "contact__rag",
                         "contact__decision"))
    for person_id, contact_id, received, source, rag, decision in rows:
        yield Row(person_id, why={"contact": contact_id, "received": local(received), "source": source,
                                  "RAG": rag, "decision": decision or "not decided"})


@shared
def decided_contacts(scope: Scope) -> list[tuple]:
    """(child, contact, received, decided, decision) for every child on a contact decided in the
    period (``decision_at`` in it, London time), in the order decided."""
    first, stop = bounds(scope)
    return [(person_id, contact_id, local(received), local(decided), decision)
            for person_id, contact_id, received, decided, decision in (
                _contact_children(scope).exclude(contact__decision="")
                .filter(contact__decision_at__gte=first, contact__decision_at__lt=stop)
                .order_by("contact__decision_at", "contact_id", "person_id")
                .values_list("person_id", "contact_id", "contact__received_at", "contact__decision_at",
                             "contact__decision"))]


def _decided(scope: Scope, outcomes, label: str):
    """Every child on a contact decided in the period, one row each; counted when the contact's
    decision is one of ``outcomes``."""
    wanted = {str(o) for o in outcomes}
    for person_id, contact_id, received, decided, decision in decided_contacts(scope):
        yield Row(person_id, counted=decision in wanted,
                  why={"contact": contact_id, "received": received, "decided": decided,
                       "decision": decision, label: decision in wanted})


@kpi("contacts_to_referral_pct", "Contacts referred to children's social care", kind=PERCENT, unit="%",
     polarity=None,
     source="Local front door measure (contact outcomes, DOMAIN step 1); a strategy discussion is a referral, "
            "as the CIN census counts it",
     group=CONTACTS)
def contacts_to_referral_pct(scope: Scope):
    """Of the children on contacts decided in the period (decision date and time in it, London
    time; one row per child the contact is about), the percentage whose contact was decided as a
    referral to children's social care: the decisions "referral" and "strategy discussion"
    (``haven.front_door.services.REFERRAL_DECISIONS``: a strategy discussion is held on a
    referral). Contacts received before the period and decided in it are in; contacts not yet
    decided at the end of the period are not."""
    from haven.front_door.services import REFERRAL_DECISIONS

    yield from _decided(scope, REFERRAL_DECISIONS, "referred")


@kpi("contacts_nfa_pct", "Contacts with no further action", kind=PERCENT, unit="%", polarity=None,
     source="Local front door measure (contact outcomes, DOMAIN step 1)", group=CONTACTS)
def contacts_nfa_pct(scope: Scope):
    """Of the children on contacts decided in the period (as ``contacts_to_referral_pct``), the
    percentage whose contact was decided "no further action". "Information and advice" is an
    outcome of its own (``contacts_information_pct``), not no further action."""
    from haven.front_door.models import Contact

    yield from _decided(scope, [Contact.Decision.NFA], "no further action")


@kpi("contacts_information_pct", "Contacts closed with information and advice", kind=PERCENT, unit="%",
     polarity=None, source="Local front door measure (contact outcomes, DOMAIN step 1)", group=CONTACTS)
def contacts_information_pct(scope: Scope):
    """Of the children on contacts decided in the period (as ``contacts_to_referral_pct``), the
    percentage whose contact was decided "information and advice"."""
    from haven.front_door.models import Contact

    yield from _decided(scope, [Contact.Decision.INFORMATION], "information and advice")


@kpi("contacts_early_help_pct", "Contacts passed to early help", kind=PERCENT, unit="%", polarity=None,
     source="Local front door measure (contact outcomes, DOMAIN step 1)", group=CONTACTS)
def contacts_early_help_pct(scope: Scope):
    """Of the children on contacts decided in the period (as ``contacts_to_referral_pct``), the
    percentage whose contact was decided "early help". With the referral, no further action and
    information and advice percentages this accounts for every decided contact (they add to 100)."""
    from haven.front_door.models import Contact

    yield from _decided(scope, [Contact.Decision.EARLY_HELP], "early help")


@kpi("contacts_rag_on_time_pct", "Contacts decided within their RAG timescale", kind=PERCENT, unit="%",
     polarity=HIGHER,
     source="Local MASH threshold protocol (red 4 hours, amber 24 hours, green 72 hours), read from the "
            "timescale rules engine (haven/front_door/timescales.py)",
     group=CONTACTS)
def contacts_rag_on_time_pct(scope: Scope):
    """The RAG clocks that fell due in the period (due date and time in it, London time): one per
    child on a contact rated red, amber or green (blue sets no clock), as the timescale rules
    engine derived them (``Deadline`` rows of the rules ``haven.front_door.clock.rule_codes()``;
    the clock runs from the rating). Counted when the contact was decided at or before the due
    time (``met_at <= due_at``: a decision exactly 4 hours after a red rating is on time); a
    contact not decided by its due time is late, whenever (or whether) it was decided later.

    Each clock is counted in the period it fell due in (one rated late on the last day and due
    after it is in the next period's figure), so consecutive periods count each clock once.
    Left out: exempt clocks, clocks stopped before they fell due, and clocks still running (not
    decided, due later than now: only possible when the period ends today)."""
    from haven.core.timescales.rules import RULES
    from haven.front_door import clock

    now = timezone.now()
    rows = (deadlines(scope, clock.rule_codes())
            .order_by("due_at", "object_id", "person_id")
            .values_list("person_id", "object_id", "rule", "starts_at", "due_at", "met_at"))
    for person_id, contact_id, rule, rated, due, met in rows:
        if met is None and due > now:
            continue
        on_time = met is not None and met <= due
        yield Row(person_id, counted=on_time,
                  why={"contact": contact_id, "timescale": RULES[rule].label if rule in RULES else rule,
                       "rated": local(rated), "due": local(due), "decided": local(met), "on time": on_time})


# -- referrals --------------------------------------------------------------------------------------

def _referrals(scope: Scope):
    from haven.assessments.models import CINEpisode

    return CINEpisode.objects.filter(authority_id__in=scope.authority_ids,
                                     referral_date__gte=scope.start, referral_date__lte=scope.end)


@kpi("referrals_count", "Referrals", kind=COUNT, unit="referrals", polarity=None,
     source="DfE CIN census (CINdetails ReferralDate): referrals received in the year", group=REFERRALS, annual=True)
def referrals_count(scope: Scope):
    """Referrals to children's social care with a referral date in the period: every CIN episode
    (``CINEpisode``), one row each, including referrals that led to no further action (the CIN
    census counts them). A child referred twice in the period counts twice."""
    rows = (_referrals(scope).order_by("referral_date", "pk")
            .values_list("person_id", "pk", "referral_date", "source", "referral_nfa", "contact_id"))
    for person_id, pk, referral_date, source, nfa, contact_id in rows:
        yield Row(person_id, why={"referral": pk, "referral date": referral_date, "source": source,
                                  "no further action": nfa, "contact": contact_id})


@kpi("cin_count", "Children in need", kind=COUNT, unit="children", polarity=None,
     source="DfE Characteristics of children in need (CIN census): children in need at 31 March, an episode of need "
            "open that day (children on a CP plan and looked after included)", group=REFERRALS, annual=True)
def cin_count(scope: Scope):
    """Children in need at the end of the as-at date: a CIN episode (``CINEpisode``) with a
    referral date on or before it and no closure date, or one after it (an episode closed that
    day is over). Each child once, with their earliest open episode's referral date and primary
    need. The CIN census counts the same children at 31 March (``haven.returns.crosscheck``)."""

    from haven.assessments.models import CINEpisode

    seen = set()
    for person_id, referral_date, need in (
            CINEpisode.objects.filter(authority_id__in=scope.authority_ids).open_at_end_of(scope.end)
            .order_by("person_id", "referral_date", "pk").values_list("person_id", "referral_date", "primary_need")):
        if person_id in seen:
            continue
        seen.add(person_id)
        yield Row(person_id, why={"referral date": referral_date, "primary need": need})


@kpi("cin_per_10k", "Children in need per 10,000 children", kind=PER_10K, unit="per 10,000", polarity=None,
     source="DfE Characteristics of children in need: rate of children in need at 31 March per 10,000 children "
            "aged under 18", group=REFERRALS, annual=True)
def cin_per_10k(scope: Scope):
    """Children in need at the as-at date (as ``cin_count``) per 10,000 children aged 0-17 in the
    authority's population (``ChildPopulation``)."""
    yield from cin_count(scope)


@kpi("referrals_per_10k", "Referrals per 10,000 children", kind=PER_10K, unit="per 10,000", polarity=None,
     source="DfE Characteristics of children in need: referrals in the year per 10,000 children aged under 18",
     group=REFERRALS, annual=True)
def referrals_per_10k(scope: Scope):
    """Referrals in the period (as ``referrals_count``: every CIN episode with a referral date in
    it, NFA included) per 10,000 children aged 0-17 in the authority's population
    (``ChildPopulation``)."""
    yield from referrals_count(scope)


def within_12_months(previous: dt.date, referral: dt.date) -> bool:
    """Whether ``referral`` is within 12 months of ``previous``: on or before the same date 12
    calendar months later (the anniversary itself counts; from 29 February, 28 February)."""
    return previous < referral <= add_months(previous, 12)


@kpi("referral_decisions_1wd_pct", "Referrals decided within 1 working day", kind=PERCENT, unit="%",
     polarity=HIGHER, source="Working Together to Safeguard Children 2023, 3.165: a decision on a referral within "
                             "one working day (timescale rule referral_decision_1wd)", group=REFERRALS)
def referral_decisions_1wd_pct(scope: Scope):
    """The ``referral_decision_1wd`` deadlines that fell due in the period (one working day after
    each referral date), one row per referral: counted when the decision on the referral was
    recorded on or before the due day. Exempt deadlines, and those whose clock stopped before
    they fell due (the referral closed), are not in the cohort."""
    yield from deadline_rows(scope, "referral_decision_1wd")


@kpi("rereferrals_12m_pct", "Re-referrals within 12 months", kind=PERCENT, unit="%", polarity=LOWER,
     source="DfE Characteristics of children in need: referrals in the year within 12 months of a previous "
            "referral (% of the year's referrals)",
     group=REFERRALS, annual=True)
def rereferrals_12m_pct(scope: Scope):
    """Of the referrals in the period (as ``referrals_count``), the percentage that came within
    12 months of a previous referral of the same child (DfE: "a re-referral occurs when a child
    is referred within 12 months of a previous referral").

    The previous referral is the child's latest referral with an earlier referral date, in the
    same authorities, in the period or before it, whatever its outcome (one with no further
    action counts). "Within 12 months": the referral date is on or before the same calendar
    date 12 months after the previous one, so a referral on 10 June 2025 after one on 10 June
    2024 is a re-referral and one on 11 June 2025 is not (DfE gives no boundary; as the law
    reads "within 12 months of" a day, the period ends with the anniversary). Two referrals on
    the same day are one referral event: neither is the other's previous referral."""
    from haven.assessments.models import CINEpisode

    history: dict[int, list[dt.date]] = defaultdict(list)
    earlier = (CINEpisode.objects.filter(authority_id__in=scope.authority_ids,
                                         referral_date__gte=add_months(scope.start, -13),
                                         referral_date__lte=scope.end)
               .values_list("person_id", "referral_date"))
    for person_id, day in earlier:
        history[person_id].append(day)
    rows = _referrals(scope).order_by("referral_date", "pk").values_list("person_id", "pk", "referral_date")
    for person_id, pk, referral_date in rows:
        previous = max((d for d in history[person_id] if d < referral_date), default=None)
        again = previous is not None and within_12_months(previous, referral_date)
        yield Row(person_id, counted=again,
                  why={"referral": pk, "referral date": referral_date, "previous referral": previous,
                       "12 months after it": add_months(previous, 12) if previous else None,
                       "re-referral": again})


# -- assessments ------------------------------------------------------------------------------------

def _authorised(scope: Scope):
    from haven.assessments.models import Assessment

    return Assessment.objects.filter(authority_id__in=scope.authority_ids,
                                     authorised_date__gte=scope.start, authorised_date__lte=scope.end)


@shared
def _timed_assessments(scope: Scope) -> list[dict]:
    return list(_timed_assessment_rows(scope))


def _timed_assessment_rows(scope: Scope):
    """The single assessments authorised in the period, each with its referral's
    ``assessment_45wd`` deadline (the engine's due date, an extension included). Left out: an
    assessment whose referral has no such deadline (a referral with no further action, which
    the CIN census refuses an assessment: 8831) or whose deadline is exempt."""
    from haven.assessments.models import CINEpisode
    from haven.work.models import Deadline

    assessments = _authorised(scope)
    deadlines = {
        episode_id: (due, met, exempt, reason)
        for episode_id, due, met, exempt, reason in Deadline.objects.filter(
            rule=ASSESSMENT_RULE, content_type=ContentType.objects.get_for_model(CINEpisode), sequence=1,
            object_id__in=assessments.values("episode_id")).values_list(
            "object_id", "due_at", "met_at", "exempt", "exemption_reason")}
    rows = (assessments.order_by("authorised_date", "pk")
            .values_list("person_id", "pk", "episode_id", "episode__referral_date", "start_date", "authorised_date"))
    for person_id, pk, episode_id, referral, start, authorised in rows:
        deadline = deadlines.get(episode_id)
        if deadline is None or deadline[2]:
            continue
        due, met, _exempt, reason = deadline
        yield {"person_id": person_id, "assessment": pk, "referral date": referral, "start date": start,
               "authorised": authorised, "due (from referral)": local_date(due),
               "referral clock met": local_date(met), "extended": reason or ""}


@kpi("assessments_45wd_referral_pct", "Assessments completed within 45 working days of the referral",
     kind=PERCENT, unit="%", polarity=HIGHER,
     source="DfE Characteristics of children in need: assessments completed in the year within 45 working days "
            "of the referral; Working Together to Safeguard Children 2023, 3.186",
     group=ASSESSMENTS, annual=True)
def assessments_45wd_referral_pct(scope: Scope):
    """Of the single assessments completed in the period (authorised: ``authorised_date`` in
    it), the percentage authorised within 45 working days of the referral: on or before the due
    date of the referral's ``assessment_45wd`` deadline (the timescale rules engine: the 45th
    working day after the referral date, weekends and England bank holidays not counted; the
    referral date is day 0). Each authorised assessment is a row; a second assessment on the
    same referral is timed against the same due date.

    A manager's extension (``TimescaleExemption``) moves the engine's due date, and an
    assessment authorised by the extended date counts as on time (the engine's rule); the
    ``extended`` field shows it. Exempt deadlines, and assessments on a referral with no
    deadline (no further action), are left out."""
    for a in _timed_assessments(scope):
        on_time = a["authorised"] <= a["due (from referral)"]
        yield Row(a["person_id"], counted=on_time,
                  why={k: v for k, v in a.items() if k != "person_id"} | {"on time": on_time})


@kpi("assessments_45wd_start_pct", "Assessments completed within 45 working days of their start",
     kind=PERCENT, unit="%", polarity=HIGHER,
     source="Local: the DfE's 45-working-day measure counted from the assessment's start date instead of the "
            "referral date",
     group=ASSESSMENTS)
def assessments_45wd_start_pct(scope: Scope):
    """The same assessments as ``assessments_45wd_referral_pct`` (authorised in the period), the
    percentage authorised within 45 working days of the assessment's own start date: on or
    before ``add_working_days(start date, 45)`` (``haven.core.calendar``; the start date is day
    0, weekends and England bank holidays not counted). Extensions do not apply to this clock."""
    for a in _timed_assessments(scope):
        due = _add_wd(a["start date"], WORKING_DAYS)
        on_time = a["authorised"] <= due
        yield Row(a["person_id"], counted=on_time,
                  why={"assessment": a["assessment"], "referral date": a["referral date"],
                       "start date": a["start date"], "due (from start)": due, "authorised": a["authorised"],
                       "working days from start": _wd_between(a["start date"], a["authorised"]),
                       "on time": on_time})


@kpi("assessments_completed_count", "Assessments completed", kind=COUNT, unit="assessments", polarity=None,
     source="DfE CIN census (Assessments AssessmentAuthorisationDate): assessments completed in the year",
     group=ASSESSMENTS)
def assessments_completed_count(scope: Scope):
    """Single assessments completed in the period: authorised (``authorised_date``) on a day in
    it, one row per assessment (a child assessed twice counts twice). Assessments completed
    but not yet authorised are not completed."""
    rows = (_authorised(scope).order_by("authorised_date", "pk")
            .values_list("person_id", "pk", "episode__referral_date", "start_date", "authorised_date", "outcome"))
    for person_id, pk, referral, start, authorised, outcome in rows:
        yield Row(person_id, why={"assessment": pk, "referral date": referral, "start date": start,
                                  "authorised": authorised, "outcome": outcome})


@kpi("assessments_avg_working_days", "Average working days from referral to assessment authorised", kind=MEAN,
     unit="working days", polarity=LOWER,
     source="Local: mean duration of the assessments completed in the year, on the DfE's clock (working days "
            "from the referral to authorisation)",
     group=ASSESSMENTS)
def assessments_avg_working_days(scope: Scope):
    """The mean, over the assessments completed in the period (as ``assessments_completed_count``),
    of the working days from the referral date to the authorisation date
    (``working_days_between``: weekends and England bank holidays not counted; authorised on the
    45th working day after the referral measures 45). The working days from the assessment's
    start are shown beside it."""
    rows = (_authorised(scope).order_by("authorised_date", "pk")
            .values_list("person_id", "pk", "episode__referral_date", "start_date", "authorised_date"))
    for person_id, pk, referral, start, authorised in rows:
        days = _wd_between(referral, authorised)
        yield Row(person_id, measure=days,
                  why={"assessment": pk, "referral date": referral, "start date": start, "authorised": authorised,
                       "working days from referral": days,
                       "working days from start": _wd_between(start, authorised)})
