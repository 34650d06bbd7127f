"""Adoption scorecard A1, A2, A10, against hand-computed examples.

Children of our own in Westminster, adopted between 1 April 2019 and 31 March 2022:

- Amy: entered care 6 Jan 2020, placement order 1 Sep 2020, matched 1 Dec 2020, placed 4 Jan 2021,
  adopted 7 Jun 2021. A1 = 364 days, A2 = 91, A10 = 364.
- Ben (foster to adopt): entered care 2 Mar 2020, moved in with the carers 1 Apr 2020, placement
  order 3 Aug 2020, matched 1 Oct 2020, placed 5 Oct 2020, adopted 1 Mar 2021. A1 = 217, A2 = 59,
  A10 = 30.
- Cal (consent, no placement order): entered 1 May 2019, placed 15 Nov 2019, adopted 1 Jun 2020.
  A1 = 198, A10 = 198, not in A2.
- Eve (adopted in her second period of care, which began 2 Sep 2019): placed 10 Feb 2020, adopted
  1 Sep 2020. A1 = 161, A10 = 161, not in A2.
- Dan: adopted 1 Jan 2024, outside the range.

A1 = (364 + 217 + 198 + 161) / 4 = 235; A2 = (91 + 59) / 2 = 75; A10 = (364 + 30 + 198 + 161) / 4
= 188.25 → 188.
"""

from __future__ import annotations

import datetime as dt

import pytest

from haven.permanence import measures
from haven.permanence.models import AdoptionDecision

D = dt.date
K = AdoptionDecision.Kind
START, END = D(2019, 4, 1), D(2022, 3, 31)


def adopted(authority, first, periods, steps):
    from haven.core.testing import make_person
    from haven.looked_after.models import PeriodOfCare

    child = make_person(authority, first=first, last="Measure", born=D(2018, 1, 1))
    for start, end in periods:
        PeriodOfCare.objects.create(person=child, authority=authority, start_date=start, end_date=end,
                                    end_reason="E11" if end else "")
    for kind, on in steps:
        AdoptionDecision.objects.create(person=child, authority=authority, kind=kind, decided_on=on)
    return child


@pytest.fixture
def cohort(world):
    w = world.westminster
    return {
        "amy": adopted(w, "Amy", [(D(2020, 1, 6), D(2021, 6, 7))], [
            (K.SHOULD_BE_PLACED, D(2020, 6, 1)), (K.PLACEMENT_ORDER, D(2020, 9, 1)), (K.MATCHED, D(2020, 12, 1)),
            (K.PLACED, D(2021, 1, 4)), (K.ADOPTION_ORDER, D(2021, 6, 7))]),
        "ben": adopted(w, "Ben", [(D(2020, 3, 2), D(2021, 3, 1))], [
            (K.MOVED_IN_WITH_CARERS, D(2020, 4, 1)), (K.SHOULD_BE_PLACED, D(2020, 5, 1)),
            (K.PLACEMENT_ORDER, D(2020, 8, 3)), (K.MATCHED, D(2020, 10, 1)), (K.PLACED, D(2020, 10, 5)),
            (K.ADOPTION_ORDER, D(2021, 3, 1))]),
        "cal": adopted(w, "Cal", [(D(2019, 5, 1), D(2020, 6, 1))], [
            (K.SHOULD_BE_PLACED, D(2019, 8, 1)), (K.MATCHED, D(2019, 11, 1)), (K.PLACED, D(2019, 11, 15)),
            (K.ADOPTION_ORDER, D(2020, 6, 1))]),
        "eve": adopted(w, "Eve", [(D(2018, 1, 1), D(2018, 6, 1)), (D(2019, 9, 2), D(2020, 9, 1))], [
            (K.SHOULD_BE_PLACED, D(2019, 10, 1)), (K.MATCHED, D(2020, 2, 3)), (K.PLACED, D(2020, 2, 10)),
            (K.ADOPTION_ORDER, D(2020, 9, 1))]),
        "dan": adopted(w, "Dan", [(D(2022, 1, 3), D(2024, 1, 1))], [
            (K.SHOULD_BE_PLACED, D(2022, 6, 1)), (K.MATCHED, D(2023, 2, 1)), (K.PLACED, D(2023, 3, 1)),
            (K.ADOPTION_ORDER, D(2024, 1, 1))]),
    }


def days_by_child(m):
    return {r.person.first_name: r.days for r in m.rows}


def test_a1(world, cohort):
    m = measures.a1(world.westminster, START, END)
    assert days_by_child(m) == {"Cal": 198, "Eve": 161, "Ben": 217, "Amy": 364}
    assert m.average == 235 and m.count == 4


def test_a2(world, cohort):
    m = measures.a2(world.westminster, START, END)
    assert days_by_child(m) == {"Ben": 59, "Amy": 91}
    assert m.average == 75
    assert {p.first_name for p, _why in m.excluded} == {"Cal", "Eve"}


def test_a10_counts_foster_to_adopt_from_moving_in(world, cohort):
    m = measures.a10(world.westminster, START, END)
    assert days_by_child(m) == {"Cal": 198, "Eve": 161, "Ben": 30, "Amy": 364}
    assert m.average == 188
    ben = next(r for r in m.rows if r.person.first_name == "Ben")
    assert ben.end == D(2020, 4, 1) and "foster carers" in ben.end_label


def test_other_authorities_and_ranges(world, cohort):
    assert measures.a1(world.hammersmith, START, END).average is None
    m = measures.a1(world.westminster, D(2023, 4, 1), D(2024, 3, 31))
    assert days_by_child(m) == {"Dan": (D(2023, 3, 1) - D(2022, 1, 3)).days}


def test_a_reversed_journey_counts_only_the_last(world):
    """After a reversal and a new decision, the match and placement of the new journey count."""
    child = adopted(world.westminster, "Fay", [(D(2019, 6, 3), D(2021, 9, 1))], [
        (K.SHOULD_BE_PLACED, D(2019, 9, 2)), (K.PLACEMENT_ORDER, D(2019, 10, 1)), (K.MATCHED, D(2019, 12, 2)),
        (K.REVERSED, D(2020, 1, 6)), (K.SHOULD_BE_PLACED, D(2020, 6, 1)), (K.PLACEMENT_ORDER, D(2020, 7, 1)),
        (K.MATCHED, D(2020, 9, 1)), (K.PLACED, D(2020, 9, 14)), (K.ADOPTION_ORDER, D(2021, 9, 1))])
    a2 = measures.a2(world.westminster, START, END)
    assert [(r.person, r.days) for r in a2.rows] == [(child, (D(2020, 9, 1) - D(2020, 7, 1)).days)]
    a1 = measures.a1(world.westminster, START, END)
    assert a1.rows[0].days == (D(2020, 9, 14) - D(2019, 6, 3)).days


def test_default_range_is_three_reporting_years():
    assert measures.default_range(D(2025, 6, 1)) == (D(2022, 4, 1), D(2025, 3, 31))
    assert measures.default_range(D(2025, 3, 30)) == (D(2021, 4, 1), D(2024, 3, 31))
