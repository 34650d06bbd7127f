"""Ofsted's ILACS Annex A (the child-level lists an authority sends Ofsted when an inspection of
local authority children's services starts), lists 1 to 11, built from the record for a period
(``start`` to ``end``, both days included), and written as an xlsx workbook with one sheet per list.

``build(authority, start, end)`` returns an ``AnnexA``: ``lists`` maps each sheet name, in list
order, to ``(columns, rows)``; ``person_ids`` maps the same names to the person pk of each row
(parallel to the rows) so the Returns page can link a row to the child's record;
``write_xlsx(path)`` writes the workbook (header row bold and frozen, dates as Excel dates shown
DD/MM/YYYY; an empty list keeps its header row).

Columns and their order are those of Ofsted's Annex A template as the London Innovation and
Improvement Alliance's tools read it (SocialFinanceDigitalLabs/liia-tools,
``liiatools/annex_a_pipeline/spec/Annex_A_schema.yml``), cross-checked with the items the Standard
Safeguarding Dataset tags "AnnexA" (``reference/ssd/*.yml``). List 6 adds "CIN Plan Start Date"
and "CIN Plan End Date" (items the SSD tags AnnexA, not in that template) before the allocated
team and worker. Coded cells use the template's drop-down values ("a) Male", "b) Female",
"a) Yes", "C2: FCO", "N1 - Abuse or neglect"...); where the template's list is the DfE code list,
the cell is the DfE code and its label ("g) 3A: Health services: GP", "U6: Foster placement...").
Ethnicity is the template's letter and the DfE code ("o) BAFR"; NOBT is "t) NOBT").

Every list starts Child Unique ID (the local child ID), Gender, Ethnicity, Date of Birth and Age
of Child (Years); lists 4 to 11 add "Does the Child have a Disability" (yes when a disability
other than NONE is recorded, no when only NONE is, unknown when nothing is). The age is the age
on the last day of the period (blank for an unborn child, whose date of birth is blank too).
"In the last 12 months" counts the 12 months that end on the last day of the period.

Which children each list holds:

1. Contacts: every contact received in the period, one row per child the contact is about.
2. Early help: early help assessments. **Empty**: Haven does not record early help episodes or
   assessments yet (a contact's "early help" decision is not an assessment).
3. Referrals: every referral (CIN episode) received in the period.
4. Assessments: every single assessment open at any time in the period (started on or before
   the last day, not authorised before the first).
5. Section 47 enquiries and ICPCs: every S47 enquiry that started in the period, or whose
   initial child protection conference was held in it.
6. Children in need: every CIN episode open at any time in the period (children on CP plans and
   looked after included), with the episode's latest CIN plan.
7. Child protection: every CP plan open at any time in the period.
8. Children looked after: every child looked after at any time in the period (their latest period
   of care in it), as on the last day of the period or the day they left care.
9. Care leavers: young people whose leaving-care category on the last day of the period is
   eligible, relevant, former relevant or qualifying (the worker's confirmed category when there
   is one, else the one computed from the care history).
10. Adoption: children with a decision that they should be placed for adoption made on or
    before the last day, not adopted and not reversed before the first day (the steps read are
    those on or after the latest such decision).
11. Adopters: **empty**: Haven does not record prospective adopters (enquiry, stage 1, stage 2,
    approval, match) yet. The sheet keeps its header row.

Items Haven does not hold are left blank, never invented:

- List 3 Referral NFA: blank until the referral is decided.
- List 4 "Was the child assessed as requiring LA children's social care support?": yes when the
  authorised assessment's outcome is a CIN plan, a strategy discussion or care; no for no further
  action, early help or other services; blank until authorised.
- List 6 Date Child Was Last Seen: the latest recording (visit, meeting...) at which the child
  was seen. Case Status: blank when the episode is open with no plan, care or open assessment.
- List 7 Date of the Last Statutory Visit, Was the Child Seen Alone?: the latest child protection
  visit during the plan at which the child was seen.
- List 7 "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six
  Months": "a) Yes" when Haven shows it (an episode of care under L1 or L2, or an emergency
  protection order application, in the six months to the end of the period); otherwise blank,
  because police protection without accommodation is not recorded.
- List 8 Date of Last Social Work Visit: the latest statutory visit at which the child was seen.
  Date of Last IRO Visit / Contact to the Child: not recorded (only reviews are): blank.
  Return interview offered / accepted: from the return interview records of the last missing
  episode from care in the 12 months; blank when none is recorded or there is no answer yet.
- List 8 LA of Placement: the local authority area recorded on the placement, if any.
- List 9 Latest Date of Contact: the latest contact at which the young person was in touch.
- List 10 Family identifier: not recorded (no adoptive family records yet).
- List 11: every item (see above).
- Allocated Team / Allocated Worker: the latest social worker (or team) allocation that
  overlaps the period; blank if none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from haven.core.calendar import add_months, age_on, birthday
from haven.core.codes import ClosureReason, PrimaryNeed, ReferralSource
from haven.core.codes.looked_after import (
    AccommodationType,
    PlacementProvider,
    PlacementType,
    ReasonEpisodeCeased,
)
from haven.core.codes.looked_after import Activity as ActivityCode

PERSON = ("Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)")
DISABILITY = "Does the Child have a Disability"
ALLOCATED = ("Allocated Team", "Allocated Worker")

LISTS: dict[str, tuple[str, ...]] = {
    "List 1 Contacts": (*PERSON, "Date of Contact", "Contact Source"),
    "List 2 Early help": (*PERSON, "Assessment start date", "Assessment completion date",
                          "Organisation completing assessment"),
    "List 3 Referrals": (*PERSON, "Date of referral", "Referral Source", "Referral NFA?",
                         "Number of Referrals in Last 12 Months", *ALLOCATED),
    "List 4 Assessments": (*PERSON, DISABILITY, "Continuous Assessment Start Date",
                           "Child Seen During Continuous Assessment",
                           "Continuous Assessment Date of Authorisation",
                           "Was the child assessed as requiring LA children's social care support?", *ALLOCATED),
    "List 5 S47 enquiries and ICPCs": (
        *PERSON, DISABILITY, "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months", "Number of ICPCs in the last 12 months", *ALLOCATED),
    "List 6 Children in need": (
        *PERSON, DISABILITY, "CIN Start Date", "Primary Need Code", "Date Child Was Last Seen", "CIN Closure Date",
        "Reason for Closure", "Case Status", "CIN Plan Start Date", "CIN Plan End Date", *ALLOCATED),
    "List 7 Child protection": (
        *PERSON, DISABILITY, "Child Protection Plan Start Date", "Initial Category of Abuse",
        "Latest Category of Abuse", "Date of the Last Statutory Visit", "Was the Child Seen Alone?",
        "Date of latest review conference", "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
        "Number of Previous Child Protection Plans", *ALLOCATED),
    "List 8 Children looked after": (
        *PERSON, "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)", DISABILITY,
        "Date Started to be Looked After", "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
        "Start date of current legal status", "Child's Legal Status", "Date of Latest Statutory Review",
        "Date of Last Social Work Visit", "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child", "Date of Last Health Assessment",
        "Date of Last Dental Check", "Number of Placements in the Last 12 months", "Date Ceased to be Looked After",
        "Reason Ceased to be Looked After", "Start Date of Most Recent Placement", "Placement Type",
        "Placement Provider", "Placement postcode", "URN of Placement", "Placement Location", "LA of Placement",
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?", *ALLOCATED),
    "List 9 Care leavers": (
        *PERSON, "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)", DISABILITY,
        *ALLOCATED, "Allocated Personal Advisor", "Eligibility Category", "Latest Pathway Plan Review Date",
        "LA in Touch", "Latest Date of Contact", "Type of Accommodation", "Suitability of Accommodation",
        "Activity Status"),
    "List 10 Adoption": (
        "Child Unique ID", "Family identifier", *PERSON[1:], DISABILITY, "Date the Child Entered Care",
        "Date of Decision that Child Should be Placed for Adoption", "Date of Placement Order",
        "Date of Matching Child and Prospective Adopters", "Date Placed for Adoption", "Date of Adoption Order",
        "Date of Decision that Child Should No Longer be Placed for Adoption",
        "Reason Why Child No Longer Placed for Adoption",
        "Date the child was placed for fostering in FFA or concurrent planning placement"),
    "List 11 Adopters": (
        "Individual adopter identifier", "Family identifier", "Gender", "Ethnicity", "Disability",
        "Is the (prospective) adopter fostering for adoption?", "Date enquiry received", "Date Stage 1 started",
        "Date Stage 1 ended", "Date Stage 2 started", "Date Stage 2 ended", "Date application submitted",
        "Date application approved", "Date adopter matched with child(ren)",
        "Date child/children placed with adopter(s)", "No. of children placed", "Date of Adoption Order",
        "Date of leaving adoption process", "Reason for leaving adoption process"),
}

# -- the template's values --------------------------------------------------------------------------
GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
ETHNICITY = {code: f"{letter}) {code}" for letter, code in zip(
    "abcdefghijklmnopqrst",
    ("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
     "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"), strict=True)}
SOURCE_LETTER = {"1A": "a", "1B": "b", "1C": "c", "1D": "d", "2A": "e", "2B": "f", "3A": "g", "3B": "h", "3C": "i",
                 "3D": "j", "3E": "k", "3F": "l", "4": "m", "5A": "n", "5B": "o", "5C": "p", "5D": "p1", "6": "q",
                 "7": "r", "8": "s", "9": "t", "10": "u"}
YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"
CP_CATEGORY = {"NEG": "a) Neglect", "PHY": "b) Physical abuse", "SAB": "c) Sexual abuse", "EMO": "d) Emotional abuse",
               "MUL": "e) Multiple/not recommended"}
CASE_STATUS = ("a) Looked after child", "b) Child Protection plan", "c) Child in need plan", "d) Open assessment",
               "e) Closed episode")
LEGAL_STATUS = {"C1": "C1: ICO", "C2": "C2: FCO", "D1": "D1: Freeing order", "E1": "E1: Placement order",
                "V2": "V2: Single period under S20", "L1": "L1: Police protection LA accommodation", "L2": "L2: EPO",
                "L3": "L3: Child assessment order LA accommodation", "J1": "J1: Remanded to LA or youth detention",
                "J2": "J2: LA accommodation under PACE", "J3": "J3: Youth rehabilitation order",
                "V3": "V3: Short term breaks, episodes recorded", "V4": "V4: Short term breaks, agreements recorded"}
# Haven's permanence plans (and care plan aims) onto the template's list; kinship care may be
# a return to family, an SGO or connected-person fostering, so it is "other".
PERMANENCE = {"return_home": "a) Return to family", "adoption": "b) Adoption", "sgo": "c) SGO/CAO",
              "cao": "c) SGO/CAO", "independence": "d) Supported living in the community",
              "residential": "e) Long-term residential placement", "long_term_fostering": "f) Long-term fostering",
              "kinship": "g) other", "other": "g) other"}
LOCATION = {"IN": "a) In", "OUT": "b) Out"}
ELIGIBILITY = {"relevant": "a) Relevant child", "former_relevant": "b) Former relevant child",
               "qualifying": "c) Qualifying care leaver", "eligible": "d) Eligible child"}
IN_TOUCH = {"YES": "a) Yes", "NO": "b) No", "DIED": "c) Died", "REFU": "d) Refu", "NREQ": "e) NREQ", "RHOM": "f) Rhom"}
# Assessment outcomes that mean the child needs children's social care support.
NEEDS_SUPPORT = {"cin_plan", "strategy", "cla"}


def _yes_no(value: bool | None) -> str:
    return "" if value is None else YES if value else NO


def _coded(choices, code: str, sep: str = ": ") -> str:
    return f"{code}{sep}{choices(code).label}" if code else ""


def contact_source(code: str) -> str:
    """'g) 3A: Health services: GP': the template's letter, the DfE code and its label."""
    if not code:
        return ""
    return f"{SOURCE_LETTER.get(code, '?')}) {code}: {ReferralSource(code).label}"


