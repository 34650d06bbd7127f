"""SSDA903 validation of a child's episode history (children looked after return 2026-27).

The rules below are those of the DfE's SSDA903 validation rules
(``rules_903_2026_27.tsv``) that can be checked from a child's episodes, placements and date
of birth. Each is a function over the child's whole history (every period of care, oldest
first), yielding the episodes it finds fault with; ``check`` runs them all and returns
``Finding(code, message, field, …)`` with the DfE's own message.

The services run the checks on the history *as it would be after a change* (inside the
transaction, before it commits): findings that the change introduces are shown to the user, who
must tick "I have checked these warnings and want to save" before it is saved. The
acknowledgement is kept on the episode (``Episode.warnings_acknowledged``).

``rows_for(person)`` turns the stored records into ``Row``s (one per episode, with its
placement's data as the SSDA903 Episodes table has it); tests build ``Row``s directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils import timezone

from haven.core.models import in_batches

from . import postcodes

TEMPORARY = {"T0", "T1", "T2", "T3", "T4"}
FOSTER = {"U1", "U2", "U3", "U4", "U5", "U6"}
ADOPTION = {"A3", "A4", "A5", "A6"}
RESPITE = {"V3", "V4"}
CONTINUATION = {"P", "L", "T", "U", "B"}
URN_FORMAT = r"^(SC\d{6}|\d{6,7}|XXXXXXX)$"

# The DfE's messages, word for word from rules_903_2026_27.tsv (a test checks they still match).
MESSAGES = {
    "302": "First episode starts before child was born.",
    "352": "Child who started to be looked after was aged 18 or over.",
    "356": "The date the episode ceased is before the date the same episode started.",
    "355": "Episode appears to have lasted for less than 24 hours",
    "142": "A new episode has started, but the previous episode has not ended.",
    "148": "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
    "501": "A new episode has started before the end date of the previous episode.",
    "357": "If this is the first episode ever for this child, reason for new episode must be S.  Check whether there is an episode immediately preceding this one, which has been left out.  If not the reason for new episode code must be amended to S.",
    "431": "The reason for new episode is started to be looked after, but the previous episode ended on the same day.",
    "432": "The child ceased to be looked after at the end of the previous episode but the reason for the new episode is not started to be looked after.",
    "433": "The reason for new episode suggests that this is a continuation episode, but the episode does not start on the same day as the last episode finished.",
    "388": "Reason episode ceased is coded new episode begins, but there is no continuation episode.",
    "437": "Reason episode ceased is child has died or is aged 18 or over but there are further episodes.",
    "434": "Reason for new episode is that child's legal status has changed but not the placement, but this is not reflected in the episode data.",
    "435": "Reason for new episode is that child’s placement has changed but not the legal status, but this is not reflected in the episode data recorded.",
    "436": "Reason for new episode is that both child’s placement and legal status have changed, but this is not reflected in the episode data.",
    "358": "Child with this legal status should not be under 10.",
    "359": "Child being looked after following 18th birthday must be accommodated under section 20(5) of the Children Act 1989 in a community home.",
    "361": "Police protection legal status lasted longer than maximum 72 hours allowed in the Children Act 1989.",
    "362": "Emergency protection order (EPO) lasted longer than 21 days",
    "363": "Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.",
    "364": "Sections 41-46 of Police and Criminal Evidence (PACE; 1984) severely limits the time a child can be detained in custody in Local Authority (LA) accommodation.",
    "365": "Any individual short- term respite placement must not exceed 17 days.",
    "366": "A child cannot change placement during the course of an individual short-term respite break.",
    "367": "The maximum amount of respite care allowable is 75 days in any 12-month period.",
    "377": "Only two temporary placements coded as being due to holiday of usual foster carer(s) are allowed in any 12- month period.",
    "383": "A child in a temporary placement must subsequently return to his/her normal placement.",
    "378": "A child who is placed with parent(s) cannot be looked after under a single period of accommodation under Section 20 of the Children Act 1989.",
    "382": "A child receiving respite care cannot be in a temporary placement.",
    "384": "A child receiving respite care cannot be in a long-term foster placement ",
    "408": "Child is placed for adoption with a placement order, but no placement order has been recorded.",
    "398": "Distance field completed but child looked after under legal status V3 or V4.",
    "420": "LA of placement completed but child is looked after under legal status V3 or V4.",
    "406": "Child is Unaccompanied Asylum-Seeking Child (UASC) or was formerly UASC. Distance should be blank. [NOTE: This check will result in false negatives for children formerly UASC not identified as such in loaded data]",
    "454": "Placement distance from home is over 350 miles. [NOTE: This check will result in false positives for children formerly UASC not identified as such in loaded data]",
    "392a": "Child is looked after but no distance is recorded. [NOTE: This check may result in false positives for children formerly UASC]",
    "392b": "Child is looked after but no postcodes are recorded. [NOTE: This check may result in false positives for children formerly UASC, particularly if current & prior year UASC data not loaded]",
    "392c": "Postcode(s) provided are invalid.",
    "392d": "Home and placement postcodes should not be same unless the placement type is P1.",
    "371": "Child in supported accomodation not subject to children’s homes regulations should be at least 16.",
    "372": "Child in youth custody or prison should be at least 10.",
    "373": "Child placed in a school should be at least 4 years old.",
    "374": "Child in residential employment should be at least 14 years old.",
    "375": "Hospitalisation coded as a temporary placement exceeds six weeks.",
    "376": "Temporary placements coded as being due to holiday of usual foster carer(s) cannot exceed three weeks.",
    "379": "Temporary placements for unspecified reason (placement code T4) cannot exceed seven days.",
    "380": "A period of care cannot start with a temporary placement.",
    "381": "A period of care cannot end with a temporary placement.",
    "217": "Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a reason for new episode of S, T or U.",
    "213": "Placement provider information not required.",
    "214": "Placement location information not required.",
    "526": "Child is missing a placement provider code for at least one episode.",
    "527": "A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.",
    "528": "A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.",
    "529": "Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as these placements cannot be provided by other public organisations.",
    "530": "A placement provider code of PR4 cannot be associated with placement P1.",
    "531": "A placement provider code of PR5 cannot be associated with placements P1.",
    "550": "A placement provider code of PR0 can only be associated with placement P1.",
    "386": "Reason episode ceased is adopted but child has reached age 18.",
    "387": "Reason episode ceased is child moved into independent living arrangement, but the child is aged under 14.",
    "389": "Reason episode ceased is that child transferred to care of adult social care services, but child is aged under 16.",
    "390": "Reason episode ceased is adopted but child has not been previously placed for adoption.",
    "407": "Reason episode ceased is Special Guardianship Order, but child has reached age 18.",
    "460": "Reason episode ceased is that child stayed with current carers at age 18 (or above), but child is aged under 18.",
    "516": "The episode data submitted for this child does not show that he/she was with their former foster carer(s) during the year.If the code in the reason episode ceased is E45 or E46 the child must have a placement code of U1 to U6.",
    "234": "A child aged under 10 can not change placement due to being admitted to custody",
    "225": "Reason for placement change must be recorded.",
    "226": "Reason for placement change is not required for temporary placements.",
    "233": "Reason for placement change is not required when the episode has not ceased.",
    "1008": "Ofsted Unique Reference Number (URN) is not valid.",
    "218": "Ofsted Unique reference number (URN) is required.",
    "222": "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
    "1015": "Placement provider is own provision but child not placed in own LA.",
}

# Haven's names for the SSDA903 items, for pages that show which answer a finding is about.
ITEMS = {
    "DECOM": "episode start date", "DEC": "episode end date", "RNE": "reason for new episode",
    "LS": "legal status", "CIN": "category of need", "PLACE": "placement type",
    "PLACE_PROVIDER": "placement provider", "REC": "reason episode ceased",
    "REASON_PLACE_CHANGE": "reason for placement change", "HOME_POST": "home postcode",
    "PL_POST": "placement postcode", "URN": "Ofsted URN", "PL_DISTANCE": "distance from home",
    "PL_LA": "local authority of the placement", "DOB": "date of birth",
}


@dataclass
class Row:
    """One SSDA903 episode with its placement's data."""

    decom: dt.date
    rne: str = "S"
    ls: str = "C2"
    cin: str = "N1"
    place: str = "U6"
    place_provider: str = "PR1"
    dec: dt.date | None = None
    rec: str = ""
    reason_place_change: str = ""
    home_post: str = "W2 1AA"
    pl_post: str = "W9 2BB"
    urn: str = ""
    distance: Decimal | None = Decimal("1.0")
    location: str = "IN"
    pl_la: str = "E09000033"
    uasc: bool = False
    episode_id: int | None = None
    placement_id: int | None = None
    period_id: int | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    field: str                    # the SSDA903 item, e.g. "PL_POST"
    decom: dt.date | None = None  # the episode's start, to say which episode
    episode_id: int | None = None

    @property
    def item(self) -> str:
        return ITEMS.get(self.field, self.field)

    @property
    def key(self) -> tuple:
        return (self.code, self.episode_id, self.decom)

    def __str__(self) -> str:
        when = f" (episode from {self.decom:%d/%m/%Y})" if self.decom else ""
        return f"SSDA903 rule {self.code}{when}: {self.message}"


