import datetime as dt

from haven.people.matching import PersonFacts, is_possible_duplicate, score
from haven.people.names import query_terms, tokens


def test_apostrophes_and_hyphens_give_every_useful_token():
    assert {"obrien", "o", "brien"} <= tokens("O'Brien")
    assert {"smith", "jones", "smithjones"} <= tokens("Smith-Jones")
    assert "dsouza" in tokens("D’Souza")  # curly apostrophe
    assert "zoe" in tokens("Zoë")


def test_query_terms_fold_like_tokens():
    assert query_terms("O'Bri") == ["obri"]
    assert query_terms("smith-jo") == ["smith", "jo"]
    assert query_terms("  ZOË ") == ["zoe"]


def facts(first, last, dob, **kw):
    return PersonFacts(first_name=first, last_name=last, date_of_birth=dob, **kw)


def test_a_typo_and_swapped_day_and_month_are_still_a_possible_duplicate():
    a = facts("Amelia", "Okafor", dt.date(2015, 3, 7))
    b = facts("Amelie", "Okafor", dt.date(2015, 7, 3))
    assert is_possible_duplicate(a, b)
    assert "Date of birth with day and month swapped" in score(a, b)[1]


def test_a_nickname_matches_the_full_name():
    assert is_possible_duplicate(facts("Bill", "Hughes", dt.date(2010, 1, 2)), facts("William", "Hughes", dt.date(2010, 1, 2)))


def test_a_changed_surname_with_the_same_first_name_and_birthday_is_flagged():
    s, reasons = score(facts("Grace", "Mensah", dt.date(2012, 5, 5)), facts("Grace", "Clarke", dt.date(2012, 5, 5)))
    assert s >= 75 and "Different surname (changed name?)" in reasons


def test_twins_are_not_duplicates():
    a = facts("Leo", "Patel", dt.date(2018, 9, 9), sex="M")
    b = facts("Arjun", "Patel", dt.date(2018, 9, 9), sex="M")
    assert score(a, b)[0] == 0


def test_siblings_with_different_birthdays_are_not_duplicates():
    assert not is_possible_duplicate(facts("Mia", "Ward", dt.date(2014, 1, 1)), facts("Ava", "Ward", dt.date(2016, 6, 1)))


def test_nhs_numbers_decide_when_both_are_known():
    same = score(facts("X", "Y", None, nhs_number="9990000107"), facts("Z", "W", None, nhs_number="9990000107"))
    different = score(facts("Amy", "Ward", dt.date(2014, 1, 1), nhs_number="9990000107"),
                      facts("Amy", "Ward", dt.date(2014, 1, 1), nhs_number="9999999999"))
    assert same[0] == 100 and different[0] == 0
