"""The CIN census as data: one class per element group of the DfE schema
(``reference/CIN_schema_2024.xsd``, with Sex M/F/U in place of GenderCurrent from 2024-25),
fields named after the DfE elements (snake case) in the schema's order.

``haven.returns.cin_census.build`` fills these from the record; ``write_xml`` writes them in
the schema's element order; the CIN validation rules (``cin_rules``) read them. Tests build
them by hand. Dates are ``datetime.date``; an item the record does not hold is ``None`` / "" /
empty, never invented (the rules then say so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Assessment:
    start: dt.date                               # AssessmentActualStartDate
    internal_review: dt.date | None = None       # AssessmentInternalReviewDate
    authorised: dt.date | None = None            # AssessmentAuthorisationDate (the completion the census counts)
    factors: list[str] = field(default_factory=list)   # FactorsIdentifiedAtAssessment/AssessmentFactors


@dataclass
class CINPlan:
    start: dt.date                               # CINPlanStartDate
    end: dt.date | None = None                   # CINPlanEndDate


@dataclass
class Section47:
    start: dt.date                               # S47ActualStartDate
    icpc_target: dt.date | None = None           # InitialCPCtarget
    icpc_date: dt.date | None = None             # DateOfInitialCPC
    icpc_not_required: bool = False              # ICPCnotRequired (true/false)


@dataclass
class CPPlan:
    start: dt.date                               # CPPstartDate
    end: dt.date | None = None                   # CPPendDate
    initial_category: str = ""                   # InitialCategoryOfAbuse (NEG/PHY/SAB/EMO/MUL)
    latest_category: str = ""                    # LatestCategoryOfAbuse
    previous_plans: int | None = None            # NumberOfPreviousCPP
    reviews: list[dt.date] = field(default_factory=list)   # Reviews/CPPreviewDate


@dataclass
class CINDetails:
    referral_date: dt.date                       # CINreferralDate
    referral_source: str = ""                    # ReferralSource
    primary_need: str = ""                       # PrimaryNeedCode (N1-N9, N0 with no further action)
    closure_date: dt.date | None = None          # CINclosureDate
    reason_for_closure: str = ""                 # ReasonForClosure (RC1-RC9)
    icpc_date: dt.date | None = None             # DateOfInitialCPC (an ICPC without an S47 in the year)
    assessments: list[Assessment] = field(default_factory=list)
    cin_plans: list[CINPlan] = field(default_factory=list)
    section47s: list[Section47] = field(default_factory=list)
    referral_nfa: bool = False                   # ReferralNFA
    cp_plans: list[CPPlan] = field(default_factory=list)
    # Not in the XML: where to fix this episode in Haven
    episode_id: int | None = None


@dataclass
class Child:
    la_child_id: str                             # LAchildID
    upn: str = ""                                # UPN
    former_upn: str = ""                         # FormerUPN
    upn_unknown: str = ""                        # UPNunknown (UN1-UN10)
    birth_date: dt.date | None = None            # PersonBirthDate
    expected_birth_date: dt.date | None = None   # ExpectedPersonBirthDate
    sex: str = ""                                # Sex (M/F/U; GenderCurrent before 2024-25)
    death_date: dt.date | None = None            # PersonDeathDate
    ethnicity: str = ""                          # Ethnicity
    disabilities: list[str] = field(default_factory=list)   # Disabilities/Disability
    cin_details: list[CINDetails] = field(default_factory=list)
    # Not in the XML: the record
    person_id: int | None = None
    url: str = ""


@dataclass
class Census:
    """One authority's CIN census for the year ending 31 March ``year``."""

    lea: str                                     # Source/LEA (three digits)
    year: int                                    # CollectionDetails/Year (the year the collection ends)
    reference_date: dt.date                      # CollectionDetails/ReferenceDate (31 March)
    children: list[Child] = field(default_factory=list)
    collection: str = "CIN"
    generated_at: dt.datetime | None = None      # Source/DateTime
    # Records that could not be put in the census (e.g. a required code missing): reported as
    # errors with a link, never dropped silently: (person_id, la_child_id, url, what is wrong)
    unrepresentable: list[tuple[int, str, str, str]] = field(default_factory=list)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year - 1, 4, 1)

    @property
    def end(self) -> dt.date:
        return self.reference_date