def local_date(value: dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes [first 00:00, the day after last 00:00) for datetime fields."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def year_before(end: dt.date) -> dt.date:
    """The first day of the 12 months that end on ``end``."""
    return add_months(end, -12) + dt.timedelta(days=1)


def latest(rows, key):
    """The row with the greatest ``key`` (None when there are no rows)."""
    return max(rows, key=key, default=None)


def case_status(*, closed: bool, looked_after: bool, cp_plan: bool, cin_plan: bool, open_assessment: bool) -> str:
    """List 6 Case Status on the last day of the period, the first that applies in the
    template's order; blank when the episode is open with none of them."""
    if closed:
        return CASE_STATUS[4]
    for applies, status in zip((looked_after, cp_plan, cin_plan, open_assessment), CASE_STATUS, strict=False):
        if applies:
            return status
    return ""


def legal_status_since(episodes: list[dict], on: dt.date) -> tuple[str, dt.date | None]:
    """(legal status, the day it started) on ``on`` or the last day of care before it:
    ``episodes`` of one period of care ordered by start; consecutive episodes with the same
    legal status count as one run."""
    current = [e for e in episodes if e["start_date"] <= on]
    if not current:
        return "", None
    status = current[-1]["legal_status"]
    since = current[-1]["start_date"]
    for e in reversed(current[:-1]):
        if e["legal_status"] != status:
            break
        since = e["start_date"]
    return status, since


# -- the return --------------------------------------------------------------------------------------
@dataclass
class AnnexA:
    authority: object
    start: dt.date
    end: dt.date
    lists: dict[str, tuple[list[str], list[list]]] = field(default_factory=dict)
    person_ids: dict[str, list[int]] = field(default_factory=dict)

    def write_xlsx(self, path) -> Path:
        path = Path(path)
        wb = Workbook(write_only=True)
        bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        for name, (columns, rows) in self.lists.items():
            ws = wb.create_sheet(title=name[:31])
            ws.freeze_panes = "A2"
            for i, width in enumerate(_widths(columns, rows), start=1):
                ws.column_dimensions[get_column_letter(i)].width = width
            header = []
            for title in columns:
                cell = WriteOnlyCell(ws, value=title)
                cell.font, cell.alignment = bold, wrap
                header.append(cell)
            ws.append(header)
            for row in rows:
                ws.append([_cell(ws, v) for v in row])
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        return path


def _cell(ws, value):
    """A date as a real Excel date shown DD/MM/YYYY; other values as they are."""
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    return value


def _widths(columns, rows, sample: int = 200) -> list[float]:
    """Wide enough for the values (dates 11), headers wrapped at 30 characters."""
    widths = []
    for i, title in enumerate(columns):
        values = [len(r[i].strftime("%d/%m/%Y")) if isinstance(r[i], dt.date) else len(str(r[i]))
                  for r in rows[:sample] if r[i] not in (None, "")]
        widths.append(min(max([min(len(title), 30), *values]) + 2, 60))
    return widths


class Period:
    """What every list reads: the children of the authority, their disabilities and allocations,
    loaded once."""

    def __init__(self, authority, start: dt.date, end: dt.date):
        self.authority, self.start, self.end = authority, start, end
        self.year_start = year_before(end)

    def overlapping(self, qs, start_field: str = "start_date", end_field: str = "end_date"):
        return qs.filter(**{f"{start_field}__lte": self.end}).filter(
            Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": self.start}))

    @cached_property
    def people(self) -> dict[int, dict]:
        from haven.people.models import Person

        return {p["pk"]: p for p in Person.objects.filter(authority=self.authority).values(
            "pk", "local_id", "sex", "ethnicity", "date_of_birth", "kind")}

    @cached_property
    def disabilities(self) -> dict[int, set[str]]:
        from haven.people.models import PersonDisability

        found: dict[int, set[str]] = defaultdict(set)
        for pk, code in PersonDisability.objects.filter(authority=self.authority).values_list("person_id", "code"):
            found[pk].add(code)
        return found

    @cached_property
    def allocations(self) -> dict[tuple[int, str], tuple[str, str]]:
        """(person pk, "worker" or "adviser") -> (team, worker name): the latest allocation of
        that kind overlapping the period."""
        from haven.people.models import Allocation

        kind = {"social_worker": "worker", "team": "worker", "personal_adviser": "adviser"}
        best: dict[tuple[int, str], tuple] = {}
        rows = self.overlapping(Allocation.objects.filter(authority=self.authority, role__in=list(kind))).values_list(
            "person_id", "role", "start_date", "pk", "team__name", "worker__first_name", "worker__last_name")
        for pk, role, started, row_pk, team, first, last in rows:
            # a named worker wins over a team-only allocation started the same day
            rank = (started, role == "social_worker" and first is not None, row_pk)
            key = (pk, kind[role])
            if key not in best or rank > best[key][0]:
                best[key] = (rank, team or "", " ".join(p for p in (first, last) if p))
        return {key: (team, worker) for key, (_rank, team, worker) in best.items()}

    def allocated(self, pk: int) -> list:
        return list(self.allocations.get((pk, "worker"), ("", "")))

    def person(self, pk: int) -> dict:
        """The person's characteristics (one from another authority, a child a shared front
        door recorded, is read on demand)."""
        if pk not in self.people:
            from haven.people.models import Person

            self.people[pk] = Person.objects.filter(pk=pk).values(
                "pk", "local_id", "sex", "ethnicity", "date_of_birth", "kind").get()
        return self.people[pk]

    def child(self, pk: int) -> list:
        p = self.person(pk)
        born = p["date_of_birth"]
        return [p["local_id"], GENDER.get(p["sex"], ""), ETHNICITY.get(p["ethnicity"], p["ethnicity"]), born,
                age_on(born, self.end) if born and born <= self.end else ""]

    def disabled(self, pk: int) -> str:
        codes = self.disabilities.get(pk)
        if not codes:
            return UNKNOWN
        return YES if codes - {"NONE"} else NO

    def twelve_months(self, day: dt.date | None) -> bool:
        return day is not None and self.year_start <= day <= self.end

    def last_seen(self, kinds: tuple[str, ...] = ()) -> dict[int, dt.date]:
        """person pk -> the day of the latest recording (of ``kinds`` if given) on or before the
        last day of the period at which the child was seen."""
        from django.db.models import Max

        from haven.recording.models import RecordingSubject

        _first, stop = _day_bounds(self.end, self.end)
        qs = RecordingSubject.objects.filter(authority=self.authority, seen=True, recording__occurred_at__lt=stop)
        if kinds:
            qs = qs.filter(recording__kind__in=kinds)
        return {pk: local_date(when) for pk, when in
                qs.values("person_id").annotate(last=Max("recording__occurred_at")).values_list("person_id", "last")}


Rows = list[tuple[int, list]]


# -- list 1: contacts -------------------------------------------------------------------------------
def contacts(period: Period) -> Rows:
    from haven.front_door.models import ContactSubject

    first, stop = _day_bounds(period.start, period.end)
    subjects = ContactSubject.objects.filter(
        contact__authority=period.authority, role=ContactSubject.Role.CHILD, person__kind="child",
        contact__received_at__gte=first, contact__received_at__lt=stop,
    ).values_list("person_id", "contact__received_at", "contact__source")
    return [(pk, [*period.child(pk), local_date(when), contact_source(source)]) for pk, when, source in subjects]


# -- list 2: early help (not recorded) --------------------------------------------------------------
def early_help(period: Period) -> Rows:
    return []


# -- list 3: referrals ------------------------------------------------------------------------------
def referrals(period: Period) -> Rows:
    from haven.assessments.models import CINEpisode

    episodes = list(CINEpisode.objects.filter(authority=period.authority, referral_date__range=(
        min(period.start, period.year_start), period.end)).values(
        "person_id", "referral_date", "source", "referral_nfa", "decision_date"))
    in_year: dict[int, int] = defaultdict(int)
    for e in episodes:
        if period.twelve_months(e["referral_date"]):
            in_year[e["person_id"]] += 1
    rows = []
    for e in episodes:
        if not period.start <= e["referral_date"] <= period.end:
            continue
        pk = e["person_id"]
        decided = e["decision_date"] is not None and e["decision_date"] <= period.end
        rows.append((pk, [*period.child(pk), e["referral_date"], contact_source(e["source"]),
                          _yes_no(e["referral_nfa"]) if decided or e["referral_nfa"] else "", in_year[pk],
                          *period.allocated(pk)]))
    return rows


# -- list 4: assessments ----------------------------------------------------------------------------
def assessment_needs_support(outcome: str) -> str:
    if not outcome:
        return ""
    return YES if outcome in NEEDS_SUPPORT else NO


def assessments(period: Period) -> Rows:
    from haven.assessments.models import Assessment

    rows = []
    qs = period.overlapping(Assessment.objects.filter(authority=period.authority), end_field="authorised_date")
    for a in qs.values("person_id", "start_date", "child_seen_date", "authorised_date", "outcome"):
        pk = a["person_id"]
        authorised = a["authorised_date"] if a["authorised_date"] and a["authorised_date"] <= period.end else None
        seen = a["child_seen_date"] is not None and a["child_seen_date"] <= period.end
        rows.append((pk, [*period.child(pk), period.disabled(pk), a["start_date"], YES if seen else NO, authorised,
                          assessment_needs_support(a["outcome"]) if authorised else "", *period.allocated(pk)]))
    return rows


# -- list 5: section 47 enquiries and ICPCs ---------------------------------------------------------
def s47_enquiries(period: Period) -> Rows:
    from haven.protection.models import ConferenceChild, S47Enquiry

    icpcs = list(ConferenceChild.objects.filter(
        authority=period.authority, conference__kind="initial",
        conference__held_on__range=(min(period.start, period.year_start), period.end),
    ).values("person_id", "s47_id", "plan_needed", "conference__held_on"))
    icpc_by_s47 = {c["s47_id"]: c for c in icpcs if c["s47_id"]}
    icpcs_in_year: dict[int, int] = defaultdict(int)
    for c in icpcs:
        if period.twelve_months(c["conference__held_on"]):
            icpcs_in_year[c["person_id"]] += 1
    held_in_period = {c["s47_id"] for c in icpcs if c["s47_id"] and period.start <= c["conference__held_on"]}
    enquiries = list(S47Enquiry.objects.filter(authority=period.authority, start_date__lte=period.end).filter(
        Q(start_date__gte=min(period.start, period.year_start)) | Q(pk__in=held_in_period)).values(
        "pk", "person_id", "start_date", "outcome", "completed_date", "strategy_discussion__held_at"))
    s47_in_year: dict[int, int] = defaultdict(int)
    for s in enquiries:
        if period.twelve_months(s["start_date"]):
            s47_in_year[s["person_id"]] += 1
    rows = []
    for s in enquiries:
        if not (period.start <= s["start_date"] <= period.end or s["pk"] in held_in_period):
            continue
        pk, icpc = s["person_id"], icpc_by_s47.get(s["pk"])
        decided = s["outcome"] and (s["completed_date"] is None or s["completed_date"] <= period.end)
        rows.append((pk, [*period.child(pk), period.disabled(pk), local_date(s["strategy_discussion__held_at"]),
                          _yes_no(s["outcome"] != S47Enquiry.Outcome.ICPC) if decided else "",
                          icpc["conference__held_on"] if icpc else None,
                          _yes_no(icpc["plan_needed"]) if icpc else "",
                          s47_in_year[pk], icpcs_in_year[pk], *period.allocated(pk)]))
    return rows


# -- list 6: children in need -----------------------------------------------------------------------
def children_in_need(period: Period) -> Rows:
    from haven.assessments.models import Assessment, CINEpisode
    from haven.looked_after.models import PeriodOfCare
    from haven.plans.models import Plan

    episodes = list(period.overlapping(CINEpisode.objects.filter(authority=period.authority),
                                       "referral_date", "closure_date").values(
        "pk", "person_id", "referral_date", "primary_need", "closure_date", "closure_reason"))
    end = period.end
    open_at_end = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gt=end))
    plans = Plan.objects.filter(authority=period.authority, start_date__lte=end)
    cp_now = set(plans.filter(open_at_end, kind="cp").values_list("person_id", flat=True))
    cin_plans: dict[int, list[dict]] = defaultdict(list)
    for p in period.overlapping(plans.filter(kind="cin")).values("episode_id", "start_date", "end_date"):
        cin_plans[p["episode_id"]].append(p)
    looked_after = set(PeriodOfCare.objects.filter(authority=period.authority).open_on(end)
                       .values_list("person_id", flat=True))
    open_assessment = set(Assessment.objects.filter(authority=period.authority, start_date__lte=end).filter(
        Q(authorised_date__isnull=True) | Q(authorised_date__gt=end)).values_list("episode_id", flat=True))
    seen = period.last_seen()
    rows = []
    for e in episodes:
        pk = e["person_id"]
        closed = e["closure_date"] is not None and e["closure_date"] <= end
        plan = latest(cin_plans.get(e["pk"], []), key=lambda p: p["start_date"])
        status = case_status(closed=closed, looked_after=pk in looked_after, cp_plan=pk in cp_now,
                             cin_plan=plan is not None and (plan["end_date"] is None or plan["end_date"] > end),
                             open_assessment=e["pk"] in open_assessment)
        rows.append((pk, [*period.child(pk), period.disabled(pk), e["referral_date"],
                          _coded(PrimaryNeed, e["primary_need"], " - "), seen.get(pk),
                          e["closure_date"] if closed else None,
                          _coded(ClosureReason, e["closure_reason"], " - ") if closed else "", status,
                          plan["start_date"] if plan else None,
                          plan["end_date"] if plan and plan["end_date"] and plan["end_date"] <= end else None,
                          *period.allocated(pk)]))
    return rows


