"""Returns, in the browser: a manager builds and checks Westminster's returns, follows an error
to the child's record, and downloads the files.

Bob (Westminster team manager, ``returns.view``) opens Returns, builds the CIN census for the
year ending 31 March 2026 (the summary, the cross-check, the rules that ran), then the SSDA903,
in which a child whose first episode does not start with "S" is an error (903 rule 357) linking
to her record; he downloads the CIN census XML and the SSDA903 zip. axe-core checks the page.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from playwright.sync_api import expect

from .steps import expect_no_serious_axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_a_manager_checks_the_returns_follows_an_error_to_the_record_and_downloads_the_files(page, base_url, browser_world):
    from haven.core.testing import make_person
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    w = browser_world
    kid = make_person(w.westminster, first="Rae", last="Broken", born=dt.date(2012, 2, 2), sex="F")
    period = PeriodOfCare.objects.create(person=kid, start_date=dt.date(2025, 6, 2), home_postcode="W2 1AA")
    placement = Placement.objects.create(period=period, person=kid, start_date=dt.date(2025, 6, 2), place="U6",
                                         provider_code="PR1", postcode="W9 2BB")
    # written directly: the pages refuse a first episode that is not RNE S
    Episode.objects.create(period=period, person=kid, placement=placement, start_date=dt.date(2025, 6, 2),
                           reason_new="P", legal_status="C2", category_of_need="N1")

    sign_in(page, base_url, w.bob, start="/returns/", check_accessibility=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns")
    page.get_by_label("Local authority").select_option(label="Westminster")
    page.get_by_label("Collection year").select_option("2026")
    page.get_by_label("CIN census").check()
    page.get_by_role("button", name="Build and check").click()

    expect(page.get_by_role("heading", level=2, name="CIN census: Westminster")).to_have_text(
        "CIN census: Westminster, 1 April 2025 to 31 March 2026")
    expect(page.get_by_test_id("rules-summary")).to_contain_text("CIN census 2025-26: 109 ran")
    crosscheck = page.get_by_test_id("crosscheck")
    expect(crosscheck).to_contain_text("Children in need at 31 March")
    expect(crosscheck.get_by_text("No", exact=True)).to_have_count(0)
    expect_no_serious_axe_violations(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CIN census (XML)").click()
    xml = download.value.path().read_bytes()
    assert xml.startswith(b"<?xml") and b"<LEA>213</LEA>" in xml

    page.get_by_label("SSDA903 (children looked after)").check()
    page.get_by_role("button", name="Build and check").click()
    expect(page.get_by_test_id("checks-summary")).to_contain_text("error")
    problems = page.get_by_test_id("problems")
    row = problems.locator("tr", has=page.get_by_role("link", name=kid.local_id)).filter(has_text="357").first
    expect(row).to_contain_text("reason for new episode code must be amended to S")
    expect(page.get_by_test_id("by-rule")).to_contain_text("357")
    expect(page.get_by_test_id("crosscheck")).to_contain_text("Children looked after at 31 March")

    with page.expect_download() as download:
        page.get_by_role("link", name="SSDA903 tables (zip of 11 CSV files)").click()
    names = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())).namelist()
    assert len(names) == 11 and "episodes.csv" in names

    row.get_by_role("link", name=kid.local_id).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rae Broken")
