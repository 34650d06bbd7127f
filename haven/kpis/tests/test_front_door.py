"""The front door, referral and assessment KPIs on small hand-built datasets, each in a fresh
authority of its own so that the expected figures are exact (worked out by hand in comments).

Deadlines are not built by hand: records are saved normally and ``haven.work.signals`` derives
them through the timescale rules engine."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from haven.kpis.catalogue import CATALOGUE, Scope, compute, load

AS_OF = dt.date(2026, 3, 31)          # the year 1 April 2025 to 31 March 2026
_n = itertools.count(1)


@pytest.fixture
def la(db):
    from haven.accounts.models import LocalAuthority

    i = next(_n)
    return LocalAuthority.objects.create(name=f"Testshire {i}", ons_code=f"E0699{i:04d}", lea_code=f"9{i:02d}",
                                         child_id_prefix=f"TS{i}")


def result(kpi_id, authority, as_of=AS_OF):
    load()
    return compute(CATALOGUE[kpi_id], Scope.year_to([authority], as_of))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """London time (GMT or BST as the date has it)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def child(authority, name: str, born=dt.date(2014, 3, 3)):
    from haven.core.testing import make_person

    return make_person(authority, first=name, last="Kpi", born=born)


# -- contacts -------------------------------------------------------------------------------------

def contact(authority, children, *, received, rag="", rated=None, decision="", decided=None, adults=()):
    from haven.front_door.models import Contact, ContactSubject

    c = Contact.objects.create(authority=authority, received_at=received, source="2A", reason="Synthetic concern",
                               consent="given", rag=rag, rated_at=rated, decision=decision, decision_at=decided)
    for person in children:
        ContactSubject.objects.create(contact=c, person=person, authority=authority)
    for person in adults:
        ContactSubject.objects.create(contact=c, person=person, authority=authority, role="adult")
    return c


@pytest.fixture
def contacts(la):
    """Eight contacts (London times; BST until 26 October 2025, then GMT):

    C1 2025-06-10 09:00, two children, red rated 09:30, referral decided 13:30: exactly 4 hours.
    C2 2025-07-01 10:00, a child and an adult, amber rated 10:00, NFA decided next day 10:01 (late).
    C3 2025-09-01 10:00, green rated 10:00, early help decided 2025-09-03 10:00 (48 of 72 hours).
    C4 2025-10-01 10:00, blue (no clock), information and advice the same day.
    C5 2026-03-31 22:00 (last day), green rated 22:30, due 3 April 2026: not decided.
    C6 2025-03-31 23:30 (the day before the year), green rated 23:40, strategy discussion decided
       2025-04-01 09:00; its clock falls due 2025-04-03 23:40, in the year.
    C7 2025-12-01 10:00, red rated 10:00 (due 14:00), never decided.
    C8 2026-04-01 00:30 (the day after the year), not rated."""
    k = {name: child(la, name) for name in ("A1", "A2", "B", "C", "D", "E", "F", "G", "H")}
    from haven.core.testing import make_person

    adult = make_person(la, first="Parent", last="Kpi", born=dt.date(1985, 1, 1), kind="adult")
    d = dt.date
    contact(la, [k["A1"], k["A2"]], received=at(d(2025, 6, 10), 9), rag="R", rated=at(d(2025, 6, 10), 9, 30),
            decision="referral", decided=at(d(2025, 6, 10), 13, 30))
    contact(la, [k["B"]], adults=[adult], received=at(d(2025, 7, 1), 10), rag="A", rated=at(d(2025, 7, 1), 10),
            decision="nfa", decided=at(d(2025, 7, 2), 10, 1))
    contact(la, [k["C"]], received=at(d(2025, 9, 1), 10), rag="G", rated=at(d(2025, 9, 1), 10),
            decision="early_help", decided=at(d(2025, 9, 3), 10))
    contact(la, [k["D"]], received=at(d(2025, 10, 1), 10), rag="B", rated=at(d(2025, 10, 1), 10),
            decision="information", decided=at(d(2025, 10, 1), 15))
    contact(la, [k["E"]], received=at(d(2026, 3, 31), 22), rag="G", rated=at(d(2026, 3, 31), 22, 30))
    contact(la, [k["F"]], received=at(d(2025, 3, 31), 23, 30), rag="G", rated=at(d(2025, 3, 31), 23, 40),
            decision="strategy", decided=at(d(2025, 4, 1), 9))
    contact(la, [k["G"]], received=at(d(2025, 12, 1), 10), rag="R", rated=at(d(2025, 12, 1), 10))
    contact(la, [k["H"]], received=at(d(2026, 4, 1), 0, 30))
    return k