@dataclass
class History:
    rows: list[Row]
    dob: dt.date | None
    today: dt.date = field(default_factory=timezone.localdate)

    def prev(self, i: int) -> Row | None:
        return self.rows[i - 1] if i > 0 else None

    def next(self, i: int) -> Row | None:
        return self.rows[i + 1] if i + 1 < len(self.rows) else None

    def age(self, on: dt.date | None) -> int | None:
        if self.dob is None or on is None:
            return None
        return on.year - self.dob.year - ((on.month, on.day) < (self.dob.month, self.dob.day))

    def days(self, row: Row) -> int:
        return ((row.dec or self.today) - row.decom).days


Rule = Callable[[History], Iterator[tuple[int, str]]]
RULES: list[tuple[str, Rule]] = []


def rule(code: str):
    def register(func: Rule) -> Rule:
        assert code in MESSAGES, code
        RULES.append((code, func))
        return func

    return register


def each(h: History) -> Iterator[tuple[int, Row]]:
    yield from enumerate(h.rows)


def _placement_key(r: Row) -> tuple:
    return (r.place, r.place_provider, postcodes.normalise(r.pl_post), r.urn)


# --- order and dates --------------------------------------------------------------------------

@rule("302")
def first_before_birth(h):
    if h.rows and h.dob and h.rows[0].decom < h.dob:
        yield 0, "DECOM"


