"""The CIN census (children in need) from the record: ``build`` fills the ``cin_data`` classes for
one authority and collection year, ``write_xml`` writes the DfE XML, ``schema_errors`` checks a
file against the DfE schema and ``validate`` runs the DfE rules (``haven.returns.cin_rules``).

Who and what is in the census (DfE CIN census guide, "cases to include"): every child with a
referral (CIN episode) open at any time in the year (1 April to 31 March), and in each episode
what was open at any time in the year:

- assessments that started in the year, or were still running (not authorised) on 1 April;
- section 47 enquiries that started in the year, or had not ended (initial conference held, or
  an outcome needing none) by 1 April;
- child in need and child protection plans open at any time in the year, with the review
  conferences of the year;
- a date is given only when it falls on or before 31 March (an assessment authorised in April
  is "not completed" in the census; factors are returned only for a completed assessment).

The initial child protection conference is returned on the section 47 enquiry that led to it
(``DateOfInitialCPC`` there); one not linked to an enquiry goes on the CIN details (never
both: rule 2884). Where the record lacks a required code (e.g. the referral source) the item is
returned blank, so the rules flag it, and listed in ``Census.unrepresentable`` as
``"CODE: what is wrong"`` (the DfE rule code of the missing item, "HAVEN" where none fits),
never dropped and never invented.

UPN unknown reasons (DfE code set CS051) are given only where the record shows the reason:
UN1 unborn or not yet of school age (under 6 and not yet in year 1: born after 31 August six
years before the year ends, as the DfE's validator counts school age for rule 8770Q); UN7 every
referral in the year was no further action; UN4 (not yet obtained) newly in need in the last
week of the year. Otherwise a child of school age without a UPN gets no reason: the record does
not say why, and rule 8770Q asks for one (a query the analyst explains or fixes).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import re
from collections import defaultdict
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from lxml import etree

from haven.core.calendar import add_working_days
from haven.core.codes import CPCategory, Ethnicity, PrimaryNeed, ReferralSource, Sex

from .cin_data import Assessment, Census, Child, CINDetails, CINPlan, CPPlan, Section47
from .rules import ERROR, REFERENCE, Finding, Report
from .ssda903 import year_bounds

SCHEMA = REFERENCE / "CIN_schema_2024.xsd"
SOFTWARE = "Haven"
XS = "http://www.w3.org/2001/XMLSchema"

# The item (DfE element) each unrepresentable code concerns.
FIELD_OF = {"8866": "ReferralSource", "8610": "PrimaryNeedCode", "4220": "Ethnicity", "4180": "Sex",
            "8905": "InitialCategoryOfAbuse", "8910": "LatestCategoryOfAbuse"}
NEEDS = set(PrimaryNeed.values) - {PrimaryNeed.N0.value}


# -- build -------------------------------------------------------------------------------------

def _in_year(day: dt.date | None, end: dt.date) -> dt.date | None:
    """A date as the census knows it on 31 March: ``None`` if it falls after."""
    return day if day is not None and day <= end else None


def upn_unknown_reason(*, born: dt.date | None, reference: dt.date, all_nfa: bool, first_referral: dt.date) -> str:
    """The DfE's reason a UPN is not held (code set CS051), where the record shows it; "" where
    it does not (see the module docstring)."""
    if born is None or born > dt.date(reference.year - 6, 8, 31):
        return "UN1"
    if all_nfa:
        return "UN7"
    if first_referral > reference - dt.timedelta(days=7):
        return "UN4"
    return ""


def build(authority, year: int) -> Census:
    """The CIN census of ``authority`` for the year ending 31 March ``year``: a few queries
    whatever the number of children (each kind of record is read once for all the episodes)."""
    from haven.assessments.models import CINEpisode
    from haven.people.models import Person, PersonDisability

    first, last = year_bounds(year)
    census = Census(lea=authority.lea_code, year=year, reference_date=last, generated_at=timezone.now())
    episodes_qs = (CINEpisode.objects.filter(authority=authority, referral_date__lte=last)
                   .filter(Q(closure_date__isnull=True) | Q(closure_date__gte=first)))
    episode_ids = episodes_qs.values("pk")
    person_ids = episodes_qs.values("person_id")
    episodes = list(episodes_qs.order_by("referral_date", "pk").values(
        "pk", "person_id", "referral_date", "source", "primary_need", "referral_nfa", "closure_date", "closure_reason"))
    people = {p.pk: p for p in Person.objects.filter(pk__in=person_ids)}
    disabilities = defaultdict(list)
    for pk, code in PersonDisability.objects.filter(person__in=person_ids).values_list("person_id", "code"):
        disabilities[pk].append(code)
    assessments = _assessments(episode_ids, first, last)
    icpc_of_s47, loose_icpcs, reviews = _conferences(person_ids, first, last)
    section47s, on_s47 = _section47s(episode_ids, icpc_of_s47, first, last)
    cin_plans, cp_plans = _plans(episode_ids, person_ids, reviews, first, last)

    by_person = defaultdict(list)
    for e in episodes:
        by_person[e["person_id"]].append(e)
    for pk in sorted(by_person, key=lambda pk: people[pk].local_id):
        child = _child(census, people[pk], disabilities[pk])
        for e in by_person[pk]:
            details = _details(census, child, e)
            details.assessments = assessments[e["pk"]]
            details.cin_plans = cin_plans[e["pk"]]
            details.section47s = section47s[e["pk"]]
            details.cp_plans = cp_plans[e["pk"]]
            for plan in details.cp_plans:
                for code, value in (("8905", plan.initial_category), ("8910", plan.latest_category)):
                    if value not in CPCategory.values:
                        _unrepresentable(census, child, code, f"the child protection plan from {plan.start:%d/%m/%Y} "
                                                              "has no category of abuse")
            child.cin_details.append(details)
        _attach_loose_icpcs(census, child, loose_icpcs[pk], on_s47)
        if not child.upn:
            child.upn_unknown = upn_unknown_reason(
                born=child.birth_date, reference=last, all_nfa=all(d.referral_nfa for d in child.cin_details),
                first_referral=child.cin_details[0].referral_date)
        census.children.append(child)
    return census


def _assessments(episode_ids, first: dt.date, last: dt.date) -> dict[int, list[Assessment]]:
    """Per episode: the assessments started in the year or still running on 1 April."""
    from haven.assessments.models import Assessment as AssessmentRow
    from haven.assessments.models import AssessmentFactorIdentified

    factors = defaultdict(list)
    for a_id, code in (AssessmentFactorIdentified.objects.filter(assessment__episode__in=episode_ids)
                       .order_by("code").values_list("assessment_id", "code")):
        factors[a_id].append(code)
    out = defaultdict(list)
    for a in (AssessmentRow.objects.filter(episode__in=episode_ids, start_date__lte=last)
              .filter(Q(authorised_date__isnull=True) | Q(authorised_date__gte=first))
              .order_by("start_date", "pk").values("pk", "episode_id", "start_date", "authorised_date")):
        authorised = _in_year(a["authorised_date"], last)
        out[a["episode_id"]].append(Assessment(start=a["start_date"], authorised=authorised,
                                               factors=factors[a["pk"]] if authorised else []))
    return out


def _conferences(person_ids, first: dt.date, last: dt.date):
    """The children's conferences: the first initial conference of each S47; initial conferences
    in the year with no S47 (person -> [(day, the episode of the plan it started, or None)]);
    review conferences in the year, per plan."""
    from haven.protection.models import ConferenceChild

    icpc_of_s47: dict[int, dt.date] = {}
    loose = defaultdict(list)
    reviews = defaultdict(list)
    for c in (ConferenceChild.objects.filter(person__in=person_ids).order_by("conference__held_on")
              .values("person_id", "s47_id", "plan_id", "plan__episode_id", "conference__kind", "conference__held_on")):
        day = c["conference__held_on"]
        if c["conference__kind"] == "review":
            if c["plan_id"] and first <= day <= last:
                reviews[c["plan_id"]].append(day)
        elif c["s47_id"]:
            icpc_of_s47.setdefault(c["s47_id"], day)
        elif first <= day <= last:
            loose[c["person_id"]].append((day, c["plan__episode_id"]))
    return icpc_of_s47, loose, reviews


def _section47s(episode_ids, icpc_of_s47: dict, first: dt.date, last: dt.date):
    """Per episode: the S47 enquiries started in the year or not ended (conference held, or an
    outcome needing none) by 1 April; and the (episode, day) of each conference returned on one."""
    from haven.protection.models import S47Enquiry

    out = defaultdict(list)
    on_s47 = set()
    for s in (S47Enquiry.objects.filter(episode__in=episode_ids, start_date__lte=last).order_by("start_date", "pk")
              .values("pk", "episode_id", "start_date", "outcome", "completed_date", "strategy_discussion__held_at")):
        icpc = icpc_of_s47.get(s["pk"])
        needs_icpc = s["outcome"] == S47Enquiry.Outcome.ICPC
        ended = icpc if needs_icpc else s["completed_date"] if s["outcome"] else None
        if ended is not None and ended < first:
            continue
        strategy = timezone.localtime(s["strategy_discussion__held_at"]).date()
        not_required = bool(s["outcome"]) and not needs_icpc and _in_year(s["completed_date"], last) is not None
        out[s["episode_id"]].append(Section47(start=s["start_date"], icpc_target=add_working_days(strategy, 15),
                                              icpc_date=_in_year(icpc, last), icpc_not_required=not_required))
        if icpc is not None:
            on_s47.add((s["episode_id"], icpc))
    return out, on_s47


def _plans(episode_ids, person_ids, reviews: dict, first: dt.date, last: dt.date):
    """Per episode: the child in need plans and the child protection plans open at any time in
    the year (a CP plan with its reviews in the year and the child's plans before it)."""
    from haven.plans.models import Plan

    cp_starts = defaultdict(list)
    for pk, start in Plan.objects.filter(person__in=person_ids, kind=Plan.Kind.CP).values_list("person_id", "start_date"):
        cp_starts[pk].append(start)
    cin_plans, cp_plans = defaultdict(list), defaultdict(list)
    for p in (Plan.objects.filter(episode__in=episode_ids, start_date__lte=last)
              .filter(Q(end_date__isnull=True) | Q(end_date__gte=first)).order_by("start_date", "pk")
              .values("pk", "episode_id", "person_id", "kind", "start_date", "end_date", "initial_category",
                      "latest_category")):
        end = _in_year(p["end_date"], last)
        if p["kind"] == Plan.Kind.CIN:
            cin_plans[p["episode_id"]].append(CINPlan(start=p["start_date"], end=end))
            continue
        cp_plans[p["episode_id"]].append(CPPlan(
            start=p["start_date"], end=end, initial_category=p["initial_category"],
            latest_category=p["latest_category"],
            previous_plans=sum(1 for s in cp_starts[p["person_id"]] if s < p["start_date"]),
            reviews=list(reviews[p["pk"]])))
    return cin_plans, cp_plans


def _child(census: Census, person, disabilities: list[str]) -> Child:
    last = census.reference_date
    born = person.date_of_birth if person.date_of_birth and person.date_of_birth <= last else None
    child = Child(la_child_id=person.local_id, upn=person.upn, former_upn=person.former_upn, birth_date=born,
                  expected_birth_date=None if born else person.expected_date_of_birth,
                  sex=Sex.UNKNOWN.value if born is None else person.sex if person.sex in Sex.values else "",
                  death_date=_in_year(person.date_of_death, last),
                  ethnicity=person.ethnicity if person.ethnicity in Ethnicity.values else "",
                  disabilities=sorted(disabilities) or ["NONE"], person_id=person.pk, url=person.get_absolute_url())
    if not child.sex:
        _unrepresentable(census, child, "4180", "the child's sex is not recorded")
    if not child.ethnicity:
        _unrepresentable(census, child, "4220", "the child's ethnicity is not recorded")
    return child


def _details(census: Census, child: Child, e: dict) -> CINDetails:
    last = census.reference_date
    closed = _in_year(e["closure_date"], last)
    need = e["primary_need"] if e["primary_need"] in NEEDS else ""
    if not need and e["referral_nfa"]:
        need = PrimaryNeed.N0.value
    details = CINDetails(referral_date=e["referral_date"],
                         referral_source=e["source"] if e["source"] in ReferralSource.values else "",
                         primary_need=need, closure_date=closed, reason_for_closure=e["closure_reason"] if closed else "",
                         referral_nfa=e["referral_nfa"], episode_id=e["pk"])
    when = f"the referral of {e['referral_date']:%d/%m/%Y}"
    if not details.referral_source:
        _unrepresentable(census, child, "8866", f"{when} has no referral source")
    if not need:
        _unrepresentable(census, child, "8610", f"{when} has no primary need")
    return details


def _attach_loose_icpcs(census: Census, child: Child, icpcs: list, on_s47: set) -> None:
    """An initial conference in the year not linked to an S47 goes on the CIN details of its
    plan's episode, else of the episode open on the day. The CIN details hold one: a conference
    with no episode to go on, or a second one, is reported, not dropped."""
    for day, episode_id in icpcs:
        episodes = [d for d in child.cin_details
                    if (d.episode_id == episode_id if episode_id else
                        d.referral_date <= day and (d.closure_date is None or day <= d.closure_date))]
        if any((d.episode_id, day) in on_s47 for d in episodes):
            continue   # the same conference, already returned on the episode's S47
        free = [d for d in episodes if d.icpc_date is None]
        if free:
            free[0].icpc_date = day
        else:
            _unrepresentable(census, child, "HAVEN", f"the initial child protection conference of {day:%d/%m/%Y} "
                                                     "is not linked to a section 47 enquiry or a referral open "
                                                     "that day (or its referral already has one)")


def _unrepresentable(census: Census, child: Child, code: str, what: str) -> None:
    census.unrepresentable.append((child.person_id, child.la_child_id, child.url, f"{code}: {what}"))


# -- XML ---------------------------------------------------------------------------------------

def _date(day: dt.date) -> str:
    return day.isoformat()


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _add(parent, tag: str, value=None, *, optional: bool = True):
    """A child element; an optional one is left out when its value is empty."""
    if optional and (value is None or value == ""):
        return None
    el = etree.SubElement(parent, tag)
    if value is not None:
        el.text = _date(value) if isinstance(value, dt.date) else str(value)
    return el


def _release() -> str:
    try:
        return importlib.metadata.version("haven")
    except importlib.metadata.PackageNotFoundError:
        return ""


def write_xml(census: Census, path) -> Path:
    """The DfE XML, elements in the schema's order. An authority with no child in need gets a
    well-formed file with the header and an empty ``Children`` element: the schema wants at
    least one child, so ``schema_errors`` reports that file (the command says so too)."""
    path = Path(path)
    root = etree.Element("Message")
    header = etree.SubElement(root, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    _add(details, "Collection", census.collection)
    _add(details, "Year", str(census.year))
    _add(details, "ReferenceDate", census.reference_date)
    source = etree.SubElement(header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", census.lea, optional=False)
    _add(source, "SoftwareCode", SOFTWARE)
    _add(source, "Release", _release())
    _add(source, "SerialNo", "001")
    when = census.generated_at or timezone.now()
    if timezone.is_aware(when):
        when = timezone.localtime(when).replace(tzinfo=None)
    _add(source, "DateTime", when.replace(microsecond=0).isoformat())
    children = etree.SubElement(root, "Children")
    for child in census.children:
        _write_child(children, child)
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return path


def _write_child(parent, child: Child) -> None:
    el = etree.SubElement(parent, "Child")
    ids = etree.SubElement(el, "ChildIdentifiers")
    _add(ids, "LAchildID", child.la_child_id, optional=False)
    _add(ids, "UPN", child.upn)
    _add(ids, "FormerUPN", child.former_upn)
    _add(ids, "UPNunknown", child.upn_unknown)
    _add(ids, "PersonBirthDate", child.birth_date)
    _add(ids, "ExpectedPersonBirthDate", child.expected_birth_date)
    _add(ids, "Sex", child.sex, optional=False)
    _add(ids, "PersonDeathDate", child.death_date)
    chars = etree.SubElement(el, "ChildCharacteristics")
    _add(chars, "Ethnicity", child.ethnicity, optional=False)
    if child.disabilities:
        dis = etree.SubElement(chars, "Disabilities")
        for code in child.disabilities:
            _add(dis, "Disability", code, optional=False)
    for d in child.cin_details:
        _write_details(el, d)


def _write_details(parent, d: CINDetails) -> None:
    el = etree.SubElement(parent, "CINdetails")
    _add(el, "CINreferralDate", d.referral_date, optional=False)
    _add(el, "ReferralSource", d.referral_source, optional=False)
    _add(el, "PrimaryNeedCode", d.primary_need)
    _add(el, "CINclosureDate", d.closure_date)
    _add(el, "ReasonForClosure", d.reason_for_closure)
    _add(el, "DateOfInitialCPC", d.icpc_date)
    for a in d.assessments:
        group = etree.SubElement(el, "Assessments")
        _add(group, "AssessmentActualStartDate", a.start, optional=False)
        _add(group, "AssessmentInternalReviewDate", a.internal_review)
        _add(group, "AssessmentAuthorisationDate", a.authorised)
        if a.factors:
            factors = etree.SubElement(group, "FactorsIdentifiedAtAssessment")
            for code in a.factors:
                _add(factors, "AssessmentFactors", code, optional=False)
    for p in d.cin_plans:
        group = etree.SubElement(el, "CINPlanDates")
        _add(group, "CINPlanStartDate", p.start, optional=False)
        _add(group, "CINPlanEndDate", p.end)
    for s in d.section47s:
        group = etree.SubElement(el, "Section47")
        _add(group, "S47ActualStartDate", s.start, optional=False)
        _add(group, "InitialCPCtarget", s.icpc_target)
        _add(group, "DateOfInitialCPC", s.icpc_date)
        _add(group, "ICPCnotRequired", _bool(s.icpc_not_required), optional=False)
    _add(el, "ReferralNFA", _bool(d.referral_nfa), optional=False)
    for p in d.cp_plans:
        group = etree.SubElement(el, "ChildProtectionPlans")
        _add(group, "CPPstartDate", p.start, optional=False)
        _add(group, "CPPendDate", p.end)
        _add(group, "InitialCategoryOfAbuse", p.initial_category, optional=False)
        _add(group, "LatestCategoryOfAbuse", p.latest_category, optional=False)
        _add(group, "NumberOfPreviousCPP", "" if p.previous_plans is None else p.previous_plans, optional=False)
        if p.reviews:
            reviews = etree.SubElement(group, "Reviews")
            for day in p.reviews:
                _add(reviews, "CPPreviewDate", day, optional=False)


# -- schema ------------------------------------------------------------------------------------

@functools.cache
def _schema() -> etree.XMLSchema:
    """The bundled DfE schema, brought up to the 2024-25 return in memory:

    - the CIN census 2024-25 replaced GenderCurrent (1/2/0/9) with Sex, codes M, F and U (DfE
      CIN census 2024-25 business and technical specification: "New data item <Sex> (N00783)
      replaces <Gender> (N00007)", CBDS RFC 1233);
    - NumberOfPreviousCPP is typed xs:positiveInteger in the file, which would refuse the 0 the
      DfE's guidance asks for when a child has had no previous plan: it is read as
      xs:nonNegativeInteger (rule 8730 checks only that it is present).
    """
    doc = etree.parse(str(SCHEMA))
    ns = {"xs": XS}
    gender = doc.xpath("//xs:element[@name='GenderCurrent']", namespaces=ns)[0]
    gender.set("name", "Sex")
    gender.set("type", "sextype")
    sextype = etree.SubElement(doc.getroot(), f"{{{XS}}}simpleType", name="sextype")
    restriction = etree.SubElement(sextype, f"{{{XS}}}restriction", base="nonEmptyString")
    for code in ("M", "F", "U"):
        etree.SubElement(restriction, f"{{{XS}}}enumeration", value=code)
    for el in doc.xpath("//xs:element[@name='NumberOfPreviousCPP']", namespaces=ns):
        el.set("type", "xs:nonNegativeInteger")
    return etree.XMLSchema(doc)


def schema_errors(path) -> list[str]:
    """The file's departures from the DfE schema (2024-25: Sex in place of GenderCurrent), as
    "line N: message"; empty when it is valid."""
    try:
        doc = etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    schema = _schema()
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


# -- rules -------------------------------------------------------------------------------------

def _code_and_text(what: str) -> tuple[str, str]:
    m = re.match(r"^(\w+): (.*)$", what)
    return (m.group(1), m.group(2)) if m else ("HAVEN", what)


def validate(census: Census) -> Report:
    """The DfE's CIN census rules for the year over ``census`` (findings linked to each child's
    record), and an error for each record the census could not represent (unless a rule already
    reported the same code for that child)."""
    from haven.returns.cin_rules import registry_for

    registry = registry_for(census.year)
    where = {c.la_child_id: (c.person_id, c.url) for c in census.children}
    for person_id, child_id, url, _what in census.unrepresentable:
        where.setdefault(child_id, (person_id, url))

    def locate(child_id: str):
        return where.get(child_id, (None, ""))

    report = registry.run(census, locate=locate)
    found = {(f.code, f.child) for f in report.findings}
    for person_id, child_id, url, what in census.unrepresentable:
        code, text = _code_and_text(what)
        if (code, child_id) in found:
            continue
        message = registry.dfe[code][0] if code in registry.dfe else "The record cannot be put in the census"
        report.findings.append(Finding(code, ERROR, message, child_id, FIELD_OF.get(code, ""), text, person_id, url))
        found.add((code, child_id))
    report.findings.sort(key=lambda f: (f.severity != ERROR, f.child, f.code))
    return report
