"""What both halves of the CIN census rules share: the DfE code lists from the schema, walking the
census, and the adapters that let Haven's entry checks (``haven.assessments.census``) run over a
census, so that the record and the return cannot disagree."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache

from haven.assessments import census as entry
from haven.returns.cin_data import Assessment, Census, Child, CINDetails
from haven.returns.rules import REFERENCE

SCHEMA = REFERENCE / "CIN_schema_2024.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"


@cache
def codes(simple_type_name: str) -> frozenset[str]:
    """The values the DfE schema allows for one of its simple types, e.g. ``codes("ethnicitytype")``,
    ``"disabilitytype"``, ``"referralsourcetype"``, ``"primaryneedcodetype"``,
    ``"reasonforclosuretype"``, ``"categoryofabuse"``, ``"assessmentfactorstype"``,
    ``"unknownupntype"``. A type the schema does not define is a KeyError."""
    for simple_type in ET.parse(SCHEMA).iter(f"{XS}simpleType"):
        if simple_type.get("name") == simple_type_name:
            return frozenset(e.get("value") for e in simple_type.iter(f"{XS}enumeration"))
    raise KeyError(f"{simple_type_name} is not a simple type in {SCHEMA.name}")


def d(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def in_year(census: Census, day: dt.date | None) -> bool:
    return day is not None and census.start <= day <= census.end


def episodes(census: Census) -> Iterator[tuple[Child, CINDetails]]:
    for child in census.children:
        for cin in child.cin_details:
            yield child, cin


def icpc_dates(ep: CINDetails) -> Iterator[dt.date]:
    """Every DateOfInitialCPC of the episode: on the CINdetails and on its S47s."""
    if ep.icpc_date:
        yield ep.icpc_date
    for s in ep.section47s:
        if s.icpc_date:
            yield s.icpc_date


# --- adapters to the entry checks ------------------------------------------------------------

def assessment_facts(a: Assessment) -> entry.AssessmentFacts:
    """An assessment as the entry checks see it: the census's authorisation date is the
    completion it counts. Keyed by its start (dd/mm/yyyy), which becomes the finding's detail."""
    return entry.AssessmentFacts(key=d(a.start), start_date=a.start, completed_date=a.authorised,
                                 authorised_date=a.authorised, factors=tuple(a.factors))


def episode_facts(ep: CINDetails) -> entry.EpisodeFacts:
    """A CINDetails group as the entry checks see an episode. An S47 counts as finished, as the
    DfE's 8868 has it, when exactly one of its conference date and its "not required" flag is
    given."""
    activities = [entry.Activity("s47", s.start, finished=(s.icpc_date is not None) != s.icpc_not_required,
                                 key=d(s.start)) for s in ep.section47s if s.start]
    activities += [entry.Activity("icpc", day, key=d(day)) for day in icpc_dates(ep)]
    activities += [entry.Activity("cp_plan", p.start, p.end, key=d(p.start)) for p in ep.cp_plans if p.start]
    activities += [entry.Activity("cin_plan", p.start, p.end, key=d(p.start)) for p in ep.cin_plans if p.start]
    return entry.EpisodeFacts(
        key=d(ep.referral_date), referral_date=ep.referral_date, source=ep.referral_source,
        primary_need=ep.primary_need, referral_nfa=ep.referral_nfa, closure_date=ep.closure_date,
        closure_reason=ep.reason_for_closure,
        assessments=tuple(assessment_facts(a) for a in ep.assessments if a.start),
        activities=tuple(activities))


def entry_child(child: Child) -> entry.Child:
    return entry.Child(date_of_birth=child.birth_date, expected_date_of_birth=child.expected_birth_date,
                       date_of_death=child.death_date)