@rule("352")
def started_at_18(h):
    for i, r in each(h):
        age = h.age(r.decom)
        if r.rne == "S" and age is not None and age >= 18:
            yield i, "DECOM"


@rule("356")
def ceased_before_start(h):
    for i, r in each(h):
        if r.dec and r.dec < r.decom:
            yield i, "DEC"


@rule("355")
def under_a_day(h):
    for i, r in each(h):
        if r.dec and r.dec == r.decom:
            yield i, "DEC"


@rule("142")
def previous_not_ended(h):
    for i, r in each(h):
        if r.dec is None and h.next(i) is not None:
            yield i, "DEC"


@rule("148")
def dec_and_rec_together(h):
    for i, r in each(h):
        if bool(r.dec) != bool(r.rec):
            yield i, "REC" if r.dec else "DEC"


@rule("501")
def overlap(h):
    for i, r in each(h):
        prev = h.prev(i)
        if prev is not None and prev.dec and r.decom < prev.dec:
            yield i, "DECOM"


@rule("357")
def first_is_s(h):
    if h.rows and h.rows[0].rne != "S":
        yield 0, "RNE"


@rule("431")
def s_after_same_day_end(h):
    for i, r in each(h):
        prev = h.prev(i)
        if r.rne == "S" and prev is not None and prev.dec == r.decom:
            yield i, "RNE"


