"""Browser-test fixtures: one Debian chromium for the session, a fresh context per test.

Never downloads a browser: Playwright drives /usr/bin/chromium (``make browser`` installs it).
The Django side is pytest-django's ``live_server``, which also serves static files (the GOV.UK
Frontend build in haven/static/dist, made by ``make assets``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("HAVEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def _playwright():
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian chromium not found at {CHROMIUM}: run `make browser`")
    if not (REPO_ROOT / "haven" / "static" / "dist" / "govuk" / "govuk-frontend.min.css").exists():
        pytest.fail("Static assets are not built: run `make assets`")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def base_url(live_server, transactional_db):
    return live_server.url


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    page = context.new_page()
    failures: list[str] = []
    # Every request the page makes to our server must succeed (CSS, JS, images, htmx partials).
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}")
            if r.url.startswith(base_url) and r.status >= 400 else None)
    page.on("pageerror", lambda exc: failures.append(f"JavaScript error: {exc}"))
    page.failures = failures
    yield page
    context.close()
    assert not failures, "Failed requests or script errors:\n" + "\n".join(failures)


@pytest.fixture
def browser_world(transactional_db):
    from haven.core.testing import World

    return World.build()
