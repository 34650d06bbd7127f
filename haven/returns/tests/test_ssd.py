"""The Standard Safeguarding Dataset export: every SSD table with exactly its yml columns, a child's
record in the right tables with keys that join, one authority's people only, the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import yaml
from django.core.management import call_command
from django.utils import timezone

from haven.returns import ssd

# Foreign keys the SSD's own yml gets wrong, not checked: perm_person_id names the episode ID
# column although it holds the person ID; two name tables or columns that do not exist.
YML_QUIRKS = {"perm_person_id", "clae_cla_placement_id", "ehcn_ehcp_asmt_id"}


def read(directory, table) -> list[dict]:
    with (directory / f"{table}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def header(directory, table) -> list[str]:
    with (directory / f"{table}.csv").open(newline="", encoding="utf-8") as f:
        return next(csv.reader(f))


def test_every_ssd_table_is_written_with_exactly_its_yml_columns_in_order(world, tmp_path):
    written = ssd.export(world.westminster, tmp_path)
    expected = {}
    for path in sorted(ssd.REFERENCE.glob("ssd_*.yml")):
        for node in yaml.safe_load(path.read_text(encoding="utf-8"))["nodes"]:
            expected[node["name"]] = [f["name"] for f in node["fields"]]
    assert len(expected) == 48
    assert {name for name, _n, _path in written} == set(expected)
    for name, rows, path in written:
        assert path == tmp_path / f"{name}.csv"
        assert header(tmp_path, name) == expected[name], name
        assert len(read(tmp_path, name)) == rows
    # every table is either filled from the record or listed, with why, as not held
    filled = set(ssd._Extract.ORDER)
    assert filled | set(ssd.EMPTY) == set(expected) and not filled & set(ssd.EMPTY)
    assert all(rows == 0 for name, rows, _path in written if name in ssd.EMPTY)
    assert ssd.tables() is ssd.tables()   # read once


def test_a_childs_referral_assessment_cp_plan_and_care_appear_with_the_right_keys(world, tmp_path):
    from haven.assessments.models import Assessment, AssessmentFactorIdentified, CINEpisode
    from haven.core.testing import make_person
    from haven.looked_after.models import Episode, PeriodOfCare, Placement
    from haven.plans.models import Plan
    from haven.protection.models import Conference, ConferenceChild, S47Enquiry, StrategyDiscussion

    wcc = world.westminster
    kid = make_person(wcc, first="Kit", last="Export", born=dt.date(2014, 4, 15), sex="M", ethnicity="BAFR",
                      nhs_number="9990000999", upn="A123456789012")
    referral = CINEpisode.objects.create(person=kid, referral_date=dt.date(2025, 5, 1), source="2A",
                                         primary_need="N1", created_by=world.alice)
    assessment = Assessment.objects.create(episode=referral, person=kid, start_date=dt.date(2025, 5, 2),
                                           child_seen_date=dt.date(2025, 5, 6), outcome="strategy",
                                           authorised_date=dt.date(2025, 5, 20), created_by=world.alice)
    for code in ("3A", "16A"):
        AssessmentFactorIdentified.objects.create(assessment=assessment, code=code)
    held = timezone.make_aware(dt.datetime(2025, 5, 21, 10, 0))
    discussion = StrategyDiscussion.objects.create(authority=wcc, held_at=held)
    s47 = S47Enquiry.objects.create(person=kid, episode=referral, strategy_discussion=discussion,
                                    start_date=dt.date(2025, 5, 21), outcome="icpc", completed_date=dt.date(2025, 6, 2))
    plan = Plan.objects.create(person=kid, episode=referral, kind="cp", start_date=dt.date(2025, 6, 10),
                               end_date=dt.date(2025, 9, 1), initial_category="NEG", latest_category="EMO")
    conference = Conference.objects.create(authority=wcc, kind="initial", held_on=dt.date(2025, 6, 10),
                                           created_by=world.iris)
    icpc = ConferenceChild.objects.create(conference=conference, person=kid, s47=s47, plan=plan, participation="attended",
                                          plan_needed=True, category="NEG")
    period = PeriodOfCare.objects.create(person=kid, start_date=dt.date(2025, 9, 1), uasc=False, cin_episode=referral,
                                         home_postcode="W2 1AA")
    placement = Placement.objects.create(period=period, person=kid, start_date=dt.date(2025, 9, 1), place="U4",
                                         provider_code="PR1", postcode="W9 2BB", urn="SC123456")
    first = Episode.objects.create(period=period, person=kid, placement=placement, start_date=dt.date(2025, 9, 1),
                                   reason_new="S", legal_status="C1", category_of_need="N1",
                                   end_date=dt.date(2025, 11, 3), end_reason="X1")
    Episode.objects.create(period=period, person=kid, placement=placement, start_date=dt.date(2025, 11, 3),
                           reason_new="L", legal_status="C2", category_of_need="N1")

    ssd.export(wcc, tmp_path)
    me = kid.local_id

    person = {r["pers_person_id"]: r for r in read(tmp_path, "ssd_person")}[me]
    assert (person["pers_forename"], person["pers_surname"], person["pers_sex"], person["pers_ethnicity"],
            person["pers_dob"], person["pers_common_child_id"], person["pers_is_mother"]) == (
        "Kit", "Export", "M", "BAFR", "2014-04-15", "9990000999", "N")
    links = {r["link_identifier_type"]: r["link_identifier_value"] for r in read(tmp_path, "ssd_linked_identifiers")
             if r["link_person_id"] == me}
    assert links == {"NHS Number": "9990000999", "Unique Pupil Number": "A123456789012"}

    [cine] = [r for r in read(tmp_path, "ssd_cin_episodes") if r["cine_person_id"] == me]
    assert cine["cine_referral_id"] == str(referral.pk) and cine["cine_referral_date"] == "2025-05-01"
    assert (cine["cine_cin_primary_need_code"], cine["cine_referral_source_code"], cine["cine_referral_source_desc"],
            cine["cine_referral_nfa"]) == ("N1", "2A", "Schools", "N")
    assert cine["cine_referral_worker_id"] == str(world.alice.pk) and cine["cine_referral_team"] == str(world.wcc_team.pk)
    outcome = json.loads(cine["cine_referral_outcome_json"])
    assert outcome["SINGLE_ASSESSMENT_FLAG"] == "Y" and outcome["NFA_FLAG"] == "N" and "CARE_LEAVER_FLAG" in outcome

    [cina] = [r for r in read(tmp_path, "ssd_cin_assessments") if r["cina_person_id"] == me]
    assert (cina["cina_assessment_id"], cina["cina_referral_id"], cina["cina_assessment_start_date"],
            cina["cina_assessment_child_seen"], cina["cina_assessment_auth_date"], cina["cina_assessment_outcome_nfa"]) == (
        str(assessment.pk), str(referral.pk), "2025-05-02", "Y", "2025-05-20", "N")
    outcome = json.loads(cina["cina_assessment_outcome_json"])
    assert outcome["STRATEGY_DISCUSSION_FLAG"] == "Y" and outcome["NFA_FLAG"] == "N" and outcome["LEGAL_ACTION_FLAG"] == ""
    [factors] = [r for r in read(tmp_path, "ssd_assessment_factors") if r["cinf_assessment_id"] == str(assessment.pk)]
    assert json.loads(factors["cinf_assessment_factors_json"]) == ["3A", "16A"]

    [s47e] = [r for r in read(tmp_path, "ssd_s47_enquiry") if r["s47e_person_id"] == me]
    assert (s47e["s47e_s47_enquiry_id"], s47e["s47e_referral_id"], s47e["s47e_s47_start_date"],
            s47e["s47e_s47_end_date"]) == (str(s47.pk), str(referral.pk), "2025-05-21", "2025-06-02")
    assert json.loads(s47e["s47e_s47_outcome_json"])["CP_CONFERENCE_FLAG"] == "Y"

    [conf] = [r for r in read(tmp_path, "ssd_initial_cp_conference") if r["icpc_person_id"] == me]
    assert (conf["icpc_icpc_id"], conf["icpc_icpc_meeting_id"], conf["icpc_s47_enquiry_id"], conf["icpc_cp_plan_id"],
            conf["icpc_referral_id"], conf["icpc_icpc_date"], conf["icpc_icpc_outcome_cp_flag"]) == (
        str(icpc.pk), str(conference.pk), str(s47.pk), str(plan.pk), str(referral.pk), "2025-06-10", "Y")
    # 15 working days after the strategy discussion of Wednesday 21 May 2025 (26 May a bank holiday)
    assert conf["icpc_icpc_target_date"] == "2025-06-12"
    assert conf["icpc_icpc_worker_id"] == str(world.iris.pk)

    [cppl] = [r for r in read(tmp_path, "ssd_cp_plans") if r["cppl_person_id"] == me]
    assert (cppl["cppl_cp_plan_id"], cppl["cppl_referral_id"], cppl["cppl_icpc_id"], cppl["cppl_cp_plan_start_date"],
            cppl["cppl_cp_plan_end_date"], cppl["cppl_cp_plan_initial_category"], cppl["cppl_cp_plan_latest_category"]) == (
        str(plan.pk), str(referral.pk), str(icpc.pk), "2025-06-10", "2025-09-01", "Neglect", "Emotional abuse")

    episodes = [r for r in read(tmp_path, "ssd_cla_episodes") if r["clae_person_id"] == me]
    assert [(r["clae_cla_episode_start_date"], r["clae_cla_episode_start_reason"], r["clae_cla_episode_ceased_date"],
             r["clae_cla_episode_ceased_reason"]) for r in episodes] == [
        ("2025-09-01", "S", "2025-11-03", "X1"), ("2025-11-03", "L", "", "")]
    assert {(r["clae_cla_id"], r["clae_cla_placement_id"], r["clae_referral_id"], r["clae_entered_care_date"],
             r["clae_cla_primary_need_code"]) for r in episodes} == {
        (str(period.pk), str(placement.pk), str(referral.pk), "2025-09-01", "N1")}
    assert episodes[0]["clae_cla_episode_id"] == str(first.pk)
    [clap] = [r for r in read(tmp_path, "ssd_cla_placement") if r["clap_person_id"] == me]
    assert (clap["clap_cla_placement_id"], clap["clap_cla_id"], clap["clap_cla_placement_type"],
            clap["clap_cla_placement_provider"], clap["clap_cla_placement_urn"], clap["clap_cla_placement_postcode"],
            clap["clap_cla_placement_start_date"]) == (
        str(placement.pk), str(period.pk), "U4", "PR1", "SC123456", "W9 2BB", "2025-09-01")
    # a change of legal status starts a legal status, a placement change alone does not
    statuses = [(r["lega_legal_status"], r["lega_legal_status_start_date"], r["lega_legal_status_end_date"])
                for r in read(tmp_path, "ssd_legal_status") if r["lega_person_id"] == me]
    assert statuses == [("C1", "2025-09-01", "2025-11-03"), ("C2", "2025-11-03", "")]


def declared_keys():
    """(table, column, parent table, parent column) for every key the SSD declares: the fields'
    foreign keys and ``relationships.yml``."""
    for table, fields in ssd.tables().items():
        for field in fields:
            target = (field.get("foreign_key") or "").split(" ")[0]
            if target:
                yield (table, field["name"], *target.split("."))
    for r in ssd.relationships():
        yield r["child_object"], r["child_key"].split(" ")[0], r["parent_object"], r["parent_key"].split(" ")[0]


def test_the_keys_of_every_table_resolve(world, tmp_path):
    """Every key the SSD declares (where its yml names a real table and column) points at a row
    that is there; every person is in ssd_person."""
    ssd.export(world.westminster, tmp_path)
    data = {name: read(tmp_path, name) for name in ssd.tables()}
    checked = 0
    for table, column, parent, key in declared_keys():
        if column in YML_QUIRKS:
            continue
        have = {row[key] for row in data[parent]}
        missing = [row[column] for row in data[table] if row[column] and row[column] not in have]
        assert not missing, f"{table}.{column} -> {parent}.{key}: {missing[:5]}"
        checked += 1
    assert checked > 100
    people = {r["pers_person_id"] for r in data["ssd_person"]}
    assert {r["cine_person_id"] for r in data["ssd_cin_episodes"]} <= people
    assert {r["invo_person_id"] for r in data["ssd_involvements"]} <= people
    assert {r["clap_person_id"] for r in data["ssd_cla_placement"]} <= people
    assert data["ssd_cin_episodes"] and data["ssd_cp_plans"] and data["ssd_cla_episodes"]


def test_only_the_authoritys_children_and_young_people_are_exported(world, tmp_path):
    wcc, hf = tmp_path / "wcc", tmp_path / "hf"
    ssd.export(world.westminster, wcc)
    ssd.export(world.hammersmith, hf)
    people = {r["pers_person_id"] for r in read(wcc, "ssd_person")}
    assert world.child.local_id in people and world.sibling.local_id in people
    assert world.outsider.local_id not in people
    assert world.parent.local_id not in people        # an adult never known as a child
    assert world.outsider.local_id in {r["pers_person_id"] for r in read(hf, "ssd_person")}
    for table in ssd.tables():
        text = (wcc / f"{table}.csv").read_text(encoding="utf-8")
        assert world.outsider.local_id not in text, table


def test_values_follow_the_ssd(world, tmp_path):
    """ISO dates, Y/N flags, postcodes without spaces, every JSON key the SSD lists."""
    ssd.export(world.westminster, tmp_path)
    [lily] = [r for r in read(tmp_path, "ssd_address") if r["addr_person_id"] == world.child.local_id]
    assert lily["addr_address_postcode"] == "W21AA" and lily["addr_address_start_date"] == "2019-01-01"
    address = json.loads(lily["addr_address_json"])
    assert list(address) == list(ssd.ADDRESS_KEYS) and address["STREET"] == "1 Test Street"
    family = {r["fami_person_id"]: r["fami_family_id"] for r in read(tmp_path, "ssd_family")}
    assert family[world.child.local_id] == family[world.sibling.local_id]
    for row in read(tmp_path, "ssd_cin_episodes"):
        assert row["cine_referral_nfa"] in ("Y", "N")
        dt.date.fromisoformat(row["cine_referral_date"])
    assert ssd.flags(("A", "B", "C"), "B", ("A", "B")) == {"A": "N", "B": "Y", "C": ""}
    assert ssd.flags(("A", "B"), None, ("A",)) == {"A": "", "B": ""}                  # no decision yet
    assert ssd.flags(("A", "B"), None, ("A",), decided=True) == {"A": "N", "B": ""}   # an outcome with no flag


def test_the_command_writes_the_files(world, tmp_path):
    out = io.StringIO()
    call_command("returns", "ssd", "--la", "213", "--out", str(tmp_path / "ssd"), stdout=out)
    assert "Standard Safeguarding Dataset Westminster: 48 tables" in out.getvalue()
    assert len(list((tmp_path / "ssd").glob("ssd_*.csv"))) == 48
    assert world.child.local_id in (tmp_path / "ssd" / "ssd_person.csv").read_text(encoding="utf-8")