@rule("432")
def ceased_then_not_s(h):
    for i, r in each(h):
        prev = h.prev(i)
        if prev is not None and prev.rec and prev.rec != "X1" and r.rne != "S":
            yield i, "RNE"


@rule("433")
def continuation_same_day(h):
    for i, r in each(h):
        prev = h.prev(i)
        if r.rne in CONTINUATION and (prev is None or prev.dec != r.decom) and i > 0:
            yield i, "DECOM"


@rule("388")
def x1_needs_continuation(h):
    for i, r in each(h):
        nxt = h.next(i)
        if r.rec == "X1" and (nxt is None or nxt.decom != r.dec or nxt.rne == "S"):
            yield i, "REC"


@rule("437")
def no_episodes_after_death_or_18(h):
    for i, r in each(h):
        if r.rec in ("E2", "E15", "E17") and h.next(i) is not None:
            yield i, "REC"


@rule("434")
def rne_l_keeps_placement(h):
    for i, r in each(h):
        prev = h.prev(i)
        if r.rne == "L" and prev is not None and (prev.ls == r.ls or _placement_key(prev) != _placement_key(r)):
            yield i, "RNE"


@rule("435")
def rne_p_keeps_legal_status(h):
    for i, r in each(h):
        prev = h.prev(i)
        if r.rne in ("P", "B") and prev is not None and (prev.ls != r.ls or _placement_key(prev) == _placement_key(r)):
            yield i, "RNE"


@rule("436")
def rne_t_changes_both(h):
    for i, r in each(h):
        prev = h.prev(i)
        if r.rne in ("T", "U") and prev is not None and (prev.ls == r.ls or _placement_key(prev) == _placement_key(r)):
            yield i, "RNE"


# --- legal status -----------------------------------------------------------------------------

@rule("358")
def youth_justice_under_10(h):
    for i, r in each(h):
        age = h.age(r.decom)
        if r.ls in ("J1", "J2", "J3") and age is not None and age < 10:
            yield i, "LS"


@rule("359")
def after_18_in_community_home(h):
    if h.dob is None:
        return
    eighteen = h.dob.replace(year=h.dob.year + 18) if not (h.dob.month == 2 and h.dob.day == 29) \
        else dt.date(h.dob.year + 18, 3, 1)
    for i, r in each(h):
        if (r.dec or h.today) > eighteen and not (r.ls == "V2" and r.place in ("K1", "K2")):
            yield i, "LS"


def _too_long(code: str, ls: set[str], max_days: int):
    @rule(code)
    def check(h):
        for i, r in each(h):
            if r.ls in ls and h.days(r) > max_days:
                yield i, "DEC"

    return check


_too_long("361", {"L1"}, 3)    # police protection: 72 hours
_too_long("362", {"L2"}, 21)   # emergency protection order
_too_long("363", {"L3"}, 7)    # child assessment order
_too_long("364", {"J2"}, 1)    # PACE: 24 hours
_too_long("365", RESPITE, 17)  # one short break


@rule("366")
def respite_no_move(h):
    for i, r in each(h):
        if r.ls == "V3" and r.rne != "S":
            yield i, "RNE"


@rule("367")
def respite_75_days(h):
    for i, r in each(h):
        if r.ls not in RESPITE:
            continue
        since = r.decom - dt.timedelta(days=365)
        total = sum(h.days(o) for o in h.rows if o.ls in RESPITE and since <= o.decom <= r.decom)
        if total > 75:
            yield i, "DEC"


@rule("378")
def parents_not_v2(h):
    for i, r in each(h):
        if r.place == "P1" and r.ls == "V2":
            yield i, "LS"


@rule("382")
def respite_not_temporary(h):
    for i, r in each(h):
        if r.ls in RESPITE and r.place in TEMPORARY:
            yield i, "PLACE"


@rule("384")
def respite_not_long_term(h):
    for i, r in each(h):
        if r.ls in RESPITE and r.place in ("U1", "U4"):
            yield i, "PLACE"


