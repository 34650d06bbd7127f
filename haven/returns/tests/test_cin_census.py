"""The CIN census from the record: who and what is in the year, the values, the XML in the
schema's order, the schema check (2024-25: Sex), the rules with links, the command."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import etree

from haven.core.calendar import add_working_days
from haven.returns import cin_census
from haven.returns.cin_data import Assessment, CPPlan, Section47

YEAR = 2026


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def episode(person, referral, **extra):
    from haven.assessments.models import CINEpisode

    values = dict(source="2A", primary_need="N1", decision_date=d(referral))
    values.update(extra)
    return CINEpisode.objects.create(person=person, authority=person.authority, referral_date=d(referral), **values)


def conference(child, kind, held_on, **extra):
    from haven.protection.models import Conference, ConferenceChild

    c = Conference.objects.create(authority=child.authority, kind=kind, held_on=d(held_on))
    ConferenceChild.objects.create(conference=c, person=child, participation="too_young", authority=child.authority,
                                   **extra)
    return c


def cp_plan(child, ep, start, end=None, *, initial="NEG", latest="NEG"):
    from haven.plans.models import Plan

    return Plan.objects.create(person=child, episode=ep, kind=Plan.Kind.CP, start_date=d(start),
                               end_date=d(end) if end else None, initial_category=initial, latest_category=latest,
                               authority=child.authority)


def journey(world):
    """A Westminster child: a plan two years ago (an earlier episode), then in the year a referral,
    an assessment, a strategy discussion and S47, an initial conference, a CP plan reviewed twice
    in the year (and once after it)."""
    from haven.assessments.models import Assessment as AssessmentRow
    from haven.assessments.models import AssessmentFactorIdentified
    from haven.core.testing import make_person
    from haven.protection.models import S47Enquiry, StrategyDiscussion

    child = make_person(world.westminster, first="Ivy", last="Census", born=d("2016-08-01"), sex="F",
                        ethnicity="MWBC")
    old = episode(child, "2023-01-02", closure_date=d("2023-12-01"), closure_reason="RC7")
    cp_plan(child, old, "2023-02-01", "2023-11-01")
    ep = episode(child, "2025-05-06")
    a = AssessmentRow.objects.create(episode=ep, person=child, authority=child.authority, start_date=d("2025-05-07"),
                                     completed_date=d("2025-06-09"), authorised_date=d("2025-06-10"), outcome="strategy")
    for code in ("3B", "16A"):
        AssessmentFactorIdentified.objects.create(assessment=a, code=code, authority=child.authority)
    held = timezone.make_aware(dt.datetime(2025, 6, 2, 10, 0))
    s = StrategyDiscussion.objects.create(authority=child.authority, held_at=held)
    s47 = S47Enquiry.objects.create(person=child, episode=ep, strategy_discussion=s, start_date=d("2025-06-02"),
                                    outcome=S47Enquiry.Outcome.ICPC, completed_date=d("2025-06-10"),
                                    authority=child.authority)
    plan = cp_plan(child, ep, "2025-06-20", latest="EMO")
    conference(child, "initial", "2025-06-20", s47=s47, plan=plan, plan_needed=True, category="NEG")
    for day in ("2025-09-05", "2026-02-06", "2026-05-01"):
        conference(child, "review", day, plan=plan, plan_needed=True, category="EMO")
    return child, ep


def entry(census, person):
    return next(c for c in census.children if c.la_child_id == person.local_id)


def test_a_childs_referral_assessment_s47_conference_and_plan_appear_with_their_values(world):
    child, ep = journey(world)
    c = entry(cin_census.build(world.westminster, YEAR), child)
    assert (c.sex, c.ethnicity, c.birth_date, c.disabilities) == ("F", "MWBC", d("2016-08-01"), ["NONE"])
    assert c.upn == "" and c.upn_unknown == ""           # of school age: the record does not say why
    assert c.person_id == child.pk and c.url == child.get_absolute_url()
    [details] = c.cin_details                           # the 2023 episode closed before the year
    assert (details.referral_date, details.referral_source, details.primary_need) == (d("2025-05-06"), "2A", "N1")
    assert details.closure_date is None and details.referral_nfa is False and details.episode_id == ep.pk
    assert details.assessments == [Assessment(start=d("2025-05-07"), authorised=d("2025-06-10"), factors=["16A", "3B"])]
    assert details.section47s == [Section47(start=d("2025-06-02"), icpc_target=add_working_days(d("2025-06-02"), 15),
                                            icpc_date=d("2025-06-20"), icpc_not_required=False)]
    assert details.icpc_date is None                   # on the S47, not both (2884)
    assert details.cp_plans == [CPPlan(start=d("2025-06-20"), end=None, initial_category="NEG", latest_category="EMO",
                                       previous_plans=1, reviews=[d("2025-09-05"), d("2026-02-06")])]


def test_an_initial_conference_without_an_s47_goes_on_the_cin_details_and_late_dates_are_left_out(world):
    from haven.assessments.models import Assessment as AssessmentRow
    from haven.core.testing import make_person
    from haven.people.models import PersonDisability

    child = make_person(world.westminster, first="Otto", last="Census", born=d("2012-01-01"), sex="M")
    for code in ("LD", "AUT"):
        PersonDisability.objects.create(person=child, code=code, authority=child.authority)
    ep = episode(child, "2026-01-05")
    # authorised after 31 March: not completed in this census, so no date and no factors
    AssessmentRow.objects.create(episode=ep, person=child, authority=child.authority, start_date=d("2026-01-06"),
                                 completed_date=d("2026-04-01"), authorised_date=d("2026-04-02"), outcome="cin_plan")
    plan = cp_plan(child, ep, "2026-02-02", "2026-06-01")
    conference(child, "initial", "2026-02-02", plan=plan, plan_needed=True, category="NEG")
    c = entry(cin_census.build(world.westminster, YEAR), child)
    assert c.disabilities == ["AUT", "LD"]
    [details] = c.cin_details
    assert details.icpc_date == d("2026-02-02")
    assert details.assessments == [Assessment(start=d("2026-01-06"))]
    assert details.cp_plans[0].end is None and details.cp_plans[0].previous_plans == 0


def test_an_unborn_child_is_sex_u_with_the_expected_date_and_upn_reason_un1(world):
    from haven.core.testing import make_person

    unborn = make_person(world.westminster, first="Baby", last="Census", born=None, sex="F",
                         expected_date_of_birth=d("2026-06-15"))
    episode(unborn, "2026-02-10")
    c = entry(cin_census.build(world.westminster, YEAR), unborn)
    assert (c.sex, c.birth_date, c.expected_birth_date, c.upn_unknown) == ("U", None, d("2026-06-15"), "UN1")


@pytest.mark.parametrize(("born", "all_nfa", "first", "expected"), [
    (None, False, "2025-06-01", "UN1"),
    ("2020-09-01", False, "2025-06-01", "UN1"),            # not yet in year 1 (school age for 8770Q)
    ("2020-08-31", False, "2025-06-01", ""),               # in year 1, though still 5: no reason held
    ("2015-01-01", True, "2025-06-01", "UN7"),             # every referral no further action
    ("2015-01-01", False, "2026-03-27", "UN4"),            # newly in need in the last week
    ("2015-01-01", False, "2025-06-01", ""),               # of school age: the record does not say why
])
def test_upn_unknown_reasons(born, all_nfa, first, expected):
    assert cin_census.upn_unknown_reason(born=d(born) if born else None, reference=d("2026-03-31"), all_nfa=all_nfa,
                                         first_referral=d(first)) == expected


def schema_sequence(type_name: str) -> list[str]:
    doc = etree.parse(str(cin_census.SCHEMA))
    names = doc.xpath(f"//xs:complexType[@name='{type_name}']/xs:sequence/xs:element/@name",
                      namespaces={"xs": cin_census.XS})
    return ["Sex" if n == "GenderCurrent" else n for n in names]


def test_the_xml_has_the_schemas_element_order_and_is_valid(world, tmp_path):
    child, _ = journey(world)
    path = cin_census.write_xml(cin_census.build(world.westminster, YEAR), tmp_path / "cin.xml")
    doc = etree.parse(str(path))
    [el] = [c for c in doc.iter("Child") if c.findtext("ChildIdentifiers/LAchildID") == child.local_id]
    for xpath, type_name in (("ChildIdentifiers", "childidentifierstype"), ("CINdetails", "cindetailstype"),
                             ("CINdetails/Assessments", "assessmentstype"), ("CINdetails/Section47", "section47type"),
                             ("CINdetails/ChildProtectionPlans", "childprotectionplanstype")):
        order = schema_sequence(type_name)
        for group in el.findall(xpath):
            tags = [c.tag for c in group]
            assert tags == sorted(tags, key=order.index), (xpath, tags)
    assert [c.tag for c in el] == ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"]
    assert doc.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    assert doc.findtext("Header/Source/LEA") == "213" and doc.findtext("Header/Source/SoftwareCode") == "Haven"
    assert el.findtext("ChildIdentifiers/Sex") == "F" and el.find("ChildIdentifiers/UPN") is None
    assert el.findtext("CINdetails/CINreferralDate") == "2025-05-06"
    assert el.findtext("CINdetails/Section47/ICPCnotRequired") == "false"
    assert el.findtext("CINdetails/ReferralNFA") == "false"
    assert [r.text for r in el.iterfind("CINdetails/ChildProtectionPlans/Reviews/CPPreviewDate")] == \
        ["2025-09-05", "2026-02-06"]
    assert cin_census.schema_errors(path) == []


def test_the_schema_check_reports_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<Message><Children><Child><ChildIdentifiers><LAchildID>A1</LAchildID>"
                   "<Sex>1</Sex></ChildIdentifiers></Child></Children></Message>")
    errors = cin_census.schema_errors(bad)
    assert errors and any("Sex" in e for e in errors)
    (tmp_path / "broken.xml").write_text("<Message>")
    assert cin_census.schema_errors(tmp_path / "broken.xml")[0].startswith("not well-formed")


def test_an_authority_with_no_child_in_need_gets_the_header_and_an_empty_children_element(world, tmp_path):
    """The schema asks for at least one child: the file is well-formed, and the schema check
    says it has no child (the command prints that no child was in need)."""
    from haven.accounts.models import LocalAuthority

    empty = LocalAuthority.objects.create(name="Nowhere", ons_code="E09999999", lea_code="999", child_id_prefix="NW")
    census = cin_census.build(empty, YEAR)
    assert census.children == [] and census.unrepresentable == []
    path = cin_census.write_xml(census, tmp_path / "empty.xml")
    doc = etree.parse(str(path))
    assert doc.find("Children") is not None and len(doc.find("Children")) == 0
    errors = cin_census.schema_errors(path)
    assert len(errors) == 1 and "Children" in errors[0]
    out = io.StringIO()
    call_command("returns", "cin-census", "--la", "999", "--year", str(YEAR), "--out", str(tmp_path / "c.xml"),
                 stdout=out)
    assert "No child was in need" in out.getvalue()


def test_a_record_without_a_required_code_goes_in_blank_and_is_reported_with_a_link(world, tmp_path):
    from haven.core.testing import make_person

    child = make_person(world.westminster, first="Nell", last="Census", born=d("2014-04-04"), sex="F")
    episode(child, "2025-07-01", source="", primary_need="N0")
    conference(child, "initial", "2025-06-02")      # before the referral, linked to nothing
    census = cin_census.build(world.westminster, YEAR)
    [details] = entry(census, child).cin_details
    assert details.referral_source == "" and details.primary_need == ""
    mine = [u for u in census.unrepresentable if u[1] == child.local_id]
    assert {u[3].split(":")[0] for u in mine} == {"8866", "8610", "HAVEN"}
    assert details.icpc_date is None
    report = cin_census.validate(census)
    found = {f.code: f for f in report.errors if f.child == child.local_id}
    assert {"8866", "8610", "HAVEN"} <= set(found)
    assert "02/06/2025" in found["HAVEN"].detail and found["HAVEN"].url == child.get_absolute_url()
    assert found["8866"].person_id == child.pk and found["8866"].url == child.get_absolute_url()
    assert found["8866"].field == "ReferralSource"
    with pytest.raises(SystemExit) as exit_:
        call_command("returns", "cin-census", "--la", "213", "--year", str(YEAR), "--out", str(tmp_path / "cin.xml"),
                     "--validate", stdout=io.StringIO())
    assert exit_.value.code == 1 and (tmp_path / "cin.xml").exists()


def test_the_command_writes_the_file_and_fails_only_on_errors(world, tmp_path):
    journey(world)
    report = cin_census.validate(cin_census.build(world.westminster, YEAR))
    path = tmp_path / "cin.xml"
    out = io.StringIO()
    args = ("returns", "cin-census", "--la", "213", "--year", str(YEAR), "--out", str(path), "--validate")
    if report.errors or report.crashed:
        with pytest.raises(SystemExit) as exit_:
            call_command(*args, stdout=out)
        assert exit_.value.code == 1
    else:
        call_command(*args, stdout=out)
    assert path.exists() and "CIN census Westminster" in out.getvalue()
    assert f"{report.registry}: {len(report.ran)} rules ran" in out.getvalue()
