"""The leaving-care category from hand-built care histories (pure: no database)."""

import datetime as dt

from haven.care_leavers.eligibility import birthday, classify, eligible_from

D = dt.date
BORN = D(2008, 3, 10)          # 14 on 10 March 2022, 16 on 10 March 2024, 18 on 10 March 2026
FOURTEEN, SIXTEEN, EIGHTEEN = D(2022, 3, 10), D(2024, 3, 10), D(2026, 3, 10)


def cat(on, periods, **kw):
    return classify(born=BORN, on=on, periods=periods, **kw)


def test_birthdays():
    assert birthday(BORN, 16) == SIXTEEN
    assert birthday(D(2008, 2, 29), 17) == D(2025, 3, 1)


def test_under_16_is_not_eligible_and_says_when_they_would_be():
    r = cat(D(2023, 6, 1), [(D(2023, 1, 1), None)])
    assert r.category == "not_eligible"
    assert "leaving care categories start at 16" in r.reasons[0]
    assert r.eligible_from == SIXTEEN
    assert "eligible from 10 March 2024" in r.reasons[1]


def test_eligible_after_13_weeks_since_14_and_looked_after_after_16():
    r = cat(D(2024, 6, 1), [(D(2023, 1, 1), None)])
    assert r.category == "eligible"
    assert r.looked_after_now and r.days_counted == (D(2024, 6, 1) - D(2023, 1, 1)).days + 1
    assert r.eligible_from == SIXTEEN
    assert any("at least 13 weeks" in x for x in r.reasons)


def test_the_13_week_boundary_is_91_days_inclusive():
    start = SIXTEEN  # became looked after on the 16th birthday
    day91 = start + dt.timedelta(days=90)
    assert cat(day91 - dt.timedelta(days=1), [(start, None)]).category == "not_eligible"
    r = cat(day91, [(start, None)])
    assert r.category == "eligible" and r.days_counted == 91 and r.eligible_from == day91
    before = cat(day91 - dt.timedelta(days=1), [(start, None)])
    assert before.days_counted == 90
    assert any(f"Becomes eligible on {day91.day} " in x for x in before.reasons)


def test_days_before_the_14th_birthday_do_not_count():
    # looked after from age 10 to a week after 14, then again from 16 for 80 days: 8 + 80 < 91
    periods = [(D(2018, 1, 1), FOURTEEN + dt.timedelta(days=7)), (SIXTEEN, None)]
    r = cat(SIXTEEN + dt.timedelta(days=79), periods)
    assert r.days_counted == 8 + 80 and r.category == "not_eligible"
    assert cat(SIXTEEN + dt.timedelta(days=82), periods).category == "eligible"  # 8 + 83 = 91


def test_short_breaks_v3_v4_are_left_out_of_the_13_weeks():
    periods = [(D(2023, 1, 1), None)]
    breaks = [(D(2023, 1, 1), D(2024, 4, 30))]  # short breaks until after 16
    r = cat(D(2024, 6, 1), periods, short_breaks=breaks)
    assert r.short_break_days == (D(2024, 4, 30) - D(2023, 1, 1)).days + 1
    assert r.days_counted == 32  # 1 May to 1 June
    assert r.category == "not_eligible"
    assert any("short breaks (V3/V4)" in x for x in r.reasons)
    # the same history without the short breaks is eligible
    assert cat(D(2024, 6, 1), periods).category == "eligible"
    # eligible once 91 non-short-break days are reached: 1 May + 90 days
    assert cat(D(2024, 7, 30), periods, short_breaks=breaks).category == "eligible"
    assert cat(D(2024, 7, 29), periods, short_breaks=breaks).category == "not_eligible"


def test_only_short_breaks_since_16_is_not_eligible():
    periods = [(D(2023, 1, 1), None)]
    breaks = [(D(2024, 1, 1), None)]  # 365 counted days before, then only short breaks
    r = cat(D(2024, 6, 1), periods, short_breaks=breaks)
    assert r.days_counted >= 91 and r.category == "not_eligible"
    assert any("only in short breaks" in x for x in r.reasons)


def test_relevant_when_left_care_at_16_or_17_after_being_eligible():
    periods = [(D(2023, 1, 1), D(2024, 9, 1))]
    r = cat(D(2025, 1, 1), periods)
    assert r.category == "relevant" and r.left_care_on == D(2024, 9, 1)
    assert "left care on 1 September 2024" in r.reasons[0]