@rule("408")
def placement_order_for_a5_a6(h):
    for i, r in each(h):
        if r.place in ("A5", "A6") and r.ls not in ("E1", "D1"):
            yield i, "LS"


@rule("217")
def adoption_by_foster_carers_rne(h):
    for i, r in each(h):
        if r.place in ("A3", "A5") and r.rne not in ("S", "T", "U"):
            yield i, "RNE"


# --- placement type and age -------------------------------------------------------------------

def _min_age(code: str, places: set[str], years: int):
    @rule(code)
    def check(h):
        for i, r in each(h):
            age = h.age(r.decom)
            if r.place in places and age is not None and age < years:
                yield i, "PLACE"

    return check


_min_age("371", {"H5"}, 16)
_min_age("372", {"R5"}, 10)
_min_age("373", {"S1"}, 4)
_min_age("374", {"P3"}, 14)


def _temporary_too_long(code: str, place: str, max_days: int):
    @rule(code)
    def check(h):
        for i, r in each(h):
            if r.place == place and h.days(r) > max_days:
                yield i, "PLACE"

    return check


_temporary_too_long("375", "T1", 42)
_temporary_too_long("376", "T3", 21)
_temporary_too_long("379", "T4", 7)


@rule("377")
def two_t3_a_year(h):
    for i, r in each(h):
        if r.place == "T3":
            since = r.decom - dt.timedelta(days=365)
            if sum(1 for o in h.rows if o.place == "T3" and since <= o.decom <= r.decom) > 2:
                yield i, "PLACE"


@rule("380")
def not_start_temporary(h):
    for i, r in each(h):
        if r.rne == "S" and r.place in TEMPORARY:
            yield i, "PLACE"


@rule("381")
def not_end_temporary(h):
    for i, r in each(h):
        if r.rec and r.rec != "X1" and r.place in TEMPORARY:
            yield i, "PLACE"


@rule("383")
def back_from_temporary(h):
    for i, r in each(h):
        prev, nxt = h.prev(i), h.next(i)
        if (r.place in TEMPORARY and prev is not None and nxt is not None and r.rec == "X1"
                and prev.period_id == nxt.period_id and nxt.rne in ("P", "B", "T", "U")
                and (nxt.place, postcodes.normalise(nxt.pl_post)) != (prev.place, postcodes.normalise(prev.pl_post))):
            yield i + 1, "PL_POST"


# --- provider ---------------------------------------------------------------------------------

NO_PROVIDER = TEMPORARY | {"Z1"}


@rule("213")
def provider_not_required(h):
    for i, r in each(h):
        if r.place in NO_PROVIDER and r.place_provider:
            yield i, "PLACE_PROVIDER"


@rule("526")
def provider_missing(h):
    for i, r in each(h):
        if r.place not in NO_PROVIDER and not r.place_provider:
            yield i, "PLACE_PROVIDER"


def _provider_not_with(code: str, provider: str, places: set[str]):
    @rule(code)
    def check(h):
        for i, r in each(h):
            if r.place_provider == provider and r.place in places:
                yield i, "PLACE_PROVIDER"

    return check


_provider_not_with("527", "PR1", {"P1", "R2", "R5"})
_provider_not_with("528", "PR2", {"P1", "R2", "R5"})
_provider_not_with("529", "PR3", {"P1", "K1", "K2"} | ADOPTION | FOSTER)
_provider_not_with("530", "PR4", {"P1"})
_provider_not_with("531", "PR5", {"P1"})


@rule("550")
def pr0_only_p1(h):
    for i, r in each(h):
        if r.place_provider == "PR0" and r.place != "P1":
            yield i, "PLACE_PROVIDER"


@rule("1015")
def own_provision_outside(h):
    for i, r in each(h):
        if r.place_provider == "PR1" and r.location == "OUT":
            yield i, "PL_LA"


# --- Ofsted URN -------------------------------------------------------------------------------

@rule("1008")
def urn_format(h):
    import re

    for i, r in each(h):
        if r.urn and not re.match(URN_FORMAT, r.urn):
            yield i, "URN"