def test_contacts_count_counts_each_child_on_a_contact_received_in_the_year(la, contacts):
    """C1 (2 children) + C2 (1: the adult is not counted) + C3 + C4 + C5 + C7 = 7. C6 was received
    at 23:30 on 31 March 2025 (London), the day before the year; C8 at 00:30 on 1 April 2026."""
    r = result("contacts_count", la)
    assert r.value == 7
    people = {row.person_id for row in r.rows}
    assert contacts["F"].pk not in people and contacts["H"].pk not in people
    assert {contacts["A1"].pk, contacts["A2"].pk, contacts["E"].pk} <= people


def test_contact_outcomes_are_shares_of_the_children_on_contacts_decided_in_the_year(la, contacts):
    """Decided in the year: C1 (2 children, referral), C2 (NFA), C3 (early help), C4 (information),
    C6 (strategy discussion: received the year before, decided in it) = 6 rows; C5 and C7 are not
    decided. Referred: 2 + 1 (a strategy discussion is a referral) = 3 of 6 = 50%; NFA 1 of 6;
    early help 1 of 6; information 1 of 6 (the four add to 6 of 6)."""
    r = result("contacts_to_referral_pct", la)
    assert (r.numerator, r.denominator, r.value) == (3, 6, 50.0)
    assert {row.person_id for row in r.rows if row.counted} == {contacts[n].pk for n in ("A1", "A2", "F")}
    for kpi_id, who in (("contacts_nfa_pct", "B"), ("contacts_early_help_pct", "C"), ("contacts_information_pct", "D")):
        r = result(kpi_id, la)
        assert (r.numerator, r.denominator) == (1, 6), kpi_id
        assert r.value == pytest.approx(100 / 6)
        assert [row.person_id for row in r.rows if row.counted] == [contacts[who].pk]


def test_contacts_rag_on_time_reads_the_engines_clocks_that_fell_due_in_the_year(la, contacts):
    """Clocks due in the year: C1 (two children, decided exactly at the 4-hour deadline: on time),
    C2 (amber, decided 24 hours 1 minute after the rating: late), C3 (on time), C6 (rated the day
    before the year, due 3 April 2025 23:40, decided 1 April: on time), C7 (red, never decided:
    late). C4 is blue (no clock); C5's clock is due 3 April 2026, after the year. On time: 2 + 1 +
    1 = 4 of 6 = 66.7%."""
    r = result("contacts_rag_on_time_pct", la)
    assert (r.numerator, r.denominator) == (4, 6)
    assert r.value == pytest.approx(400 / 6)
    late = {row.person_id for row in r.rows if not row.counted}
    assert late == {contacts["B"].pk, contacts["G"].pk}
    c1 = next(row for row in r.rows if row.person_id == contacts["A1"].pk)
    assert c1.why["decided"] == c1.why["due"] == at(dt.date(2025, 6, 10), 13, 30)
    assert contacts["E"].pk not in {row.person_id for row in r.rows}


# -- referrals ------------------------------------------------------------------------------------

def referral(authority, person, day: dt.date, *, nfa=False, closed=None):
    from haven.assessments.models import CINEpisode

    return CINEpisode.objects.create(authority=authority, person=person, referral_date=day, source="2A",
                                     primary_need="N0" if nfa else "N1", referral_nfa=nfa,
                                     decision_date=day, closure_date=closed, closure_reason="RC7" if closed else "")


