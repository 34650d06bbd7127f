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