@rule("218")
def urn_required(h):
    for i, r in each(h):
        if r.place in ("K1", "K2") and not r.urn and r.ls not in RESPITE:
            yield i, "URN"


@rule("222")
def urn_not_for_type(h):
    for i, r in each(h):
        if r.urn and r.urn != "XXXXXXX" and r.place in ({"P1", "P2", "P3", "R1", "R2", "R5", "Z1"} | TEMPORARY):
            yield i, "URN"


# --- postcodes and distance -------------------------------------------------------------------

@rule("392a")
def distance_missing(h):
    for i, r in each(h):
        if r.distance is None and not r.uasc and r.ls not in RESPITE:
            yield i, "PL_DISTANCE"


@rule("392b")
def postcodes_missing(h):
    for i, r in each(h):
        if r.ls in RESPITE:
            continue
        if not r.pl_post:
            yield i, "PL_POST"
        elif not r.home_post and not r.uasc:
            yield i, "HOME_POST"


@rule("392c")
def postcodes_valid(h):
    for i, r in each(h):
        for item, value in (("HOME_POST", r.home_post), ("PL_POST", r.pl_post)):
            if value and not postcodes.is_valid(value):
                yield i, item
                break


@rule("392d")
def home_is_not_placement(h):
    for i, r in each(h):
        if (r.home_post and r.pl_post and r.place != "P1"
                and postcodes.normalise(r.home_post) == postcodes.normalise(r.pl_post)):
            yield i, "PL_POST"


@rule("398")
def no_distance_for_respite(h):
    for i, r in each(h):
        if r.ls in RESPITE and r.distance is not None:
            yield i, "PL_DISTANCE"


@rule("420")
def no_la_for_respite(h):
    for i, r in each(h):
        if r.ls in RESPITE and r.pl_la:
            yield i, "PL_LA"


@rule("214")
def no_location_for_respite(h):
    for i, r in each(h):
        if r.ls in RESPITE and (r.pl_post or r.urn):
            yield i, "PL_POST"


@rule("406")
def uasc_no_distance(h):
    for i, r in each(h):
        if r.uasc and r.distance is not None:
            yield i, "PL_DISTANCE"


@rule("454")
def distance_over_350(h):
    for i, r in each(h):
        if r.distance is not None and r.distance > 350:
            yield i, "PL_DISTANCE"


# --- reason episode ceased --------------------------------------------------------------------

def _age_at_rec(code: str, recs: set[str], *, under: int | None = None, at_least: int | None = None):
    @rule(code)
    def check(h):
        for i, r in each(h):
            age = h.age(r.dec)
            if r.rec in recs and age is not None and (
                    (under is not None and age < under) or (at_least is not None and age >= at_least)):
                yield i, "REC"

    return check


_age_at_rec("386", {"E11", "E12"}, at_least=18)
_age_at_rec("387", {"E5", "E6"}, under=14)
_age_at_rec("389", {"E7"}, under=16)
_age_at_rec("407", {"E45", "E46", "E47", "E48"}, at_least=18)
_age_at_rec("460", {"E17"}, under=18)


@rule("390")
def adopted_after_placed_for_adoption(h):
    for i, r in each(h):
        if r.rec in ("E11", "E12") and r.place not in ADOPTION:
            yield i, "REC"


@rule("516")
def sgo_foster_carers(h):
    for i, r in each(h):
        if r.rec in ("E45", "E46") and r.place not in FOSTER:
            yield i, "REC"


# --- reason for placement change --------------------------------------------------------------

def _moves(h: History, i: int) -> bool:
    """The child moved placement at the end of this episode (within the period)."""
    r, nxt = h.rows[i], h.next(i)
    return r.rec == "X1" and nxt is not None and nxt.rne in ("P", "B", "T", "U")


@rule("225")
def reason_for_move_required(h):
    for i, r in each(h):
        nxt = h.next(i)
        if (_moves(h, i) and not r.reason_place_change and r.place not in TEMPORARY
                and nxt.place not in TEMPORARY):
            yield i, "REASON_PLACE_CHANGE"


