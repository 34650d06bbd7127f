"""Issue 4, "Done means": a child on a child protection plan comes into care (V2), is placed,
moves placement, goes missing and returns (return home interview offered within 72 hours), has
reviews and visits, later becomes a care leaver with a pathway plan; the clocks and the
chronology are right at each step. In a real browser (Debian chromium, headless), through the
pages only.

The starting world (made here): a Westminster young person who turned 18 twenty days ago, with
an address in W2, referred 760 days ago and on a child protection plan (neglect) since 700
days ago. Everything after that is done by the personas through the UI:

- the social worker (alice) starts a period of care 600 days ago (V2, N1, a U6 foster placement
  with PR1 in W9); the period page shows the SSDA903 episode and that the child protection plan
  is still open; she ends the plan ("Became looked after"); the child's record shows the
  "Looked after" flag and, at a glance, the first review (20 working days) overdue; the team
  manager (bob) allocates the IRO from the first day;
- she records the care plan (4 days in) and the first statutory visit (3 days in, seen alone);
- the IRO (iris) records the first review (20 days in, inside 20 working days) with a SMART
  recommendation, and the second 85 days later (inside 3 months);
- alice moves the placement 400 days ago (another U6 carer, CREQO) and visits 4 days later;
- the young person goes missing from care 300 days ago (19:00 to 09:00 the next day); alice
  records the return and a return home interview offered 25 hours after it (independent,
  completed, push and pull factors);
- alice records the pathway plan (needs assessment 480 days ago, agreed 470 days ago), and ends
  the period of care on the 18th birthday (E5);
- bob sees Kai on the team view (before he leaves care) and, after, allocates the personal
  adviser (paula), who finds the young person "Former relevant", confirms it and records a
  contact;
- the chronology shows every step, and the Timescales panel of the child's record each clock
  met in time, or stopped (the third review, never held, when he left care; the first
  placement's second visit when he moved), and the pathway plan review overdue.

Kai is 18 today, so while the period of care is open SSDA903 rule 359 (looked after past 18)
warns on the start and the move: the social worker checks the warning and saves, and the
warning is gone once the period ends on his 18th birthday.

axe-core checks each new kind of page once.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from .steps import (
    choose,
    expect_no_serious_axe_violations,
    expect_validation_error,
    fill_govuk_date,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def open_as(browser, base_url):
    """``open_as(user, start)``: a browser context of its own for ``user``, signed in with both
    factors, on ``start``. Every request to our server must succeed and no script may fail."""
    opened: list[tuple[object, Page]] = []

    def open_as(user, start: str) -> Page:
        context = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(15_000)
        page = context.new_page()
        failures: list[str] = []
        page.on("response", lambda r: failures.append(f"{user.username}: {r.status} {r.url}")
                if r.url.startswith(base_url) and r.status >= 400 else None)
        page.on("pageerror", lambda exc: failures.append(f"{user.username}: JavaScript error: {exc}"))
        page.failures = failures
        opened.append((context, page))
        sign_in(page, base_url, user, start=start, check_accessibility=False)  # axe: test_sign_in_search_audit
        return page

    yield open_as
    failures = []
    for context, page in opened:
        failures += page.failures
        context.close()
    assert not failures, "Failed requests or script errors:\n" + "\n".join(failures)


def long_date(day: dt.date) -> str:
    """As the ``govuk_date`` filter writes it: 4 March 2026."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """As the ``govuk_short_date`` filter writes it: 04/03/2026."""
    return f"{day:%d/%m/%Y}"


def panel_date(day: dt.date) -> str:
    """As the timescales panel writes a due date: 4 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def expect_episode(row, *cells: str) -> None:
    """The SSDA903 columns of an episode row, in order: DECOM, RNE, LS, CIN, PLACE,
    PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, PL_POST."""
    tds = row.locator("td")
    for n, text in enumerate(cells):
        expect(tds.nth(n)).to_have_text(text)


def panel(page: Page, title: str):
    """A panel of the child's summary page, by its heading."""
    return page.locator("section.haven-panel", has=page.get_by_role("heading", level=2, name=title, exact=True))