# -- list 7: child protection plans -----------------------------------------------------------------
def emergency_protection(period: Period) -> set[int]:
    """Children Haven shows under police protection or an emergency protection order in the six
    months to the end of the period."""
    from haven.looked_after.models import Episode
    from haven.permanence.models import CareProceedings

    since = add_months(period.end, -6) + dt.timedelta(days=1)
    episodes = Episode.objects.filter(authority=period.authority, legal_status__in=("L1", "L2"),
                                      start_date__lte=period.end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=since)).values_list("person_id", flat=True)
    orders = CareProceedings.objects.filter(authority=period.authority, application="epo",
                                            issued_on__range=(since, period.end)).values_list("person_id", flat=True)
    return set(episodes) | set(orders)


def child_protection(period: Period) -> Rows:
    from haven.plans.models import Plan
    from haven.protection.models import ConferenceChild
    from haven.recording.models import RecordingSubject

    end = period.end
    all_cp = list(Plan.objects.filter(authority=period.authority, kind="cp", start_date__lte=end).values(
        "pk", "person_id", "start_date", "end_date", "initial_category", "latest_category"))
    plans = [p for p in all_cp if p["end_date"] is None or p["end_date"] >= period.start]
    starts: dict[int, list[dt.date]] = defaultdict(list)
    for p in all_cp:
        starts[p["person_id"]].append(p["start_date"])
    persons = {p["person_id"] for p in plans}
    earliest = min((p["start_date"] for p in plans), default=end)
    first, stop = _day_bounds(earliest, end)
    visits: dict[int, list[tuple]] = defaultdict(list)
    for pk, when, alone in RecordingSubject.objects.filter(
            authority=period.authority, person_id__in=persons, seen=True, recording__kind="cp_visit",
            recording__occurred_at__gte=first, recording__occurred_at__lt=stop).values_list(
            "person_id", "recording__occurred_at", "seen_alone"):
        visits[pk].append((local_date(when), alone))
    reviews: dict[int, list[dt.date]] = defaultdict(list)
    for pk, held in ConferenceChild.objects.filter(
            authority=period.authority, person_id__in=persons, conference__kind="review",
            conference__held_on__range=(earliest, end)).values_list("person_id", "conference__held_on"):
        reviews[pk].append(held)
    protected = emergency_protection(period)
    rows = []
    for p in plans:
        pk = p["person_id"]
        last_day = min(end, p["end_date"]) if p["end_date"] else end
        visit = latest([v for v in visits[pk] if p["start_date"] <= v[0] <= last_day], key=lambda v: v[0])
        review = max((d for d in reviews[pk] if p["start_date"] <= d <= last_day), default=None)
        rows.append((pk, [*period.child(pk), period.disabled(pk), p["start_date"],
                          CP_CATEGORY.get(p["initial_category"], ""), CP_CATEGORY.get(p["latest_category"], ""),
                          visit[0] if visit else None, _yes_no(visit[1]) if visit else "", review,
                          p["end_date"] if p["end_date"] and p["end_date"] <= end else None,
                          YES if pk in protected else "",
                          sum(1 for s in starts[pk] if s < p["start_date"]), *period.allocated(pk)]))
    return rows