@pytest.fixture
def referrals(la):
    """A: 10 June 2024 (closed 1 August 2024), again 10 June 2025: exactly 12 months later.
    B: 10 June 2024 (closed), again 11 June 2025: 12 months and a day.
    C: 1 May 2025 with no further action, again 1 September 2025 (4 months later).
    D: 31 March 2026 (the last day of the year), the only one.
    E: 31 March 2025 (the day before the year), again 1 April 2025 (the first day).
    F: 1 April 2026 (the day after the year)."""
    d = dt.date
    k = {name: child(la, name) for name in "ABCDEF"}
    referral(la, k["A"], d(2024, 6, 10), closed=d(2024, 8, 1))
    referral(la, k["A"], d(2025, 6, 10))
    referral(la, k["B"], d(2024, 6, 10), closed=d(2024, 8, 1))
    referral(la, k["B"], d(2025, 6, 11))
    referral(la, k["C"], d(2025, 5, 1), nfa=True, closed=d(2025, 5, 1))
    referral(la, k["C"], d(2025, 9, 1))
    referral(la, k["D"], d(2026, 3, 31))
    referral(la, k["E"], d(2025, 3, 31), nfa=True, closed=d(2025, 3, 31))
    referral(la, k["E"], d(2025, 4, 1))
    referral(la, k["F"], d(2026, 4, 1))
    return k


def test_referrals_count_and_rate_per_10000(la, referrals):
    """In the year: A (10 June 2025), B (11 June 2025), C (1 May and 1 September 2025: both), D
    (31 March 2026), E (1 April 2025) = 6 referrals. Population 40,000: 6 * 10,000 / 40,000 = 1.5."""
    from haven.kpis.models import ChildPopulation

    r = result("referrals_count", la)
    assert r.value == 6
    assert [row.why["referral date"] for row in r.rows] == [
        dt.date(2025, 4, 1), dt.date(2025, 5, 1), dt.date(2025, 6, 10), dt.date(2025, 6, 11), dt.date(2025, 9, 1),
        dt.date(2026, 3, 31)]
    ChildPopulation.objects.create(authority=la, year=2025, children=40_000)
    r = result("referrals_per_10k", la)
    assert (r.numerator, r.denominator, r.value) == (6, 40_000, 1.5)


def test_children_in_need_at_the_as_at_date_count_each_open_child_once(la, referrals):
    """Open at the end of 31 March 2026: A (10 June 2025), B (11 June 2025), C (1 September 2025;
    its NFA referral closed on 1 May 2025), D (referred on 31 March 2026 itself), E (1 April 2025)
    = 5. F is referred the day after; A's and B's 2024 episodes closed. G, whose episode closed
    on 31 March 2026, is no longer in need that day; H's closed on 1 April 2026, so H is: 6.
    Population 30,000: 6 * 10,000 / 30,000 = 2.0."""
    from haven.kpis.models import ChildPopulation

    d = dt.date
    g, h = child(la, "G"), child(la, "H")
    referral(la, g, d(2025, 5, 1), closed=d(2026, 3, 31))
    referral(la, h, d(2025, 5, 1), closed=d(2026, 4, 1))
    r = result("cin_count", la)
    assert r.value == 6
    assert {row.person_id for row in r.rows} == {referrals[k].pk for k in "ABCDE"} | {h.pk}
    c = next(row for row in r.rows if row.person_id == referrals["C"].pk)
    assert c.why == {"referral date": d(2025, 9, 1), "primary need": "N1"}
    ChildPopulation.objects.create(authority=la, year=2026, children=30_000)
    r = result("cin_per_10k", la)
    assert (r.numerator, r.denominator, r.value) == (6, 30_000, 2.0)


