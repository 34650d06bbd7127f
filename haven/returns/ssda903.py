"""The SSDA903 return (children looked after), built from the record: the eleven DfE tables as
CSV with exactly the DfE column headers (an empty table keeps its header row), dates
DD/MM/YYYY, CHILD the authority's local child ID.

``build(authority, year)`` returns the tables for the collection year ending 31 March ``year``;
``validate(authority, year)`` runs Haven's SSDA903 checks (``haven.looked_after.validation``,
the episode rules) for every child in the return. Where Haven does not hold an item the return
asks for, the cell is left blank, never invented (see ``NOT_HELD``).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q

from haven.core.calendar import birthday

TABLES: dict[str, tuple[str, ...]] = {
    "header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
    "uasc": ("CHILD", "SEX", "DOB", "DUC"),
    "reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "oc2": ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
            "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "placed_for_adoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "previous_permanence": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "sw_episodes": ("CHILD", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}

# Items Haven does not record yet: left blank (the DfE validator will say so), never invented.
NOT_HELD = {
    "oc2": ("CONVICTED", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
    "ad1": ("FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
    "previous_permanence": ("PREV_PERM", "LA_PERM", "DATE_PERM"),
    "sw_episodes": ("SW_REASON",),
}
SEX = {"M": "1", "F": "2"}


def d(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.strftime("%d/%m/%Y")


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The collection year ending 31 March ``year``."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def _unknown_upn(person, on: dt.date) -> str:
    """The DfE's codes for a UPN not held: UN3 for a child not yet of school age, UN4 (not yet
    obtained) otherwise."""
    if person.date_of_birth and on < birthday(person.date_of_birth, 5):
        return "UN3"
    return "UN4"


@dataclass
class Return:
    authority: object
    year: int
    tables: dict[str, list[dict]] = field(default_factory=dict)
    people: dict[int, object] = field(default_factory=dict)   # person pk -> Person

    def write(self, directory: Path) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, columns in TABLES.items():
            path = directory / f"{name}.csv"
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, fieldnames=columns)
                writer.writeheader()
                writer.writerows(self.tables.get(name, []))
            written.append(path)
        return written


def build(authority, year: int) -> Return:
    from haven.care_leavers.models import Accommodation, Activity, LeaverContact
    from haven.care_planning.models import LACReview
    from haven.health.models import DentalCheck, HealthAssessment, Immunisations, SDQScore
    from haven.looked_after.models import PeriodOfCare
    from haven.looked_after.returns import episodes_for_return
    from haven.missing.models import MissingEpisode
    from haven.people.models import Allocation, Person
    from haven.permanence.models import AdoptionDecision

    start, end = year_bounds(year)
    r = Return(authority, year)
    periods = list(PeriodOfCare.objects.filter(authority=authority, start_date__lte=end)
                   .filter(Q(end_date__isnull=True) | Q(end_date__gte=start)))
    in_year = {p.person_id for p in periods}
    r.people = {p.pk: p for p in Person.objects.filter(pk__in=in_year)}
    child_id = {pk: p.local_id for pk, p in r.people.items()}

    def dob(pk):
        return d(r.people[pk].date_of_birth)

    # Header: every child looked after at any time in the year
    mothers = set(Person.objects.filter(pk__in=in_year, relationships_from__type="parent")
                  .values_list("pk", flat=True))
    r.tables["header"] = [{
        "CHILD": p.local_id, "SEX": SEX.get(p.sex, ""), "DOB": d(p.date_of_birth), "ETHNIC": p.ethnicity,
        "UPN": p.upn or _unknown_upn(p, end), "MOTHER": ("1" if pk in mothers else "0") if p.sex == "F" else "", "MC_DOB": "",
    } for pk, p in sorted(r.people.items())]
    # Episodes
    r.tables["episodes"] = [{**row, "CHILD": child_id[int(row["CHILD"])]}
                            for row in episodes_for_return(authority, start, end)]
    # UASC: children who were unaccompanied asylum-seeking children in any period
    uasc = sorted({p.person_id for p in periods if p.uasc})
    r.tables["uasc"] = [{"CHILD": child_id[pk], "SEX": SEX.get(r.people[pk].sex, ""), "DOB": dob(pk),
                         "DUC": d(birthday(r.people[pk].date_of_birth, 18)) if r.people[pk].date_of_birth else ""}
                        for pk in uasc]
    # Reviews in the year
    r.tables["reviews"] = [{"CHILD": child_id[rv.person_id], "DOB": dob(rv.person_id), "REVIEW": d(rv.held_on),
                            "REVIEW_CODE": rv.participation}
                           for rv in LACReview.objects.filter(person_id__in=in_year, held_on__range=(start, end))
                           .order_by("person_id", "held_on")]
    # Missing or away from placement, from care, in the year
    r.tables["missing"] = [{"CHILD": child_id[m.person_id], "DOB": dob(m.person_id), "MISSING": m.kind,
                            "MIS_START": d(m.started_at), "MIS_END": d(m.ended_at) if m.ended_at and d(m.ended_at) <= d(end) and m.ended_at.date() <= end else ""}
                           for m in MissingEpisode.objects.filter(person_id__in=in_year, from_care=True,
                                                                   started_at__date__range=(start, end))
                           .order_by("person_id", "started_at")]
    # OC2: looked after continuously for 12 months at 31 March
    year_ago = end - dt.timedelta(days=364)
    oc2 = sorted({p.person_id for p in periods if p.start_date <= year_ago and (p.end_date is None or p.end_date > end)})
    sdq = {s.person_id: s for s in SDQScore.objects.filter(person_id__in=oc2, completed_on__range=(start, end)).order_by("completed_on")}
    health = set(HealthAssessment.objects.filter(person_id__in=oc2, completed_on__range=(start, end))
                 .values_list("person_id", flat=True))
    teeth = set(DentalCheck.objects.filter(person_id__in=oc2, checked_on__range=(start, end)).values_list("person_id", flat=True))
    jabs = {i.person_id: i.up_to_date for i in Immunisations.objects.filter(person_id__in=oc2, recorded_on__lte=end)
            .order_by("recorded_on")}
    rows = []
    for pk in oc2:
        s = sdq.get(pk)
        rows.append({"CHILD": child_id[pk], "DOB": dob(pk), "SDQ_SCORE": "" if s is None or s.score is None else str(s.score),
                     "SDQ_REASON": s.reason if s is not None else "", "CONVICTED": "",
                     "HEALTH_CHECK": "1" if pk in health else "0", "IMMUNISATIONS": "1" if jabs.get(pk) else "0",
                     "TEETH_CHECK": "1" if pk in teeth else "0", "HEALTH_ASSESSMENT": "1" if pk in health else "0",
                     "SUBSTANCE_MISUSE": "", "INTERVENTION_RECEIVED": "", "INTERVENTION_OFFERED": ""})
    r.tables["oc2"] = rows
    # OC3: care leavers whose 17th to 21st birthday fell in the year
    leavers = Person.objects.filter(authority=authority, periods_of_care__end_date__isnull=False,
                                    periods_of_care__end_date__lte=end).distinct()
    rows = []
    for p in leavers.order_by("pk"):
        if not p.date_of_birth:
            continue
        if not any(start <= birthday(p.date_of_birth, n) <= end for n in (17, 18, 19, 20, 21)):
            continue
        if not any(birthday(p.date_of_birth, 16) <= (pc.end_date or end) for pc in p.periods_of_care.all()):
            continue
        contact = LeaverContact.objects.filter(person=p, contact_on__lte=end).order_by("-contact_on").first()
        act = Activity.objects.filter(person=p, start_date__lte=end).order_by("-start_date").first()
        acc = Accommodation.objects.filter(person=p, start_date__lte=end).order_by("-start_date").first()
        r.people.setdefault(p.pk, p)
        rows.append({"CHILD": p.local_id, "DOB": d(p.date_of_birth), "IN_TOUCH": contact.in_touch if contact else "",
                     "ACTIV": act.code if act else "",
                     "ACCOM": (acc.kind + ("" if acc.suitable is None else "1" if acc.suitable else "2")) if acc else ""})
    r.tables["oc3"] = rows
    # Adoption: decisions that the child should be placed, and adoptions in the year
    decisions = AdoptionDecision.objects.filter(person_id__in=in_year).order_by("person_id", "decided_on")
    placed, adopted = [], []
    by_child: dict[int, dict] = {}
    for a in decisions:
        by_child.setdefault(a.person_id, {})[a.kind] = a
    for pk, steps in sorted(by_child.items()):
        if "should_be_placed" in steps:
            rev = steps.get("reversed")
            placed.append({"CHILD": child_id[pk], "DOB": dob(pk), "DATE_PLACED": d(steps["should_be_placed"].decided_on),
                           "DATE_PLACED_CEASED": d(rev.decided_on) if rev else "",
                           "REASON_PLACED_CEASED": rev.reason_ceased if rev else ""})
        if "adoption_order" in steps and start <= steps["adoption_order"].decided_on <= end:
            adopted.append({"CHILD": child_id[pk], "DOB": dob(pk),
                            "DATE_INT": d(steps["should_be_placed"].decided_on) if "should_be_placed" in steps else "",
                            "DATE_MATCH": d(steps["matched"].decided_on) if "matched" in steps else "",
                            "FOSTER_CARE": "", "NB_ADOPTR": "", "SEX_ADOPTR": "", "LS_ADOPTR": ""})
    r.tables["placed_for_adoption"] = placed
    r.tables["ad1"] = adopted
    r.tables["previous_permanence"] = []
    # Social worker episodes overlapping the year
    r.tables["sw_episodes"] = [{"CHILD": child_id[a.person_id], "SW_ID": str(a.worker_id), "SW_DECOM": d(a.start_date),
                                "SW_DEC": d(a.end_date) if a.end_date and a.end_date <= end else "", "SW_REASON": ""}
                               for a in Allocation.objects.filter(person_id__in=in_year, role="social_worker",
                                                                  worker__isnull=False, start_date__lte=end)
                               .filter(Q(end_date__isnull=True) | Q(end_date__gte=start)).order_by("person_id", "start_date")]
    return r


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    child: str
    person_id: int
    field: str
    url: str


def validate(ret: Return) -> list[Problem]:
    """Haven's SSDA903 episode checks for every child in the return (as at the year end)."""
    from haven.looked_after.validation import check_person

    _, end = year_bounds(ret.year)
    out = []
    for pk, person in sorted(ret.people.items()):
        for f in check_person(person, today=end):
            out.append(Problem(f.code, f.message, person.local_id, pk, f.field, person.get_absolute_url()))
    return out
