"""Shared browser steps: sign in with both factors, accessibility checks, GOV.UK validation errors."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def expect_no_serious_axe_violations(page: Page) -> list[dict]:
    """Run axe-core over the page (WCAG 2.2 AA tags); fail on any serious or critical violation.
    Returns the minor/moderate ones so a caller can look at them."""
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make test does this)"
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        AXE_TAGS,
    )
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe found {len(blocking)} serious or critical violation(s) on {page.url}:"]
        for v in blocking:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:5]:
                lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:200]}")
                if node.get("failureSummary"):
                    lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        raise AssertionError("\n".join(lines))
    return [v for v in violations if v not in blocking]


def sign_in(page: Page, base_url: str, user, *, start: str = "/people/", check_accessibility: bool = True) -> None:
    """Open ``start`` signed out, get sent to sign-in, enter the password then the current TOTP
    code of the user's confirmed device; ends on ``start``. ``check_accessibility=False`` skips
    axe on the two sign-in pages (for a test that signs several users in: they are checked
    elsewhere)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from haven.core.testing import PASSWORD

    page.goto(base_url + start)
    expect(page).to_have_url(re.compile(r"/sign-in/\?next="))
    expect(page).to_have_title(re.compile(r"^Sign in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Haven")
    if check_accessibility:
        expect_no_serious_axe_violations(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(re.compile(r"/sign-in/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    if check_accessibility:
        expect_no_serious_axe_violations(page)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Security code").fill(f"{code:0{device.digits}d}")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base_url + start)


def expect_validation_error(page: Page, field_id: str, message: str) -> None:
    """The GOV.UK error pattern (NHS.UK's ``expect_validation_error`` step): "Error: " in the
    title, an error summary linking to the field, the message by the field, and the summary link
    moving focus to the field."""
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    link = summary.locator(f'a[href="#{field_id}"]', has_text=message)
    expect(link).to_have_count(1)
    expect(page.locator(f"#{field_id}")).to_be_visible()
    # The message is shown by the field too, in its form group's error message.
    group = page.locator(".govuk-form-group--error", has=page.locator(f"#{field_id}"))
    expect(group.locator(".govuk-error-message").first).to_contain_text(message)
    link.click()
    expect(page.locator(f"#{field_id}")).to_be_focused()


def fill_govuk_date(scope, field_id: str, day) -> None:
    """Type a date into a GOV.UK date input (``#<field_id>_0/1/2``: day, month, year).
    ``scope`` is a page or a locator (a form, a table row)."""
    scope.locator(f"#{field_id}_0").fill(str(day.day))
    scope.locator(f"#{field_id}_1").fill(str(day.month))
    scope.locator(f"#{field_id}_2").fill(str(day.year))


def choose(scope, legend, label: str) -> None:
    """Pick the radio (or tick the checkbox) labelled ``label`` in the fieldset whose legend is
    ``legend`` (a string for an exact legend, or a compiled pattern)."""
    group = scope.get_by_role("group", name=legend, exact=True) if isinstance(legend, str) \
        else scope.get_by_role("group", name=legend)
    group.get_by_label(label, exact=True).check()