def test_rereferrals_within_12_months_count_the_anniversary_itself(la, referrals):
    """Of the 6 referrals in the year: A's (10 June 2025, exactly 12 months after 10 June 2024:
    within), C's second (1 September 2025, 4 months after an NFA referral), E's (1 April 2025, a
    day after one before the year) are re-referrals; B's (12 months and a day), C's first, D's
    are not. 3 of 6 = 50%."""
    r = result("rereferrals_12m_pct", la)
    assert (r.numerator, r.denominator, r.value) == (3, 6, 50.0)
    again = {(row.person_id, row.why["referral date"]) for row in r.rows if row.counted}
    assert again == {(referrals["A"].pk, dt.date(2025, 6, 10)), (referrals["C"].pk, dt.date(2025, 9, 1)),
                     (referrals["E"].pk, dt.date(2025, 4, 1))}
    a = next(row for row in r.rows if row.person_id == referrals["A"].pk)
    assert a.why["previous referral"] == dt.date(2024, 6, 10) and a.why["12 months after it"] == dt.date(2025, 6, 10)


def test_within_12_months_from_29_february():
    from haven.kpis.definitions.front_door import within_12_months

    assert within_12_months(dt.date(2024, 2, 29), dt.date(2025, 2, 28))
    assert not within_12_months(dt.date(2024, 2, 29), dt.date(2025, 3, 1))
    assert not within_12_months(dt.date(2025, 6, 10), dt.date(2025, 6, 10))   # the same day: one event


# -- assessments ----------------------------------------------------------------------------------

def assessment(authority, person, *, referred: dt.date, started: dt.date, authorised: dt.date):
    from haven.assessments.models import Assessment

    episode = referral(authority, person, referred)
    return Assessment.objects.create(authority=authority, person=person, episode=episode, start_date=started,
                                     child_seen_date=started, outcome="cin_plan", completed_date=authorised,
                                     authorised_date=authorised)


@pytest.fixture
def assessments(la):
    """Working days: weekends and England bank holidays (25, 26 December 2025, 1 January 2026) off.

    E1 referred Mon 3 Nov 2025. 45 weekdays are 9 whole weeks: Mon 5 Jan 2026; the three bank
       holidays push the deadline three working days to Thu 8 Jan 2026. Started Wed 5 Nov
       (9 weeks: Wed 7 Jan, + 3: Mon 12 Jan). Authorised Thu 8 Jan: on time on both clocks;
       45 working days from the referral.
    E2 referred and started Mon 3 Nov 2025 (both due Thu 8 Jan), authorised Fri 9 Jan 2026: late
       on both clocks; 46 working days.
    E3 referred and started Mon 2 Feb 2026, authorised Mon 16 Feb: on time; 10 working days.
    E4 referred Mon 1 Sep 2025 (due Mon 3 Nov: 9 weeks, no bank holiday between), extended by a
       manager to Fri 14 Nov, authorised Wed 12 Nov 2025: on time on the referral clock (extended),
       late on the start clock (started 1 Sep, due 3 Nov); 45 + 7 = 52 working days.
    E5 referred Mon 1 Dec 2025, authorised Thu 2 Apr 2026: after the year.
    E6 referred Mon 3 Feb 2025, authorised Thu 20 Mar 2025: before the year."""
    from haven.assessments.models import CINEpisode
    from haven.core.testing import make_user
    from haven.work.models import TimescaleExemption

    d = dt.date
    k = {name: child(la, name) for name in ("E1", "E2", "E3", "E4", "E5", "E6")}
    assessment(la, k["E1"], referred=d(2025, 11, 3), started=d(2025, 11, 5), authorised=d(2026, 1, 8))
    assessment(la, k["E2"], referred=d(2025, 11, 3), started=d(2025, 11, 3), authorised=d(2026, 1, 9))
    assessment(la, k["E3"], referred=d(2026, 2, 2), started=d(2026, 2, 2), authorised=d(2026, 2, 16))
    e4 = assessment(la, k["E4"], referred=d(2025, 9, 1), started=d(2025, 9, 1), authorised=d(2025, 11, 12))
    assessment(la, k["E5"], referred=d(2025, 12, 1), started=d(2025, 12, 1), authorised=d(2026, 4, 2))
    assessment(la, k["E6"], referred=d(2025, 2, 3), started=d(2025, 2, 3), authorised=d(2025, 3, 20))
    from django.contrib.contenttypes.models import ContentType

    manager = make_user(f"kpi_manager_{la.pk}")
    TimescaleExemption.objects.create(authority=la, rule="assessment_45wd",
                                      content_type=ContentType.objects.get_for_model(CINEpisode),
                                      object_id=e4.episode_id, kind="extend", extended_to=d(2025, 11, 14),
                                      reason="Awaiting a specialist report", decided_by=manager)
    return k


