"""The Standard Safeguarding Dataset (SSD, data-to-insight): Haven's record for one authority as
one CSV file per SSD table, the columns exactly the field names of ``reference/ssd/<table>.yml``
in their order (an empty table keeps its header row).

``export(authority, directory)`` writes the files and returns ``(table, rows, path)`` for each;
``build(authority)`` returns the rows; ``tables()`` the definitions read from the yml files.

Keys. A person is their local child ID (``Person.local_id``: unique, never reused, letters and
digits, at most 20 characters, as ``pers_person_id`` asks); ``ssd_person`` holds every child
(``Person.kind == child``) of the authority and every adult Haven knew as a child (a period of
care, a referral or a leaving care record: care leavers over 18 are adults in Haven), and every
other table keeps only rows about those people, so every person ID resolves. Other row IDs are the Haven primary key of the record the
row is written from (``cine_referral_id`` the referral, ``clae_cla_id`` the period of care,
``clap_cla_placement_id`` the placement, ``cppl_cp_plan_id`` the plan…); a table fed by two kinds
of record prefixes them (``ssd_cla_health``: ``HA`` health assessment, ``DC`` dental check;
``ssd_legal_status``: episode pk, ``SGO``/``CAO`` orders; ``ssd_linked_identifiers``: the child ID
and the identifier type). A row about one child in a record about several (contact, conference,
visit) is keyed by the Haven row that links that child (``ContactSubject``, ``ConferenceChild``,
``RecordingSubject``); the shared record is the meeting ID where the SSD has one.

Values. Dates are ISO (YYYY-MM-DD); flags ``Y``/``N``; codes are the DfE codes Haven stores (CIN
census, SSDA903), which the SSD code sets repeat. Workers are Haven users (``ssd_professionals``,
ID the user pk), teams Haven teams (``ssd_department``); "completed by" means the user who
recorded the row, their team the first team (serving the authority) they are an active member of;
care leavers' worker is their current personal adviser. JSON fields keep every key the SSD lists;
a flag Haven does not record is ``""``. A field Haven does not hold is left blank, never invented:

- ssd_person: pers_gender (Haven keeps gender identity as the person's own words, not the code
  set), pers_legacy_id, pers_upn_unknown (no UN code is recorded), pers_send_flag (no EHC plans),
  pers_nationality.
- ssd_address: address type; the JSON's ROOM, FLOOR, FLAT, BUILDING, HOUSE, UPRN, EASTING and
  NORTHING (Haven keeps address lines, given as STREET, and the town).
- ssd_cin_episodes: the referral outcome flags other than assessment, NFA and strategy discussion.
- ssd_cin_assessments, ssd_s47_enquiry, ssd_contacts: Haven records one outcome (or decision),
  given as its flag (Y; the other flags Haven can give: N) and in the JSON's comments where it has
  them; s47e_s47_nfa is blank and "concerns not substantiated" sets no flag (Haven's outcomes say
  whether concerns were substantiated, not what followed).
- ssd_cin_visits, ssd_cp_visits: bedroom seen.
- ssd_initial_cp_conference: transfer in; the outcome flags other than CP_FLAG. The target date
  is 15 working days after the strategy discussion that started the section 47 enquiry.
- ssd_cp_plans: OLA plan. ssd_cp_reviews: due date, quorate, participation (Haven's conference
  participation does not map one to one onto PN0-PN7).
- ssd_cla_episodes: last IRO contact; the referral is the one the period of care records, else
  the referral open when it started. ssd_cla_reviews: the due date is the next review date set
  at the review before (blank for the first review of a period of care).
- ssd_cla_care_plan: Haven's permanence aims map onto the SSD's plans (``CARE_PLAN_AIM``).
- ssd_care_leavers: eligibility is the category a worker confirmed, else Haven's computed one.
- ssd_permanence: FFA/CP decision date, date placed with foster carers, sibling group, provider
  URN, adoption worker, adopters' sex, legal status and number; adopted by carer only for foster
  to adopt.
- ssd_professionals: staff ID, SWE registration number, FTE, agency flag.
- ssd_department: parent team (Haven teams have none).
- ssd_involvements: reason for worker change; the referral is the one open when the allocation
  started. ssd_cp_visits, ssd_cp_reviews (when the conference names no plan), ssd_cla_visits,
  ssd_permanence: the plan or period of care covering the day.
- ssd_linked_identifiers: NHS number, UPN and court case numbers (no validity dates for the first
  two).
- ssd_pre_proceedings: filled: meeting date, outcome, end date, letter date, court reference.
  Not held: decision date, PLO family, legal gateway outcome, counts (plans, previous
  pre-proceedings and proceedings, meetings, hearings), letter to issue, legal representation,
  short notice, the LA's plans.

Tables written with the header only, because Haven holds nothing for them:

- ssd_early_help_episodes: Haven records the decision to step down to early help (contacts,
  referrals, assessments) but not early help episodes themselves.
- ssd_cla_convictions, ssd_cla_substance_misuse: not recorded (SSDA903 OC2 leaves them blank too).
- ssd_cla_previous_permanence: previous permanence orders are not recorded.
- ssd_send, ssd_sen_need, ssd_ehcp_requests, ssd_ehcp_assessment, ssd_ehcp_named_plan,
  ssd_ehcp_active_plans: Haven has no SEND or EHC plan records.
- ssd_s251_finance: no placement costs.
- ssd_voice_of_child: the questionnaire is not recorded.
- ssd_api_data_staging, ssd_version_log: the SSD's own administration tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import yaml
from django.db.models import Count, Q
from django.utils import timezone

REFERENCE = Path(__file__).parent / "reference" / "ssd"

# Tables Haven has nothing for, and why (written with their header only).
EMPTY = {
    "ssd_early_help_episodes": "early help episodes are not recorded (only the decision to step down)",
    "ssd_cla_convictions": "convictions are not recorded",
    "ssd_cla_substance_misuse": "substance misuse is not recorded",
    "ssd_cla_previous_permanence": "previous permanence orders are not recorded",
    "ssd_send": "SEND records are not held",
    "ssd_sen_need": "SEN needs are not held",
    "ssd_ehcp_requests": "EHC plans are not held",
    "ssd_ehcp_assessment": "EHC plans are not held",
    "ssd_ehcp_named_plan": "EHC plans are not held",
    "ssd_ehcp_active_plans": "EHC plans are not held",
    "ssd_s251_finance": "placement costs are not held",
    "ssd_voice_of_child": "the voice of the child questionnaire is not recorded",
    "ssd_api_data_staging": "SSD administration table",
    "ssd_version_log": "SSD administration table",
}

ADDRESS_KEYS = ("ROOM", "FLOOR", "FLAT", "BUILDING", "HOUSE", "STREET", "TOWN", "UPRN", "EASTING", "NORTHING")
CONTACT_OUTCOME_KEYS = ("NEW_REFERRAL_FLAG", "EXISTING_REFERRAL_FLAG", "CP_ENQUIRY_FLAG", "NFA_FLAG",
                        "NON_AGENCY_ADOPTION_FLAG", "PRIVATE_FOSTERING_FLAG", "ADVICE_FLAG", "MISSING_FLAG",
                        "OLA_CP_FLAG", "OTHER_OUTCOMES_EXIST_FLAG")
# Contact decision -> the flag it sets (early help has no flag of its own: an other outcome).
CONTACT_DECISION_FLAG = {"nfa": "NFA_FLAG", "information": "ADVICE_FLAG", "referral": "NEW_REFERRAL_FLAG",
                         "strategy": "CP_ENQUIRY_FLAG", "early_help": "OTHER_OUTCOMES_EXIST_FLAG"}
REFERRAL_OUTCOME_KEYS = ("SINGLE_ASSESSMENT_FLAG", "NFA_FLAG", "STRATEGY_DISCUSSION_FLAG", "CLA_REQUEST_FLAG",
                         "NON_AGENCY_ADOPTION_FLAG", "PRIVATE_FOSTERING_FLAG", "CP_TRANSFER_IN_FLAG",
                         "CP_CONFERENCE_FLAG", "CARE_LEAVER_FLAG", "OTHER_OUTCOMES_EXIST_FLAG")
ASSESSMENT_OUTCOME_KEYS = ("NFA_FLAG", "NFA_S47_END_FLAG", "STRATEGY_DISCUSSION_FLAG", "CLA_REQUEST_FLAG",
                           "PRIVATE_FOSTERING_FLAG", "LEGAL_ACTION_FLAG", "PROV_OF_SERVICES_FLAG",
                           "PROV_OF_SB_CARE_FLAG", "SPECIALIST_ASSESSMENT_FLAG", "REFERRAL_TO_OTHER_AGENCY_FLAG",
                           "OTHER_ACTIONS_FLAG", "OTHER_OUTCOMES_EXIST_FLAG")
# Assessment.Outcome -> flag.
ASSESSMENT_OUTCOME_FLAG = {"nfa": "NFA_FLAG", "strategy": "STRATEGY_DISCUSSION_FLAG", "cla": "CLA_REQUEST_FLAG",
                           "cin_plan": "PROV_OF_SERVICES_FLAG", "continue": "OTHER_ACTIONS_FLAG",
                           "early_help": "OTHER_OUTCOMES_EXIST_FLAG"}
S47_OUTCOME_KEYS = ("NFA_FLAG", "LEGAL_ACTION_FLAG", "PROV_OF_SERVICES_FLAG", "PROV_OF_SB_CARE_FLAG",
                    "CP_CONFERENCE_FLAG", "NFA_CONTINUE_SINGLE_FLAG", "MONITOR_FLAG", "OTHER_OUTCOMES_EXIST_FLAG")
# S47Enquiry.Outcome -> flag ("not substantiated" says nothing about what followed: no flag).
S47_OUTCOME_FLAG = {"icpc": "CP_CONFERENCE_FLAG", "substantiated_no_icpc": "PROV_OF_SERVICES_FLAG"}
ICPC_OUTCOME_KEYS = ("NFA_FLAG", "REFERRAL_TO_OTHER_AGENCY_FLAG", "SINGLE_ASSESSMENT_FLAG", "PROV_OF_SERVICES_FLAG",
                     "CP_FLAG", "OTHER_OUTCOMES_EXIST_FLAG")
CARE_PLAN_KEYS = ("REMAINSUP", "RETURN1M", "RETURN6M", "RETURNEV", "LTRELFR", "LTFOST18", "RESPLMT", "SUPPLIV",
                  "ADOPTION", "OTHERPLN")
# CarePlan.permanence_aim -> the SSD plan ("not decided" leaves every key blank, as the SSD asks).
# A return home has no time frame in Haven: the open-ended RETURNEV. An SGO or child arrangements
# order is not one of the SSD's plans: OTHERPLN.
CARE_PLAN_AIM = {"return_home": "RETURNEV", "adoption": "ADOPTION", "sgo": "OTHERPLN",
                 "long_term_fostering": "LTFOST18", "residential": "RESPLMT", "independence": "SUPPLIV"}
CP_CATEGORY = {"NEG": "Neglect", "PHY": "Physical abuse", "SAB": "Sexual abuse", "EMO": "Emotional abuse",
               "MUL": "Multiple"}
LEAVER_ELIGIBILITY = {"relevant": "Relevant", "former_relevant": "Former Relevant", "eligible": "Eligible",
                      "qualifying": "Qualifying", "not_eligible": "No Current Eligibility"}
PRE_PROCEEDINGS_OUTCOME = {"issued": "Decision to Issue Care Proceedings", "diverted": "Decision to step down"}
MISSING_KIND = {"M": "Missing", "A": "Away"}
RHI_OFFERED = {"offered": "Y", "accepted": "Y", "declined": "Y", "completed": "Y", "not_offered": "N"}
RHI_ACCEPTED = {"accepted": "Y", "completed": "Y", "declined": "N", "not_offered": "NA"}


# -- the SSD definitions ----------------------------------------------------------------------

@cache
def tables() -> dict[str, list[dict]]:
    """Every SSD table: name -> its field definitions (name, description, type, primary_key,
    foreign_key, guidance…) in the yml's order."""
    found = {}
    for path in sorted(REFERENCE.glob("ssd_*.yml")):
        for node in yaml.safe_load(path.read_text(encoding="utf-8"))["nodes"]:
            found[node["name"]] = node["fields"]
    return found


