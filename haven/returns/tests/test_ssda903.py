"""The SSDA903 export: the DfE tables and headers, rows from the record, the checks, the command."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from haven.returns import ssda903

YEAR = 2026


def read(path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_every_table_is_written_with_exactly_the_dfe_headers_even_when_empty(world, tmp_path):
    from haven.accounts.models import LocalAuthority

    empty = LocalAuthority.objects.create(name="Nowhere", ons_code="E09999999", lea_code="999", child_id_prefix="NW")
    ret = ssda903.build(empty, YEAR)
    paths = ret.write(tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{n}.csv" for n in (
        "header", "episodes", "uasc", "reviews", "missing", "oc2", "oc3", "ad1", "placed_for_adoption",
        "previous_permanence", "sw_episodes"))
    assert read(tmp_path / "episodes.csv") == [["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC",
                                                "REC", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"]]
    assert read(tmp_path / "header.csv") == [["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]]
    report = ssda903.validate(ret)
    assert report.errors == [] and report.ran


def test_a_child_looked_after_in_the_year_is_in_the_header_and_episodes(world, tmp_path):
    from haven.looked_after.models import PeriodOfCare

    period = PeriodOfCare.objects.filter(authority=world.westminster).order_by("pk").first()
    child = period.person
    year = period.start_date.year + 1 if period.start_date.month >= 4 else period.start_date.year
    ret = ssda903.build(world.westminster, year)
    ret.write(tmp_path)
    header = {r[0]: r for r in read(tmp_path / "header.csv")[1:]}
    assert header[child.local_id][1] == child.sex   # M, F or U from 2026-27
    assert header[child.local_id][2] == child.date_of_birth.strftime("%d/%m/%Y")
    episodes = [r for r in read(tmp_path / "episodes.csv")[1:] if r[0] == child.local_id]
    first = period.episodes.order_by("start_date").first()
    assert episodes[0][1] == first.start_date.strftime("%d/%m/%Y") and episodes[0][2] == "S"
    assert episodes[0][3] == first.legal_status and episodes[0][5] == first.placement.place
    # the record's other authority's children are not in Westminster's return
    assert all(not r[0].startswith("HF") for r in read(tmp_path / "header.csv")[1:])


def test_the_checks_report_a_broken_history_with_a_link_and_the_command_exits_1(world, tmp_path):
    from haven.core.testing import make_person
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    kid = make_person(world.westminster, first="Rae", last="Broken", born=dt.date(2012, 2, 2), sex="F")
    period = PeriodOfCare.objects.create(person=kid, start_date=dt.date(2025, 6, 2), home_postcode="W2 1AA")
    placement = Placement.objects.create(period=period, person=kid, start_date=dt.date(2025, 6, 2), place="U6",
                                         provider_code="PR1", postcode="W9 2BB")
    # a first episode that is not RNE S: refused by the pages, here written directly
    Episode.objects.create(period=period, person=kid, placement=placement, start_date=dt.date(2025, 6, 2),
                           reason_new="P", legal_status="C2", category_of_need="N1")
    report = ssda903.validate(ssda903.build(world.westminster, YEAR))
    mine = [p for p in report.errors if p.person_id == kid.pk]
    assert "357" in {p.code for p in mine}
    assert mine and all(p.url == kid.get_absolute_url() and p.child == kid.local_id for p in mine)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("returns", "ssda903", "--la", "213", "--year", str(YEAR), "--out", str(tmp_path), "--validate",
                     stdout=out)
    assert exit_.value.code == 1
    assert f"child {kid.local_id}" in out.getvalue()


def test_the_command_takes_the_ons_code_and_refuses_an_unknown_authority(world, tmp_path):
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("returns", "ssda903", "--la", "E09000013", "--year", str(YEAR), "--out", str(tmp_path), stdout=out)
    assert "Hammersmith and Fulham" in out.getvalue() and (tmp_path / "oc3.csv").exists()
    with pytest.raises(CommandError, match="No local authority"):
        call_command("returns", "ssda903", "--la", "000", "--year", str(YEAR), "--out", str(tmp_path))


def test_the_command_says_when_the_year_is_in_progress(world, tmp_path):
    from django.utils import timezone

    from haven.core.calendar import collection_year

    today = timezone.localdate()
    current = collection_year(today)
    out = io.StringIO()
    try:
        call_command("returns", "ssda903", "--la", "205", "--year", str(current), "--out", str(tmp_path),
                     "--validate", stdout=out)
    except SystemExit:
        pass   # the test world's record may hold errors; what matters here is what it says
    assert "The collection year is in progress: the return is as at " in out.getvalue()
    out = io.StringIO()
    try:
        call_command("returns", "ssda903", "--la", "205", "--year", str(current - 1), "--out", str(tmp_path),
                     "--validate", stdout=out)
    except SystemExit:
        pass
    assert "in progress" not in out.getvalue() and "rules ran" in out.getvalue()


def _alloc(pk, worker, start, end=None):
    from types import SimpleNamespace

    return SimpleNamespace(pk=pk, worker_id=worker, start_date=start, end_date=end)


def test_social_worker_episodes_are_one_worker_at_a_time():
    D = dt.date
    # handed over with a week's overlap: the new worker's episode starts the day they were allocated
    assert ssda903.social_worker_episodes([_alloc(1, 7, D(2025, 1, 1), D(2025, 6, 8)), _alloc(2, 8, D(2025, 6, 1))]) == [
        (7, D(2025, 1, 1), D(2025, 6, 1)), (8, D(2025, 6, 1), None)]
    # an allocation that starts and ends on one day is never the social worker
    assert ssda903.social_worker_episodes([_alloc(1, 7, D(2025, 1, 1)), _alloc(2, 8, D(2025, 3, 3), D(2025, 3, 3))]) == [
        (7, D(2025, 1, 1), None)]
    # a gap: the episode ends when the allocation ends, the next starts when the next allocation does
    assert ssda903.social_worker_episodes([_alloc(1, 7, D(2025, 1, 1), D(2025, 2, 1)), _alloc(2, 8, D(2025, 3, 1))]) == [
        (7, D(2025, 1, 1), D(2025, 2, 1)), (8, D(2025, 3, 1), None)]
    # the same worker allocated twice in a row is one episode
    assert ssda903.social_worker_episodes([_alloc(1, 7, D(2025, 1, 1), D(2025, 2, 1)), _alloc(2, 7, D(2025, 2, 1))]) == [
        (7, D(2025, 1, 1), None)]
    assert ssda903.social_worker_id(42) == "XX000042"


# -- OC2 and the day a return is as at ---------------------------------------------------------

def _in_care(world, *, first, born, start, end=None, end_reason="", sdq_on=None):
    """A child of Westminster looked after from ``start`` (to ``end``), in one foster placement."""
    from haven.core.testing import make_person
    from haven.health.models import SDQScore
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    kid = make_person(world.westminster, first=first, last="Asat", born=born, sex="M")
    period = PeriodOfCare.objects.create(person=kid, start_date=start, end_date=end, end_reason=end_reason,
                                         home_postcode="W2 1AA")
    placement = Placement.objects.create(period=period, person=kid, start_date=start, end_date=end, place="U6",
                                         provider_code="PR1", postcode="W9 2BB")
    Episode.objects.create(period=period, person=kid, placement=placement, start_date=start, end_date=end,
                           end_reason=end_reason, reason_new="S", legal_status="C2", category_of_need="N1")
    if sdq_on:
        SDQScore.objects.create(person=kid, completed_on=sdq_on, score=12)
    return kid


def test_oc2_leaves_out_a_child_on_short_breaks_as_the_rules_do(world):
    """A child looked after all year under a series of short breaks (V3) is not in the OC2 cohort
    (the DfE's definition, as the rules read it), so has no OC2 row; one on a care order has."""
    from haven.looked_after.models import Episode

    ordered = _in_care(world, first="Cee", born=dt.date(2014, 5, 5), start=dt.date(2024, 1, 10))
    breaks = _in_care(world, first="Vee", born=dt.date(2014, 5, 5), start=dt.date(2024, 1, 10))
    Episode.objects.filter(person=breaks).update(legal_status="V3")
    ret = ssda903.build(world.westminster, 2025)
    oc2 = {r["CHILD"] for r in ret.tables["oc2"]}
    assert ordered.local_id in oc2 and breaks.local_id not in oc2


def test_oc2_is_the_children_looked_after_since_1_april_even_in_a_leap_year(world):
    """2024 is a leap year: 364 days before 31 March 2024 is 2 April 2023. A child who came into
    care that day was not looked after for the whole year (the rules read the cohort from the
    episodes: RNE S after 1 April), so has no OC2 row; one who came into care on 1 April has."""
    first = _in_care(world, first="Ona", born=dt.date(2014, 5, 5), start=dt.date(2023, 4, 1), sdq_on=dt.date(2024, 1, 3))
    second = _in_care(world, first="Tua", born=dt.date(2014, 5, 5), start=dt.date(2023, 4, 2), sdq_on=dt.date(2024, 1, 3))
    ret = ssda903.build(world.westminster, 2024)
    oc2 = {r["CHILD"] for r in ret.tables["oc2"]}
    assert first.local_id in oc2 and second.local_id not in oc2
    report = ssda903.validate(ret)
    assert not [f for f in report.errors if f.child in (first.local_id, second.local_id)
                and f.code in ("185", "186", "190", "191", "198")]


def test_a_year_in_progress_is_as_at_today_and_waits_for_31_march_for_what_is_due_by_then(world):
    """Built on 1 January 2026, the year to 31 March 2026 holds what happened by that day: a
    young person who turns 18 in February is still looked after (no error yet: 359 judges the
    record as at 1 January), an SDQ not done yet is not an error (186 waits for the year end and
    says so), and a period that ends after that day is still open in the return."""
    as_at = dt.date(2026, 1, 1)
    nearly_18 = _in_care(world, first="Eig", born=dt.date(2008, 2, 10), start=dt.date(2024, 1, 5))
    no_sdq_yet = _in_care(world, first="Sdq", born=dt.date(2015, 6, 6), start=dt.date(2024, 1, 5))
    leaves_later = _in_care(world, first="Lat", born=dt.date(2015, 6, 6), start=dt.date(2024, 1, 5),
                            end=dt.date(2026, 2, 1), end_reason="E4A")
    ret = ssda903.build(world.westminster, 2026, with_previous=True, as_at=as_at)
    assert ret.as_at == as_at and ret.in_progress and not ret.not_begun
    assert ret.previous.as_at == dt.date(2025, 3, 31) and not ret.previous.in_progress
    episodes = {e["CHILD"]: e for e in ret.tables["episodes"]}
    assert episodes[leaves_later.local_id]["DEC"] == "" and episodes[leaves_later.local_id]["REC"] == ""
    assert no_sdq_yet.local_id in {r["CHILD"] for r in ret.tables["oc2"]}
    report = ssda903.validate(ret)
    assert report.in_progress and report.as_at == as_at
    ours = (nearly_18.local_id, no_sdq_yet.local_id, leaves_later.local_id)
    about_the_year = {"186", "197B", "359", "142", "148"}   # (the children have no UPN, distance or worker)
    assert not {f.code for f in report.findings if f.child in ours and f.code in about_the_year}
    assert "186" not in {r.code for r in report.ran}
    assert report.not_run["186"].startswith("judged at the end of the collection year")
    assert "01/01/2026" in report.not_run["186"]

    # the same record as at the year end: the 18-year-old still looked after, the SDQ not done
    report = ssda903.validate(ssda903.build(world.westminster, 2026, with_previous=True, as_at=dt.date(2026, 12, 1)))
    assert not report.in_progress and "186" in {r.code for r in report.ran}
    mine = {(f.code, f.child) for f in report.errors}
    assert ("359", nearly_18.local_id) in mine and ("186", no_sdq_yet.local_id) in mine


def test_a_year_that_has_not_begun_is_empty_and_no_rule_runs(world):
    ret = ssda903.build(world.westminster, 2027, as_at=dt.date(2026, 1, 1))
    assert ret.not_begun and all(rows == [] for rows in ret.tables.values())
    report = ssda903.validate(ret)
    assert report.ran == [] and report.findings == []
    assert "had not begun on 01/01/2026" in report.not_run["186"]


def test_the_record_stands_at_the_last_day_anything_was_recorded_or_today(world):
    """A copy of the record that stops on 1 January 2026 (restored from a backup, or seeded "as
    of" that day) is as at that day, and its year to 31 March 2026 is in progress."""
    from django.utils import timezone

    from haven.care_planning.models import LACReview
    from haven.looked_after.models import Episode
    from haven.recording.models import Recording

    assert ssda903.recorded_to(world.westminster) == timezone.localdate()
    stamp = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    for model in (Episode, LACReview, Recording):
        model.objects.filter(authority=world.westminster).update(created_at=stamp)
    assert ssda903.recorded_to(world.westminster) == dt.date(2026, 1, 1)
    assert ssda903.build(world.westminster, 2026).as_at == dt.date(2026, 1, 1)
    assert ssda903.build(world.westminster, 2025).as_at == dt.date(2025, 3, 31)


def test_a_decision_reversed_before_the_year_began_is_not_reported_again(world):
    """DfE 118 and 561: last year's return said the decision was reversed; this year's leaves it
    out. The year it was reversed in reports it with the date and reason."""
    from haven.permanence.models import AdoptionDecision

    kid = _in_care(world, first="Rev", born=dt.date(2021, 6, 6), start=dt.date(2024, 2, 1))
    for kind, day, reason in (("should_be_placed", dt.date(2024, 5, 1), ""), ("reversed", dt.date(2025, 2, 1), "RD1")):
        AdoptionDecision.objects.create(person=kid, kind=kind, decided_on=day, reason_ceased=reason)
    last_year = ssda903.build(world.westminster, 2025)
    assert [(r["DATE_PLACED"], r["DATE_PLACED_CEASED"], r["REASON_PLACED_CEASED"])
            for r in last_year.rows("placed_for_adoption", kid.local_id)] == [("01/05/2024", "01/02/2025", "RD1")]
    this_year = ssda903.build(world.westminster, 2026, with_previous=True)
    assert this_year.rows("placed_for_adoption", kid.local_id) == []
    report = ssda903.validate(this_year)
    assert not {f.code for f in report.findings if f.child == kid.local_id} & {"118", "561", "584"}
