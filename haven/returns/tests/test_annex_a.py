"""Ofsted's ILACS Annex A: the eleven lists and their columns, one child's journey through lists
1 to 8, an authority with no children, the workbook and the command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from haven.returns import annex_a

START, END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
SHEETS = ["List 1 Contacts", "List 2 Early help", "List 3 Referrals", "List 4 Assessments",
          "List 5 S47 enquiries and ICPCs", "List 6 Children in need", "List 7 Child protection",
          "List 8 Children looked after", "List 9 Care leavers", "List 10 Adoption", "List 11 Adopters"]
PERSON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def rows_for(annex, sheet: str, person) -> list[dict]:
    columns, rows = annex.lists[sheet]
    return [dict(zip(columns, row, strict=True))
            for pk, row in zip(annex.person_ids[sheet], rows, strict=True) if pk == person.pk]


@pytest.fixture
def journey(world):
    """A Westminster child born 10/05/2014 (11 on 31/03/2026), with a mobility disability, a
    contact, a referral, an assessment, a strategy discussion and S47, an ICPC and a CP plan (her
    second), a review conference, a CP visit, then a period of care from 15/01/2026 (C1, then C2
    from 20/02/2026)."""
    from haven.assessments.models import Assessment, CINEpisode
    from haven.core.testing import make_person
    from haven.front_door.models import Contact, ContactSubject
    from haven.looked_after.models import Episode, PeriodOfCare, Placement
    from haven.people.models import Allocation, PersonDisability
    from haven.plans.models import Plan
    from haven.protection.models import (
        Conference,
        ConferenceChild,
        S47Enquiry,
        StrategyChild,
        StrategyDiscussion,
    )
    from haven.recording.models import Recording, RecordingSubject

    wcc = world.westminster
    kid = make_person(wcc, first="Kai", last="Annex", born=dt.date(2014, 5, 10), sex="F", ethnicity="BAFR")
    PersonDisability.objects.create(person=kid, code="MOB")
    Allocation.objects.create(person=kid, team=world.wcc_team, worker=world.alice, start_date=dt.date(2025, 5, 7))
    # an earlier referral and CP plan, before the 12 months
    old = CINEpisode.objects.create(person=kid, referral_date=dt.date(2019, 11, 1), source="6", primary_need="N1",
                                    closure_date=dt.date(2020, 10, 1), closure_reason="RC7")
    Plan.objects.create(person=kid, episode=old, kind="cp", start_date=dt.date(2020, 1, 6),
                        end_date=dt.date(2020, 9, 1), initial_category="PHY", latest_category="PHY")
    contact = Contact.objects.create(authority=wcc, received_at=at(dt.date(2025, 5, 6)), source="3A",
                                     reason="Bruising seen by the GP", consent="given", decision="referral")
    ContactSubject.objects.create(contact=contact, person=kid)
    episode = CINEpisode.objects.create(person=kid, contact=contact, referral_date=dt.date(2025, 5, 7), source="3A",
                                        primary_need="N1", decision_date=dt.date(2025, 5, 8))
    Assessment.objects.create(episode=episode, person=kid, start_date=dt.date(2025, 5, 8),
                              child_seen_date=dt.date(2025, 5, 12), authorised_date=dt.date(2025, 6, 20),
                              outcome="strategy")
    strategy = StrategyDiscussion.objects.create(authority=wcc, held_at=at(dt.date(2025, 5, 20), 14))
    StrategyChild.objects.create(discussion=strategy, person=kid, episode=episode, s47_decided=True)
    s47 = S47Enquiry.objects.create(person=kid, episode=episode, strategy_discussion=strategy,
                                    start_date=dt.date(2025, 5, 20), outcome="icpc", completed_date=dt.date(2025, 6, 1))
    plan = Plan.objects.create(person=kid, episode=episode, kind="cp", start_date=dt.date(2025, 6, 10),
                               end_date=dt.date(2026, 1, 15), end_reason="looked_after", initial_category="NEG",
                               latest_category="EMO")
    icpc = Conference.objects.create(authority=wcc, kind="initial", held_on=dt.date(2025, 6, 10))
    ConferenceChild.objects.create(conference=icpc, person=kid, s47=s47, plan=plan, participation="attended",
                                   plan_needed=True, category="NEG")
    review = Conference.objects.create(authority=wcc, kind="review", held_on=dt.date(2025, 9, 5))
    ConferenceChild.objects.create(conference=review, person=kid, plan=plan, participation="attended", plan_needed=True)
    visit = Recording.objects.create(authority=wcc, kind="cp_visit", occurred_at=at(dt.date(2025, 11, 3)),
                                     title="CP visit")
    RecordingSubject.objects.create(recording=visit, person=kid, seen=True, seen_alone=True)
    care = PeriodOfCare.objects.create(person=kid, start_date=dt.date(2026, 1, 15), home_postcode="W2 1AA",
                                       cin_episode=episode)
    home = Placement.objects.create(period=care, person=kid, start_date=dt.date(2026, 1, 15), place="U6",
                                    provider_code="PR1", postcode="W9 2BB", location="IN")
    Episode.objects.create(period=care, person=kid, placement=home, start_date=dt.date(2026, 1, 15), reason_new="S",
                           legal_status="C1", category_of_need="N1", end_date=dt.date(2026, 2, 20), end_reason="X1")
    Episode.objects.create(period=care, person=kid, placement=home, start_date=dt.date(2026, 2, 20), reason_new="L",
                           legal_status="C2", category_of_need="N1")
    return kid


def test_every_list_has_ofsteds_columns():
    assert list(annex_a.LISTS) == SHEETS
    assert all(len(name) <= 31 for name in SHEETS)
    for name, columns in annex_a.LISTS.items():
        if name == "List 11 Adopters":
            continue
        if name == "List 10 Adoption":
            assert columns[:2] == ("Child Unique ID", "Family identifier")
            assert list(columns[2:6]) == PERSON[1:]
        else:
            assert list(columns[:5]) == PERSON
    for name in SHEETS[3:10]:
        assert "Does the Child have a Disability" in annex_a.LISTS[name]
    assert annex_a.LISTS["List 1 Contacts"] == (*PERSON, "Date of Contact", "Contact Source")
    assert annex_a.LISTS["List 3 Referrals"][5:] == ("Date of referral", "Referral Source", "Referral NFA?",
                                                     "Number of Referrals in Last 12 Months", "Allocated Team",
                                                     "Allocated Worker")
    assert annex_a.LISTS["List 11 Adopters"][:3] == ("Individual adopter identifier", "Family identifier", "Gender")


def test_a_childs_journey_shows_in_the_right_lists_with_the_right_values(world, journey):
    kid = journey
    annex = annex_a.build(world.westminster, START, END)
    person = [kid.local_id, "b) Female", "o) BAFR", dt.date(2014, 5, 10), 11]
    allocated = {"Allocated Team": "WCC Assessment", "Allocated Worker": world.alice.get_full_name()}

    [contact] = rows_for(annex, "List 1 Contacts", kid)
    assert list(contact.values()) == [*person, dt.date(2025, 5, 6), "g) 3A: Health services: GP"]
    assert rows_for(annex, "List 2 Early help", kid) == []

    [referral] = rows_for(annex, "List 3 Referrals", kid)   # the 2019 referral is before the period
    assert list(referral.values())[:5] == person
    assert referral | allocated == referral
    assert (referral["Date of referral"], referral["Referral Source"], referral["Referral NFA?"],
            referral["Number of Referrals in Last 12 Months"]) == (dt.date(2025, 5, 7), "g) 3A: Health services: GP",
                                                                   "b) No", 1)

    [assessment] = rows_for(annex, "List 4 Assessments", kid)
    assert assessment["Does the Child have a Disability"] == "a) Yes"
    assert (assessment["Continuous Assessment Start Date"], assessment["Child Seen During Continuous Assessment"],
            assessment["Continuous Assessment Date of Authorisation"],
            assessment["Was the child assessed as requiring LA children's social care support?"]) == (
        dt.date(2025, 5, 8), "a) Yes", dt.date(2025, 6, 20), "a) Yes")

    [s47] = rows_for(annex, "List 5 S47 enquiries and ICPCs", kid)
    assert (s47["Strategy discussion initiating Section 47 Enquiry Start Date"],
            s47["Was an Initial Child Protection Conference deemed unnecessary?"],
            s47["Date of Initial Child Protection Conference"],
            s47["Did the Initial Child Protection Conference Result in a Child Protection Plan"],
            s47["Number of Section 47 Enquiries in the last 12 months"], s47["Number of ICPCs in the last 12 months"]) == (
        dt.date(2025, 5, 20), "b) No", dt.date(2025, 6, 10), "a) Yes", 1, 1)

    [cin] = rows_for(annex, "List 6 Children in need", kid)   # the 2019 episode closed before the period
    assert (cin["CIN Start Date"], cin["Primary Need Code"], cin["Date Child Was Last Seen"], cin["CIN Closure Date"],
            cin["Reason for Closure"], cin["Case Status"]) == (
        dt.date(2025, 5, 7), "N1 - Abuse or neglect", dt.date(2025, 11, 3), None, "", "a) Looked after child")

    [cp] = rows_for(annex, "List 7 Child protection", kid)
    assert (cp["Child Protection Plan Start Date"], cp["Initial Category of Abuse"], cp["Latest Category of Abuse"],
            cp["Date of the Last Statutory Visit"], cp["Was the Child Seen Alone?"],
            cp["Date of latest review conference"], cp["Child Protection Plan End Date"],
            cp["Number of Previous Child Protection Plans"]) == (
        dt.date(2025, 6, 10), "a) Neglect", "d) Emotional abuse", dt.date(2025, 11, 3), "a) Yes",
        dt.date(2025, 9, 5), dt.date(2026, 1, 15), 1)
    assert cp | allocated == cp

    [cla] = rows_for(annex, "List 8 Children looked after", kid)
    assert (cla["Date Started to be Looked After"], cla["Child's Category of Need"],
            cla["Start date of current legal status"], cla["Child's Legal Status"],
            cla["Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)"],
            cla["Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)"],
            cla["Number of Placements in the Last 12 months"], cla["Start Date of Most Recent Placement"],
            cla["Placement Type"][:3], cla["Placement Provider"][:4], cla["Placement postcode"],
            cla["Placement Location"], cla["Date Ceased to be Looked After"],
            cla["Date of Last IRO Visit / Contact to the Child"]) == (
        dt.date(2026, 1, 15), "N1 - Abuse or neglect", dt.date(2026, 2, 20), "C2: FCO", "b) No", "b) No", 1,
        dt.date(2026, 1, 15), "U6:", "PR1:", "W9 2BB", "a) In", None, None)

    for sheet in ("List 9 Care leavers", "List 10 Adoption", "List 11 Adopters"):
        assert rows_for(annex, sheet, kid) == []


def test_a_period_before_the_journey_leaves_the_child_out(world, journey):
    annex = annex_a.build(world.westminster, dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert all(journey.pk not in pks for pks in annex.person_ids.values())


def test_an_authority_with_no_children_gives_eleven_sheets_of_headers(world, tmp_path):
    from openpyxl import load_workbook

    from haven.accounts.models import LocalAuthority

    empty = LocalAuthority.objects.create(name="Nowhere", ons_code="E09999999", lea_code="999", child_id_prefix="NW")
    annex = annex_a.build(empty, START, END)
    assert list(annex.lists) == SHEETS
    assert all(rows == [] for _columns, rows in annex.lists.values())
    assert all(pks == [] for pks in annex.person_ids.values())
    book = load_workbook(annex.write_xlsx(tmp_path / "empty.xlsx"))
    assert book.sheetnames == SHEETS
    for name in SHEETS:
        assert [list(r) for r in book[name].iter_rows(values_only=True)] == [list(annex_a.LISTS[name])]


def test_the_workbook_round_trips_with_real_dates_bold_frozen_headers(world, journey, tmp_path):
    from openpyxl import load_workbook

    annex = annex_a.build(world.westminster, START, END)
    book = load_workbook(annex.write_xlsx(tmp_path / "annex_a.xlsx"))
    assert book.sheetnames == SHEETS
    sheet = book["List 1 Contacts"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    columns, rows = annex.lists["List 1 Contacts"]
    assert [c.value for c in sheet[1]] == columns
    assert sheet.max_row == len(rows) + 1
    mine = annex.person_ids["List 1 Contacts"].index(journey.pk) + 2
    dob, contacted = sheet.cell(mine, 4), sheet.cell(mine, 6)
    assert sheet.cell(mine, 1).value == journey.local_id
    assert contacted.value.date() == dt.date(2025, 5, 6) and contacted.number_format == "DD/MM/YYYY"
    assert dob.value.date() == dt.date(2014, 5, 10) and dob.is_date
    assert sheet.column_dimensions["F"].width >= 10


def test_the_command_writes_the_workbook(world, journey, tmp_path):
    from openpyxl import load_workbook

    out = io.StringIO()
    path = tmp_path / "annex_a.xlsx"
    call_command("returns", "annex-a", "--la", "213", "--start", "2025-04-01", "--end", "2026-03-31",
                 "--out", str(path), stdout=out)
    assert "Ofsted Annex A Westminster, 01/04/2025 to 31/03/2026" in out.getvalue()
    assert load_workbook(path).sheetnames == SHEETS


@pytest.mark.parametrize(("closed", "cla", "cp", "cin", "assessing", "status"), [
    (True, True, True, True, True, "e) Closed episode"),
    (False, True, True, False, False, "a) Looked after child"),
    (False, False, True, True, False, "b) Child Protection plan"),
    (False, False, False, True, True, "c) Child in need plan"),
    (False, False, False, False, True, "d) Open assessment"),
    (False, False, False, False, False, ""),
])
def test_case_status_is_the_first_that_applies(closed, cla, cp, cin, assessing, status):
    assert annex_a.case_status(closed=closed, looked_after=cla, cp_plan=cp, cin_plan=cin,
                               open_assessment=assessing) == status


@pytest.mark.parametrize(("outcomes", "expected"), [
    ([], ("", "")),
    (["not_offered"], ("b) No", "")),
    (["offered"], ("a) Yes", "")),
    (["declined"], ("a) Yes", "b) No")),
    (["offered", "completed"], ("a) Yes", "a) Yes")),
])
def test_return_interview_after_the_last_missing_episode(outcomes, expected):
    assert annex_a.return_interview(outcomes) == expected


def test_legal_status_runs_back_over_episodes_with_the_same_status():
    d = dt.date
    episodes = [{"start_date": d(2025, 1, 1), "legal_status": "C1"}, {"start_date": d(2025, 3, 1), "legal_status": "C2"},
                {"start_date": d(2025, 5, 1), "legal_status": "C2"}]
    assert annex_a.legal_status_since(episodes, d(2025, 6, 1)) == ("C2", d(2025, 3, 1))
    assert annex_a.legal_status_since(episodes, d(2025, 2, 1)) == ("C1", d(2025, 1, 1))
    assert annex_a.legal_status_since(episodes, d(2024, 12, 1)) == ("", None)


def test_a_care_leaver_is_in_list_9_with_contact_accommodation_and_activity(world):
    from haven.care_leavers.models import Accommodation, Activity, LeaverContact, LeaverStatus
    from haven.core.testing import make_person
    from haven.looked_after.models import PeriodOfCare
    from haven.people.models import Allocation

    leaver = make_person(world.westminster, first="Lee", last="Annex", born=dt.date(2006, 9, 1), sex="M")
    PeriodOfCare.objects.create(person=leaver, start_date=dt.date(2020, 2, 1), end_date=dt.date(2024, 9, 1),
                                end_reason="E5", uasc=True)
    LeaverStatus.objects.create(person=leaver, category="former_relevant", computed_category="former_relevant",
                                confirmed_on=dt.date(2024, 9, 2))
    Allocation.objects.create(person=leaver, team=world.wcc_team, worker=world.paula, role="personal_adviser",
                              start_date=dt.date(2024, 9, 1))
    LeaverContact.objects.create(person=leaver, contact_on=dt.date(2026, 2, 2), method="phone", in_touch="YES")
    LeaverContact.objects.create(person=leaver, contact_on=dt.date(2026, 3, 20), method="text", in_touch="NO")
    Accommodation.objects.create(person=leaver, start_date=dt.date(2025, 1, 1), kind="D", suitable=True)
    Activity.objects.create(person=leaver, start_date=dt.date(2025, 9, 1), code="F2")
    annex = annex_a.build(world.westminster, START, END)
    [row] = rows_for(annex, "List 9 Care leavers", leaver)
    assert row["Age of Child (Years)"] == 19
    assert (row["Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)"],
            row["Allocated Personal Advisor"], row["Eligibility Category"], row["LA in Touch"],
            row["Latest Date of Contact"], row["Type of Accommodation"][:2], row["Suitability of Accommodation"],
            row["Activity Status"][:3]) == (
        "a) Yes", world.paula.get_full_name(), "b) Former relevant child", "b) No", dt.date(2026, 2, 2), "D:",
        "a) Suitable", "F2:")
    assert rows_for(annex, "List 8 Children looked after", leaver) == []   # left care before the period


def test_list_10_holds_children_whose_adoption_plan_was_live_in_the_period(world):
    from haven.core.testing import make_person
    from haven.looked_after.models import PeriodOfCare
    from haven.permanence.models import AdoptionDecision

    def journey(first, steps):
        kid = make_person(world.westminster, first=first, last="Adopt", born=dt.date(2022, 1, 1))
        PeriodOfCare.objects.create(person=kid, start_date=dt.date(2023, 6, 1))
        for kind, day, *reason in steps:
            AdoptionDecision.objects.create(person=kid, kind=kind, decided_on=day, reason_ceased=(reason or [""])[0])
        return kid

    reversed_ = journey("Rev", [("should_be_placed", dt.date(2025, 2, 1)), ("placement_order", dt.date(2025, 5, 1)),
                                ("reversed", dt.date(2025, 9, 1), "RD3")])
    adopted_before = journey("Old", [("should_be_placed", dt.date(2023, 9, 1)), ("adoption_order", dt.date(2025, 1, 1))])
    annex = annex_a.build(world.westminster, START, END)
    [row] = rows_for(annex, "List 10 Adoption", reversed_)
    assert row["Family identifier"] == ""
    assert (row["Date the Child Entered Care"], row["Date of Decision that Child Should be Placed for Adoption"],
            row["Date of Placement Order"], row["Date of Matching Child and Prospective Adopters"],
            row["Date of Decision that Child Should No Longer be Placed for Adoption"],
            row["Reason Why Child No Longer Placed for Adoption"][:6]) == (
        dt.date(2023, 6, 1), dt.date(2025, 2, 1), dt.date(2025, 5, 1), None, dt.date(2025, 9, 1), "RD3 - ")
    assert rows_for(annex, "List 10 Adoption", adopted_before) == []


def test_an_emergency_protection_order_in_the_last_six_months_is_a_yes(world, journey):
    from haven.permanence.models import CareProceedings

    CareProceedings.objects.create(person=journey, court="Central Family Court", application="epo",
                                   issued_on=dt.date(2026, 1, 14))
    annex = annex_a.build(world.westminster, START, END)
    [cp] = rows_for(annex, "List 7 Child protection", journey)
    assert cp["Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)"] == "a) Yes"