@cache
def relationships() -> list[dict]:
    """The SSD's parent/child keys (``relationships.yml``)."""
    return yaml.safe_load((REFERENCE / "relationships.yml").read_text(encoding="utf-8"))["relationships"]


def columns(table: str) -> list[str]:
    return [f["name"] for f in tables()[table]]


# -- values -----------------------------------------------------------------------------------

def iso(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = day_of(value)
    return value.isoformat()


def day_of(value: dt.datetime | None) -> dt.date | None:
    """The local day of a moment (the authority's time zone, ``settings.TIME_ZONE``: an export
    is not a request, and ``timezone.localtime`` per row is slow at scale)."""
    if value is None:
        return None
    return value.astimezone(timezone.get_default_timezone()).date() if value.tzinfo else value.date()


def yn(value: bool | None) -> str:
    return "" if value is None else "Y" if value else "N"


def flags(keys: Iterable[str], chosen: str | None, held: Iterable[str] = (), *,
          decided: bool | None = None) -> dict[str, str]:
    """An SSD outcome JSON's flags: ``chosen`` Y; the other ``held`` flags N (Haven records
    one outcome, so they did not happen); flags Haven does not record ``""``. No decision yet
    (``decided``, by default whether a flag was chosen): all ``""``."""
    if not (chosen if decided is None else decided):
        return {k: "" for k in keys}
    held = set(held) | ({chosen} if chosen else set())
    return {k: "Y" if k == chosen else "N" if k in held else "" for k in keys}


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def covering(spans: list[tuple[dt.date, dt.date | None, int]], day: dt.date | None):
    """The id of the latest-starting span (start, end or None, id) that covers ``day``."""
    if day is None:
        return ""
    for start, end, pk in sorted(spans, key=lambda s: (s[0], s[2]), reverse=True):
        if start <= day and (end is None or day <= end):
            return pk
    return ""


# -- the extract ------------------------------------------------------------------------------

class _Extract:
    """Builds the rows of each filled table. ``ssd_person`` runs first (it decides whose rows
    are in), the professionals and teams last (they add everyone the other tables named)."""

    ORDER = ("ssd_person", "ssd_family", "ssd_address", "ssd_disability", "ssd_immigration_status", "ssd_mother",
             "ssd_legal_status", "ssd_contacts", "ssd_cin_episodes", "ssd_cin_assessments",
             "ssd_assessment_factors", "ssd_s47_enquiry", "ssd_initial_cp_conference", "ssd_cp_plans",
             "ssd_cp_reviews", "ssd_cp_visits", "ssd_cin_plans", "ssd_cin_visits", "ssd_cla_episodes",
             "ssd_cla_placement", "ssd_cla_reviews", "ssd_cla_visits", "ssd_cla_health", "ssd_cla_immunisations",
             "ssd_cla_care_plan", "ssd_sdq_scores", "ssd_missing", "ssd_care_leavers", "ssd_permanence",
             "ssd_pre_proceedings", "ssd_linked_identifiers", "ssd_involvements", "ssd_professionals",
             "ssd_department")

    def __init__(self, authority):
        from haven.accounts.models import Membership, Team

        self.authority = authority
        self.ids: dict[int, str] = {}              # person pk -> local child ID
        self.people: dict[int, dict] = {}
        self.team_ids = set(Team.objects.filter(Q(authority=authority) | Q(serves=authority))
                            .values_list("pk", flat=True))
        self.team_of: dict[int, int] = {}          # user pk -> their team
        for user_id, team_id in (Membership.objects.filter(active=True, team_id__in=self.team_ids)
                                 .order_by("pk").values_list("user_id", "team_id")):
            self.team_of.setdefault(user_id, team_id)
        self.workers: set[int] = set()             # users named by a row
        self.teams: set[int] = set()               # teams named by a row

    def rows(self) -> dict[str, list[dict]]:
        return {name: list(getattr(self, name)()) for name in self.ORDER}

    def mine(self, model):
        return model.objects.filter(authority=self.authority)

    def by(self, user_id: int | None) -> tuple[str, str]:
        """(worker id, team id) of the user who recorded a row."""
        if not user_id:
            return "", ""
        self.workers.add(user_id)
        team = self.team_of.get(user_id)
        if team:
            self.teams.add(team)
        return user_id, team or ""

    # -- people -------------------------------------------------------------------------------

    def ssd_person(self):
        """Every child of the authority, and every adult Haven knew as a child: looked after,
        referred, or leaving care (care leavers over 18 are adults in Haven)."""
        from haven.assessments.models import CINEpisode
        from haven.care_leavers.models import LeaverStatus, LeavingCareTracking, PathwayPlan
        from haven.looked_after.models import PeriodOfCare
        from haven.people.models import Person

        known = set()
        for model in (PeriodOfCare, CINEpisode, LeavingCareTracking, PathwayPlan, LeaverStatus):
            known.update(self.mine(model).values_list("person_id", flat=True).distinct())
        people = (Person.objects.filter(authority=self.authority).order_by("pk")
                  .values("pk", "kind", "local_id", "first_name", "last_name", "sex", "ethnicity", "date_of_birth",
                          "expected_date_of_birth", "date_of_death", "nhs_number", "upn"))
        self.people = {p["pk"]: p for p in people.iterator() if p["kind"] == Person.Kind.CHILD or p["pk"] in known}
        self.ids = {pk: p["local_id"] for pk, p in self.people.items()}
        self.motherhood = self._motherhood()
        mothers = {mother for _pk, mother, _child in self.motherhood}
        for pk, p in self.people.items():
            yield {"pers_person_id": p["local_id"], "pers_forename": p["first_name"], "pers_surname": p["last_name"],
                   "pers_sex": p["sex"], "pers_ethnicity": p["ethnicity"], "pers_dob": iso(p["date_of_birth"]),
                   "pers_common_child_id": p["nhs_number"], "pers_expected_dob": iso(p["expected_date_of_birth"]),
                   "pers_death_date": iso(p["date_of_death"]), "pers_is_mother": yn(pk in mothers)}

    def _motherhood(self) -> list[tuple[int, int, int]]:
        """(relationship pk, mother, child) for every parent-child relationship between two
        people of ``ssd_person`` whose parent's sex is not male (the SSD's definition)."""
        from haven.people.models import Relationship

        found = []
        for pk, person, other, kind in (self.mine(Relationship).filter(type__in=("parent", "child"))
                                        .values_list("pk", "person_id", "other_id", "type").iterator()):
            parent, child = (person, other) if kind == "parent" else (other, person)
            if parent in self.ids and child in self.ids and self.people[parent]["sex"] != "M":
                found.append((pk, parent, child))
        return sorted(found)

    def ssd_mother(self):
        for pk, mother, child in self.motherhood:
            yield {"moth_table_id": pk, "moth_person_id": self.ids[mother], "moth_childs_person_id": self.ids[child],
                   "moth_childs_dob": iso(self.people[child]["date_of_birth"])}

    def ssd_family(self):
        from haven.people.models import HouseholdMember

        for pk, household, person in (self.mine(HouseholdMember).order_by("pk")
                                      .values_list("pk", "household_id", "person_id").iterator()):
            if person in self.ids:
                yield {"fami_table_id": pk, "fami_family_id": household, "fami_person_id": self.ids[person]}

    def ssd_address(self):
        from haven.people.models import Address

        for a in self.mine(Address).order_by("pk").values("pk", "person_id", "line_1", "line_2", "town", "postcode",
                                                          "start_date", "end_date").iterator():
            if a["person_id"] not in self.ids:
                continue
            address = dict.fromkeys(ADDRESS_KEYS, "")
            address["STREET"] = ", ".join(p for p in (a["line_1"], a["line_2"]) if p)
            address["TOWN"] = a["town"]
            yield {"addr_table_id": a["pk"], "addr_address_json": as_json(address), "addr_person_id": self.ids[a["person_id"]],
                   "addr_address_start_date": iso(a["start_date"]), "addr_address_end_date": iso(a["end_date"]),
                   "addr_address_postcode": a["postcode"].replace(" ", "").upper()}

    def ssd_disability(self):
        from haven.people.models import PersonDisability

        for pk, person, code in self.mine(PersonDisability).order_by("pk").values_list("pk", "person_id", "code").iterator():
            if person in self.ids:
                yield {"disa_person_id": self.ids[person], "disa_table_id": pk, "disa_disability_code": code}

    def ssd_immigration_status(self):
        """UASC: Haven records it on the period of care, so the status runs with the period."""
        from haven.looked_after.models import PeriodOfCare

        for pk, person, start, end in (self.mine(PeriodOfCare).filter(uasc=True).order_by("pk")
                                       .values_list("pk", "person_id", "start_date", "end_date").iterator()):
            if person in self.ids:
                yield {"immi_person_id": self.ids[person], "immi_immigration_status_id": pk,
                       "immi_immigration_status": "Unaccompanied Asylum Seeking Child",
                       "immi_immigration_status_start_date": iso(start), "immi_immigration_status_end_date": iso(end)}

    def ssd_legal_status(self):
        """Legal statuses of care (SSDA903 LS) from the episodes, one row per unbroken stretch of
        one status (a placement change alone does not start a new one); special guardianship
        orders and child arrangements orders from the permanence record."""
        from haven.looked_after.models import Episode
        from haven.permanence.models import CareProceedings, SpecialGuardianshipOrder

        current: dict | None = None
        for e in (self.mine(Episode).order_by("person_id", "period_id", "start_date", "pk")
                  .values("pk", "person_id", "period_id", "legal_status", "start_date", "end_date").iterator()):
            if e["person_id"] not in self.ids:
                continue
            if (current and current["_key"] == (e["person_id"], e["period_id"])
                    and current["lega_legal_status"] == e["legal_status"]):
                current["lega_legal_status_end_date"] = iso(e["end_date"])
                continue
            if current:
                yield {k: v for k, v in current.items() if k != "_key"}
            current = {"_key": (e["person_id"], e["period_id"]), "lega_legal_status_id": e["pk"],
                       "lega_person_id": self.ids[e["person_id"]], "lega_legal_status": e["legal_status"],
                       "lega_legal_status_start_date": iso(e["start_date"]),
                       "lega_legal_status_end_date": iso(e["end_date"])}
        if current:
            yield {k: v for k, v in current.items() if k != "_key"}
        for pk, person, granted in (self.mine(SpecialGuardianshipOrder).order_by("pk")
                                    .values_list("pk", "person_id", "granted_on").iterator()):
            if person in self.ids:
                yield {"lega_legal_status_id": f"SGO{pk}", "lega_person_id": self.ids[person],
                       "lega_legal_status": "Special guardianship order", "lega_legal_status_start_date": iso(granted)}
        for pk, person, concluded in (self.mine(CareProceedings).filter(outcome="cao", concluded_on__isnull=False)
                                      .order_by("pk").values_list("pk", "person_id", "concluded_on").iterator()):
            if person in self.ids:
                yield {"lega_legal_status_id": f"CAO{pk}", "lega_person_id": self.ids[person],
                       "lega_legal_status": "Child arrangements order", "lega_legal_status_start_date": iso(concluded)}

    def ssd_linked_identifiers(self):
        from haven.permanence.models import CareProceedings

        for p in self.people.values():
            for short, kind, value in (("NHS", "NHS Number", p["nhs_number"]), ("UPN", "Unique Pupil Number", p["upn"])):
                if value:
                    yield {"link_table_id": f"{p['local_id']}-{short}", "link_person_id": p["local_id"],
                           "link_identifier_type": kind, "link_identifier_value": value}
        for pk, person, number, issued, concluded in (
                self.mine(CareProceedings).exclude(case_number="").order_by("pk")
                .values_list("pk", "person_id", "case_number", "issued_on", "concluded_on").iterator()):
            if person in self.ids:
                yield {"link_table_id": f"{self.ids[person]}-COURT{pk}", "link_person_id": self.ids[person],
                       "link_identifier_type": "Court Case Number", "link_identifier_value": number,
                       "link_valid_from_date": iso(issued), "link_valid_to_date": iso(concluded)}

    # -- the front door and children in need ----------------------------------------------------

    def ssd_contacts(self):
        from haven.core.codes import ReferralSource
        from haven.front_door.models import ContactSubject

        for s in (self.mine(ContactSubject).order_by("pk")
                  .values("pk", "person_id", "contact__received_at", "contact__source", "contact__decision").iterator()):
            if s["person_id"] not in self.ids:
                continue
            chosen = CONTACT_DECISION_FLAG.get(s["contact__decision"])
            yield {"cont_contact_id": s["pk"], "cont_person_id": self.ids[s["person_id"]],
                   "cont_contact_date": iso(s["contact__received_at"]), "cont_contact_source_code": s["contact__source"],
                   "cont_contact_source_desc": _label(ReferralSource, s["contact__source"]),
                   "cont_contact_outcome_json": as_json(flags(CONTACT_OUTCOME_KEYS, chosen, CONTACT_DECISION_FLAG.values()))}

    def ssd_cin_episodes(self):
        from haven.assessments.models import Assessment, CINEpisode
        from haven.core.codes import ReferralSource
        from haven.protection.models import StrategyChild

        assessed = set(self.mine(Assessment).values_list("episode_id", flat=True).distinct())
        strategy = set(self.mine(StrategyChild).exclude(episode_id=None).values_list("episode_id", flat=True).distinct())
        self.episodes: dict[int, list] = defaultdict(list)   # person -> [(referral, closure, pk)]
        for e in (self.mine(CINEpisode).order_by("pk")
                  .values("pk", "person_id", "referral_date", "source", "primary_need", "referral_nfa",
                          "closure_date", "closure_reason", "created_by_id").iterator()):
            if e["person_id"] not in self.ids:
                continue
            self.episodes[e["person_id"]].append((e["referral_date"], e["closure_date"], e["pk"]))
            outcome = dict.fromkeys(REFERRAL_OUTCOME_KEYS, "")
            outcome.update(SINGLE_ASSESSMENT_FLAG=yn(e["pk"] in assessed), NFA_FLAG=yn(e["referral_nfa"]),
                           STRATEGY_DISCUSSION_FLAG=yn(e["pk"] in strategy))
            worker, team = self.by(e["created_by_id"])
            yield {"cine_referral_id": e["pk"], "cine_person_id": self.ids[e["person_id"]],
                   "cine_referral_date": iso(e["referral_date"]), "cine_cin_primary_need_code": e["primary_need"],
                   "cine_referral_source_code": e["source"], "cine_referral_source_desc": _label(ReferralSource, e["source"]),
                   "cine_referral_outcome_json": as_json(outcome), "cine_referral_nfa": yn(e["referral_nfa"]),
                   "cine_close_reason": e["closure_reason"], "cine_close_date": iso(e["closure_date"]),
                   "cine_referral_team": team, "cine_referral_worker_id": worker}

    def ssd_cin_assessments(self):
        from haven.assessments.models import Assessment

        for a in (self.mine(Assessment).order_by("pk")
                  .values("pk", "person_id", "episode_id", "start_date", "child_seen_date", "authorised_date",
                          "outcome", "created_by_id").iterator()):
            if a["person_id"] not in self.ids:
                continue
            outcome = {**flags(ASSESSMENT_OUTCOME_KEYS, ASSESSMENT_OUTCOME_FLAG.get(a["outcome"]),
                               ASSESSMENT_OUTCOME_FLAG.values()),
                       "TOTAL_NO_OF_OUTCOMES": 1 if a["outcome"] else "",
                       "COMMENTS": _label(Assessment.Outcome, a["outcome"])}
            worker, team = self.by(a["created_by_id"])
            yield {"cina_assessment_id": a["pk"], "cina_person_id": self.ids[a["person_id"]],
                   "cina_referral_id": a["episode_id"], "cina_assessment_start_date": iso(a["start_date"]),
                   "cina_assessment_child_seen": yn(a["child_seen_date"] is not None),
                   "cina_assessment_auth_date": iso(a["authorised_date"]), "cina_assessment_outcome_json": as_json(outcome),
                   "cina_assessment_outcome_nfa": yn(a["outcome"] == "nfa") if a["outcome"] else "",
                   "cina_assessment_team": team, "cina_assessment_worker_id": worker}

    def ssd_assessment_factors(self):
        """One row per assessment with factors: the codes as a JSON array (the SSD's option 1)."""
        from haven.assessments.models import AssessmentFactorIdentified

        factors: dict[int, list[str]] = defaultdict(list)
        for assessment, person, code in (self.mine(AssessmentFactorIdentified).order_by("assessment_id", "code")
                                         .values_list("assessment_id", "assessment__person_id", "code").iterator()):
            if person in self.ids:
                factors[assessment].append(code)
        for assessment, codes in sorted(factors.items()):
            yield {"cinf_table_id": assessment, "cinf_assessment_id": assessment,
                   "cinf_assessment_factors_json": as_json(sorted(codes, key=_factor_order))}

    def ssd_cin_plans(self):
        from haven.plans.models import Plan

        for p in (self.mine(Plan).filter(kind="cin").order_by("pk")
                  .values("pk", "person_id", "episode_id", "start_date", "end_date", "created_by_id").iterator()):
            if p["person_id"] in self.ids:
                worker, team = self.by(p["created_by_id"])
                yield {"cinp_cin_plan_id": p["pk"], "cinp_referral_id": p["episode_id"],
                       "cinp_person_id": self.ids[p["person_id"]], "cinp_cin_plan_start_date": iso(p["start_date"]),
                       "cinp_cin_plan_end_date": iso(p["end_date"]), "cinp_cin_plan_team": team,
                       "cinp_cin_plan_worker_id": worker}

    def _visits(self, kind: str):
        from haven.recording.models import RecordingSubject

        fields = ("pk", "person_id", "seen", "seen_alone", "recording__occurred_at")
        for row in (self.mine(RecordingSubject).filter(recording__kind=kind).order_by("pk")
                    .values_list(*fields).iterator()):
            if row[1] in self.ids:
                yield dict(zip(fields, row, strict=True)), day_of(row[4])

    def ssd_cin_visits(self):
        for v, day in self._visits("cin_visit"):
            yield {"cinv_cin_visit_id": v["pk"], "cinv_person_id": self.ids[v["person_id"]], "cinv_cin_visit_date": iso(day),
                   "cinv_cin_visit_seen": yn(v["seen"]), "cinv_cin_visit_seen_alone": yn(v["seen_alone"])}

    # -- child protection -----------------------------------------------------------------------

    def ssd_s47_enquiry(self):
        from haven.protection.models import S47Enquiry

        self.strategy_day: dict[int, dt.date] = {}
        for s in (self.mine(S47Enquiry).order_by("pk")
                  .values("pk", "person_id", "episode_id", "start_date", "strategy_discussion__held_at", "outcome",
                          "completed_date", "created_by_id").iterator()):
            if s["person_id"] not in self.ids:
                continue
            # S47 start: the day of the strategy discussion that started it (the SSD's definition).
            start = day_of(s["strategy_discussion__held_at"]) or s["start_date"]
            self.strategy_day[s["pk"]] = start
            outcome = {**flags(S47_OUTCOME_KEYS, S47_OUTCOME_FLAG.get(s["outcome"]), S47_OUTCOME_FLAG.values(),
                                 decided=bool(s["outcome"])),
                       "TOTAL_NO_OF_OUTCOMES": 1 if s["outcome"] else "",
                       "OUTCOME_COMMENTS": _label(S47Enquiry.Outcome, s["outcome"])}
            worker, team = self.by(s["created_by_id"])
            yield {"s47e_s47_enquiry_id": s["pk"], "s47e_referral_id": s["episode_id"],
                   "s47e_person_id": self.ids[s["person_id"]], "s47e_s47_start_date": iso(start),
                   "s47e_s47_end_date": iso(s["completed_date"]), "s47e_s47_nfa": "",
                   "s47e_s47_outcome_json": as_json(outcome), "s47e_s47_completed_by_worker_id": worker,
                   "s47e_s47_completed_by_team": team}

    def _conference_children(self, kind: str):
        from haven.protection.models import ConferenceChild

        for c in (self.mine(ConferenceChild).filter(conference__kind=kind).order_by("pk")
                  .values("pk", "person_id", "conference_id", "conference__held_on", "conference__created_by_id",
                          "s47_id", "s47__episode_id", "plan_id", "plan__kind", "plan__episode_id",
                          "plan_needed").iterator()):
            if c["person_id"] in self.ids:
                yield c

    def ssd_initial_cp_conference(self):
        from haven.core.calendar import add_working_days

        self.icpc_of_plan: dict[int, int] = {}
        for c in self._conference_children("initial"):
            cp_plan = c["plan_id"] if c["plan__kind"] == "cp" else None
            if cp_plan:
                self.icpc_of_plan.setdefault(cp_plan, c["pk"])
            strategy = self.strategy_day.get(c["s47_id"])
            worker, team = self.by(c["conference__created_by_id"])
            outcome = {**dict.fromkeys(ICPC_OUTCOME_KEYS, ""), "CP_FLAG": yn(c["plan_needed"]),
                       "TOTAL_NO_OF_OUTCOMES": "", "COMMENTS": ""}
            yield {"icpc_icpc_id": c["pk"], "icpc_icpc_meeting_id": c["conference_id"],
                   "icpc_s47_enquiry_id": c["s47_id"] or "",
                   "icpc_person_id": self.ids[c["person_id"]], "icpc_cp_plan_id": cp_plan or "",
                   "icpc_referral_id": c["s47__episode_id"] or c["plan__episode_id"] or "",
                   "icpc_icpc_target_date": iso(add_working_days(strategy, 15)) if strategy else "",
                   "icpc_icpc_date": iso(c["conference__held_on"]), "icpc_icpc_outcome_cp_flag": yn(c["plan_needed"]),
                   "icpc_icpc_outcome_json": as_json(outcome), "icpc_icpc_team": team, "icpc_icpc_worker_id": worker}

    def ssd_cp_plans(self):
        from haven.plans.models import Plan

        self.cp_plans: dict[int, list] = defaultdict(list)   # person -> [(start, end, pk)]
        for p in (self.mine(Plan).filter(kind="cp").order_by("pk")
                  .values("pk", "person_id", "episode_id", "start_date", "end_date", "initial_category",
                          "latest_category").iterator()):
            if p["person_id"] not in self.ids:
                continue
            self.cp_plans[p["person_id"]].append((p["start_date"], p["end_date"], p["pk"]))
            yield {"cppl_cp_plan_id": p["pk"], "cppl_referral_id": p["episode_id"],
                   "cppl_icpc_id": self.icpc_of_plan.get(p["pk"], ""), "cppl_person_id": self.ids[p["person_id"]],
                   "cppl_cp_plan_start_date": iso(p["start_date"]), "cppl_cp_plan_end_date": iso(p["end_date"]),
                   "cppl_cp_plan_initial_category": CP_CATEGORY.get(p["initial_category"], ""),
                   "cppl_cp_plan_latest_category": CP_CATEGORY.get(p["latest_category"], "")}

    def ssd_cp_reviews(self):
        for c in self._conference_children("review"):
            plan = (c["plan_id"] if c["plan__kind"] == "cp" else
                    covering(self.cp_plans.get(c["person_id"], []), c["conference__held_on"]))
            yield {"cppr_cp_review_id": c["pk"], "cppr_person_id": self.ids[c["person_id"]], "cppr_cp_plan_id": plan,
                   "cppr_cp_review_date": iso(c["conference__held_on"]), "cppr_cp_review_meeting_id": c["conference_id"],
                   "cppr_cp_review_outcome_continue_cp": yn(c["plan_needed"])}

    def ssd_cp_visits(self):
        for v, day in self._visits("cp_visit"):
            yield {"cppv_cp_visit_id": v["pk"], "cppv_person_id": self.ids[v["person_id"]],
                   "cppv_cp_plan_id": covering(self.cp_plans.get(v["person_id"], []), day),
                   "cppv_cp_visit_date": iso(day), "cppv_cp_visit_seen": yn(v["seen"]),
                   "cppv_cp_visit_seen_alone": yn(v["seen_alone"])}

    # -- children looked after ------------------------------------------------------------------

    def ssd_cla_episodes(self):
        from haven.looked_after.models import Episode, PeriodOfCare

        self.periods: dict[int, list] = defaultdict(list)   # person -> [(start, end, pk)]
        for pk, person, start, end in (self.mine(PeriodOfCare).order_by("pk")
                                       .values_list("pk", "person_id", "start_date", "end_date").iterator()):
            if person in self.ids:
                self.periods[person].append((start, end, pk))
        for e in (self.mine(Episode).order_by("person_id", "start_date", "pk")
                  .values("pk", "person_id", "period_id", "placement_id", "start_date", "reason_new",
                          "category_of_need", "end_date", "end_reason", "period__start_date",
                          "period__cin_episode_id").iterator()):
            if e["person_id"] in self.ids:
                yield {"clae_cla_episode_id": e["pk"], "clae_person_id": self.ids[e["person_id"]],
                       "clae_cla_episode_start_date": iso(e["start_date"]), "clae_cla_episode_start_reason": e["reason_new"],
                       "clae_cla_primary_need_code": e["category_of_need"],
                       "clae_cla_episode_ceased_date": iso(e["end_date"]), "clae_cla_episode_ceased_reason": e["end_reason"],
                       "clae_cla_id": e["period_id"],
                       "clae_referral_id": e["period__cin_episode_id"] or covering(
                           self.episodes.get(e["person_id"], []), e["period__start_date"]),
                       "clae_cla_placement_id": e["placement_id"], "clae_entered_care_date": iso(e["period__start_date"])}

    def ssd_cla_placement(self):
        from haven.looked_after.models import Placement

        for p in (self.mine(Placement).order_by("pk")
                  .values("pk", "person_id", "period_id", "start_date", "end_date", "place", "provider_code",
                          "provider__urn", "urn", "postcode", "distance_miles", "reason_for_change").iterator()):
            if p["person_id"] in self.ids:
                yield {"clap_cla_placement_id": p["pk"], "clap_cla_placement_start_date": iso(p["start_date"]),
                       "clap_cla_placement_type": p["place"], "clap_cla_placement_urn": p["urn"] or p["provider__urn"] or "",
                       "clap_cla_placement_distance": "" if p["distance_miles"] is None else str(p["distance_miles"]),
                       "clap_cla_id": p["period_id"], "clap_cla_placement_provider": p["provider_code"],
                       "clap_cla_placement_postcode": p["postcode"], "clap_cla_placement_end_date": iso(p["end_date"]),
                       "clap_cla_placement_change_reason": p["reason_for_change"], "clap_person_id": self.ids[p["person_id"]]}

    def ssd_cla_reviews(self):
        """A review's due date is the next review date set at the review before it in the same
        period; a review Haven holds was held, so not cancelled."""
        from haven.care_planning.models import LACReview

        due: dict[int, dt.date | None] = {}
        for r in (self.mine(LACReview).order_by("period_id", "held_on", "pk")
                  .values("pk", "person_id", "period_id", "held_on", "participation", "next_review_on").iterator()):
            if r["person_id"] not in self.ids:
                continue
            yield {"clar_cla_review_id": r["pk"], "clar_cla_id": r["period_id"],
                   "clar_cla_review_due_date": iso(due.get(r["period_id"])), "clar_cla_review_date": iso(r["held_on"]),
                   "clar_cla_review_cancelled": "N", "clar_cla_review_participation": r["participation"]}
            due[r["period_id"]] = r["next_review_on"]

    def ssd_cla_visits(self):
        for v, day in self._visits("cla_visit"):
            yield {"clav_cla_visit_id": v["pk"], "clav_cla_id": covering(self.periods.get(v["person_id"], []), day),
                   "clav_person_id": self.ids[v["person_id"]], "clav_cla_visit_date": iso(day),
                   "clav_cla_visit_seen": yn(v["seen"]), "clav_cla_visit_seen_alone": yn(v["seen_alone"])}

    def ssd_cla_health(self):
        from haven.health.models import DentalCheck, HealthAssessment

        kinds = dict(HealthAssessment.Kind.choices)
        for pk, person, kind, day in (self.mine(HealthAssessment).order_by("pk")
                                      .values_list("pk", "person_id", "kind", "completed_on").iterator()):
            if person in self.ids:
                yield {"clah_health_check_id": f"HA{pk}", "clah_person_id": self.ids[person],
                       "clah_health_check_type": kinds.get(kind, kind), "clah_health_check_date": iso(day),
                       "clah_health_check_status": "Completed"}
        for pk, person, day in self.mine(DentalCheck).order_by("pk").values_list("pk", "person_id", "checked_on").iterator():
            if person in self.ids:
                yield {"clah_health_check_id": f"DC{pk}", "clah_person_id": self.ids[person],
                       "clah_health_check_type": "Dental check", "clah_health_check_date": iso(day),
                       "clah_health_check_status": "Completed"}

    def ssd_cla_immunisations(self):
        """One row per child (the person ID is the row's key): the latest check."""
        from haven.health.models import Immunisations

        latest: dict[int, tuple] = {}
        for person, day, up_to_date in (self.mine(Immunisations).order_by("recorded_on", "pk")
                                        .values_list("person_id", "recorded_on", "up_to_date").iterator()):
            if person in self.ids:
                latest[person] = (day, up_to_date)
        for person, (day, up_to_date) in sorted(latest.items()):
            yield {"clai_person_id": self.ids[person], "clai_immunisations_status": yn(up_to_date),
                   "clai_immunisations_status_date": iso(day)}

    def ssd_cla_care_plan(self):
        """Each agreed version of the care plan, in effect until the next version of the same
        period (the last one until the period ends)."""
        from haven.care_planning.models import CarePlan

        plans = [p for p in (self.mine(CarePlan).order_by("period_id", "agreed_on", "pk")
                             .values("pk", "person_id", "period_id", "agreed_on", "permanence_aim",
                                     "period__end_date").iterator())
                 if p["person_id"] in self.ids]
        for n, p in enumerate(plans):
            nxt = plans[n + 1] if n + 1 < len(plans) and plans[n + 1]["period_id"] == p["period_id"] else None
            aim = CARE_PLAN_AIM.get(p["permanence_aim"])
            plan = {k: ("Y" if k == aim else "N") if aim else "" for k in CARE_PLAN_KEYS}
            yield {"lacp_table_id": p["pk"], "lacp_person_id": self.ids[p["person_id"]],
                   "lacp_cla_care_plan_start_date": iso(p["agreed_on"]),
                   "lacp_cla_care_plan_end_date": iso(nxt["agreed_on"] if nxt else p["period__end_date"]),
                   "lacp_cla_care_plan_json": as_json(plan)}

    def ssd_sdq_scores(self):
        from haven.health.models import SDQScore

        for pk, person, day, score, reason in (self.mine(SDQScore).order_by("pk")
                                               .values_list("pk", "person_id", "completed_on", "score", "reason").iterator()):
            if person in self.ids:
                yield {"csdq_table_id": pk, "csdq_person_id": self.ids[person], "csdq_sdq_completed_date": iso(day),
                       "csdq_sdq_reason": reason, "csdq_sdq_score": "" if score is None else score}

    def ssd_missing(self):
        """Every missing or away episode (from home or care); the return home interview offered and
        accepted from the latest interview record (none: blank)."""
        from haven.missing.models import MissingEpisode, ReturnInterview

        rhi = dict(self.mine(ReturnInterview).order_by("episode_id", "pk").values_list("episode_id", "outcome"))
        for pk, person, kind, started, ended in (self.mine(MissingEpisode).order_by("pk")
                                                 .values_list("pk", "person_id", "kind", "started_at", "ended_at").iterator()):
            if person in self.ids:
                outcome = rhi.get(pk)
                yield {"miss_table_id": pk, "miss_person_id": self.ids[person], "miss_missing_episode_start_date": iso(started),
                       "miss_missing_episode_type": MISSING_KIND.get(kind, kind), "miss_missing_episode_end_date": iso(ended),
                       "miss_missing_rhi_offered": RHI_OFFERED.get(outcome, ""),
                       "miss_missing_rhi_accepted": RHI_ACCEPTED.get(outcome, "")}

    # -- care leavers and permanence ------------------------------------------------------------

    def ssd_care_leavers(self):
        """Young people leaving care (with a confirmed category, a pathway plan, or tracked for
        leaving care and in a category now), one row each keyed by their child ID. Eligibility is Haven's: the category
        a worker confirmed, else the one computed from the care history today
        (``haven.care_leavers.eligibility``); then the latest contact, accommodation and activity,
        the latest pathway plan date, and the current personal adviser."""
        from haven.care_leavers.models import (
            Accommodation,
            Activity,
            LeaverContact,
            LeaverStatus,
            LeavingCareTracking,
            PathwayPlan,
            PathwayPlanReview,
        )
        from haven.people.models import Allocation

        status = dict(self.mine(LeaverStatus).values_list("person_id", "category"))
        plan_days: dict[int, dt.date | None] = {}
        for person, agreed in self.mine(PathwayPlan).values_list("person_id", "plan_agreed_on").iterator():
            plan_days[person] = max(filter(None, (plan_days.get(person), agreed)), default=None)
        for person, held in self.mine(PathwayPlanReview).values_list("plan__person_id", "held_on").iterator():
            plan_days[person] = max(filter(None, (plan_days.get(person), held)), default=None)
        tracked = set(self.mine(LeavingCareTracking).values_list("person_id", flat=True)) & set(self.ids)
        category = self._computed_categories(sorted(tracked - set(status))) | status
        # Tracked children not (yet) in a leaving care category are not care leavers.
        leavers = sorted(((set(status) | set(plan_days)) & set(self.ids))
                         | {p for p in tracked if category.get(p, "not_eligible") != "not_eligible"})
        contact = {p: (day, in_touch) for p, day, in_touch in self.mine(LeaverContact).order_by("contact_on", "pk")
                   .values_list("person_id", "contact_on", "in_touch")}
        accommodation = {p: (kind, suitable) for p, kind, suitable in self.mine(Accommodation)
                         .order_by("start_date", "pk").values_list("person_id", "kind", "suitable")}
        activity = dict(self.mine(Activity).order_by("start_date", "pk").values_list("person_id", "code"))
        today = timezone.localdate()
        adviser = {a["person_id"]: a for a in self.mine(Allocation).filter(role="personal_adviser", start_date__lte=today)
                   .filter(Q(end_date__isnull=True) | Q(end_date__gt=today)).order_by("start_date", "pk")
                   .values("person_id", "worker_id", "team_id", "worker__first_name", "worker__last_name")}
        for person in leavers:
            day, in_touch = contact.get(person, (None, ""))
            kind, suitable = accommodation.get(person, ("", None))
            pa = adviser.get(person) or {}
            if pa.get("worker_id"):
                self.workers.add(pa["worker_id"])
            if pa:
                self.teams.add(pa["team_id"])
            yield {"clea_table_id": self.ids[person], "clea_person_id": self.ids[person],
                   "clea_care_leaver_eligibility": LEAVER_ELIGIBILITY.get(category.get(person), ""),
                   "clea_care_leaver_in_touch": in_touch,
                   "clea_care_leaver_latest_contact": iso(day) if in_touch == "YES" else "",
                   "clea_care_leaver_accommodation": kind,
                   "clea_care_leaver_accom_suitable": "" if suitable is None else "1" if suitable else "2",
                   "clea_care_leaver_activity": activity.get(person, ""),
                   "clea_pathway_plan_review_date": iso(plan_days.get(person)),
                   "clea_care_leaver_personal_advisor": " ".join(
                       filter(None, (pa.get("worker__first_name"), pa.get("worker__last_name")))),
                   "clea_care_leaver_allocated_team": pa.get("team_id", ""),
                   "clea_care_leaver_worker_id": pa.get("worker_id") or ""}

    def _computed_categories(self, people: list[int]) -> dict[int, str]:
        """The leaving care category of each of ``people`` today, from their care history
        (``eligibility.classify``, read in bulk rather than a person at a time)."""
        from haven.care_leavers.eligibility import (
            EDUCATION_TRAINING,
            SHORT_BREAK_STATUSES,
            classify,
        )
        from haven.care_leavers.models import Activity, Custody
        from haven.looked_after.models import Episode, PeriodOfCare

        today = timezone.localdate()
        wanted = set(people)
        spans: dict[str, dict[int, list]] = {"periods": defaultdict(list), "breaks": defaultdict(list),
                                              "custody": defaultdict(list)}
        for name, rows in (("periods", self.mine(PeriodOfCare)),
                           ("breaks", self.mine(Episode).filter(legal_status__in=SHORT_BREAK_STATUSES)),
                           ("custody", self.mine(Custody))):
            for person, start, end in rows.values_list("person_id", "start_date", "end_date").iterator():
                if person in wanted:
                    spans[name][person].append((start, end))
        learning = set(self.mine(Activity).filter(code__in=EDUCATION_TRAINING, start_date__lte=today)
                       .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).values_list("person_id", flat=True))
        found = {}
        for person in people:
            born = self.people[person]["date_of_birth"]
            if born:
                found[person] = classify(born=born, on=today, periods=spans["periods"][person],
                                         short_breaks=spans["breaks"][person], custody=spans["custody"][person],
                                         in_education=person in learning).category
        return found

    def ssd_permanence(self):
        """Children with an adoption decision or a permanence order (adoption, special
        guardianship, child arrangements), one row each keyed by their child ID: the latest date
        of each step of the adoption timeline, and the latest order."""
        from haven.permanence.models import (
            AdoptionDecision,
            CareProceedings,
            SpecialGuardianshipOrder,
        )

        steps: dict[int, dict[str, tuple]] = defaultdict(dict)
        for person, kind, day, reason in (self.mine(AdoptionDecision).order_by("decided_on", "pk")
                                          .values_list("person_id", "kind", "decided_on", "reason_ceased").iterator()):
            if person in self.ids:
                steps[person][kind] = (day, reason)
        orders: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
        for person, (day, _reason) in ((p, s["adoption_order"]) for p, s in steps.items() if "adoption_order" in s):
            orders[person].append((day, "Adoption"))
        for person, day in self.mine(SpecialGuardianshipOrder).values_list("person_id", "granted_on").iterator():
            if person in self.ids:
                orders[person].append((day, "Special Guardianship"))
        for person, day in (self.mine(CareProceedings).filter(outcome="cao", concluded_on__isnull=False)
                            .values_list("person_id", "concluded_on").iterator()):
            if person in self.ids:
                orders[person].append((day, "Child Arrangements Order/ Residence Order"))

        def on(person, kind):
            return iso(steps[person].get(kind, (None, ""))[0])

        for person in sorted(set(steps) | set(orders)):
            order_day, order_type = max(orders[person]) if orders.get(person) else (None, "")
            first = min([day for day, _reason in steps[person].values()] + [d for d, _t in orders.get(person, [])])
            yield {"perm_table_id": self.ids[person], "perm_person_id": self.ids[person],
                   "perm_cla_id": covering(self.periods.get(person, []), first),
                   "perm_adm_decision_date": on(person, "should_be_placed"),
                   "perm_placement_order_date": on(person, "placement_order"),
                   "perm_placed_for_adoption_date": on(person, "placed"), "perm_matched_date": on(person, "matched"),
                   # Adopted by the carers they moved in with under foster to adopt: Y; other
                   # adoptions by a foster carer are not told apart in Haven: blank.
                   "perm_adopted_by_carer_flag": "Y" if {"moved_in_f2a", "adoption_order"} <= steps[person].keys() else "",
                   "perm_placed_ffa_cp_date": on(person, "moved_in_f2a"),
                   "perm_decision_reversed_date": on(person, "reversed"),
                   "perm_decision_reversed_reason": steps[person].get("reversed", (None, ""))[1],
                   "perm_permanence_order_date": iso(order_day), "perm_permanence_order_type": order_type}

    def ssd_pre_proceedings(self):
        from haven.permanence.models import CareProceedings, PreProceedings

        court = dict(self.mine(CareProceedings).exclude(pre_proceedings=None).exclude(case_number="")
                     .order_by("issued_on", "pk").values_list("pre_proceedings_id", "case_number"))
        for p in (self.mine(PreProceedings).order_by("pk")
                  .values("pk", "person_id", "pla_meeting_on", "letter_before_proceedings_on", "outcome", "ended_on").iterator()):
            if p["person_id"] in self.ids:
                yield {"prep_table_id": p["pk"], "prep_person_id": self.ids[p["person_id"]],
                       "prep_initial_pre_pro_meeting_date": iso(p["pla_meeting_on"]),
                       "prep_pre_pro_outcome": PRE_PROCEEDINGS_OUTCOME.get(p["outcome"], ""),
                       "prep_agree_stepdown_issue_date": iso(p["ended_on"]) if p["outcome"] != "ongoing" else "",
                       "prep_pre_pro_letter_date": iso(p["letter_before_proceedings_on"]),
                       "prep_court_reference": court.get(p["pk"], "")}

    # -- workers and teams ----------------------------------------------------------------------

    def ssd_involvements(self):
        """Allocations (worker or team, with their role), linked to the referral open when the
        allocation started."""
        from haven.people.models import Allocation

        roles = dict(Allocation.Role.choices)
        for a in (self.mine(Allocation).order_by("pk")
                  .values("pk", "person_id", "worker_id", "team_id", "role", "start_date", "end_date").iterator()):
            if a["person_id"] not in self.ids:
                continue
            if a["worker_id"]:
                self.workers.add(a["worker_id"])
            self.teams.add(a["team_id"])
            yield {"invo_involvements_id": a["pk"], "invo_professional_id": a["worker_id"] or "",
                   "invo_professional_role_id": roles.get(a["role"], a["role"]), "invo_professional_team": a["team_id"],
                   "invo_involvement_start_date": iso(a["start_date"]), "invo_involvement_end_date": iso(a["end_date"]),
                   "invo_person_id": self.ids[a["person_id"]],
                   "invo_referral_id": covering(self.episodes.get(a["person_id"], []), a["start_date"])}

    def ssd_professionals(self):
        """Everyone in a team serving the authority and everyone another table names. Caseload:
        children allocated to them as social worker on the last 30 September."""
        from haven.accounts.models import Team, User
        from haven.people.models import Allocation

        today = timezone.localdate()
        census = dt.date(today.year if today >= dt.date(today.year, 9, 30) else today.year - 1, 9, 30)
        caseload = dict(self.mine(Allocation).filter(role="social_worker", worker__isnull=False, start_date__lte=census)
                        .filter(Q(end_date__isnull=True) | Q(end_date__gt=census)).values("worker_id")
                        .annotate(n=Count("person_id", distinct=True)).values_list("worker_id", "n"))
        users = set(self.team_of) | self.workers
        team_names = dict(Team.objects.filter(pk__in={self.team_of[u] for u in users if u in self.team_of})
                          .values_list("pk", "name"))
        for u in User.objects.filter(pk__in=users).order_by("pk").values("pk", "first_name", "last_name", "username",
                                                                          "job_title"):
            team = self.team_of.get(u["pk"])
            if team:
                self.teams.add(team)
            yield {"prof_professional_id": u["pk"],
                   "prof_professional_name": " ".join(filter(None, (u["first_name"], u["last_name"]))) or u["username"],
                   "prof_professional_job_title": u["job_title"], "prof_professional_caseload": caseload.get(u["pk"], 0),
                   "prof_professional_department": team_names.get(team, "")}

    def ssd_department(self):
        from haven.accounts.models import Team

        for pk, name in Team.objects.filter(pk__in=self.team_ids | self.teams).order_by("pk").values_list("pk", "name"):
            yield {"dept_team_id": pk, "dept_team_name": name}


@cache
def _labels(choices) -> dict[str, str]:
    return dict(choices.choices)


def _label(choices, value) -> str:
    return _labels(choices).get(value, "") if value else ""


def _factor_order(code: str) -> tuple[int, str]:
    digits = "".join(c for c in code if c.isdigit())
    return int(digits or 0), code


# -- the export -------------------------------------------------------------------------------

def build(authority) -> dict[str, list[dict]]:
    """Every SSD table's rows for ``authority`` (the tables in ``EMPTY`` have none)."""
    rows = _Extract(authority).rows()
    return {name: rows.get(name, []) for name in tables()}


def export(authority, directory: Path) -> list[tuple[str, int, Path]]:
    """One CSV per SSD table in ``directory``: (table, rows, path) for each, in table order."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in build(authority).items():
        path = directory / f"{name}.csv"
        fields = columns(name)
        known = set(fields)
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(fields)
            for row in rows:
                if not row.keys() <= known:
                    raise ValueError(f"{name} has no field {sorted(row.keys() - known)}")
                writer.writerow([row.get(c, "") for c in fields])
        written.append((name, len(rows), path))
    return written