@rule("226")
def no_reason_for_temporary(h):
    for i, r in each(h):
        nxt = h.next(i)
        if r.reason_place_change and (r.place in TEMPORARY or (nxt is not None and nxt.place in TEMPORARY)):
            yield i, "REASON_PLACE_CHANGE"


@rule("233")
def no_reason_while_open(h):
    for i, r in each(h):
        if r.reason_place_change and r.dec is None:
            yield i, "REASON_PLACE_CHANGE"


@rule("234")
def custody_under_10(h):
    for i, r in each(h):
        age = h.age(r.dec)
        if r.reason_place_change == "CUSTOD" and age is not None and age < 10:
            yield i, "REASON_PLACE_CHANGE"


# --- running the rules ------------------------------------------------------------------------

def check(rows: Iterable[Row], *, dob: dt.date | None, today: dt.date | None = None) -> list[Finding]:
    """Every finding on a child's whole history (rows in any order)."""
    ordered = sorted(rows, key=lambda r: (r.decom, r.dec is None, r.dec or dt.date.max, r.episode_id or 0))
    h = History(rows=ordered, dob=dob, today=today or timezone.localdate())
    found: dict[tuple, Finding] = {}
    for code, func in RULES:
        for i, item in func(h):
            r = ordered[i]
            f = Finding(code=code, message=MESSAGES[code], field=item, decom=r.decom, episode_id=r.episode_id)
            found.setdefault(f.key, f)
    return sorted(found.values(), key=lambda f: (f.decom or dt.date.min, f.code))


def rows_for(person) -> list[Row]:
    """The child's stored episodes as SSDA903 rows (all periods)."""
    return rows_by_person([person.pk]).get(person.pk, [])


def known_at(row: Row, day: dt.date) -> Row:
    """The episode as the record stood on ``day``: one that ended later was still open (no
    end date, reason or reason for the placement change yet). A return as at a day, or for a
    year whose end is before the episode's."""
    if row.dec is not None and row.dec > day:
        return replace(row, dec=None, rec="", reason_place_change="")
    return row


def rows_by_person(person_ids) -> dict[int, list[Row]]:
    """{person id: their stored episodes as SSDA903 rows (all periods)} for many children, in a
    query per 900 children (a return's hundreds, not a query each)."""
    from .models import Episode

    ids = sorted({p for p in person_ids if p is not None})
    by_person: dict[int, list] = {}
    for batch in in_batches(ids):
        for e in (Episode.objects.filter(person_id__in=batch).select_related("placement", "period")
                  .order_by("person_id", "start_date", "pk")):
            by_person.setdefault(e.person_id, []).append(e)
    out: dict[int, list[Row]] = {}
    for pid, episodes in by_person.items():
        rows = out[pid] = []
        for n, e in enumerate(episodes):
            p, period = e.placement, e.period
            nxt = episodes[n + 1] if n + 1 < len(episodes) else None
            last_of_placement = nxt is None or nxt.placement_id != e.placement_id
            rows.append(Row(
                decom=e.start_date, rne=e.reason_new, ls=e.legal_status, cin=e.category_of_need, place=p.place,
                place_provider=p.provider_code, dec=e.end_date, rec=e.end_reason,
                reason_place_change=p.reason_for_change if last_of_placement else "",
                home_post=period.home_postcode, pl_post=p.postcode, urn=p.urn, distance=p.distance_miles,
                location=p.location, pl_la=p.placing_authority_area, uasc=period.uasc,
                episode_id=e.pk, placement_id=p.pk, period_id=period.pk))
    return out


def check_person(person, today: dt.date | None = None) -> list[Finding]:
    return check(rows_for(person), dob=person.date_of_birth, today=today)


def new_findings(before: list[Finding], after: list[Finding]) -> list[Finding]:
    """Findings a change introduces (those already there were acknowledged when saved)."""
    seen = {f.key for f in before}
    return [f for f in after if f.key not in seen]