# -- list 8: children looked after ------------------------------------------------------------------
def _by_person(rows, key: str = "person_id") -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        grouped[r[key]].append(r)
    return grouped


def _latest_on_or_before(values, day: dt.date):
    return max((v for v in values if v and v <= day), default=None)


def return_interview(outcomes: list[str]) -> tuple[str, str]:
    """(offered, accepted) after a missing episode from its return interview records: offered
    unless every record says not offered; accepted when one was accepted or completed, declined
    when one was declined; blank when nothing is recorded or there is no answer yet."""
    if not outcomes:
        return "", ""
    offered = any(o != "not_offered" for o in outcomes)
    if any(o in ("accepted", "completed") for o in outcomes):
        accepted = YES
    elif "declined" in outcomes:
        accepted = NO
    else:
        accepted = ""
    return _yes_no(offered), accepted if offered else ""


def looked_after(period: Period) -> Rows:
    from haven.care_planning.models import CarePlan, LACReview
    from haven.health.models import DentalCheck, HealthAssessment
    from haven.looked_after.models import Episode, PeriodOfCare, Placement
    from haven.missing.models import MissingEpisode, ReturnInterview
    from haven.permanence.models import PermanencePlan

    end, authority = period.end, period.authority
    all_periods = _by_person(PeriodOfCare.objects.filter(authority=authority, start_date__lte=end).values(
        "pk", "person_id", "start_date", "end_date", "end_reason", "uasc"))
    current = {}
    for pk, ps in all_periods.items():
        in_period = [p for p in ps if p["end_date"] is None or p["end_date"] >= period.start]
        if in_period:
            current[pk] = max(in_period, key=lambda p: p["start_date"])
    persons = set(current)
    period_ids = {p["pk"] for p in current.values()}
    episodes = _by_person(Episode.objects.filter(period_id__in=period_ids).order_by("start_date", "pk").values(
        "period_id", "start_date", "legal_status", "category_of_need"), "period_id")
    placements = _by_person(Placement.objects.filter(authority=authority, person_id__in=persons, start_date__lte=end)
                            .values("person_id", "period_id", "start_date", "end_date", "place", "provider_code",
                                    "postcode", "urn", "location", "placing_authority_area"))
    reviews = _by_person(LACReview.objects.filter(period_id__in=period_ids, held_on__lte=end).values(
        "person_id", "held_on"))
    visits = period.last_seen(("cla_visit",))
    perm = _by_person(PermanencePlan.objects.filter(authority=authority, person_id__in=persons, decided_on__lte=end)
                      .values("person_id", "decided_on", "pk", "plan"))
    aims = _by_person(CarePlan.objects.filter(period_id__in=period_ids, agreed_on__lte=end).values(
        "person_id", "agreed_on", "pk", "permanence_aim"))
    health = _by_person(HealthAssessment.objects.filter(authority=authority, person_id__in=persons,
                                                        kind__in=("initial", "review"), completed_on__lte=end)
                        .values("person_id", "completed_on"))
    teeth = _by_person(DentalCheck.objects.filter(authority=authority, person_id__in=persons, checked_on__lte=end)
                       .values("person_id", "checked_on"))
    first, stop = _day_bounds(period.year_start, end)
    missing = _by_person(MissingEpisode.objects.filter(authority=authority, person_id__in=persons, from_care=True,
                                                       started_at__gte=first, started_at__lt=stop)
                         .values("pk", "person_id", "kind", "started_at"))
    last_missing = {pk: max((m for m in ms if m["kind"] == "M"), key=lambda m: m["started_at"], default=None)
                    for pk, ms in missing.items()}
    interviews: dict[int, list[str]] = defaultdict(list)
    for episode_id, outcome in ReturnInterview.objects.filter(
            episode_id__in=[m["pk"] for m in last_missing.values() if m]).values_list("episode_id", "outcome"):
        interviews[episode_id].append(outcome)
    rows = []
    for pk, poc in current.items():
        last_day = min(end, poc["end_date"]) if poc["end_date"] else end
        left = poc["end_date"] is not None and poc["end_date"] <= end
        eps = episodes.get(poc["pk"], [])
        status, since = legal_status_since(eps, last_day)
        need = next((e["category_of_need"] for e in reversed(eps) if e["start_date"] <= last_day), "")
        earlier = any(p["pk"] != poc["pk"] and p["start_date"] < poc["start_date"] and p["end_date"]
                      and p["end_date"] >= period.year_start for p in all_periods[pk])
        uasc = any(p["uasc"] and (p["end_date"] is None or p["end_date"] >= period.year_start) for p in all_periods[pk])
        mine = placements.get(pk, [])
        placement = latest([pl for pl in mine if pl["period_id"] == poc["pk"] and pl["start_date"] <= last_day],
                           key=lambda pl: pl["start_date"])
        in_year = sum(1 for pl in mine if pl["end_date"] is None or pl["end_date"] >= period.year_start)
        plan = latest(perm.get(pk, []), key=lambda p: (p["decided_on"], p["pk"]))
        aim = latest(aims.get(pk, []), key=lambda p: (p["agreed_on"], p["pk"]))
        permanence = PERMANENCE.get(plan["plan"], "") if plan else PERMANENCE.get(aim["permanence_aim"], "") if aim else ""
        ms = missing.get(pk, [])
        last = last_missing.get(pk)
        offered, accepted = return_interview(interviews.get(last["pk"], [])) if last else ("", "")
        rows.append((pk, [
            *period.child(pk), _yes_no(uasc), period.disabled(pk), poc["start_date"],
            _coded(PrimaryNeed, need, " - "), _yes_no(earlier), since, LEGAL_STATUS.get(status, status),
            _latest_on_or_before([r["held_on"] for r in reviews.get(pk, [])], end),
            visits.get(pk), permanence, None,
            _latest_on_or_before([h["completed_on"] for h in health.get(pk, [])], end),
            _latest_on_or_before([t["checked_on"] for t in teeth.get(pk, [])], end), in_year,
            poc["end_date"] if left else None, _coded(ReasonEpisodeCeased, poc["end_reason"]) if left else "",
            placement["start_date"] if placement else None,
            _coded(PlacementType, placement["place"]) if placement else "",
            _coded(PlacementProvider, placement["provider_code"]) if placement else "",
            placement["postcode"] if placement else "", placement["urn"] if placement else "",
            LOCATION.get(placement["location"], "") if placement else "",
            placement["placing_authority_area"] if placement else "",
            sum(1 for m in ms if m["kind"] == "M"), sum(1 for m in ms if m["kind"] == "A"), offered, accepted,
            *period.allocated(pk)]))
    return rows


