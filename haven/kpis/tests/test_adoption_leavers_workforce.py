"""Adoption, care leavers and workforce KPIs on small hand-built data, each in an authority of its
own (so the expected values are exact whatever else the database holds), with the arithmetic
worked out in the comments. The year: 1 April 2025 to 31 March 2026."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from haven.kpis.catalogue import CATALOGUE, Scope, compute, load

D = dt.date
AS_OF = D(2026, 3, 31)
START = D(2025, 4, 1)
_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _catalogue():
    load()


def fresh_authority():
    from haven.accounts.models import LocalAuthority, Team

    n = next(_n)
    la = LocalAuthority.objects.create(name=f"Kpi Borough {n}", ons_code=f"E0K{n:06d}", lea_code=f"K{n:02d}",
                                       child_id_prefix=f"KB{n}")
    team = Team.objects.create(name=f"Kpi team {n}", authority=la)
    team.serves.add(la)
    la.team = team
    return la


def result(kpi_id, la, start=START, end=AS_OF):
    return compute(CATALOGUE[kpi_id], Scope((la,), start, end))


def child(la, first, born, **extra):
    from haven.core.testing import make_person

    return make_person(la, first=first, last="Kpitest", born=born, **extra)


def cared_for(person, start, end=None):
    from haven.permanence.testing import looked_after

    return looked_after(person, start, end, legal_status="C2")


# -- adoption --------------------------------------------------------------------------------------
def _steps(person, *steps):
    from haven.permanence.models import AdoptionDecision

    for kind, on in steps:
        AdoptionDecision.objects.create(person=person, authority=person.authority, kind=kind, decided_on=on)


def _adoptions(la):
    """The three years to 31 March 2026 are 1 April 2023 to 31 March 2026.

    - Ann: in care 1 Jan 2021, placement order 1 Jun 2021, matched 1 Sep 2021, placed 1 Oct 2021,
      adopted 1 Apr 2023 (the window's first day: in). A1 = 273 days (1 Jan to 1 Oct 2021),
      A2 = 92 (1 Jun to 1 Sep: 30 + 31 + 31), A10 = 273 (no foster to adopt).
    - Ben: in care 10 Jan 2024, moved in with foster carers who adopted (foster to adopt) 1 Feb
      2024, placement order 1 May 2024, matched 1 Aug 2024, placed 15 Aug 2024, adopted 31 Mar
      2026 (the window's last day: in). A1 = 218 (10 Jan to 15 Aug 2024), A2 = 92, A10 = 22
      (10 Jan to 1 Feb).
    - Cara: placed with consent (no placement order): in care 1 Feb 2022, matched 1 Oct 2022,
      placed 1 Nov 2022, adopted 1 Jun 2024. A1 = A10 = 273; not in A2 (no placement order).
    - Finn: an adoption order on 1 Apr 2025 and nothing else recorded: listed, not counted.
    - Dan adopted 31 Mar 2023 (the day before the window), Eve 1 Apr 2026 (after it): not in.
    """
    K = "should_be_placed", "placement_order", "matched", "moved_in_f2a", "placed", "adoption_order"
    sbp, po, matched, f2a, placed, order = K
    ann = child(la, "Ann", D(2020, 6, 1))
    cared_for(ann, D(2021, 1, 1), D(2023, 4, 1))
    _steps(ann, (sbp, D(2021, 3, 1)), (po, D(2021, 6, 1)), (matched, D(2021, 9, 1)), (placed, D(2021, 10, 1)),
           (order, D(2023, 4, 1)))
    ben = child(la, "Ben", D(2023, 12, 1))
    cared_for(ben, D(2024, 1, 10), D(2026, 3, 31))
    _steps(ben, (f2a, D(2024, 2, 1)), (sbp, D(2024, 3, 1)), (po, D(2024, 5, 1)), (matched, D(2024, 8, 1)),
           (placed, D(2024, 8, 15)), (order, D(2026, 3, 31)))
    cara = child(la, "Cara", D(2021, 9, 9))
    cared_for(cara, D(2022, 2, 1), D(2024, 6, 1))
    _steps(cara, (sbp, D(2022, 5, 1)), (matched, D(2022, 10, 1)), (placed, D(2022, 11, 1)), (order, D(2024, 6, 1)))
    finn = child(la, "Finn", D(2022, 2, 2))
    _steps(finn, (order, D(2025, 4, 1)))
    for name, on in (("Dan", D(2023, 3, 31)), ("Eve", D(2026, 4, 1))):
        other = child(la, name, D(2020, 1, 1))
        cared_for(other, D(2021, 1, 1), on)
        _steps(other, (sbp, D(2021, 2, 1)), (po, D(2021, 3, 1)), (matched, D(2021, 4, 1)), (placed, D(2021, 5, 1)),
               (order, on))
    return ann, ben, cara, finn


def test_a1_a2_a10_are_the_scorecard_three_year_averages(world):
    from haven.permanence import measures

    la = fresh_authority()
    ann, ben, cara, finn = _adoptions(la)
    # A1: (273 + 218 + 273) / 3 = 764 / 3 = 254.67; Finn listed, not counted
    a1 = result("adoption_a1_days", la)
    assert (a1.numerator, a1.denominator) == (764.0, 3)
    assert a1.value == pytest.approx(764 / 3)
    assert {r.person_id: r.measure for r in a1.rows if r.counted} == {ann.pk: 273, ben.pk: 218, cara.pk: 273}
    assert [r.person_id for r in a1.rows if not r.counted] == [finn.pk]
    ben_row = next(r for r in a1.rows if r.person_id == ben.pk)
    assert ben_row.why["Entered care"] == D(2024, 1, 10) and ben_row.why["Placed for adoption"] == D(2024, 8, 15)
    assert ben_row.why["adopted"] == AS_OF
    # A2: (92 + 92) / 2 = 92; Cara (no placement order) and Finn listed, not counted
    a2 = result("adoption_a2_days", la)
    assert (a2.numerator, a2.denominator, a2.value) == (184.0, 2, 92.0)
    assert {r.person_id for r in a2.rows if not r.counted} == {cara.pk, finn.pk}
    assert "placement order" in next(r for r in a2.rows if r.person_id == cara.pk).why["not counted"]
    # A10: (273 + 22 + 273) / 3 = 568 / 3 = 189.33 (Ben counted to moving in with his foster carers)
    a10 = result("adoption_a10_days", la)
    assert (a10.numerator, a10.denominator) == (568.0, 3)
    assert next(r for r in a10.rows if r.person_id == ben.pk).why[
        "Moved in with the foster carers who adopted"] == D(2024, 2, 1)
    # The same as the scorecard (haven.permanence.measures) for the same three years, which rounds
    # to a whole day: 255, 92, 189; the KPI's scope start does not matter
    start, end = D(2023, 4, 1), AS_OF
    for kpi_id, measure in (("adoption_a1_days", measures.a1), ("adoption_a2_days", measures.a2),
                            ("adoption_a10_days", measures.a10)):
        m = measure(la, start, end)
        r = result(kpi_id, la, start=D(2026, 1, 1))
        assert round(r.value) == m.average
        assert sorted(row.person_id for row in r.rows if row.counted) == sorted(x.person.pk for x in m.rows)
    assert [m.average for m in measures.scorecard(la, start, end)] == [255, 92, 189]


def test_adoptions_count_counts_adoption_orders_in_the_period(world):
    la = fresh_authority()
    ann, ben, cara, finn = _adoptions(la)
    # In 1 Apr 2025 .. 31 Mar 2026: Finn (1 Apr 2025, the first day) and Ben (31 Mar 2026, the
    # last day); not Eve (1 Apr 2026), Dan (31 Mar 2023), Ann (2023) or Cara (2024). So 2.
    r = result("adoptions_count", la)
    assert r.value == 2
    assert {row.person_id: row.why["adoption order"] for row in r.rows} == {finn.pk: START, ben.pk: AS_OF}
    # Another authority's adoptions are not these
    assert result("adoptions_count", fresh_authority()).value == 0


def test_a1_with_no_adoption_in_three_years_has_no_figure(world):
    assert result("adoption_a1_days", fresh_authority()).value is None


# -- care leavers ------------------------------------------------------------------------------------
def _leaver(la, first, born, care=None, *, contacts=(), activities=(), homes=()):
    from haven.care_leavers.models import Accommodation, Activity, LeaverContact

    person = child(la, first, born)
    if care:
        cared_for(person, *care)
    for on, code in contacts:
        LeaverContact.objects.create(person=person, authority=la, contact_on=on, method="phone", in_touch=code)
    for start, end, code in activities:
        Activity.objects.create(person=person, authority=la, start_date=start, end_date=end, code=code)
    for start, end, kind, suitable in homes:
        Accommodation.objects.create(person=person, authority=la, start_date=start, end_date=end, kind=kind,
                                     suitable=suitable)
    return person


def test_care_leavers_at_17_and_18(world):
    """The cohort: care leavers whose 17th or 18th birthday fell in 1 Apr 2025 .. 31 Mar 2026.

    - Pia turns 18 on 1 Apr 2025 (the first day), looked after from 14 to 1 Mar 2025: former
      relevant. Contact 1 Mar 2025 YES (window 1 Jan .. 1 May 2025), activity F2, accommodation
      Z suitable from her birthday: in touch, EET, suitable.
    - Quin turns 18 on 31 Mar 2026 (the last day; his 17th was the day before the year), looked
      after until 1 Feb 2026: former relevant. Latest contact in his window (31 Dec 2025 .. 31
      Mar 2026, capped at the as-at date) is NO on 15 Jan 2026 (a YES on 10 Apr 2026 is after the
      as-at date); activity G5; accommodation D not suitable: none of the three.
    - Vera turns 18 on 1 Sep 2025 and left care that day, after 4 years: former relevant, but
      the SSDA903 leaves her OC3 blank this year and reports her at 19 (rules 1007, 1016): out.
      So is Walt, who left care on 1 Oct 2025, after his 17th birthday on 1 Aug 2025.
    - Rae turns 17 on 1 Apr 2025; left care at 16 after 2 years: relevant. Contact 20 Apr 2025
      YES (within a month after); no activity; accommodation B suitable: in touch, suitable.
    - Otto turns 17 on 1 Jun 2025, still looked after: eligible, not a care leaver yet: out.
    - Sol turns 18 on 1 Jul 2025 but was looked after only 4 weeks (at 16): not eligible: out.
    - Tom turns 17 on 1 Oct 2025, no care history here, but a worker overrode his category to
      relevant (e.g. detained in hospital on his 16th birthday): in; nothing recorded.
    - Uma turns 18 on 1 Apr 2026 (the day after the year) and 17 on 1 Apr 2025 (the first day),
      still looked after on her 17th birthday: out.

    Cohort 4 (Pia, Quin, Rae, Tom). In touch: Pia, Rae = 2/4 = 50%. EET: Pia = 1/4 = 25%.
    Suitable: Pia, Rae = 2/4 = 50%. Nobody is in the 19-21 cohort."""
    from haven.care_leavers.models import LeaverStatus

    la = fresh_authority()
    pia = _leaver(la, "Pia", D(2007, 4, 1), (D(2021, 6, 1), D(2025, 3, 1)),
                  contacts=[(D(2024, 12, 31), "NO"), (D(2025, 3, 1), "YES")],
                  activities=[(D(2024, 9, 1), None, "F2")], homes=[(D(2025, 4, 1), None, "Z", True)])
    quin = _leaver(la, "Quin", D(2008, 3, 31), (D(2022, 6, 1), D(2026, 2, 1)),
                   contacts=[(D(2026, 1, 15), "NO"), (D(2026, 4, 10), "YES")],
                   activities=[(D(2025, 9, 1), None, "G5")], homes=[(D(2025, 9, 1), None, "D", False)])
    rae = _leaver(la, "Rae", D(2008, 4, 1), (D(2022, 5, 1), D(2024, 12, 31)),
                  contacts=[(D(2025, 4, 20), "YES")], homes=[(D(2025, 1, 1), None, "B", True)])
    _leaver(la, "Otto", D(2008, 6, 1), (D(2022, 9, 1), None), contacts=[(D(2025, 5, 1), "YES")])
    _leaver(la, "Sol", D(2007, 7, 1), (D(2023, 9, 1), D(2023, 9, 28)), contacts=[(D(2025, 7, 1), "YES")])
    tom = _leaver(la, "Tom", D(2008, 10, 1))
    LeaverStatus.objects.create(person=tom, authority=la, category="relevant", computed_category="not_eligible",
                                confirmed_on=D(2025, 2, 1), override_reason="Detained in hospital on 16th birthday")
    _leaver(la, "Uma", D(2008, 4, 1), (D(2022, 5, 1), None))
    _leaver(la, "Vera", D(2007, 9, 1), (D(2021, 9, 1), D(2025, 9, 1)), contacts=[(D(2025, 9, 2), "YES")])
    _leaver(la, "Walt", D(2008, 8, 1), (D(2022, 8, 1), D(2025, 10, 1)), contacts=[(D(2025, 10, 2), "YES")])

    in_touch = result("leavers_17_18_in_touch_pct", la)
    assert (in_touch.numerator, in_touch.denominator, in_touch.value) == (2, 4, 50.0)
    assert {r.person_id for r in in_touch.rows} == {pia.pk, quin.pk, rae.pk, tom.pk}
    assert {r.person_id for r in in_touch.rows if r.counted} == {pia.pk, rae.pk}
    eet = result("leavers_17_18_eet_pct", la)
    assert (eet.numerator, eet.denominator, eet.value) == (1, 4, 25.0)
    suitable = result("leavers_17_18_suitable_accommodation_pct", la)
    assert (suitable.numerator, suitable.denominator, suitable.value) == (2, 4, 50.0)
    assert {r.person_id for r in suitable.rows if r.counted} == {pia.pk, rae.pk}
    rows = {r.person_id: r.why for r in in_touch.rows}
    assert rows[quin.pk]["birthday"] == AS_OF and rows[quin.pk]["in touch"] == "NO"
    assert rows[quin.pk]["last contact"] == D(2026, 1, 15)
    assert rows[quin.pk]["accommodation (ACCOM)"] == "D2" and rows[quin.pk]["activity (ACTIV)"] == "G5"
    assert rows[pia.pk]["birthday"] == START and rows[pia.pk]["age"] == 18
    assert rows[rae.pk]["age"] == 17 and rows[rae.pk]["category"].startswith("Relevant")
    assert rows[tom.pk]["category from"] == "a worker's override"
    assert result("leavers_19_21_in_touch_pct", la).denominator == 0


def test_care_leavers_at_19_to_21_and_the_managers_list_agrees(world):
    """The cohort: former relevant young people whose 19th, 20th or 21st birthday fell in
    1 Apr 2025 .. 31 Mar 2026.

    - Val turns 19 on 31 Mar 2026 (the last day; her 18th was the day before the year): contact
      1 Feb 2026 YES, activity F5, accommodation U suitable: all three.
    - Wes turns 21 on 31 Mar 2026 (the last day): contact 1 Dec 2025 YES is more than 3 months
      before (window 31 Dec 2025 ..): not in touch; F1 ended the day before, G6 from the
      birthday: not EET; gone abroad (G, no suitability): not suitable.
    - Xan turns 19 on 1 Apr 2025 (the first day): contact 1 Jan 2025 YES (exactly 3 months
      before: in), activity P4 starting on the birthday: EET; accommodation E not suitable.
    - Yas turns 22 on 1 Apr 2025 (her 21st the year before): out.
    - Zed turns 20 on 1 Aug 2025 but was looked after only a month at 17: qualifying, not
      former relevant: out.

    Cohort 3. In touch: Val, Xan = 2/3 = 66.7%. EET: Val, Xan = 2/3. Suitable: Val = 1/3 = 33.3%."""
    from haven.accounts.roles import Role
    from haven.care_leavers.queries import leaver_for
    from haven.core.testing import make_user

    la = fresh_authority()
    val = _leaver(la, "Val", D(2007, 3, 31), (D(2021, 5, 1), D(2025, 3, 31)), contacts=[(D(2026, 2, 1), "YES")],
                  activities=[(D(2025, 9, 1), None, "F5")], homes=[(D(2025, 4, 1), None, "U", True)])
    wes = _leaver(la, "Wes", D(2005, 3, 31), (D(2019, 6, 1), D(2023, 3, 31)), contacts=[(D(2025, 12, 1), "YES")],
                  activities=[(D(2023, 9, 1), D(2026, 3, 30), "F1"), (D(2026, 3, 31), None, "G6")],
                  homes=[(D(2025, 6, 1), None, "G", None)])
    xan = _leaver(la, "Xan", D(2006, 4, 1), (D(2020, 6, 1), D(2024, 4, 1)), contacts=[(D(2025, 1, 1), "YES")],
                  activities=[(D(2025, 4, 1), None, "P4")], homes=[(D(2024, 4, 1), None, "E", False)])
    _leaver(la, "Yas", D(2003, 4, 1), (D(2017, 6, 1), D(2021, 4, 1)), contacts=[(D(2025, 4, 1), "YES")])
    _leaver(la, "Zed", D(2005, 8, 1), (D(2022, 9, 1), D(2022, 10, 1)), contacts=[(D(2025, 8, 1), "YES")])

    in_touch = result("leavers_19_21_in_touch_pct", la)
    assert (in_touch.numerator, in_touch.denominator) == (2, 3)
    assert in_touch.value == pytest.approx(200 / 3)
    assert {r.person_id for r in in_touch.rows} == {val.pk, wes.pk, xan.pk}
    eet = result("leavers_19_21_eet_pct", la)
    assert {r.person_id for r in eet.rows if r.counted} == {val.pk, xan.pk}
    suitable = result("leavers_19_21_suitable_accommodation_pct", la)
    assert (suitable.numerator, suitable.denominator) == (1, 3)
    assert {r.person_id for r in suitable.rows if r.counted} == {val.pk}
    wes_why = next(r.why for r in in_touch.rows if r.person_id == wes.pk)
    assert wes_why["contact window"] == "31/12/2025 to 31/03/2026" and wes_why["in touch"] == "no contact recorded"
    assert wes_why["accommodation (ACCOM)"] == "G"
    assert result("leavers_17_18_in_touch_pct", la).denominator == 0

    # The managers' list (haven.care_leavers.queries) on Val's and Wes's birthday (the as-at date)
    # says the same about them: former relevant, aged 19-21, the same EET and suitable. In touch
    # differs by definition for Wes: the list shows the latest contact (in touch on 1 December),
    # the OC3 measure counts only contact from 3 months before the birthday to a month after.
    team = la.team
    manager = make_user("kpi-leaver-manager", role=Role.SOCIAL_WORKER, team=team)
    by_kpi = {kpi_id: {r.person_id: r.counted for r in result(kpi_id, la).rows}
              for kpi_id in ("leavers_19_21_in_touch_pct", "leavers_19_21_eet_pct",
                             "leavers_19_21_suitable_accommodation_pct")}
    for person in (val, wes):
        listed = leaver_for(person, manager, AS_OF)
        assert listed.category == "former_relevant" and listed.age_band == "19-21"
        assert bool(listed.in_touch) == (person == val) + (person == wes)   # both last said "in touch"
        assert by_kpi["leavers_19_21_in_touch_pct"][person.pk] == (person == val)
        assert bool(listed.in_eet) == by_kpi["leavers_19_21_eet_pct"][person.pk]
        assert bool(listed.suitable) == by_kpi["leavers_19_21_suitable_accommodation_pct"][person.pk]


# -- workforce -----------------------------------------------------------------------------------------
def _allocate(person, worker, role="social_worker", start=D(2025, 1, 1), end=None):
    from haven.people.models import Allocation

    return Allocation.objects.create(person=person, authority=person.authority, team=person.authority.team,
                                     worker=worker, role=role, start_date=start, end_date=end)


def _worker(la, username, first, last):
    from haven.core.testing import make_user

    return make_user(username, team=la.team, first=first, last=last, enrol=False)


def test_caseload_per_worker(world):
    """Wendy: Kids 1 and 2 (since 2025), Kid 3 (from the as-at date) and Kid 4 until the as-at
    date (reallocated that day to Walt: ended allocations do not count on their end day). Walt:
    Kid 4 (from the as-at date); Kid 5 from the day after does not count, nor an adult. Wilma:
    only an allocation that ended in 2025: no caseload, no row. Kid 6 is allocated to the team
    only; Iris is Kid 1's IRO (not a social worker allocation).
    Rows: Wendy 3, Walt 1: mean (3 + 1) / 2 = 2.0."""
    from haven.core.testing import make_person

    la = fresh_authority()
    wendy, walt, wilma = (_worker(la, "kpi-wendy", "Wendy", "Worker"), _worker(la, "kpi-walt", "Walt", "Worker"),
                          _worker(la, "kpi-wilma", "Wilma", "Worker"))
    iris = _worker(la, "kpi-iris", "Iris", "Reviewer")
    kids = [child(la, f"Kid{i}", D(2015, 1, i)) for i in range(1, 7)]
    _allocate(kids[0], wendy)
    _allocate(kids[1], wendy)
    _allocate(kids[2], wendy, start=AS_OF)
    _allocate(kids[3], wendy, end=AS_OF)
    _allocate(kids[3], walt, start=AS_OF)
    _allocate(kids[4], walt, start=AS_OF + dt.timedelta(days=1))
    _allocate(make_person(la, first="Grown", last="Up", born=D(1990, 1, 1), kind="adult"), walt)
    _allocate(kids[0], wilma, start=D(2024, 1, 1), end=D(2025, 1, 1))
    _allocate(kids[5], None)
    _allocate(kids[0], iris, role="iro")
    r = result("caseload_per_worker", la)
    assert (r.numerator, r.denominator, r.value) == (4.0, 2, 2.0)
    assert [(row.label, row.measure, row.person_id) for row in r.rows] == [("Walt Worker", 1, None),
                                                                            ("Wendy Worker", 3, None)]
    assert r.rows[0].why["team"] == la.team.name


def test_caseload_per_iro(world):
    """Looked after at the end of the as-at date: Kids 1, 2, 3, 7 and 9 (Kid 9 from that day);
    Kid 8's care ended on it. Ivy: Kids 1 and 2, and Kid 7 whose allocation ends on the as-at
    date (the next IRO, Ian, starts the day after, as ``allocate_iro`` does): 3. Ian: Kids 3
    and 9: 2 (Kid 7 from tomorrow does not count yet). Ida: only Kid 8, no longer looked
    after: no row. A social worker allocation is not an IRO's.
    Mean (3 + 2) / 2 = 2.5."""
    la = fresh_authority()
    ivy, ian, ida = (_worker(la, "kpi-ivy", "Ivy", "Reviewer"), _worker(la, "kpi-ian", "Ian", "Reviewer"),
                     _worker(la, "kpi-ida", "Ida", "Reviewer"))
    kids = {i: child(la, f"Kid{i}", D(2015, 1, i)) for i in (1, 2, 3, 7, 8, 9)}
    for i in (1, 2, 3, 7):
        cared_for(kids[i], D(2025, 1, 1))
    cared_for(kids[8], D(2025, 1, 1), AS_OF)
    cared_for(kids[9], AS_OF)
    for i in (1, 2):
        _allocate(kids[i], ivy, role="iro")
    _allocate(kids[7], ivy, role="iro", end=AS_OF)
    _allocate(kids[7], ian, role="iro", start=AS_OF + dt.timedelta(days=1))
    _allocate(kids[3], ian, role="iro")
    _allocate(kids[9], ian, role="iro", start=AS_OF)
    _allocate(kids[8], ida, role="iro")
    _allocate(kids[8], ivy)
    r = result("caseload_per_iro", la)
    assert (r.numerator, r.denominator, r.value) == (5.0, 2, 2.5)
    assert {row.label: row.measure for row in r.rows} == {"Ivy Reviewer": 3, "Ian Reviewer": 2}


def test_unallocated_children_count(world):
    """Open at the end of the as-at date: Una (CIN, no allocation: counted), Vic (CIN, social
    worker: not counted), Wyn (looked after, allocated to the team only: counted), Yul (CIN
    closed the day after; the social worker's allocation ended on the as-at date: counted), Zoe
    (CIN and looked after, social worker: not counted, one row). Not open: Xia (CIN closed on the
    as-at date), Abe (referred the day after). So 3 of 5."""
    from haven.assessments.models import CINEpisode

    la = fresh_authority()
    sw = _worker(la, "kpi-sue", "Sue", "Worker")

    def cin(person, referred, closed=None):
        CINEpisode.objects.create(person=person, authority=la, referral_date=referred, source="1A",
                                  closure_date=closed, closure_reason="RC1" if closed else "")

    una, vic, wyn, xia, yul, zoe, abe = (child(la, n, D(2014, 2, 2)) for n in ("Una", "Vic", "Wyn", "Xia", "Yul",
                                                                              "Zoe", "Abe"))
    cin(una, D(2026, 1, 1))
    cin(vic, D(2026, 1, 1))
    _allocate(vic, sw)
    cared_for(wyn, D(2025, 5, 1))
    _allocate(wyn, None)
    cin(xia, D(2025, 6, 1), AS_OF)
    cin(yul, D(2025, 6, 1), AS_OF + dt.timedelta(days=1))
    _allocate(yul, sw, end=AS_OF)
    cin(zoe, D(2025, 2, 1))
    cared_for(zoe, D(2025, 3, 1))
    _allocate(zoe, sw)
    cin(abe, AS_OF + dt.timedelta(days=1))
    r = result("unallocated_children_count", la)
    assert r.value == 3
    assert {row.person_id: row.counted for row in r.rows} == {una.pk: True, vic.pk: False, wyn.pk: True,
                                                              yul.pk: True, zoe.pk: False}
    why = {row.person_id: row.why for row in r.rows}
    assert why[wyn.pk]["allocated to team"] == la.team.name and why[wyn.pk]["looked after since"] == D(2025, 5, 1)
    assert why[vic.pk]["social worker"] == "Sue Worker"
    assert set(why[zoe.pk]) >= {"child in need since", "looked after since"}


def test_every_kpi_here_has_its_definition_and_source():
    ids = ["adoption_a1_days", "adoption_a2_days", "adoption_a10_days", "adoptions_count",
           "leavers_17_18_in_touch_pct", "leavers_17_18_eet_pct", "leavers_17_18_suitable_accommodation_pct",
           "leavers_19_21_in_touch_pct", "leavers_19_21_eet_pct", "leavers_19_21_suitable_accommodation_pct",
           "caseload_per_worker", "caseload_per_iro", "unallocated_children_count"]
    for kpi_id in ids:
        k = CATALOGUE[kpi_id]
        assert k.definition and k.source and k.group