def test_left_care_at_16_before_13_weeks_is_qualifying():
    periods = [(SIXTEEN, SIXTEEN + dt.timedelta(days=60))]
    r = cat(D(2025, 1, 1), periods)
    assert r.category == "qualifying"


def test_left_care_before_16_is_not_eligible():
    periods = [(D(2022, 5, 1), D(2023, 5, 1))]
    r = cat(D(2025, 1, 1), periods)
    assert r.category == "not_eligible"
    assert "not looked after at any time since their 16th birthday" in r.reasons[0]


def test_relevant_when_in_custody_on_the_16th_birthday_after_13_weeks():
    periods = [(D(2023, 1, 1), D(2023, 12, 31))]
    custody = [(D(2024, 1, 1), D(2024, 8, 1))]
    r = cat(D(2024, 9, 1), periods, custody=custody)
    assert r.category == "relevant"
    assert "in custody on their 16th birthday" in r.reasons[0]
    # a gap between care and custody: not relevant by this route
    gap = [(D(2024, 1, 20), D(2024, 8, 1))]
    assert cat(D(2024, 9, 1), periods, custody=gap).category == "not_eligible"


def test_former_relevant_at_18_to_24_after_being_eligible():
    periods = [(D(2022, 9, 1), EIGHTEEN)]  # ceased on the 18th birthday
    r = cat(D(2027, 1, 1), periods)
    assert r.category == "former_relevant"
    assert "the day before their 18th birthday" in r.reasons[0]
    assert cat(D(2033, 3, 9), periods).category == "former_relevant"   # the day before 25
    assert cat(D(2033, 3, 10), periods).category == "not_eligible"     # 25


def test_former_relevant_after_being_relevant():
    periods = [(D(2023, 1, 1), D(2024, 9, 1))]
    assert cat(D(2027, 1, 1), periods).category == "former_relevant"


def test_qualifying_after_18_and_to_21_then_only_in_education():
    periods = [(D(2025, 10, 1), EIGHTEEN)]  # 5 months, but all after 16… 160 days: eligible
    assert cat(D(2027, 1, 1), periods).category == "former_relevant"
    short = [(D(2026, 1, 1), EIGHTEEN)]     # 69 days
    assert cat(D(2027, 1, 1), short).category == "qualifying"
    assert cat(D(2029, 6, 1), short).category == "not_eligible"  # 21
    assert cat(D(2029, 6, 1), short, in_education=True).category == "qualifying"


def test_still_looked_after_is_never_qualifying():
    r = cat(D(2024, 4, 1), [(SIXTEEN, None)])
    assert r.category == "not_eligible"
    assert any("not qualifying" in x for x in r.reasons)


def test_eligible_from_projects_an_open_period():
    assert eligible_from(BORN, [(D(2024, 1, 1), None)], []) == D(2024, 3, 31)  # 91st day
    assert eligible_from(BORN, [(D(2024, 1, 1), D(2024, 2, 1))], []) is None
    assert eligible_from(BORN, [(D(2026, 1, 1), None)], []) is None  # 91 days would be after 18


def test_oc3_next_year_for_those_looked_after_on_or_leaving_on_or_after_the_17th_or_18th_birthday():
    """SSDA903 rules 1007 and 1016, read by the OC3 table and the care leaver KPIs alike."""
    from haven.care_leavers.eligibility import oc3_next_year

    born = dt.date(2008, 6, 15)
    as_at = dt.date(2027, 3, 31)
    eighteen = dt.date(2026, 6, 15)
    assert oc3_next_year(born, 18, [(dt.date(2020, 1, 1), eighteen)], as_at)                        # left on the birthday
    assert oc3_next_year(born, 18, [(dt.date(2020, 1, 1), None)], as_at)                            # still looked after
    assert not oc3_next_year(born, 18, [(dt.date(2020, 1, 1), eighteen - dt.timedelta(days=1))], as_at)
    # a period ending after the day the return is as at is still open on that day
    assert oc3_next_year(born, 18, [(dt.date(2020, 1, 1), dt.date(2026, 5, 1))], dt.date(2026, 4, 30))
    # a period starting after that day is not known yet; at 19 to 21 nobody is held back
    assert not oc3_next_year(born, 18, [(dt.date(2027, 4, 1), None)], as_at)
    assert not oc3_next_year(born, 19, [(dt.date(2020, 1, 1), None)], as_at)