# -- list 9: care leavers ---------------------------------------------------------------------------
def care_leavers(period: Period) -> Rows:
    from haven.care_leavers.eligibility import EDUCATION_TRAINING, SHORT_BREAK_STATUSES, classify
    from haven.care_leavers.models import (
        Accommodation,
        Activity,
        Custody,
        LeaverContact,
        LeaverStatus,
        PathwayPlan,
        PathwayPlanReview,
    )
    from haven.looked_after.models import Episode, PeriodOfCare

    end, authority = period.end, period.authority
    youngest, oldest = birthday(end, -16), birthday(end, -25)
    statuses = dict(LeaverStatus.objects.filter(authority=authority).values_list("person_id", "category"))
    history = _by_person(PeriodOfCare.objects.filter(authority=authority).values(
        "person_id", "start_date", "end_date", "uasc"))
    born = {pk: p["date_of_birth"] for pk, p in period.people.items()}
    candidates = {pk for pk in set(history) | set(statuses) if born.get(pk) and oldest < born[pk] <= youngest}
    breaks = _by_person(Episode.objects.filter(person_id__in=candidates, legal_status__in=SHORT_BREAK_STATUSES)
                        .values("person_id", "start_date", "end_date"))
    custody = _by_person(Custody.objects.filter(person_id__in=candidates).values("person_id", "start_date", "end_date"))
    activities = _by_person(Activity.objects.filter(person_id__in=candidates, start_date__lte=end).values(
        "person_id", "start_date", "end_date", "code", "pk"))
    leavers: dict[int, str] = {}
    for pk in candidates:
        if pk in statuses:
            category = statuses[pk]
        else:
            now = latest([a for a in activities.get(pk, []) if a["end_date"] is None or a["end_date"] >= end],
                         key=lambda a: (a["start_date"], a["pk"]))
            category = classify(
                born=born[pk], on=end,
                periods=[(p["start_date"], p["end_date"]) for p in history.get(pk, [])],
                short_breaks=[(b["start_date"], b["end_date"]) for b in breaks.get(pk, [])],
                custody=[(c["start_date"], c["end_date"]) for c in custody.get(pk, [])],
                in_education=bool(now and now["code"] in EDUCATION_TRAINING)).category
        if category in ELIGIBILITY:
            leavers[pk] = category
    persons = set(leavers)
    contacts = _by_person(LeaverContact.objects.filter(person_id__in=persons, contact_on__lte=end).values(
        "person_id", "contact_on", "in_touch", "pk"))
    accommodation = _by_person(Accommodation.objects.filter(person_id__in=persons, start_date__lte=end).values(
        "person_id", "start_date", "kind", "suitable", "pk"))
    plans = _by_person(PathwayPlan.objects.filter(person_id__in=persons, plan_agreed_on__lte=end).values(
        "person_id", "plan_agreed_on"))
    reviews = _by_person(PathwayPlanReview.objects.filter(plan__person_id__in=persons, held_on__lte=end).values(
        "plan__person_id", "held_on"), "plan__person_id")
    rows = []
    for pk, category in leavers.items():
        contact = latest(contacts.get(pk, []), key=lambda c: (c["contact_on"], c["pk"]))
        in_touch = _latest_on_or_before([c["contact_on"] for c in contacts.get(pk, []) if c["in_touch"] == "YES"], end)
        acc = latest(accommodation.get(pk, []), key=lambda a: (a["start_date"], a["pk"]))
        act = latest(activities.get(pk, []), key=lambda a: (a["start_date"], a["pk"]))
        plan_day = _latest_on_or_before([p["plan_agreed_on"] for p in plans.get(pk, [])]
                                        + [r["held_on"] for r in reviews.get(pk, [])], end)
        suitable = "" if acc is None or acc["suitable"] is None else "a) Suitable" if acc["suitable"] else "b) Unsuitable"
        rows.append((pk, [
            *period.child(pk), _yes_no(any(p["uasc"] for p in history.get(pk, []))), period.disabled(pk),
            *period.allocated(pk), period.allocations.get((pk, "adviser"), ("", ""))[1], ELIGIBILITY[category],
            plan_day, IN_TOUCH.get(contact["in_touch"], "") if contact else "", in_touch,
            _coded(AccommodationType, acc["kind"]) if acc else "", suitable,
            _coded(ActivityCode, act["code"]) if act else ""]))
    return rows