def test_the_engine_puts_the_45_working_day_deadline_after_the_bank_holidays(la, assessments):
    from haven.assessments.tests.helpers import due_date

    e1 = assessments["E1"].cin_episodes.get()
    assert due_date(e1) == dt.date(2026, 1, 8)
    assert due_date(assessments["E4"].cin_episodes.get()) == dt.date(2025, 11, 14)   # extended


def test_assessments_completed_in_the_year(la, assessments):
    """Authorised in the year: E1, E2, E3, E4 = 4 (E5 after it, E6 before it)."""
    r = result("assessments_completed_count", la)
    assert r.value == 4
    assert {row.person_id for row in r.rows} == {assessments[n].pk for n in ("E1", "E2", "E3", "E4")}


def test_assessments_within_45_working_days_of_the_referral_read_the_engines_deadline(la, assessments):
    """E1 (on the deadline, after the bank holidays), E3, E4 (within the extension) on time; E2 a
    day late. 3 of 4 = 75%."""
    r = result("assessments_45wd_referral_pct", la)
    assert (r.numerator, r.denominator, r.value) == (3, 4, 75.0)
    by = {row.person_id: row for row in r.rows}
    assert not by[assessments["E2"].pk].counted
    e1 = by[assessments["E1"].pk]
    assert e1.why["due (from referral)"] == e1.why["authorised"] == dt.date(2026, 1, 8)
    assert by[assessments["E4"].pk].why["extended"].startswith("Extended")


def test_assessments_within_45_working_days_of_their_start(la, assessments):
    """E1 (due Mon 12 Jan 2026 from its start on Wed 5 Nov, three bank holidays between) and E3 on
    time; E2 (due Thu 8 Jan, authorised Fri 9 Jan) and E4 (due Mon 3 Nov: the extension is on
    the referral clock only) late. 2 of 4 = 50%."""
    r = result("assessments_45wd_start_pct", la)
    assert (r.numerator, r.denominator, r.value) == (2, 4, 50.0)
    by = {row.person_id: row for row in r.rows}
    assert by[assessments["E1"].pk].why["due (from start)"] == dt.date(2026, 1, 12)
    assert by[assessments["E4"].pk].why["due (from start)"] == dt.date(2025, 11, 3)
    assert {p for p, row in by.items() if row.counted} == {assessments["E1"].pk, assessments["E3"].pk}


def test_assessments_average_working_days_from_the_referral(la, assessments):
    """(45 + 46 + 10 + 52) / 4 = 153 / 4 = 38.25 working days."""
    r = result("assessments_avg_working_days", la)
    assert (r.numerator, r.denominator, r.value) == (153.0, 4, 38.25)
    by = {row.person_id: row.measure for row in r.rows}
    assert by[assessments["E1"].pk] == 45 and by[assessments["E4"].pk] == 52


def test_every_front_door_kpi_is_defined_with_its_source():
    load()
    ids = ["contacts_count", "contacts_to_referral_pct", "contacts_nfa_pct", "contacts_information_pct",
           "contacts_early_help_pct", "contacts_rag_on_time_pct", "referrals_count", "referrals_per_10k",
           "rereferrals_12m_pct", "assessments_45wd_referral_pct", "assessments_45wd_start_pct",
           "assessments_completed_count", "assessments_avg_working_days"]
    for kpi_id in ids:
        k = CATALOGUE[kpi_id]
        assert k.definition and k.source and k.group, kpi_id
