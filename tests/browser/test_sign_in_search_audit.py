"""The core path through Haven in a real browser (Debian chromium, headless), with axe-core
checking every page against WCAG 2.2 AA: sign in with both factors, find a child by part of a
name with an apostrophe, open the record, and see one's own view in "Who has seen this record".
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .steps import expect_no_serious_axe_violations, expect_validation_error, sign_in

pytestmark = pytest.mark.browser


def test_static_assets_are_served(page: Page, base_url):
    for path in ("/static/dist/govuk/govuk-frontend.min.css", "/static/dist/govuk/govuk-frontend.min.js",
                 "/static/haven/haven.css", "/static/dist/htmx/htmx.min.js"):
        response = page.request.get(base_url + path)
        assert response.status == 200, f"{path}: {response.status}"
    css = page.request.get(base_url + "/static/dist/govuk/govuk-frontend.min.css")
    assert "text/css" in css.headers["content-type"]
    assert ".govuk-header" in css.text()


def test_sign_in_search_open_record_and_see_own_view_in_audit(page: Page, base_url, browser_world):
    world = browser_world
    alice, lily = world.alice, world.child

    # Signed out, /people/ sends us to sign in; password, then the TOTP code; back to /people/.
    stylesheet = []
    page.on("response", lambda r: stylesheet.append(r.status)
            if r.url.endswith("/govuk-frontend.min.css") else None)
    sign_in(page, base_url, alice, start="/people/")
    # 200, or 304 when the browser revalidates its cached copy on a later page.
    assert 200 in stylesheet and set(stylesheet) <= {200, 304}, f"GOV.UK Frontend CSS: {stylesheet}"
    # The CSS is applied, not just fetched: the GOV.UK header is styled.
    header_bg = page.locator("header.govuk-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg not in ("rgba(0, 0, 0, 0)", "transparent"), header_bg

    expect(page).to_have_title(re.compile(r"^Find a person"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")
    expect_no_serious_axe_violations(page)

    # The page header names the user and their authority.
    expect(page.get_by_test_id("user-name")).to_have_text(alice.get_full_name())
    expect(page.get_by_test_id("user-authority")).to_have_text("Westminster")

    # Search by part of a name with an apostrophe.
    page.get_by_label(re.compile(r"^Name")).fill("o'bri")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_test_id("results")
    expect(results).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_contain_text("found")
    lily_link = results.get_by_role("link", name="Lily O'Brien", exact=True)
    expect(lily_link).to_have_count(1)
    expect(results).not_to_contain_text("Ruby")  # Hammersmith's child is not in alice's scope
    expect_no_serious_axe_violations(page)

    # Open her record: the header shows her name and the flags area, and who is signed in.
    lily_link.click()
    expect(page).to_have_url(re.compile(rf"/people/{lily.pk}/$"))
    expect(page).to_have_title(re.compile(r"^Lily O'Brien"))
    expect(page.get_by_test_id("person-name")).to_have_text("Lily O'Brien")
    expect(page.locator(".haven-record-header")).to_contain_text(lily.local_id)
    expect(page.locator(".haven-flags")).to_be_attached()
    expect(page.get_by_test_id("user-name")).to_have_text(alice.get_full_name())
    expect(page.get_by_test_id("user-authority")).to_have_text("Westminster")
    expect_no_serious_axe_violations(page)

    # "Who has seen this record" lists alice's view.
    page.get_by_role("navigation", name="Sections of the record").get_by_role(
        "link", name="Who has seen this record").click()
    expect(page).to_have_url(re.compile(rf"/people/{lily.pk}/seen-by/$"))
    expect(page.get_by_test_id("person-name")).to_have_text("Lily O'Brien")
    seen_by = page.get_by_test_id("seen-by")
    expect(seen_by).to_be_visible()
    alice_rows = seen_by.locator("tbody tr").filter(
        has=page.get_by_role("cell", name=alice.username, exact=True))
    expect(alice_rows.first).to_be_visible()
    expect(alice_rows.filter(has_text="Lily O'Brien")).not_to_have_count(0)
    expect_no_serious_axe_violations(page)


def test_add_a_person_shows_govuk_validation_errors(page: Page, base_url, browser_world):
    sign_in(page, base_url, browser_world.alice, start="/people/add/")
    expect(page).to_have_title(re.compile(r"^Add a person"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")
    expect_no_serious_axe_violations(page)

    # Empty: the required names are asked for.
    page.get_by_role("button", name="Save person").click()
    expect_validation_error(page, "id_first_name", "Enter first name")
    expect_validation_error(page, "id_last_name", "Enter last name")
    expect_no_serious_axe_violations(page)

    # An NHS number whose check digit is wrong.
    page.locator("#id_first_name").fill("Test")
    page.locator("#id_last_name").fill("Person")
    page.locator("#id_date_of_birth_0").fill("4")
    page.locator("#id_date_of_birth_1").fill("3")
    page.locator("#id_date_of_birth_2").fill("2016")
    page.get_by_label(re.compile(r"^NHS number")).fill("123 456 7890")
    page.get_by_role("button", name="Save person").click()
    expect_validation_error(page, "id_nhs_number",
                            "Enter a valid NHS number: 10 digits, the last one a check digit")
    expect(page.locator(".govuk-error-summary a")).to_have_count(1)
    expect(page.locator("#id_first_name")).to_have_value("Test")  # what the user typed is kept
    expect_no_serious_axe_violations(page)