# -- list 10: adoption ------------------------------------------------------------------------------
def adoption(period: Period) -> Rows:
    from haven.looked_after.models import PeriodOfCare
    from haven.permanence.models import AdoptionDecision, ReasonPlacedCeased

    end = period.end
    steps: dict[int, dict[str, dict]] = defaultdict(dict)
    for a in AdoptionDecision.objects.filter(authority=period.authority, decided_on__lte=end).order_by(
            "decided_on", "pk").values("person_id", "kind", "decided_on", "reason_ceased"):
        steps[a["person_id"]][a["kind"]] = a   # the latest of each kind
    entered = _by_person(PeriodOfCare.objects.filter(authority=period.authority, person_id__in=list(steps))
                         .values("person_id", "start_date"))
    rows = []
    for pk, s in steps.items():
        decision = s.get("should_be_placed")
        if decision is None:
            continue
        decided = decision["decided_on"]

        def day(kind, s=s, decided=decided):
            """The step's date, if it followed the (latest) decision."""
            return s[kind]["decided_on"] if kind in s and s[kind]["decided_on"] >= decided else None

        if any(d is not None and d < period.start for d in (day("adoption_order"), day("reversed"))):
            continue
        reversed_on = day("reversed")
        rows.append((pk, [
            period.person(pk)["local_id"], "", *period.child(pk)[1:], period.disabled(pk),
            _latest_on_or_before([p["start_date"] for p in entered.get(pk, [])], decided),
            decided, day("placement_order"), day("matched"), day("placed"), day("adoption_order"), reversed_on,
            _coded(ReasonPlacedCeased, s["reversed"]["reason_ceased"], " - ") if reversed_on else "",
            day("moved_in_f2a")]))
    return rows


# -- list 11: adopters (not recorded) ---------------------------------------------------------------
def adopters(period: Period) -> Rows:
    return []


BUILDERS = (contacts, early_help, referrals, assessments, s47_enquiries, children_in_need, child_protection,
            looked_after, care_leavers, adoption, adopters)


def build(authority, start: dt.date, end: dt.date) -> AnnexA:
    """Lists 1 to 11 for ``authority`` from ``start`` to ``end`` (both included)."""
    period = Period(authority, start, end)
    annex = AnnexA(authority, start, end)
    for (name, columns), builder in zip(LISTS.items(), BUILDERS, strict=True):
        rows = sorted(builder(period), key=lambda r: _order(r[1]))
        annex.lists[name] = (list(columns), [row for _pk, row in rows])
        annex.person_ids[name] = [pk for pk, _row in rows]
    return annex


def _order(row: list):
    """Rows by child ID, then by their first date after the child's characteristics."""
    return (str(row[0]), next((v for v in row[5:] if isinstance(v, dt.date)), dt.date.min))
