"""The SSDA903 return (children looked after), built from the record: the eleven DfE tables as
CSV with exactly the DfE column headers (an empty table keeps its header row), dates
DD/MM/YYYY, CHILD the authority's local child ID.

``build(authority, year)`` returns the tables for the collection year ending 31 March ``year``,
as at its 31 March, or as at today while the year is in progress (``as_at_for``; ``build(...,
as_at=day)`` for another day); ``validate(ret)`` runs the DfE's rules for the year over it
(those that judge what is due by 31 March wait for the year to end). Where Haven does not hold
an item the return asks for, the cell is left blank, never invented (see ``NOT_HELD``).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from haven.care_leavers.eligibility import oc3_next_year
from haven.core.calendar import age_on, birthday

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

def sex(person) -> str:
    """The 903's sex code from 2026-27: M, F or U (not known)."""
    return person.sex if person.sex in ("M", "F") else "U"



def d(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.strftime("%d/%m/%Y")


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """The collection year ending 31 March ``year``."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def as_at_for(year: int, today: dt.date | None = None) -> dt.date:
    """The day a return for the collection year ending 31 March ``year`` is as at: its 31 March
    once the year has ended, else ``today`` (default: today), the year being in progress."""
    _, end = year_bounds(year)
    return min(end, today or timezone.localdate())


def recorded_to(authority) -> dt.date:
    """The day the authority's record stands at: today, or the last day anything was recorded
    about its children looked after (an episode, a review, a visit or note) when that is earlier:
    a copy restored from a backup, or a demonstration seeded "as of" an earlier day, is as at
    that day (and the year it falls in is still in progress)."""
    from django.db.models import Max

    from haven.care_planning.models import LACReview
    from haven.looked_after.models import Episode
    from haven.recording.models import Recording

    today = timezone.localdate()
    latest = [m.objects.filter(authority=authority).aggregate(last=Max("created_at"))["last"]
              for m in (Episode, LACReview, Recording)]
    latest = [timezone.localtime(t).date() for t in latest if t is not None]
    return min(today, max(latest)) if latest else today


def _unknown_upn(person, year: int) -> str:
    """The DfE's codes for a UPN not held: UN1 for a child not yet of school age (under 4 on the
    31 August before the collection year began: the DfE validator's rule 209 reference date), UN4
    (UPN not yet obtained) otherwise."""
    start, _ = year_bounds(year)
    if person.date_of_birth and birthday(person.date_of_birth, 4) > dt.date(start.year - 1, 8, 31):
        return "UN1"
    return "UN4"


def social_worker_id(worker_id: int) -> str:
    """The SSDA903 SW_ID: "SW" and the Social Work England registration number, or "XX" and a
    local identifier for a worker whose number is not held. Haven does not record registration
    numbers yet, so it is "XX" and Haven's worker number (stable from year to year)."""
    return f"XX{worker_id:06d}"


def social_worker_episodes(allocations) -> list[tuple[int, dt.date, dt.date | None]]:
    """One child's social worker allocations as SSDA903 episodes (worker, start, end or None):
    one social worker at a time. On any day the child's social worker is the allocation started
    most recently among those active that day (start on or before it, end after it); an episode
    ends the day the social worker changes. Allocations that overlap (a case shared while it is
    handed over) or start and end on one day do not make overlapping or empty episodes."""
    days = sorted({a.start_date for a in allocations} | {a.end_date for a in allocations if a.end_date})

    def worker_on(day):
        live = [a for a in allocations if a.start_date <= day and (a.end_date is None or day < a.end_date)]
        return max(live, key=lambda a: (a.start_date, a.pk)).worker_id if live else None

    episodes: list[list] = []
    for day in days:
        who = worker_on(day)
        current = episodes[-1] if episodes and episodes[-1][2] is None else None
        if current is not None and current[0] == who:
            continue
        if current is not None:
            current[2] = day
        if who is not None:
            episodes.append([who, day, None])
    return [tuple(e) for e in episodes]


@dataclass
class Return:
    authority: object
    year: int
    tables: dict[str, list[dict]] = field(default_factory=dict)
    people: dict[int, object] = field(default_factory=dict)   # person pk -> Person
    # The previous collection year's return, from the record, for the rules that compare the
    # two years (``build(..., with_previous=True)``); None when not built.
    previous: Return | None = None
    # The day the return is as at: the year end (31 March), or for a year still in progress the
    # day it was built (``as_at_for``). Nothing dated after it is in the return. None: the year end.
    as_at: dt.date | None = None

    @property
    def in_progress(self) -> bool:
        """The collection year had not ended on the day the return is as at: the rules that judge
        what is due by 31 March (``Rule.at_year_end``) do not run."""
        return self.as_at is not None and self.as_at < year_bounds(self.year)[1]

    @property
    def not_begun(self) -> bool:
        """The collection year had not begun on the day the return is as at (a record that stops
        before 1 April): the tables hold their headers only and no rule runs."""
        return self.as_at is not None and self.as_at < year_bounds(self.year)[0]

    def rows(self, table: str, child: str | None = None) -> list[dict]:
        rows = self.tables.get(table, [])
        return rows if child is None else [r for r in rows if r["CHILD"] == child]

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


def build(authority, year: int, *, with_previous: bool = False, as_at: dt.date | None = None) -> Return:
    """The return for the collection year ending 31 March ``year``, as at its 31 March once the
    year has ended, else as at today (the day the record stands at, ``recorded_to``; or
    ``as_at``): then only what happened by that day (episodes, reviews, missing periods, health,
    decisions, allocations) is in it, as if it had been built that day."""
    from haven.care_leavers.models import Accommodation, Activity, LeaverContact
    from haven.care_planning.models import LACReview
    from haven.health.models import DentalCheck, HealthAssessment, Immunisations, SDQScore
    from haven.looked_after.models import PeriodOfCare
    from haven.looked_after.returns import episodes_for_return
    from haven.missing.models import MissingEpisode
    from haven.people.models import Allocation, Person
    from haven.permanence.models import AdoptionDecision

    start, end = year_bounds(year)
    # the last day whose events the return knows: the year end, or today (the record's day)
    known = as_at_for(year, as_at or recorded_to(authority))
    r = Return(authority, year, as_at=known)
    if with_previous:
        r.previous = build(authority, year - 1, as_at=known)
    if known < start:
        return r   # the year has not begun: every table holds its header only
    periods = list(PeriodOfCare.objects.filter(authority=authority, start_date__lte=known)
                   .filter(Q(end_date__isnull=True) | Q(end_date__gte=start)))
    in_year = {p.person_id for p in periods}
    r.people = {p.pk: p for p in Person.objects.filter(pk__in=in_year)}
    child_id = {pk: p.local_id for pk, p in r.people.items()}

    def dob(pk):
        return d(r.people[pk].date_of_birth)

    # Episodes
    r.tables["episodes"] = [{**row, "CHILD": child_id[int(row["CHILD"])]}
                            for row in episodes_for_return(authority, start, known)]
    # Reviews in the year
    r.tables["reviews"] = [{"CHILD": child_id[rv.person_id], "DOB": dob(rv.person_id), "REVIEW": d(rv.held_on),
                            "REVIEW_CODE": rv.participation}
                           for rv in LACReview.objects.filter(person_id__in=in_year, held_on__range=(start, known))
                           .order_by("person_id", "held_on")]
    # Missing or away from placement, from care, at any time in the year (one still open on 1 April
    # is reported again, as the DfE asks)
    r.tables["missing"] = [{"CHILD": child_id[m.person_id], "DOB": dob(m.person_id), "MISSING": m.kind,
                            "MIS_START": d(m.started_at), "MIS_END": d(m.ended_at) if m.ended_at and timezone.localtime(m.ended_at).date() <= known else ""}
                           for m in MissingEpisode.objects.filter(person_id__in=in_year, from_care=True,
                                                                   started_at__date__lte=known)
                           .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=start))
                           .order_by("person_id", "started_at")]
    # OC2: looked after continuously for 12 months at 31 March, read from the episodes as the
    # rules read it (185, 186, 191): since 1 April at the latest (not "365 days", which in a leap
    # year would take in a child who came into care on 2 April), not on short breaks (V3/V4);
    # in a year in progress, still looked after on the day the return is as at
    from .ssda903_rules.common import continuously_looked_after

    cohort = continuously_looked_after(r.tables["episodes"], start, end)
    oc2 = sorted(pk for pk, ident in child_id.items() if ident in cohort)
    sdq = {s.person_id: s for s in SDQScore.objects.filter(person_id__in=oc2, completed_on__range=(start, known)).order_by("completed_on")}
    health = set(HealthAssessment.objects.filter(person_id__in=oc2, completed_on__range=(start, known))
                 .values_list("person_id", flat=True))
    teeth = set(DentalCheck.objects.filter(person_id__in=oc2, checked_on__range=(start, known)).values_list("person_id", flat=True))
    jabs = {i.person_id: i.up_to_date for i in Immunisations.objects.filter(person_id__in=oc2, recorded_on__lte=known)
            .order_by("recorded_on")}
    rows = []
    for pk in oc2:
        born = r.people[pk].date_of_birth
        # SDQ is asked of children 4 or over at the year end and under 17 at its start;
        # development checks of those under 5
        s = sdq.get(pk) if born and birthday(born, 4) <= end and birthday(born, 17) > start else None
        under_5 = born is not None and birthday(born, 5) > end
        rows.append({"CHILD": child_id[pk], "DOB": dob(pk), "SDQ_SCORE": "" if s is None or s.score is None else str(s.score),
                     "SDQ_REASON": s.reason if s is not None else "", "CONVICTED": "",
                     "HEALTH_CHECK": ("1" if pk in health else "0") if under_5 else "",
                     "IMMUNISATIONS": "1" if jabs.get(pk) else "0",
                     "TEETH_CHECK": "1" if pk in teeth else "0", "HEALTH_ASSESSMENT": "1" if pk in health else "0",
                     "SUBSTANCE_MISUSE": "", "INTERVENTION_RECEIVED": "", "INTERVENTION_OFFERED": ""})
    r.tables["oc2"] = rows
    # OC3: care leavers whose 17th to 21st birthday falls in the year (what is known of them by
    # the day the return is as at)
    leavers = []
    for p in (Person.objects.filter(authority=authority, periods_of_care__end_date__isnull=False,
                                    periods_of_care__end_date__lte=known,
                                    date_of_birth__gte=dt.date(start.year - 22, 1, 1),
                                    date_of_birth__lte=dt.date(end.year - 17, 12, 31))
              .distinct().order_by("pk").prefetch_related("periods_of_care")):
        if not any(start <= birthday(p.date_of_birth, n) <= end for n in (17, 18, 19, 20, 21)):
            continue
        periods_known = [(pc.start_date, pc.end_date) for pc in p.periods_of_care.all() if pc.start_date <= known]
        if any(birthday(p.date_of_birth, 16) <= (e if e and e <= known else end) for _s, e in periods_known):
            leavers.append((p, periods_known))
    ids = [p.pk for p, _periods in leavers]
    # the latest of each, as known on the day (one query each, the latest last)
    contact = dict(LeaverContact.objects.filter(person_id__in=ids, contact_on__lte=known)
                   .order_by("contact_on", "pk").values_list("person_id", "in_touch"))
    activity = dict(Activity.objects.filter(person_id__in=ids, start_date__lte=known)
                    .order_by("start_date", "pk").values_list("person_id", "code"))
    home = {pid: (kind, suitable) for pid, kind, suitable in Accommodation.objects.filter(
        person_id__in=ids, start_date__lte=known).order_by("start_date", "pk").values_list("person_id", "kind", "suitable")}
    rows = []
    for p, periods_known in leavers:
        r.people.setdefault(p.pk, p)
        if oc3_next_year(p.date_of_birth, age_on(p.date_of_birth, end), periods_known, known):
            # still looked after on the birthday that brings them into OC3: reported next year
            rows.append({"CHILD": p.local_id, "DOB": d(p.date_of_birth), "IN_TOUCH": "", "ACTIV": "", "ACCOM": ""})
            continue
        kind, suitable = home.get(p.pk, ("", None))
        rows.append({"CHILD": p.local_id, "DOB": d(p.date_of_birth), "IN_TOUCH": contact.get(p.pk, ""),
                     "ACTIV": activity.get(p.pk, ""),
                     "ACCOM": (kind + ("" if suitable is None else "1" if suitable else "2")) if p.pk in home else ""})
    r.tables["oc3"] = rows
    # UASC: every child looked after in the year who has been an unaccompanied asylum-seeking
    # child, in this period of care or an earlier one (the date the status ceased is the 18th
    # birthday); not care leavers who were not looked after in the year (rule 1014)
    uasc = sorted(set(PeriodOfCare.objects.filter(person_id__in=in_year, uasc=True, start_date__lte=known)
                      .values_list("person_id", flat=True)))
    r.tables["uasc"] = [{"CHILD": r.people[pk].local_id, "SEX": sex(r.people[pk]), "DOB": d(r.people[pk].date_of_birth),
                         "DUC": d(birthday(r.people[pk].date_of_birth, 18)) if r.people[pk].date_of_birth else ""}
                        for pk in uasc]
    # Header: every child in the return (looked after in the year, or a care leaver in OC3). MOTHER is asked of girls who were
    # not only on short breaks (V3/V4) in the year.
    mothers = set(Person.objects.filter(pk__in=in_year, relationships_from__type="parent")
                  .values_list("pk", flat=True))
    not_only_short_breaks = {row["CHILD"] for row in r.tables["episodes"] if row["LS"] not in ("V3", "V4")}

    def mother(pk, p):
        if p.sex != "F" or p.local_id not in not_only_short_breaks:
            return ""
        return "1" if pk in mothers else "0"

    r.tables["header"] = [{
        "CHILD": p.local_id, "SEX": sex(p), "DOB": d(p.date_of_birth), "ETHNIC": p.ethnicity,
        "UPN": p.upn or _unknown_upn(p, year), "MOTHER": mother(pk, p), "MC_DOB": "",
    } for pk, p in sorted(r.people.items())]
    # Adoption: decisions that the child should be placed, and adoptions in the year
    decisions = AdoptionDecision.objects.filter(person_id__in=in_year, decided_on__lte=known).order_by("person_id", "decided_on")
    placed, adopted = [], []
    by_child: dict[int, dict] = {}
    for a in decisions:
        by_child.setdefault(a.person_id, {})[a.kind] = a
    for pk, steps in sorted(by_child.items()):
        steps = {kind: a for kind, a in steps.items() if a.decided_on <= known}   # not yet known at the year end (or today)
        rev = steps.get("reversed")
        if "should_be_placed" in steps and not (rev and rev.decided_on < start):
            # (a decision reversed before the year began was last year's to report: 118, 561)
            placed.append({"CHILD": child_id[pk], "DOB": dob(pk), "DATE_PLACED": d(steps["should_be_placed"].decided_on),
                           "DATE_PLACED_CEASED": d(rev.decided_on) if rev else "",
                           "REASON_PLACED_CEASED": rev.reason_ceased if rev else ""})
        if "adoption_order" in steps and start <= steps["adoption_order"].decided_on <= known:
            adopted.append({"CHILD": child_id[pk], "DOB": dob(pk),
                            "DATE_INT": d(steps["should_be_placed"].decided_on) if "should_be_placed" in steps else "",
                            "DATE_MATCH": d(steps["matched"].decided_on) if "matched" in steps else "",
                            "FOSTER_CARE": "", "NB_ADOPTR": "", "SEX_ADOPTR": "", "LS_ADOPTR": ""})
    r.tables["placed_for_adoption"] = placed
    r.tables["ad1"] = adopted
    r.tables["previous_permanence"] = []
    # Social worker episodes: for each child looked after on 31 March, every social worker in the
    # year (DfE: "even those whilst they were not looked after"), one at a time.
    at_year_end = {pk for pk in in_year
                   if any(row["DEC"] == "" for row in r.tables["episodes"] if row["CHILD"] == child_id[pk])}
    allocations: dict[int, list] = {}
    for a in (Allocation.objects.filter(person_id__in=at_year_end, role="social_worker", worker__isnull=False,
                                        start_date__lte=known)
              .order_by("person_id", "start_date", "pk")):
        allocations.setdefault(a.person_id, []).append(a)
    rows = []
    for pk in sorted(allocations):
        for worker_id, began, ended in social_worker_episodes(allocations[pk]):
            if began <= known and (ended is None or ended >= start):
                rows.append({"CHILD": child_id[pk], "SW_ID": social_worker_id(worker_id), "SW_DECOM": d(began),
                             "SW_DEC": d(ended) if ended and ended <= known else "", "SW_REASON": ""})
    r.tables["sw_episodes"] = rows
    return r


def validate(ret: Return):
    """The DfE's SSDA903 rules for the collection year (``haven.returns.ssda903_rules``) over the
    return: a ``haven.returns.rules.Report`` whose findings link to each child's record. Rules
    that compare with last year read ``ret.previous`` (built from the record when missing)."""
    from haven.returns.ssda903_rules import registry_for

    if ret.previous is None and ret.authority is not None:
        ret.previous = build(ret.authority, ret.year - 1, as_at=ret.as_at)
    by_id = {p.local_id: p for p in ret.people.values()}

    def locate(child: str):
        person = by_id.get(child)
        return (person.pk, person.get_absolute_url()) if person else (None, "")

    return registry_for(ret.year).run(ret, locate=locate)
