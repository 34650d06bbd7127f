"""Every CIN census rule code ``haven.assessments.census`` covers, with a failing and a passing
case (pure: no database)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from haven.assessments import census
from haven.assessments.census import Activity, AssessmentFacts, Child, EpisodeFacts

TODAY = dt.date(2025, 6, 30)
R = dt.date(2025, 3, 3)   # referral date
DAY = dt.timedelta(days=1)


def ep(**kw) -> EpisodeFacts:
    values = dict(key="episode:1", referral_date=R, source="2A", primary_need="N1")
    values.update(kw)
    return EpisodeFacts(**values)


def asmt(key="assessment:1", start=R + 3 * DAY, episode_key="episode:1", **kw) -> AssessmentFacts:
    return AssessmentFacts(key=key, start_date=start, episode_key=episode_key, **kw)


def done(**kw) -> AssessmentFacts:
    """A completed, authorised assessment."""
    values = dict(completed_date=R + 40 * DAY, authorised_date=R + 42 * DAY, outcome="cin_plan", factors=("3B",))
    values.update(kw)
    return asmt(**values)


NOBODY = Child()


def referral(e, child=NOBODY, others=()):
    return census.check_referral(e, child=child, others=list(others), today=TODAY)


def closure(e, child=NOBODY):
    return census.check_closure(e, child=child, today=TODAY)


def assessment(a, e=None, others=()):
    return census.check_assessment(a, episode=e or ep(), others=list(others), today=TODAY)


CASES = {
    # code: (failing problems, passing problems)
    "8600": (lambda: referral(ep(referral_date=TODAY + DAY)), lambda: referral(ep(referral_date=TODAY))),
    "8866": (lambda: referral(ep(source="99")), lambda: referral(ep(source="3A"))),
    "8610": (lambda: referral(ep(primary_need="")), lambda: referral(ep(primary_need="N0"))),
    "8650": (lambda: referral(ep(primary_need="N10")), lambda: referral(ep(primary_need="N9"))),
    "8568": (lambda: referral(ep(referral_nfa=None)), lambda: referral(ep(referral_nfa=True))),
    "8606": (lambda: referral(ep(), child=Child(date_of_birth=R + dt.timedelta(weeks=41))),
             lambda: referral(ep(), child=Child(expected_date_of_birth=R + dt.timedelta(weeks=39)))),
    "8555Q": (lambda: referral(ep(), child=Child(date_of_birth=dt.date(2015, 1, 1), date_of_death=R - DAY)),
              lambda: referral(ep(), child=Child(date_of_birth=dt.date(2015, 1, 1), date_of_death=R))),
    "8815": (lambda: referral(ep(), others=[ep(key="episode:2", referral_date=R - 30 * DAY)]),
             lambda: referral(ep(), others=[ep(key="episode:2", referral_date=R - 30 * DAY, closure_date=R - DAY,
                                               closure_reason="RC7")])),
    "8816": (lambda: referral(ep(), others=[ep(key="episode:2", referral_date=R + 10 * DAY, closure_date=R + 20 * DAY,
                                               closure_reason="RC7")]),
             lambda: referral(ep(closure_date=R + 5 * DAY, closure_reason="RC7"),
                              others=[ep(key="episode:2", referral_date=R + 10 * DAY, closure_date=R + 20 * DAY,
                                         closure_reason="RC7")])),
    "8820": (lambda: referral(ep(closure_date=R + 20 * DAY, closure_reason="RC7"),
                              others=[ep(key="episode:2", referral_date=R + 10 * DAY, closure_date=R + 30 * DAY,
                                         closure_reason="RC7")]),
             # one episode may close the day the next starts
             lambda: referral(ep(closure_date=R + 20 * DAY, closure_reason="RC7"),
                              others=[ep(key="episode:2", referral_date=R + 20 * DAY, closure_date=R + 30 * DAY,
                                         closure_reason="RC7")])),
    "8831": (lambda: referral(ep(referral_nfa=True, assessments=(asmt(),))),
             lambda: referral(ep(referral_nfa=False, assessments=(asmt(),)))),
    "8832": (lambda: referral(ep(referral_nfa=True, activities=(Activity("cp_plan", R + 5 * DAY),))),
             lambda: referral(ep(referral_nfa=True))),
    "4000": (lambda: referral(ep(referral_nfa=True, activities=(Activity("cin_plan", R + 5 * DAY),))),
             lambda: referral(ep(referral_nfa=False, activities=(Activity("cin_plan", R + 5 * DAY),)))),
    "1103": (lambda: assessment(asmt(start=R - DAY)), lambda: assessment(asmt(start=R))),
    "1104": (lambda: referral(ep(activities=(Activity("icpc", R - DAY),))),
             lambda: referral(ep(activities=(Activity("icpc", R),)))),
    "1105": (lambda: referral(ep(activities=(Activity("cp_plan", R - DAY),))),
             lambda: referral(ep(activities=(Activity("cp_plan", R + DAY),)))),
    "2889": (lambda: referral(ep(activities=(Activity("s47", R - DAY),))),
             lambda: referral(ep(activities=(Activity("s47", R),)))),
    "4015": (lambda: referral(ep(activities=(Activity("cin_plan", R - DAY),))),
             lambda: referral(ep(activities=(Activity("cin_plan", R + 60 * DAY),)))),
    # closure
    "8630": (lambda: closure(ep(closure_date=R - DAY, closure_reason="RC7")),
             lambda: closure(ep(closure_date=R, closure_reason="RC7"))),
    "8805": (lambda: closure(ep(closure_date=R + DAY)), lambda: closure(ep(closure_date=R + DAY, closure_reason="RC7"))),
    "8810": (lambda: closure(ep(closure_reason="RC7")), lambda: closure(ep())),
    "8640": (lambda: closure(ep(closure_date=R + DAY, closure_reason="RC10")),
             lambda: closure(ep(closure_date=R + DAY, closure_reason="RC6"))),
    "8565": (lambda: closure(ep(closure_date=R + 41 * DAY, closure_reason="RC7", assessments=(done(),))),
             lambda: closure(ep(closure_date=R + 42 * DAY, closure_reason="RC7", assessments=(done(),)))),
    "8867": (lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC7", assessments=(asmt(),))),
             lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC7", assessments=(done(),)))),
    "8868": (lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC7",
                                activities=(Activity("s47", R + DAY, finished=False),))),
             lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC7",
                                activities=(Activity("s47", R + DAY, R + 9 * DAY, finished=True),)))),
    "8825Q": (lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC8")),
              lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC8", assessments=(done(),)))),
    "2990": (lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC9", assessments=(done(),),
                                activities=(Activity("s47", R + DAY, R + 5 * DAY),))),
             lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC7", assessments=(done(),),
                                activities=(Activity("s47", R + DAY, R + 5 * DAY),)))),
    "8873Q": (lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC7", assessments=(done(factors=("21",)),))),
              lambda: closure(ep(closure_date=R + 50 * DAY, closure_reason="RC8", assessments=(done(factors=("21",)),)))),
    "8585Q": (lambda: closure(ep(closure_date=R + DAY, closure_reason="RC2")),
              lambda: closure(ep(closure_date=R + DAY, closure_reason="RC2"), child=Child(date_of_death=R + DAY))),
    # assessment
    "8608": (lambda: assessment(done(start=R + 50 * DAY, completed_date=None, authorised_date=R + 45 * DAY)),
             lambda: assessment(done())),
    "8614": (lambda: assessment(asmt(factors=("3B",))), lambda: assessment(asmt(factors=("3B",), completed_date=R + 9 * DAY,
                                                                              outcome="nfa"))),
    "8897Q": (lambda: assessment(asmt(completed_date=R + 9 * DAY, outcome="nfa")), lambda: assessment(done(factors=("21",)))),
    "8869": (lambda: assessment(done(factors=("21", "3A"))), lambda: assessment(done(factors=("21",)))),
    "8898": (lambda: assessment(done(factors=("3A", "3A"))), lambda: assessment(done(factors=("3A", "3B")))),
    "8945Q": (lambda: assessment(done(factors=("18A",))), lambda: assessment(done(factors=("18B",)))),
    "8950Q": (lambda: assessment(done(factors=("19A",))), lambda: assessment(done(factors=("19C",)))),
    "8863Q": (lambda: assessment(asmt(start=R + 10 * DAY), others=[done(key="assessment:2", episode_key="episode:0",
                                                                        start=R + 2 * DAY)]),
              # the other was authorised the day this one started
              lambda: assessment(asmt(start=R + 44 * DAY), others=[done(key="assessment:2", episode_key="episode:0",
                                                                        start=R + 2 * DAY, authorised_date=R + 44 * DAY)])),
    "8896": (lambda: assessment(asmt(start=R + 10 * DAY), others=[asmt(key="assessment:2", start=R + 2 * DAY)]),
             lambda: assessment(asmt(start=R + 10 * DAY), others=[done(key="assessment:2", start=R + 2 * DAY,
                                                                       completed_date=R + 8 * DAY,
                                                                       authorised_date=R + 9 * DAY)])),
}


def codes(problems) -> set[str]:
    return {p.code for p in problems}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_rule_fails_and_passes(code):
    failing, passing = CASES[code]
    assert code in codes(failing()), f"{code} should be reported"
    assert code not in codes(passing()), f"{code} should not be reported"


def test_every_rule_code_in_the_docstring_is_tested():
    documented = set(re.findall(r"^\s{4}(\d{3,4}Q?)\b", census.__doc__, flags=re.M))
    documented |= {"8950Q"}  # documented on the 8945Q line
    assert documented - set(CASES) == set()
    with open("/work/shared/reference/rules_cin_2025_26.tsv", encoding="utf-8") as f:
        dfe = {line.split("\t")[0] for line in f if line.strip()}
    assert set(CASES) <= dfe, f"not DfE codes: {set(CASES) - dfe}"


def test_activity_after_closure_of_a_plan_is_activity_after_closure():
    e = ep(closure_date=R + 30 * DAY, closure_reason="RC7",
           activities=(Activity("cin_plan", R + 5 * DAY, R + 35 * DAY),))
    assert "8565" in codes(closure(e))


def test_an_open_plan_blocks_closure():
    assert "CPP" in codes(closure(ep(closure_date=R + 30 * DAY, closure_reason="RC7",
                                     activities=(Activity("cp_plan", R + 5 * DAY),))))
    assert "CINP" in codes(closure(ep(closure_date=R + 30 * DAY, closure_reason="RC7",
                                      activities=(Activity("cin_plan", R + 5 * DAY),))))
    assert not {"CPP", "CINP"} & codes(closure(ep(closure_date=R + 30 * DAY, closure_reason="RC7",
                                                  activities=(Activity("cp_plan", R + 5 * DAY, R + 20 * DAY),))))


def test_impossible_assessment_dates_are_haven_refusals():
    found = codes(assessment(asmt(child_seen_date=R - DAY)))
    assert "SEEN" in found
    assert "SEEN" in codes(assessment(asmt(seen_alone=True)))
    assert "COMPLETED" in codes(assessment(asmt(completed_date=R + DAY, outcome="nfa", factors=("21",))))
    assert "AUTHORISED" in codes(assessment(asmt(authorised_date=R + 9 * DAY, factors=("21",))))
    assert "AUTHORISED" in codes(assessment(done(completed_date=R + 20 * DAY, authorised_date=R + 19 * DAY)))
    assert "FUTURE" in codes(assessment(done(authorised_date=TODAY + DAY)))
    assert not codes(assessment(done()))


def test_a_decision_cannot_come_before_the_referral():
    assert "DECISION" in codes(referral(ep(decision_date=R - DAY)))
    assert "DECISION" not in codes(referral(ep(decision_date=R)))


def test_new_problems_ignores_what_was_already_there():
    old = [census.Problem("8869", "factors", "x", "assessment:1")]
    new = [census.Problem("8869", "factors", "x", "assessment:1"), census.Problem("1103", "start_date", "y", "assessment:1")]
    assert [p.code for p in census.new_problems(new, old)] == ["1103"]


def test_check_episode_reports_each_rule_once_per_record():
    e = ep(assessments=(asmt(start=R - DAY),))
    found = census.check_episode(e, child=Child(), others=[], child_assessments=list(e.assessments), today=TODAY)
    assert [p.code for p in found].count("1103") == 1
