"""The Returns page: who may use it, the authorities offered, the checks shown, the zip download."""

from __future__ import annotations

import io
import zipfile

from django.utils import timezone

from haven.audit.models import AccessLog


def test_a_manager_builds_checks_and_downloads_the_ssda903_for_an_authority_they_serve(world, as_user):
    client = as_user(world.bob)
    page = client.get("/returns/")
    assert page.status_code == 200 and "Westminster" in page.content.decode()
    assert "Hammersmith" not in page.content.decode()     # bob serves Westminster only
    body = client.get(f"/returns/?la={world.westminster.pk}&year=2026&kind=ssda903").content.decode()
    assert 'data-testid="tables"' in body and "episodes.csv" in body and 'data-testid="checks-summary"' in body
    assert 'data-testid="rules-ran"' in body and "SSDA903 2026-27" in body
    assert AccessLog.objects.filter(user=world.bob, action="view", summary__startswith="SSDA903 (children looked after) Westminster").exists()
    z = client.get(f"/returns/ssda903.zip?la={world.westminster.pk}&year=2026")
    assert z.status_code == 200 and z["Content-Type"] == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(z.content)).namelist())
    assert len(names) == 11 and "episodes.csv" in names and "sw_episodes.csv" in names
    assert AccessLog.objects.filter(user=world.bob, action="export", summary__startswith="SSDA903 files").exists()


def test_an_authority_the_user_does_not_serve_is_refused(world, as_user):
    client = as_user(world.bob)
    body = client.get(f"/returns/?la={world.hammersmith.pk}&year=2026").content.decode()
    assert 'data-testid="summary"' not in body
    for path in ("ssda903.zip", "cin-census.xml", "annex-a.xlsx", "ssd.zip", "findings.csv"):
        assert client.get(f"/returns/{path}?la={world.hammersmith.pk}&year=2026").status_code == 400, path


def test_a_broken_history_is_listed_with_a_link_to_the_child(world, as_user):
    import datetime as dt

    from haven.core.testing import make_person
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    kid = make_person(world.westminster, first="Rae", last="Broken", born=dt.date(2012, 2, 2), sex="F")
    period = PeriodOfCare.objects.create(person=kid, start_date=dt.date(2025, 6, 2), home_postcode="W2 1AA")
    placement = Placement.objects.create(period=period, person=kid, start_date=dt.date(2025, 6, 2), place="U6",
                                         provider_code="PR1", postcode="W9 2BB")
    Episode.objects.create(period=period, person=kid, placement=placement, start_date=dt.date(2025, 6, 2),
                           reason_new="P", legal_status="C2", category_of_need="N1")
    body = as_user(world.bob).get(f"/returns/?la={world.westminster.pk}&year=2026&kind=ssda903").content.decode()
    assert 'data-testid="problems"' in body and f'href="{kid.get_absolute_url()}"' in body and kid.local_id in body


def test_social_workers_and_people_without_a_role_cannot_use_returns(world, as_user):
    assert as_user(world.alice).get("/returns/").status_code == 403
    for path in ("ssda903.zip", "cin-census.xml", "annex-a.xlsx", "ssd.zip", "findings.csv"):
        assert as_user(world.nora).get(f"/returns/{path}").status_code == 403, path
        assert as_user(world.alice).get(f"/returns/{path}").status_code == 403, path


def test_a_year_in_progress_says_so_on_the_page(world, as_user):
    """The collection year that has not ended is as at today (or the record's last day), and
    the page says so; a year that has ended does not."""
    from haven.core.calendar import collection_year
    from haven.returns.ssda903 import year_bounds

    today = timezone.localdate()
    current = collection_year(today)
    client = as_user(world.bob)
    body = client.get(f"/returns/?la={world.westminster.pk}&year={current}&kind=ssda903").content.decode()
    assert 'data-testid="in-progress"' in body and "The collection year is in progress" in body
    assert year_bounds(current)[0] <= today
    ended = client.get(f"/returns/?la={world.westminster.pk}&year={current - 1}&kind=ssda903").content.decode()
    assert 'data-testid="summary"' in ended and 'data-testid="in-progress"' not in ended