def test_child_on_a_plan_comes_into_care_and_leaves_care(open_as, base_url, browser_world):
    from django.utils import timezone

    from haven.assessments.models import Assessment, CINEpisode
    from haven.care_leavers.eligibility import birthday
    from haven.core.calendar import add_months, add_working_days
    from haven.core.testing import make_person
    from haven.people.models import Address
    from haven.plans.models import Plan

    world = browser_world
    wcc = world.westminster
    today = timezone.localdate()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    # --- the starting world: a young person on a child protection plan for 100 days -------------
    turned_18 = ago(20)
    born = turned_18.replace(year=turned_18.year - 18) if (turned_18.month, turned_18.day) != (2, 29) \
        else dt.date(turned_18.year - 18, 2, 28)
    eighteenth = birthday(born, 18)
    kai = make_person(wcc, first="Kai", last="Thornbury", born=born, sex="M")
    Address.objects.create(person=kai, authority=wcc, line_1="14 Porchester Gardens", postcode="W2 4DB",
                           start_date=born)
    referral = CINEpisode.objects.create(person=kai, authority=wcc, referral_date=ago(760), decision_date=ago(760),
                                         source="2A", primary_need="N1")
    Assessment.objects.create(episode=referral, person=kai, authority=wcc, start_date=ago(759), child_seen_date=ago(758),
                              outcome=Assessment.Outcome.STRATEGY, completed_date=ago(740), authorised_date=ago(739),
                              authorised_by=world.bob)
    cp_plan = Plan.objects.create(person=kai, episode=referral, kind=Plan.Kind.CP, start_date=ago(700),
                                  initial_category="NEG", latest_category="NEG", authority=wcc)

    start = ago(600)

    # === 1. The social worker starts the period of care ========================================
    alice = open_as(world.alice, f"/people/{kai.pk}/")
    expect(alice.get_by_test_id("person-name")).to_have_text(kai.full_name)
    expect(alice.locator('.haven-flags [data-flag="looked_after"]')).to_have_count(0)
    panel(alice, "Periods of care and placements").get_by_role("link", name="Start a period of care").click()
    expect(heading(alice)).to_have_text("Start a period of care")
    expect(alice.get_by_label("Home postcode")).to_have_value("W2 4DB")  # from the child's address
    expect_no_serious_axe_violations(alice)
    fill_govuk_date(alice, "id_start_date", start)
    alice.get_by_label("Legal status (LS)").select_option("V2")
    alice.get_by_label("Category of need (CIN)").select_option("N1")
    alice.get_by_label("Placement type (PLACE)").select_option("U6")
    alice.get_by_label("Placement provider (PLACE_PROVIDER)").select_option("PR1")
    alice.get_by_label("Carer or setting").fill("Morag and Ian Fletcher (foster carers)")
    alice.get_by_label("Placement address").fill("22 Elgin Avenue\nLondon")
    alice.get_by_label("Placement postcode").fill("W9 1QT")
    alice.get_by_role("button", name="Start the period of care").click()
    # Kai is 18 today and the period is still open: SSDA903 rule 359 warns (a young person looked
    # after past 18 is in a community home). The period ends on his 18th birthday later (step 7):
    # she checks the warning and saves.
    expect(alice.get_by_test_id("warnings-903")).to_contain_text("This would break 1 SSDA903 validation rule")
    expect(alice.get_by_role("table", name="SSDA903 warnings")).to_contain_text("359")
    expect_validation_error(alice, "id_acknowledge_warnings", "SSDA903 rule 359")
    expect(alice.get_by_label("Placement postcode")).to_have_value("W9 1QT")  # what she typed is kept
    alice.get_by_label("I have checked these warnings and want to save").check()
    alice.get_by_role("button", name="Start the period of care").click()
    expect(alice).to_have_url(re.compile(r"/looked-after/periods/\d+/$"))
    period_url = alice.url
    expect(heading(alice)).to_have_text(f"Looked after from {short_date(start)}")
    episodes = alice.get_by_test_id("episodes")
    rows = episodes.locator('tr[id^="episode-"]')
    expect(rows).to_have_count(1)
    #                           DECOM              RNE  LS    CIN   PLACE PROVIDER DEC REC RPC PL_POST
    expect_episode(rows.nth(0), short_date(start), "S", "V2", "N1", "U6", "PR1", "", "", "", "W9 1QT")
    expect(episodes).to_contain_text("Warnings acknowledged")  # with her name and the time
    expect(alice.get_by_test_id("period-findings")).to_contain_text("359")
    expect(alice.locator("main")).to_contain_text("Morag and Ian Fletcher (foster carers)")
    expect(alice.get_by_test_id("period-end")).to_have_text("Still looked after")
    open_plan = alice.get_by_test_id("open-plan")
    expect(open_plan).to_contain_text(f"Kai's child protection plan (from {long_date(ago(700))}) is still open")
    expect_no_serious_axe_violations(alice)

    # She ends the child protection plan: he became looked after.
    open_plan.get_by_role("link", name="end the plan").click()
    expect(heading(alice)).to_have_text("End the child protection plan")
    fill_govuk_date(alice, "id_end_date", start)
    choose(alice, "Reason the plan ended", "Became looked after")
    alice.get_by_role("button", name="End the plan").click()
    expect(alice).to_have_url(re.compile(rf"/plans/{cp_plan.pk}/$"))
    alice.goto(period_url)
    expect(alice.get_by_test_id("open-plan")).to_have_count(0)

    # The child's record: the flag, and what is due at a glance (all in the past, so overdue).
    alice.goto(f"/people/{kai.pk}/")
    expect(alice.locator('.haven-flags [data-flag="looked_after"]')).to_have_text("Looked after")
    expect(alice.locator('.haven-flags [data-flag="cp_plan"]')).to_have_count(0)
    glance = panel(alice, "Looked-after child at a glance")
    facts = glance.get_by_test_id("cla-glance")
    expect(facts).to_contain_text(f"{long_date(start)} (601 days in care)")  # both ends count
    expect(facts).to_contain_text("V2: Single period of accommodation under section 20")
    expect(facts).to_contain_text("In authority · 1.0 miles from home")  # W2 to W9
    dues = glance.get_by_test_id("cla-dues")
    first_review_due = add_working_days(start, 20)
    review_row = dues.locator('tr[data-rule="cla_review"]')
    expect(review_row).to_contain_text(long_date(first_review_due))
    expect(review_row).to_contain_text(f"Overdue by {(today - first_review_due).days} days")
    expect(dues.locator('tr[data-rule="cla_care_plan"]')).to_contain_text(long_date(add_working_days(start, 10)))
    expect(dues.locator('tr[data-rule="cla_visit"]')).to_contain_text(long_date(start + dt.timedelta(weeks=1)))
    expect(glance).to_contain_text("No care plan")
    expect_no_serious_axe_violations(alice)

    # The team manager allocates the IRO from the day Kai came into care.
    bob = open_as(world.bob, f"/people/{kai.pk}/")
    panel(bob, "Looked-after child at a glance").get_by_role("link", name="Allocate the IRO").click()
    expect(heading(bob)).to_have_text("Allocate an independent reviewing officer")
    bob.get_by_label("Independent reviewing officer", exact=True).select_option(label=world.iris.get_full_name())
    fill_govuk_date(bob, "id_start_date", start)
    bob.get_by_role("button", name="Allocate").click()
    expect(bob).to_have_url(f"{base_url}/looked-after/care-plans/child/{kai.pk}/")
    bob.goto(f"/people/{kai.pk}/")
    expect(panel(bob, "Looked-after child at a glance").get_by_test_id("cla-workers")).to_contain_text(
        f"{world.iris.get_full_name()} since {short_date(start)}")

    # === 2. The care plan (4 days in) and the first statutory visit (3 days in) ================
    glance.get_by_role("link", name="Record an agreed care plan").click()
    expect(heading(alice)).to_have_text("Record an agreed care plan")
    fill_govuk_date(alice, "id_agreed_on", ago(596))
    alice.get_by_label(re.compile(r"^The plan in brief")).fill(
        "Kai is accommodated under section 20 with his mother's agreement after neglect at home. He will stay "
        "with foster carers while work is done with his mother.")
    alice.get_by_label(re.compile(r"^The child's needs")).fill("Stable home; school attendance; dental care.")
    alice.get_by_label(re.compile(r"^How the needs will be met")).fill("Foster carers; virtual school; GP registration.")
    alice.get_by_label(re.compile(r"^Contact arrangements")).fill("Mother twice a week, supervised at the family centre.")
    choose(alice, re.compile(r"^Permanence aim"), "Long-term fostering")
    alice.get_by_label(re.compile(r"^The child's wishes and feelings")).fill("Kai wants to stay at his school.")
    alice.get_by_role("button", name="Save the care plan").click()
    expect(heading(alice)).to_have_text("Care plan")
    expect(alice.get_by_test_id("care-plan")).to_contain_text(long_date(ago(596)))
    expect(alice.get_by_test_id("care-plan-gaps")).to_have_count(0)

    alice.goto(f"/people/{kai.pk}/")
    glance.get_by_role("link", name="Record a statutory visit").click()
    expect(heading(alice)).to_have_text("Record a statutory visit")
    fill_govuk_date(alice, "id_date", ago(597))
    alice.get_by_label("Time", exact=True).fill("16:00")
    expect(alice.get_by_label("The child was seen", exact=True)).to_be_checked()
    alice.get_by_label("The child was seen alone").check()
    alice.get_by_label("What happened and what the child said").fill(
        "Saw Kai alone in his bedroom at the Fletchers'. He is settling; he misses his friends in W2.")
    alice.get_by_role("button", name="Save the visit").click()
    expect(alice).to_have_url(re.compile(rf"/recording/\d+/\?person={kai.pk}$"))
    expect(heading(alice)).to_have_text("Statutory visit")

    alice.goto(f"/people/{kai.pk}/")
    expect(glance).to_contain_text(f"Care plan agreed {long_date(ago(596))} (long-term fostering).")
    expect(dues.locator('tr[data-rule="cla_care_plan"]')).to_contain_text("Nothing due")
    # The next visit is due 6 weeks after this one (and, long past, overdue).
    expect(dues.locator('tr[data-rule="cla_visit"]')).to_contain_text(long_date(ago(597) + dt.timedelta(weeks=6)))
    expect(dues.locator('tr[data-rule="cla_visit"]')).to_contain_text("Overdue by")

    # === 3. The IRO records the first two reviews ==============================================
    iris = open_as(world.iris, f"/people/{kai.pk}/")
    second_review_due = add_months(ago(580), 3)
    for n, (held, participation, said) in enumerate((
            (ago(580), "PN1: Child attends and speaks for themselves", "I like it here but I want to see my mum more."),
            (ago(495), "PN1: Child attends and speaks for themselves", "School is better now."))):
        panel(iris, "Looked-after child at a glance").get_by_role("link", name="Record a looked-after review").click()
        expect(heading(iris)).to_have_text("Record a looked-after review")
        if not n:
            expect_no_serious_axe_violations(iris)
        fill_govuk_date(iris, "id_held_on", held)
        choose(iris, "How the child took part", participation)
        iris.get_by_label(re.compile(r"^The child's views")).fill(said)
        iris.get_by_label(re.compile(r"^Decisions")).fill("The care plan meets Kai's needs. Placement to continue.")
        iris.get_by_role("button", name="Save the review").click()
        expect(heading(iris)).to_have_text("Looked-after review")
        review = iris.get_by_test_id("review")
        expect(review).to_contain_text(long_date(held))
        expect(review).to_contain_text(participation)
        expect(review).to_contain_text(world.iris.get_full_name())
        if not n:
            expect_no_serious_axe_violations(iris)
            # A recommendation: what, who, how we will know, by when.
            iris.get_by_role("link", name="Add a recommendation").click()
            expect(heading(iris)).to_have_text("Add a recommendation")
            iris.get_by_label("What will be done").fill("Start life story work with Kai")
            iris.get_by_label(re.compile(r"^Who will do it")).fill("Alice Alice (social worker)")
            iris.get_by_label(re.compile(r"^How we will know it has worked")).fill(
                "Kai has a life story book he has helped to write")
            fill_govuk_date(iris, "id_due_date", ago(520))
            iris.get_by_role("button", name="Save the recommendation").click()
            expect(heading(iris)).to_have_text("Looked-after review")
            card = iris.get_by_test_id("recommendation")
            expect(card).to_contain_text("Start life story work with Kai")
            expect(card).to_contain_text(long_date(ago(520)))
            expect(card.get_by_test_id("incomplete")).to_have_count(0)
            expect(iris.get_by_test_id("incomplete-count")).to_have_count(0)
            # The second review is due within 3 months of the first.
            iris.goto(f"/people/{kai.pk}/")
            expect(panel(iris, "Looked-after child at a glance").locator('tr[data-rule="cla_review"]')).to_contain_text(
                long_date(second_review_due))
        else:
            iris.goto(f"/people/{kai.pk}/")
    third_review_due = add_months(ago(495), 6)
    expect(panel(iris, "Looked-after child at a glance").locator('tr[data-rule="cla_review"]')).to_contain_text(
        long_date(third_review_due))
    expect(panel(iris, "Looked-after child at a glance")).to_contain_text(f"Last review {long_date(ago(495))}.")

    # === 4. The placement moves (the carers asked for it to end); a visit 4 days later ===========
    alice.goto(period_url)
    alice.get_by_role("link", name="Change placement").click()
    expect(heading(alice)).to_have_text("Change placement")
    expect_no_serious_axe_violations(alice)
    fill_govuk_date(alice, "id_date", ago(400))
    alice.get_by_label("Placement type (PLACE)").select_option("U6")
    alice.get_by_label("Placement provider (PLACE_PROVIDER)").select_option("PR1")
    alice.get_by_label("Carer or setting").fill("Deborah Okafor (foster carer)")
    alice.get_by_label("Placement address").fill("5 Warrington Crescent\nLondon")
    alice.get_by_label("Placement postcode").fill("W9 1EL")
    alice.get_by_label("Reason for the placement change (REASON_PLACE_CHANGE)").select_option("CREQO")
    alice.get_by_role("button", name="Save the move").click()
    # Rule 359 again, for the new episode (open while Kai is 18 today): checked, saved.
    expect(alice.get_by_test_id("warnings-903")).to_contain_text("This would break 1 SSDA903 validation rule")
    expect(alice.get_by_role("table", name="SSDA903 warnings")).to_contain_text(short_date(ago(400)))
    alice.get_by_label("I have checked these warnings and want to save").check()
    alice.get_by_role("button", name="Save the move").click()
    expect(alice).to_have_url(period_url)
    expect(rows).to_have_count(2)
    # The first episode ends (X1: a new episode the same day) with the reason for the move.
    expect_episode(rows.nth(0), short_date(start), "S", "V2", "N1", "U6", "PR1", short_date(ago(400)), "X1", "CREQO",
                   "W9 1QT")
    expect_episode(rows.nth(1), short_date(ago(400)), "P", "V2", "N1", "U6", "PR1", "", "", "", "W9 1EL")
    expect(alice.locator("h3[id^=placement-]")).to_have_count(2)
    expect(alice.locator("main")).to_contain_text("CREQO: Carer(s) requested the placement end, other than because "
                                                  "of the child's behaviour")
    expect(alice.locator("main")).to_contain_text(f"{long_date(start)} to {long_date(ago(400))}")

    alice.goto(f"/people/{kai.pk}/")
    glance.get_by_role("link", name="Record a statutory visit").click()
    fill_govuk_date(alice, "id_date", ago(396))
    alice.get_by_label("Time", exact=True).fill("17:30")
    alice.get_by_label("What happened and what the child said").fill("First visit at Ms Okafor's. Kai has his own room.")
    alice.get_by_role("button", name="Save the visit").click()
    expect(heading(alice)).to_have_text("Statutory visit")
    alice.goto(f"/people/{kai.pk}/")
    expect(facts).to_contain_text("Deborah Okafor (foster carer)")
    expect(facts).to_contain_text(f"Since {long_date(ago(400))}")
    expect(glance.get_by_test_id("placements-in-year")).to_have_text("1")  # the move was over a year ago

    # === 5. Missing from care, the return, and the return home interview =======================
    went = timezone.make_aware(dt.datetime.combine(ago(300), dt.time(19, 0)))
    back = timezone.make_aware(dt.datetime.combine(ago(299), dt.time(9, 0)))
    offered = timezone.make_aware(dt.datetime.combine(ago(298), dt.time(10, 0)))
    hours_missing = round((back - went).total_seconds() / 3600)
    hours_to_offer = round((offered - back).total_seconds() / 3600)
    panel(alice, "Missing and exploitation").get_by_role("link", name="Record a missing episode").click()
    expect(heading(alice)).to_have_text("Record a missing episode")
    choose(alice, "Missing or away", "Missing")
    fill_govuk_date(alice, "id_started_at_date", ago(300))
    alice.locator("#id_started_at_time").fill("19:00")
    choose(alice, "Risk level", "Medium")
    alice.get_by_label("Reported to the police").check()
    alice.get_by_label(re.compile(r"^Police reference")).fill("CAD 4471")
    alice.get_by_label(re.compile(r"^Circumstances")).fill("Did not come home from school; phone off.")
    alice.get_by_role("button", name="Save the episode").click()
    expect(alice).to_have_url(re.compile(r"/missing/episodes/\d+/$"))
    episode_url = alice.url
    expect(heading(alice)).to_have_text("Missing")
    expect(alice.get_by_test_id("rhi-clock")).to_contain_text("Still missing: the 72-hour clock starts on return")
    expect(alice.locator("main")).to_contain_text("Care: ")  # missing from care, from his placement
    expect(alice.locator("main")).to_contain_text("(Deborah Okafor (foster carer))")
    alice.get_by_role("link", name="Record the return").click()
    expect(heading(alice)).to_have_text("Record the return")
    fill_govuk_date(alice, "id_ended_at_date", ago(299))
    alice.locator("#id_ended_at_time").fill("09:00")
    choose(alice, "Where the child was found", "A friend's address")
    alice.get_by_label(re.compile(r"^Found by")).fill("Police")
    alice.get_by_role("button", name="Save the return").click()
    expect(alice).to_have_url(episode_url)
    expect(alice.get_by_test_id("rhi-clock")).to_contain_text("Not offered within 72 hours")  # long ago
    alice.get_by_role("link", name="Record a return home interview").click()
    expect(heading(alice)).to_have_text("Record a return home interview")
    choose(alice, "Outcome", "Completed")
    fill_govuk_date(alice, "id_offered_at_date", ago(298))
    alice.locator("#id_offered_at_time").fill("10:00")
    alice.get_by_role("textbox", name=re.compile(r"^Offered by")).fill("Sam Reid, independent return interview worker")
    alice.get_by_label("Offered by someone independent of the child's care").check()
    fill_govuk_date(alice, "id_completed_at_date", ago(297))
    alice.locator("#id_completed_at_time").fill("15:00")
    alice.get_by_label(re.compile(r"^Conducted by")).fill("Sam Reid")
    choose(alice, re.compile(r"^Push factors"), "A placement move or distance from home")
    choose(alice, re.compile(r"^Pull factors"), "Friends")
    alice.get_by_label(re.compile(r"^What the child said")).fill("He went back to W2 to see his old friends.")
    expect_no_serious_axe_violations(alice)
    alice.get_by_role("button", name="Save the interview").click()
    expect(alice).to_have_url(re.compile(rf"{re.escape(episode_url)}(#rhi-\d+)?$"))
    expect(alice.get_by_test_id("rhi-clock")).to_contain_text(f"Offered in time ({hours_to_offer} hours after return)")
    main = alice.locator("main")
    expect(main).to_contain_text(f"({hours_missing} hours missing)")
    expect(main).to_contain_text("by Sam Reid, independent return interview worker (independent)")
    expect(main).to_contain_text("A placement move or distance from home")
    expect(main).to_contain_text("Friends")
    expect_no_serious_axe_violations(alice)
    alice.get_by_role("link", name=kai.full_name).click()  # the child's missing page
    expect(heading(alice)).to_have_text("Missing and exploitation")
    row = alice.get_by_test_id("missing-episodes").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Care")
    expect(row).to_contain_text(f"Offered in time ({hours_to_offer} hours after return)")
    expect_no_serious_axe_violations(alice)
    alice.goto(f"/people/{kai.pk}/")
    expect(panel(alice, "Missing and exploitation").get_by_test_id("missing-summary")).to_have_text(
        "1 missing episode in the last 12 months. Return home interviews offered within 72 hours: 1; not in time: 0.")
    expect(glance.get_by_test_id("cla-missing")).to_contain_text(
        "Missing episodes in the last 12 months: 1. Return-home interview offered after 1")

    # === 6. The pathway plan: needs assessment and plan, while Kai is looked after ==============
    panel(alice, "Leaving care").get_by_role("link", name=re.compile(r"^Leaving care record")).click()
    expect(heading(alice)).to_have_text("Leaving care")
    alice.get_by_role("link", name="Start a pathway plan").click()
    expect(heading(alice)).to_have_text("Start a pathway plan")
    fill_govuk_date(alice, "id_needs_assessment_completed_on", ago(480))
    fill_govuk_date(alice, "id_plan_agreed_on", ago(470))
    for label, text in (("Accommodation", "Stay with Ms Okafor to 18, then supported lodgings."),
                        ("Education, training and employment", "Finish his BTEC at college."),
                        ("Health and development", "Register with a GP near college."),
                        ("Financial support and managing money", "Open a bank account; budgeting course."),
                        ("Family and social relationships", "Contact with his mother as he wishes."),
                        ("Identity", "Life story work (IRO recommendation)."),
                        ("Contingency plan", "Emergency placement with Westminster fostering.")):
        alice.get_by_label(re.compile(rf"^{re.escape(label)}")).fill(text)
    alice.get_by_role("button", name="Save the plan").click()
    expect(heading(alice)).to_have_text("Pathway plan")
    facts_plan = alice.get_by_test_id("plan-facts")
    expect(facts_plan).to_contain_text(long_date(ago(480)))
    expect(facts_plan).to_contain_text(long_date(ago(470)))
    pathway_review_due = add_months(ago(470), 6)
    expect(alice.get_by_test_id("review-clock")).to_contain_text(f"Due {long_date(pathway_review_due)}")
    expect(alice.get_by_test_id("empty-sections")).to_have_count(0)

    # The team manager's view of looked-after children: Kai, with his next clocks.
    bob.goto("/looked-after/team/")
    expect(heading(bob)).to_have_text("Looked-after children")
    row = bob.get_by_test_id("looked-after-children").locator(f'tr[data-person="{kai.pk}"]')
    expect(row).to_contain_text("U6")
    expect(row).to_contain_text(world.iris.get_full_name())
    expect(row.locator('td[data-due="review"]')).to_contain_text(short_date(third_review_due))
    expect(row.locator('td[data-due="review"]')).to_contain_text("Overdue by")
    expect(row.locator('td[data-due="visit"]')).to_contain_text(short_date(ago(396) + dt.timedelta(weeks=6)))
    expect_no_serious_axe_violations(bob)

    # === 7. Kai ceases to be looked after on his 18th birthday; a personal adviser ==============
    alice.goto(period_url)
    alice.get_by_role("link", name="End the period of care").click()
    expect(heading(alice)).to_have_text("End the period of care")
    fill_govuk_date(alice, "id_date", eighteenth)
    alice.get_by_label("Reason ceased (REC)").select_option("E5")
    alice.get_by_role("button", name="End the period of care").click()
    expect(alice).to_have_url(period_url)
    expect(heading(alice)).to_have_text(f"Looked after from {short_date(start)} to {short_date(eighteenth)}")
    expect(alice.get_by_test_id("period-end")).to_have_text(
        f"{long_date(eighteenth)}: E5 (Moved to independent living with supportive accommodation)")
    expect(alice.get_by_test_id("period-findings")).to_have_count(0)  # rule 359 no longer applies
    expect_episode(rows.nth(1), short_date(ago(400)), "P", "V2", "N1", "U6", "PR1", short_date(eighteenth), "E5", "",
                   "W9 1EL")
    alice.goto(f"/people/{kai.pk}/")
    expect(alice.locator('.haven-flags [data-flag="looked_after"]')).to_have_count(0)
    expect(panel(alice, "Looked after in the past").get_by_test_id("cla-history")).to_contain_text(
        f"Looked after from {long_date(start)} to {long_date(eighteenth)}")

    bob.goto(f"/care-leavers/children/{kai.pk}/")
    bob.get_by_role("link", name="Allocate the personal adviser").click()
    expect(heading(bob)).to_have_text("Allocate a personal adviser")
    bob.get_by_label("Personal adviser").select_option(label=world.paula.get_full_name())
    bob.get_by_role("button", name="Allocate").click()
    expect(bob).to_have_url(f"{base_url}/care-leavers/children/{kai.pk}/")
    expect(bob.get_by_test_id("category")).to_contain_text(f"{world.paula.get_full_name()}, since {long_date(today)}")

    paula = open_as(world.paula, f"/care-leavers/children/{kai.pk}/")
    expect(heading(paula)).to_have_text("Leaving care")
    category = paula.get_by_test_id("category")
    expect(category).to_contain_text("Former relevant")
    expect(category).to_contain_text("Not confirmed")
    expect(paula.get_by_test_id("assessment-clock")).to_contain_text(f"Last done {long_date(ago(480))}")
    expect(paula.get_by_test_id("assessment-clock").get_by_text("Late")).to_have_count(0)
    expect(paula.get_by_test_id("review-clock")).to_contain_text(f"Due {long_date(pathway_review_due)}")
    expect(paula.get_by_test_id("review-clock")).to_contain_text("Overdue")
    expect_no_serious_axe_violations(paula)
    paula.get_by_role("link", name="Confirm or change the category").click()
    expect(heading(paula)).to_have_text("Confirm the leaving care category")
    expect(paula.get_by_role("group", name="Leaving care category").get_by_label(
        "Former relevant (18 to 25)", exact=True)).to_be_checked()
    paula.get_by_role("button", name="Confirm").click()
    expect(category).to_contain_text(f"Confirmed by {world.paula.get_full_name()} on {long_date(today)}")
    expect(category.get_by_text("Not confirmed")).to_have_count(0)
    paula.get_by_role("link", name="Record a contact").click()
    expect(heading(paula)).to_have_text("Record a contact")
    fill_govuk_date(paula, "id_contact_on", today)
    choose(paula, "Method", "In person")
    choose(paula, "In touch", "In touch")
    paula.get_by_label("The young person was seen").check()
    paula.get_by_label(re.compile(r"^Notes")).fill("Met Kai at his supported lodgings; he has started college.")
    paula.get_by_role("button", name="Save").click()
    expect(paula).to_have_url(f"{base_url}/care-leavers/children/{kai.pk}/")
    expect(paula.locator("main")).to_contain_text(f"In touch at the last contact on {long_date(today)}")
    contact = paula.get_by_test_id("contacts").locator("tbody tr")
    expect(contact).to_have_count(1)
    expect(contact).to_contain_text("In person")
    expect(contact).to_contain_text(world.paula.get_full_name())

    # === 8. The chronology and the clocks ========================================================
    alice.goto(f"/people/{kai.pk}/")
    alice.get_by_role("navigation", name="Sections of the record").get_by_role("link", name="Chronology").click()
    expect(alice).to_have_url(f"{base_url}/people/{kai.pk}/chronology/")
    chronology = alice.get_by_test_id("chronology")
    for title, when, detail in (
            ("Child protection plan started", short_date(ago(700)), ""),
            ("Started to be looked after", short_date(start), ""),
            ("Child protection plan ended", short_date(start), "Became looked after"),
            ("Statutory visit to a looked-after child: Statutory visit", f"{short_date(ago(597))} 16:00", "Seen alone"),
            ("Care plan agreed", short_date(ago(596)), "Permanence aim: Long-term fostering"),
            ("Looked-after review", short_date(ago(580)), "PN1: Child attends and speaks for themselves"),
            ("Looked-after review", short_date(ago(495)), f"Chaired by {world.iris.get_full_name()}"),
            ("Leaving care needs assessment completed", short_date(ago(480)), ""),
            ("Pathway plan agreed", short_date(ago(470)), ""),
            ("Placement move", short_date(ago(400)), "Reason: Carer(s) requested the placement end, other than "
                                                    "because of the child's behaviour"),
            ("Statutory visit to a looked-after child: Statutory visit", f"{short_date(ago(396))} 17:30", "Seen."),
            ("Missing from care", f"{short_date(ago(300))} 19:00", "Medium risk, reported to the police"),
            ("Returned from missing", f"{short_date(ago(299))} 09:00",
             f"After {hours_missing} hours. Found: a friend's address"),
            ("Return home interview", f"{short_date(ago(297))} 15:00",
             "Completed. Factors: A placement move or distance from home, Friends"),
            ("Ceased to be looked after", short_date(eighteenth),
             "E5: Moved to independent living with supportive accommodation"),
            ("Leaving care category confirmed: Former relevant (18 to 25)", short_date(today), ""),
            ("Contact (in person): In touch", short_date(today), "he has started college")):
        row = (chronology.locator("tbody tr").filter(has=alice.get_by_role("link", name=title, exact=True))
               .filter(has_text=when))
        expect(row, f"chronology: {title} on {when}").to_have_count(1)
        if detail:
            expect(row).to_contain_text(detail)
    expect_no_serious_axe_violations(alice)

    # The Timescales panel: each clock met in time, or stopped when he left care.
    alice.goto(f"/people/{kai.pk}/")
    timescales = alice.get_by_test_id("timescales")

    def clock(label: str, due: str, number: int = 1):
        rows = timescales.locator("tr[data-deadline]").filter(has_text=label).filter(has_text=due)
        if number > 1:
            return rows.filter(has_text=f"(number {number})")
        return rows.filter(has_not_text="(number ")

    def met(label: str, due: dt.date, on: dt.date, number: int = 1, due_text: str | None = None):
        row = clock(label, due_text or panel_date(due), number)
        expect(row, f"{label} (number {number}) due {due}").to_have_count(1)
        expect(row).to_have_attribute("data-status", "met")
        expect(row).to_contain_text(f"Met in time on {long_date(on)}")

    met("Care plan agreed", add_working_days(start, 10), ago(596))
    met("Looked-after review", first_review_due, ago(580))
    met("Looked-after review", second_review_due, ago(495), number=2)
    met("Statutory visit (child seen)", start + dt.timedelta(weeks=1), ago(597))
    met("Statutory visit (child seen)", ago(400) + dt.timedelta(weeks=1), ago(396))
    rhi_due = timezone.localtime(back + dt.timedelta(hours=72))
    met("Return home interview offered", rhi_due.date(), ago(298),
        due_text=f"{panel_date(rhi_due.date())} at {rhi_due:%H:%M}")  # 72 elapsed hours after the return
    # Eligible on his 91st day looked after (13 weeks since 14, after 16): 3 months from then.
    met("Leaving care needs assessment", add_months(start + dt.timedelta(days=90), 3), ago(480))
    # The third review was never held: its clock stopped when Kai left care. The first
    # placement's second visit was not made either: its clock stopped when he moved.
    stopped = clock("Looked-after review", panel_date(third_review_due), 3)
    expect(stopped).to_have_attribute("data-status", "stopped")
    expect(stopped).to_contain_text(f"Not met: the clock stopped on {long_date(eighteenth)}")
    stopped = clock("Statutory visit (child seen)", panel_date(ago(597) + dt.timedelta(weeks=6)), 2)
    expect(stopped).to_have_attribute("data-status", "stopped")
    expect(stopped).to_contain_text(f"Not met: the clock stopped on {long_date(ago(400))}")
    # The pathway plan review is open, and overdue.
    review_clock = clock("Pathway plan review", panel_date(pathway_review_due))
    expect(review_clock).to_have_attribute("data-status", "open")
    expect(review_clock).to_contain_text("Overdue by")
