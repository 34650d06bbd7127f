"""Performance management, in the browser: a team manager reads Westminster's dashboard, follows a
number to the children behind it and downloads them, opens a KPI's page (a Vega-Lite chart drawn
beside its table, team by team), narrows the dashboard to a team, opens the hotspots list, and
makes last month's scorecard with commentary as a PDF. axe-core checks each kind of page.

Bob (Westminster team manager: ``kpis.all``, ``kpis.export``, ``kpis.scorecard_edit``,
``kpis.hotspots``) looks at two children in care allocated to Alice in Bob's team; one of them has
gone missing three times in the last fortnight. All people are made up.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .steps import expect_no_serious_axe_violations, expect_validation_error, sign_in

pytestmark = pytest.mark.browser


def in_care(person, start):
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=person, start_date=start, home_postcode="W2 1AA")
    placement = Placement.objects.create(period=period, person=person, start_date=start, place="U4",
                                         provider_code="PR1", postcode="W9 2BB")
    Episode.objects.create(period=period, person=person, placement=placement, start_date=start, reason_new="S",
                           legal_status="C2", category_of_need="N1")


def test_a_manager_reads_the_dashboard_drills_through_and_makes_the_monthly_scorecard(page, base_url, browser_world):
    from haven.core.testing import make_person
    from haven.missing.models import MissingEpisode
    from haven.people.models import Allocation

    w = browser_world
    today = timezone.localdate()
    kids = [make_person(w.westminster, first=first, last="Dashwood", born=dt.date(2012, 5, 5 + i))
            for i, first in enumerate(("Remy", "Skye"))]
    for kid in kids:
        in_care(kid, today - dt.timedelta(days=300))
        Allocation.objects.create(person=kid, authority=w.westminster, team=w.wcc_team, worker=w.alice,
                                  role="social_worker", start_date=today - dt.timedelta(days=300))
    for days in (3, 8, 12):
        start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time(1)))
        MissingEpisode.objects.create(person=kids[1], kind="M", started_at=start, ended_at=start + dt.timedelta(hours=6))

    # The dashboard: every KPI of the authority, each value leading to the children behind it.
    sign_in(page, base_url, w.bob, start="/performance/", check_accessibility=False)
    expect(page.get_by_test_id("title")).to_have_text("Westminster")
    expect(page.get_by_test_id("computed")).to_contain_text("computed")
    looked_after = page.locator('tr[data-kpi="cla_count"]')
    expect(looked_after.get_by_role("link", name="Children looked after", exact=True)).to_be_visible()
    expect_no_serious_axe_violations(page)

    looked_after.get_by_test_id("value").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children looked after: the children behind the figure")
    children = page.get_by_test_id("children")
    for kid in kids:
        expect(children.get_by_role("link", name=kid.full_name)).to_be_visible()
    expect_no_serious_axe_violations(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    csv_text = download.value.path().read_text()
    assert all(kid.local_id in csv_text for kid in kids)

    # The KPI's page: definition, trend with its chart drawn beside the table, team by team.
    page.get_by_role("link", name="Full definition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children looked after")
    expect(page.get_by_test_id("definition")).to_contain_text("period of care started on or before")
    expect(page.locator('[data-chart="trend-spec"] svg')).to_be_visible()
    expect(page.get_by_test_id("points").first).to_contain_text("12-month trend")
    breakdown = page.get_by_test_id("breakdown")
    expect(breakdown.get_by_role("link", name=w.wcc_team.name)).to_be_visible()
    expect_no_serious_axe_violations(page)

    # A team's dashboard, from the team-by-team table: the same figure as the team's row.
    team_row = breakdown.locator("tr", has=page.get_by_role("link", name=w.wcc_team.name))
    team_figure = re.match(r"\s*(\d+)", team_row.locator("td").first.inner_text()).group(1)
    assert int(team_figure) >= len(kids)
    breakdown.get_by_role("link", name=w.wcc_team.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children looked after")
    expect(page.locator(".govuk-caption-l")).to_contain_text(w.wcc_team.name)
    page.get_by_role("link", name="All indicators").click()
    expect(page.get_by_test_id("title")).to_have_text(f"{w.wcc_team.name}, Westminster")
    expect(page.locator('tr[data-kpi="cla_count"]').get_by_test_id("value")).to_contain_text(
        re.compile(rf"^\s*{team_figure}\b"))

    # Hotspots: the child missing three times in 30 days.
    page.get_by_role("link", name="Hotspots").click()
    expect(page.get_by_test_id("title")).to_have_text("Hotspots: Westminster")
    missing = page.get_by_test_id("list-missing")
    expect(missing.locator("caption")).to_contain_text("Missing 3 or more times in 30 days")
    expect(missing.get_by_role("link", name=kids[1].full_name, exact=True)).to_be_visible()
    expect(missing.get_by_role("link", name=kids[0].full_name, exact=True)).to_have_count(0)
    expect_no_serious_axe_violations(page)

    # The monthly scorecard: a mistake shown in the error summary, then last month's edition as a PDF.
    page.goto(base_url + "/performance/scorecards/")
    page.get_by_role("link", name="New scorecard").click()
    page.get_by_label("Title").fill("Scrutiny committee scorecard")
    page.get_by_label("Day of the month to make last month's edition").fill("29")
    page.get_by_role("button", name=re.compile("Save|Create")).click()
    expect_validation_error(page, "id_generate_on_day", "Day of the month must be between 1 and 28")
    expect_no_serious_axe_violations(page)
    page.get_by_label("Day of the month to make last month's edition").fill("5")
    page.get_by_role("button", name=re.compile("Save|Create")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scrutiny committee scorecard")

    last_month = today.replace(day=1) - dt.timedelta(days=1)
    page.get_by_role("link", name=last_month.strftime("%B %Y"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(last_month.strftime("%B %Y"))
    expect_no_serious_axe_violations(page)
    page.get_by_label("Summary").fill("Visits are on time; placement moves are watched.")
    page.get_by_label("Commentary on Children looked after per 10,000 children").fill("Stable over the year.")
    page.get_by_role("button", name="Save and make the PDF").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("PDF made")
    expect(page.get_by_label("Commentary on Children looked after per 10,000 children")).to_have_value("Stable over the year.")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
