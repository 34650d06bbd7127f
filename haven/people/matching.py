"""Person matching (pure): is this probably the same person as that one?

The front door must find existing records despite typos, nicknames, swapped day and month,
changed surnames; and must not call siblings or twins duplicates. Scores are 0–100; at or above
``POSSIBLE`` a pair is shown as a possible duplicate, with the reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapidfuzz import fuzz

from .names import fold

POSSIBLE = 75

NICKNAMES = {
    "bill": "william", "will": "william", "billy": "william", "liam": "william",
    "bob": "robert", "rob": "robert", "bobby": "robert", "robbie": "robert",
    "jim": "james", "jimmy": "james", "jamie": "james",
    "tom": "thomas", "tommy": "thomas", "mike": "michael", "mick": "michael",
    "dan": "daniel", "danny": "daniel", "dave": "david", "alex": "alexander", "sam": "samuel",
    "ben": "benjamin", "joe": "joseph", "josh": "joshua", "matt": "matthew", "chris": "christopher",
    "nick": "nicholas", "tony": "anthony", "ed": "edward", "eddie": "edward", "harry": "henry",
    "kate": "katherine", "katie": "katherine", "kat": "katherine", "liz": "elizabeth",
    "beth": "elizabeth", "lizzie": "elizabeth", "jen": "jennifer", "jenny": "jennifer",
    "maggie": "margaret", "meg": "margaret", "sue": "susan", "becky": "rebecca", "abbie": "abigail",
    "ellie": "eleanor", "millie": "amelia", "mo": "mohammed", "mohamed": "mohammed", "muhammad": "mohammed",
}


@dataclass(frozen=True)
class PersonFacts:
    first_name: str
    last_name: str
    date_of_birth: dt.date | None = None
    nhs_number: str = ""
    sex: str = "U"
    other_last_names: tuple[str, ...] = ()


def canonical_first(name: str) -> str:
    first = fold(name).split()
    if not first:
        return ""
    return NICKNAMES.get(first[0], first[0])


def dob_relation(a: dt.date | None, b: dt.date | None) -> str | None:
    if a is None or b is None:
        return None
    if a == b:
        return "same"
    if a.day == b.month and a.month == b.day and a.year == b.year:
        return "swapped"
    if abs((a - b).days) <= 1 or (a.month == b.month and a.day == b.day and abs(a.year - b.year) == 1):
        return "near"
    return "different"


def score(a: PersonFacts, b: PersonFacts) -> tuple[int, list[str]]:
    """How likely ``a`` and ``b`` are one person (0–100), and why."""
    if a.nhs_number and b.nhs_number:
        if a.nhs_number == b.nhs_number:
            return 100, ["Same NHS number"]
        return 0, ["Different NHS numbers"]
    reasons: list[str] = []
    first_a, first_b = canonical_first(a.first_name), canonical_first(b.first_name)
    first = fuzz.ratio(first_a, first_b) if first_a and first_b else 0
    lasts_a = {fold(n) for n in (a.last_name, *a.other_last_names) if n}
    lasts_b = {fold(n) for n in (b.last_name, *b.other_last_names) if n}
    last = max((fuzz.ratio(x, y) for x in lasts_a for y in lasts_b), default=0)
    dob = dob_relation(a.date_of_birth, b.date_of_birth)

    # Twins and siblings: same birthday and surname but clearly different first names.
    if dob == "same" and last >= 90 and first < 70:
        return 0, ["Same date of birth and surname but a different first name (a sibling or twin?)"]
    if a.sex in "MF" and b.sex in "MF" and a.sex != b.sex and first < 90:
        return 0, ["Different sex"]

    total = 0.0
    total += 0.40 * first
    total += 0.25 * last
    if first >= 85:
        reasons.append("Same first name" if first == 100 else "Similar first name")
    if last >= 85:
        reasons.append("Same surname" if last == 100 else "Similar surname")
    elif last < 60 and first >= 85 and dob == "same":
        reasons.append("Different surname (changed name?)")
        total += 15
    dob_points = {"same": 35, "swapped": 28, "near": 20, "different": -25, None: 0}[dob]
    total += dob_points
    if dob == "same":
        reasons.append("Same date of birth")
    elif dob == "swapped":
        reasons.append("Date of birth with day and month swapped")
    elif dob == "near":
        reasons.append("Date of birth one day or one year apart")
    return max(0, min(100, round(total))), reasons


def is_possible_duplicate(a: PersonFacts, b: PersonFacts) -> bool:
    return score(a, b)[0] >= POSSIBLE
