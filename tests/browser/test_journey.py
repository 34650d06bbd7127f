"""Issue 3, "Done means": a new user's path through the help-and-protection journey, in a real
browser (Debian chromium, headless), through the pages only.

Two siblings and their mother are the starting world (made here); everything after that is
done by the personas through the UI: the MASH officer records a contact about both children,
rates it, asks the police and health and records their replies, and refers both children; the
team manager allocates them to the social worker; she corrects the referral date and records
the decision on each referral, and the single assessments, which the manager authorises; she
records a strategy discussion for both children that the police did not take part in (the
form says so plainly before it saves; she confirms, with the reason; the record says so), and
each child's section 47 outcome; the child protection chair records the initial conference
(child protection plans, neglect, for both); the social worker adds a vague action to one plan
(warned; saved anyway; the plan shows it as incomplete), records the core group for each plan
and one child protection visit for the family; the chair records the review conference.
Then both children's chronologies show every step, their records show the plan flag, and the
social worker's "My work" and each child's timescales show the next clocks.

Dates are chosen so that everything is in the past and in order: contact 62 days ago,
referral 60, assessments 59 to 45, strategy discussion 40, section 47 outcomes 32, initial
conference 30, core groups 25, visit 2, review conference 1 day ago. The MASH rating cannot
be backdated (it is stamped when it is saved), so the decision, and with it the referral date,
is today: the social worker corrects each referral date on the referral page (the correction
recomputes the clocks and is audited), which is how the journey starts 60 days ago.

axe-core checks each kind of page once.
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
    factors, on ``start``. Like the ``page`` fixture, every request to our server must succeed
    and no script may fail, on every persona's page."""
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


def worklist_date(day: dt.date) -> str:
    """As the worklists and timescales panel write a day clock's due date: 4 Mar 2026."""
    return f"{day.day} {day:%b %Y}"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_contact_about_two_siblings_to_review_conference(open_as, base_url, browser_world):
    from django.utils import timezone

    from haven.accounts.roles import Role
    from haven.audit.models import AccessLog
    from haven.core.calendar import add_months, add_working_days
    from haven.core.testing import make_person, make_user
    from haven.people.models import Household, HouseholdMember, Relationship

    world = browser_world
    wcc = world.westminster
    today = timezone.localdate()

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    # --- the starting world: a family not yet known to children's social care, and a chair ---
    chair = make_user("chair", role=Role.CP_CHAIR_IRO, team=world.wcc_team, first="Carys", last="Chair")
    ellie = make_person(wcc, first="Ellie", last="Featherstone", born=dt.date(2014, 4, 3), sex="F")
    sam = make_person(wcc, first="Sam", last="Featherstone", born=dt.date(2017, 9, 21), sex="M")
    jo = make_person(wcc, first="Jo", last="Featherstone", born=dt.date(1989, 2, 11), kind="adult", sex="F")
    Relationship.objects.create(person=ellie, other=sam, type="sibling", authority=wcc)
    for child in (ellie, sam):
        Relationship.objects.create(person=jo, other=child, type="parent", authority=wcc,
                                    parental_responsibility=True, start_date=child.date_of_birth)
    household = Household.objects.create(authority=wcc, name="Featherstone household")
    for member in (jo, ellie, sam):
        HouseholdMember.objects.create(household=household, person=member, authority=wcc)
    children = (ellie, sam)

    # === 1. The MASH officer records the contact about both children ============================
    mash = open_as(world.mash, "/front-door/")
    expect(heading(mash)).to_have_text("MASH queue")
    expect_no_serious_axe_violations(mash)
    mash.get_by_role("link", name="Record a contact").click()
    expect(heading(mash)).to_have_text("Record a contact")
    choose(mash, "Local authority", "Westminster")  # the MASH serves two authorities
    fill_govuk_date(mash, "id_received_date", ago(62))
    mash.locator("#id_received_time").fill("09:30")
    mash.get_by_label("Who made the contact").select_option("2A")
    mash.get_by_label("What is the concern?").fill(
        "Ellie (year 6) told her teacher there is often no food at home and she looks after her brother "
        "Sam in the evenings. Both children are frequently late and unkempt.")
    mash.get_by_label(re.compile(r"^Referrer's name")).fill("Dana Whitfield")
    mash.get_by_label(re.compile(r"^Referrer's organisation")).fill("St Saviour's Primary School")
    choose(mash, "Consent to share information", "Given")
    # The person search runs as she types: the family's existing records are found.
    mash.get_by_label("Search by name").fill("Featherstone")
    found = mash.get_by_test_id("found")
    expect(found).to_contain_text("Sam Featherstone")
    for person in (ellie, sam, jo):
        found.get_by_label(person.full_name, exact=True).check()
    expect_no_serious_axe_violations(mash)
    mash.get_by_role("button", name="Save contact").click()
    expect(mash).to_have_url(re.compile(r"/front-door/contacts/\d+/$"))
    contact_url = mash.url
    expect(heading(mash)).to_have_text(f"Contact received {long_date(ago(62))}, 09:30")
    subjects = mash.get_by_test_id("subjects")
    for person in (ellie, sam, jo):
        expect(subjects).to_contain_text(person.full_name)
    expect_no_serious_axe_violations(mash)

    # Rated amber: the 24-hour clock starts.
    mash.get_by_role("link", name="Rate the contact").click()
    expect(heading(mash)).to_have_text("Rate the contact")
    expect_no_serious_axe_violations(mash)
    choose(mash, "RAG rating", "Amber: within 24 hours")
    mash.get_by_label("Reason for the rating").fill("Possible neglect of two primary-age children; no immediate danger.")
    mash.get_by_role("button", name="Save rating").click()
    expect(mash).to_have_url(contact_url)
    expect(mash.get_by_test_id("rag").first).to_have_text("Amber")

    # The MASH queue shows the contact with its clock.
    mash.get_by_role("link", name="MASH queue").first.click()
    row = mash.get_by_test_id("queue-row").filter(has_text="Ellie Featherstone")
    expect(row).to_contain_text("Amber")
    expect(row.get_by_test_id("clock")).to_contain_text("left")
    row.get_by_role("link").click()
    expect(mash).to_have_url(contact_url)

    # Checks with the police and health, and what each returned.
    for agency, asked, replied, information in (
            ("Police", "10:00", "11:15", "Two call-outs to the address last year (verbal arguments); no arrests."),
            ("Health", "10:05", "14:40", "Sam missed his last two immunisations; the GP has no other concerns.")):
        mash.get_by_role("link", name="Ask an agency").click()
        expect(heading(mash)).to_have_text("Ask an agency for a check")
        if agency == "Police":
            expect_no_serious_axe_violations(mash)
        choose(mash, "Agency", agency)
        fill_govuk_date(mash, "id_requested_date", ago(62))
        mash.locator("#id_requested_time").fill(asked)
        mash.get_by_role("button", name="Save request").click()
        expect(mash).to_have_url(contact_url)
        mash.get_by_role("link", name=f"Record the reply from {agency.lower()}").click()
        expect(heading(mash)).to_have_text(f"What the {agency.lower()} check found")
        if agency == "Police":
            expect_no_serious_axe_violations(mash)
        fill_govuk_date(mash, "id_returned_date", ago(61))
        mash.locator("#id_returned_time").fill(replied)
        mash.get_by_label("What the agency shared").fill(information)
        mash.get_by_role("button", name="Save reply").click()
        expect(mash).to_have_url(contact_url)
    checks = mash.get_by_test_id("checks")
    expect(checks).to_contain_text("Two call-outs to the address")
    expect(checks).to_contain_text("missed his last two immunisations")
    expect(checks.get_by_text("Waiting")).to_have_count(0)

    # The decision: a referral to children's social care, which opens a referral per child.
    mash.get_by_role("link", name="Record the decision").click()
    expect(heading(mash)).to_have_text("Record the decision")
    expect_no_serious_axe_violations(mash)
    choose(mash, "Decision", "Referral to children's social care")
    mash.get_by_label("Reasons for the decision").fill(
        "Cumulative neglect concerns from school, police and health: assessment needed for both children.")
    mash.get_by_label(re.compile(r"^Primary need")).select_option("N1")
    mash.get_by_role("button", name="Save decision").click()
    expect(mash).to_have_url(contact_url)
    expect(mash.get_by_test_id("decision")).to_have_text("Referral to children's social care")
    for child in children:
        expect(mash.get_by_role("link", name=f"{child.full_name}: referral {long_date(today)}")).to_be_visible()

    # === 2. The team manager allocates both children to the social worker ========================
    bob = open_as(world.bob, f"/people/{ellie.pk}/")
    for n, child in enumerate(children):
        if n:
            bob.goto(f"/people/{child.pk}/")
        expect(bob.get_by_test_id("person-name")).to_have_text(child.full_name)
        bob.get_by_role("link", name="Allocate", exact=True).click()
        expect(heading(bob)).to_have_text("Allocate a worker")
        if not n:
            expect_no_serious_axe_violations(bob)
        bob.get_by_label("Team", exact=True).select_option(label="WCC Assessment")
        bob.get_by_label(re.compile(r"^Worker")).select_option(str(world.alice.pk))
        fill_govuk_date(bob, "id_start_date", today)
        bob.get_by_role("button", name="Save").click()
        expect(bob).to_have_url(f"{base_url}/people/{child.pk}/")
        expect(bob.locator("main")).to_contain_text(world.alice.get_full_name())

    # === 3. The social worker: referral dates, decisions, single assessments =====================
    alice = open_as(world.alice, "/work/")
    expect(heading(alice)).to_have_text("My work")
    for child in children:  # (other children of the test world are allocated to her too)
        expect(alice.locator("tr[data-deadline]").filter(has_text=child.full_name)
               .filter(has_text="Decision on a referral")).to_have_count(1)
    for n, child in enumerate(children):
        alice.goto(f"/people/{child.pk}/")
        if not n:
            expect_no_serious_axe_violations(alice)
        alice.get_by_role("link", name=long_date(today)).first.click()
        expect(heading(alice)).to_have_text(f"Referral received {long_date(today)}")
        episode_url = alice.url
        if not n:
            expect_no_serious_axe_violations(alice)
        # The referral was made 60 days ago: correct its date (the clocks follow).
        alice.get_by_role("link", name="Change the referral").click()
        expect(heading(alice)).to_have_text("Change the referral")
        if not n:
            expect_no_serious_axe_violations(alice)
        fill_govuk_date(alice, "id_referral_date", ago(60))
        alice.get_by_role("button", name="Save").click()
        expect(alice).to_have_url(episode_url)
        expect(alice.get_by_test_id("due-assessment_45wd")).to_have_text(long_date(add_working_days(ago(60), 45)))
        assert AccessLog.objects.filter(user=world.alice, action="update", person_id=child.pk,
                                        detail__changed=["referral_date"]).count() == 1  # audited
        # The decision on the referral, the same day.
        alice.get_by_role("link", name="Record the decision").click()
        expect(heading(alice)).to_have_text("Decision on the referral")
        if not n:
            expect_no_serious_axe_violations(alice)
        choose(alice, "Decision on the referral", "Further action: a single assessment (and a strategy "
                                                  "discussion if there is cause to suspect significant harm)")
        fill_govuk_date(alice, "id_decision_date", ago(60))
        alice.get_by_role("button", name="Save decision").click()
        expect(alice).to_have_url(episode_url)
        expect(alice.locator('tr[data-rule="referral_decision_1wd"]')).to_contain_text("Met on")
        # The single assessment: started, child seen (alone) ...
        alice.get_by_role("link", name="Start a single assessment").click()
        expect(heading(alice)).to_have_text("Start a single assessment")
        if not n:
            expect_no_serious_axe_violations(alice)
        fill_govuk_date(alice, "id_start_date", ago(59))
        fill_govuk_date(alice, "id_child_seen_date", ago(58))
        alice.get_by_label("The child was seen alone").check()
        alice.get_by_role("button", name="Save assessment").click()
        expect(heading(alice)).to_have_text(f"Single assessment started {long_date(ago(59))}")
        expect(alice.locator("main")).to_contain_text("In progress")
        if not n:
            expect_no_serious_axe_violations(alice)
        # ... then factors, analysis, outcome and completion.
        alice.get_by_role("link", name="Update the assessment").click()
        expect(heading(alice)).to_have_text("Update the single assessment")
        factors = alice.get_by_role("group", name=re.compile(r"^Factors identified at the assessment"))
        factors.get_by_label("16A Neglect", exact=True).check()
        factors.get_by_label("3B Domestic abuse: parent or carer the subject", exact=True).check()
        alice.get_by_label(re.compile(r"^Analysis")).fill(
            f"{child.first_name}'s basic needs are not met consistently; the mother is struggling. "
            "Cause to suspect significant harm through neglect.")
        choose(alice, re.compile(r"^Outcome"), "Strategy discussion")
        fill_govuk_date(alice, "id_completed_date", ago(46))
        alice.get_by_role("button", name="Save").click()
        expect(heading(alice)).to_have_text(f"Single assessment started {long_date(ago(59))}")
        expect(alice.locator("main")).to_contain_text("Awaiting authorisation")

    # === 4. The team manager authorises both assessments ==========================================
    for n, child in enumerate(children):
        bob.goto(f"/people/{child.pk}/")
        bob.get_by_role("link", name=f"Started {short_date(ago(59))}").click()
        expect(heading(bob)).to_have_text(f"Single assessment started {long_date(ago(59))}")
        bob.get_by_role("link", name="Authorise").click()
        expect(heading(bob)).to_have_text("Authorise the single assessment")
        if not n:
            expect_no_serious_axe_violations(bob)
        fill_govuk_date(bob, "id_authorised_date", ago(45))
        bob.get_by_role("button", name="Authorise").click()
        expect(bob.locator("main")).to_contain_text(f"{long_date(ago(45))} by {world.bob}")

    # === 5. Strategy discussion for both children, without the police ============================
    alice.goto(f"/people/{ellie.pk}/")
    alice.get_by_role("link", name="Record a strategy discussion").click()
    expect(heading(alice)).to_have_text("Record a strategy discussion")
    fill_govuk_date(alice, "id_held_on", ago(40))
    alice.get_by_label("Time", exact=True).fill("10:00")
    choose(alice, "Children the discussion was about", f"Sam Featherstone, born {long_date(sam.date_of_birth)}")
    for child in children:
        choose(alice, f"Decision for {child.full_name}", "Start a section 47 enquiry")
    # The rows start with the agencies that must take part. The police were invited but could not join.
    rows = alice.get_by_test_id("attendee-rows")
    for i, (name, role) in enumerate((("DC Morgan Price", "Child abuse investigation team"),
                                      ("Dr Priya Shah", "GP"),
                                      ("Dana Whitfield", "Designated safeguarding lead"),
                                      ("Alice Alice", "Social worker"))):
        rows.locator(f"#id_attendees-{i}-name").fill(name)
        rows.locator(f"#id_attendees-{i}-role").fill(role)
    rows.locator("#id_attendees-0-attended").uncheck()
    alice.get_by_label(re.compile(r"^Information shared and reasons")).fill(
        "School, health and police information shared. Threshold for section 47 met for both children.")
    actions = alice.get_by_test_id("action-rows")
    actions.locator("#id_actions-0-action").fill("Joint visit to see both children at home")
    actions.locator("#id_actions-0-owner").fill("Alice Alice, social worker")
    fill_govuk_date(actions, "id_actions-0-due_date", ago(39))
    alice.get_by_role("button", name="Save strategy discussion").click()
    # Said plainly before anything is saved: the police did not take part; confirm, with the reason.
    expect(alice.get_by_test_id("missing-agencies")).to_have_text(
        re.compile(r"Police did not take part in this discussion\."))
    expect_validation_error(alice, "id_absence_confirmed", "Police did not take part. Confirm that you have recorded why")
    expect_validation_error(alice, "id_absence_reason", "Enter why Police did not take part")
    expect_no_serious_axe_violations(alice)
    from haven.protection.models import StrategyDiscussion

    assert not StrategyDiscussion.objects.filter(children__person=ellie).exists()  # nothing half-saved
    expect(alice.locator("#id_held_on_0")).to_have_value(str(ago(40).day))  # what she typed is kept
    alice.get_by_label("I have recorded why Police did not take part").check()
    alice.get_by_label("Why they did not take part").fill(
        "The police were called to an incident and could not join; they sent their information by email.")
    alice.get_by_role("button", name="Save strategy discussion").click()
    expect(alice).to_have_url(re.compile(r"/protection/strategy/\d+/$"))
    strategy_url = alice.url
    expect(heading(alice)).to_have_text("Strategy discussion")
    expect(alice.get_by_test_id("missing-agencies")).to_contain_text("Police did not take part in this discussion.")
    expect(alice.locator("main")).to_contain_text("The police were called to an incident")
    expect(alice.locator(".govuk-summary-list__row", has_text="Agencies that did not take part")).to_contain_text("Police")
    expect(alice.locator("main")).to_contain_text("Invited, did not take part")
    expect_no_serious_axe_violations(alice)

    # Each child's section 47 enquiry concludes that a conference is needed.
    icpc_due = add_working_days(ago(40), 15)
    for n, child in enumerate(children):
        alice.goto(strategy_url)
        alice.get_by_role("row", name=re.compile(child.full_name)).get_by_role(
            "link", name=f"Started {long_date(ago(40))}").click()
        expect(heading(alice)).to_have_text("Section 47 enquiry")
        expect(alice.get_by_test_id("icpc-clock")).to_contain_text(
            f"Initial child protection conference due {long_date(icpc_due)}")
        if not n:
            expect_no_serious_axe_violations(alice)
        choose(alice, "Outcome of the enquiry", "Concerns substantiated: initial child protection conference")
        fill_govuk_date(alice, "id_completed_date", ago(32))
        alice.get_by_role("button", name="Save outcome").click()
        expect(alice.get_by_test_id("s47-outcome")).to_have_text(
            "Concerns substantiated: initial child protection conference")

    # === 6. The chair records the initial child protection conference ============================
    chair_page = open_as(chair, f"/people/{ellie.pk}/")
    chair_page.get_by_role("link", name=re.compile(r"^Record the conference")).click()
    expect(heading(chair_page)).to_have_text("Record an initial child protection conference")
    fill_govuk_date(chair_page, "id_held_on", ago(30))
    expect(chair_page.get_by_label("Chair", exact=True)).to_have_value(str(chair.pk))
    choose(chair_page, "Did the parents receive the report before the conference?", "Yes")
    for child, took_part in ((ellie, "Views given in writing or another form"), (sam, "Too young to take part")):
        include = chair_page.get_by_label(f"{child.full_name}: section 47 enquiry from {long_date(ago(40))}")
        include.check()
        choose(chair_page, f"How {child.first_name} took part", took_part)
        choose(chair_page, f"Decision for {child.first_name}", "A child protection plan is needed")
        choose(chair_page, f"Category of abuse for {child.first_name}'s plan", "Neglect")
    rows = chair_page.get_by_test_id("attendee-rows")
    for i, name in enumerate(("DC Morgan Price", "Dr Priya Shah", "Dana Whitfield", "Alice Alice")):
        rows.locator(f"#id_attendees-{i}-name").fill(name)
    chair_page.get_by_label(re.compile(r"^Summary of the conference")).fill(
        "Both children are suffering significant harm through neglect. Child protection plans agreed.")
    expect_no_serious_axe_violations(chair_page)
    chair_page.get_by_role("button", name="Save conference").click()
    expect(chair_page).to_have_url(re.compile(r"/protection/conferences/\d+/$"))
    expect(heading(chair_page)).to_have_text("Initial child protection conference")
    expect(chair_page.get_by_text("Child protection plan needed: neglect")).to_have_count(2)
    expect_no_serious_axe_violations(chair_page)

    # === 7. The plan: one vague action; core groups; a child protection visit ====================
    alice.goto(f"/people/{ellie.pk}/")
    expect(alice.locator('.haven-flags [data-flag="cp_plan"]')).to_have_text("Child protection plan")
    alice.get_by_test_id("plans-panel").get_by_role("link", name="Child protection plan").click()
    expect(heading(alice)).to_have_text("Child protection plan")
    plan_url = alice.url
    expect(alice.get_by_test_id("plan-facts")).to_contain_text("Neglect")
    expect_no_serious_axe_violations(alice)
    alice.get_by_role("link", name="Add an action", exact=True).click()
    expect(heading(alice)).to_have_text("Add an action")
    alice.get_by_label("What will be done", exact=True).fill("Improve the home conditions")
    alice.get_by_role("button", name="Save").click()
    # Warned: no owner, no measurable outcome, no due date. She saves it anyway.
    expect(alice.get_by_test_id("smart-warning")).to_contain_text(
        "This action does not have an owner, a measurable outcome and a due date")
    expect_validation_error(alice, "id_save_incomplete", "This action does not have")
    expect_no_serious_axe_violations(alice)
    alice.locator("#id_save_incomplete").check()
    alice.get_by_role("button", name="Save").click()
    expect(alice).to_have_url(plan_url)
    expect(alice.get_by_test_id("incomplete-count")).to_contain_text("1 action is not specific, measurable and timed")
    card = alice.get_by_test_id("action").filter(has_text="Improve the home conditions")
    expect(card.get_by_test_id("incomplete")).to_have_text("Incomplete")
    expect(card.get_by_test_id("missing")).to_contain_text("an owner")

    # The first core group, for each child's plan, 5 days after the conference.
    for n, child in enumerate(children):
        if n:
            alice.goto(f"/people/{child.pk}/")
            alice.get_by_test_id("plans-panel").get_by_role("link", name="Child protection plan").click()
            expect(heading(alice)).to_have_text("Child protection plan")
        alice.get_by_role("link", name="Record a core group meeting").click()
        expect(heading(alice)).to_have_text("Record a core group meeting")
        if not n:
            expect_no_serious_axe_violations(alice)
        fill_govuk_date(alice, "id_held_on", ago(25))
        alice.get_by_label(re.compile(r"^Who attended")).fill(
            "Jo Featherstone (mother)\nDana Whitfield (school)\nDr Priya Shah (GP)\nAlice Alice (social worker)")
        alice.get_by_role("button", name="Save meeting").click()
        expect(heading(alice)).to_have_text("Child protection plan")
        expect(alice.get_by_test_id("meetings")).to_contain_text(f"{long_date(ago(25))}")
        expect(alice.locator('tr[data-rule="core_group_10wd"]')).to_contain_text(long_date(ago(25) + dt.timedelta(weeks=6)))

    # One child protection visit, recorded once for the family; both children seen, Ellie alone.
    alice.goto(f"/people/{ellie.pk}/")
    alice.get_by_role("link", name="Record a visit, meeting or note").click()
    expect(heading(alice)).to_have_text("Record a visit, meeting or note")
    choose(alice, "What was it", "Child protection visit")
    fill_govuk_date(alice, "id_date", ago(2))
    alice.get_by_label("Time", exact=True).fill("16:00")
    alice.get_by_label("Title", exact=True).fill("Child protection visit at home")
    concerns = alice.get_by_role("group", name="Who it concerns")
    concerns.get_by_label(re.compile(r"^Sam Featherstone")).check()
    concerns.get_by_label(re.compile(r"^Jo Featherstone")).check()
    choose(alice, re.compile(r"^Who was seen \("), "Ellie Featherstone")
    choose(alice, re.compile(r"^Who was seen \("), "Sam Featherstone")
    choose(alice, re.compile(r"^Who was seen alone"), "Ellie Featherstone")
    alice.locator("#id_parts-0-text").fill("Food in the cupboards; the children's rooms were tidy. Ellie spoke "
                                            "to me alone about school.")
    expect_no_serious_axe_violations(alice)
    alice.get_by_role("button", name="Save", exact=True).click()
    expect(alice).to_have_url(re.compile(r"/recording/\d+/\?person=\d+$"))
    expect(alice.locator("main")).to_contain_text("Child protection visit at home")

    # === 8. The chair records the review conference, yesterday ====================================
    chair_page.goto(plan_url)
    chair_page.get_by_role("link", name="Record a review conference").click()
    expect(heading(chair_page)).to_have_text("Record a review child protection conference")
    fill_govuk_date(chair_page, "id_held_on", ago(1))
    choose(chair_page, "Did the parents receive the report before the conference?", "Yes")
    for child in children:
        chair_page.get_by_label(f"{child.full_name}: child protection plan from {long_date(ago(30))}").check()
        choose(chair_page, f"How {child.first_name} took part",
               "Attended" if child is ellie else "Too young to take part")
        choose(chair_page, f"Decision for {child.first_name}'s plan", "The plan continues")
        expect(chair_page.get_by_role("group", name=f"Latest category of abuse for {child.first_name}'s plan")
               .get_by_label("Neglect", exact=True)).to_be_checked()
    chair_page.get_by_role("button", name="Save conference").click()
    expect(heading(chair_page)).to_have_text("Review child protection conference")
    expect(chair_page.get_by_text("Plan continues: neglect")).to_have_count(2)

    # === 9. Both chronologies, the flags, and the clocks =========================================
    from django.contrib.contenttypes.models import ContentType

    from haven.plans.models import Plan
    from haven.work.models import Deadline

    core_group_due = ago(25) + dt.timedelta(weeks=6)
    visit_due = add_working_days(ago(2), 10)
    review_due = add_months(ago(1), 6)
    plan_ct = ContentType.objects.get_for_model(Plan)
    for n, child in enumerate(children):
        alice.goto(f"/people/{child.pk}/")
        expect(alice.get_by_test_id("person-name")).to_have_text(child.full_name)
        expect(alice.locator('.haven-flags [data-flag="cp_plan"]')).to_have_text("Child protection plan")
        expect(alice.locator('.haven-flags [data-flag="s47"]')).to_have_count(0)  # the enquiry concluded
        # The Timescales panel: nothing overdue, the next clocks of the plan.
        timescales = alice.get_by_test_id("timescales")
        opened = timescales.locator('tr[data-status="open"]')
        expect(opened.filter(has_text="Core group meeting")).to_contain_text(worklist_date(core_group_due))
        expect(opened.filter(has_text="Child protection visit")).to_contain_text(worklist_date(visit_due))
        expect(opened.filter(has_text="Review child protection conference")).to_contain_text(worklist_date(review_due))
        expect(opened.locator(".govuk-tag--red")).to_have_count(0)
        for rule in ("Decision on a referral", "Single assessment authorised", "Initial child protection conference"):
            expect(timescales.locator('tr[data-status="met"]').filter(has_text=rule)).to_have_count(1)
        # The clocks on the page are the derived deadlines.
        plan = Plan.objects.get(person=child, kind=Plan.Kind.CP)
        open_due = {d.rule: timezone.localtime(d.due_at).date() for d in Deadline.objects.filter(
            content_type=plan_ct, object_id=plan.pk, met_at__isnull=True, exempt=False)}
        assert open_due == {"core_group_10wd": core_group_due, "cp_visit_10wd": visit_due,
                            "cp_review_conference": review_due}, open_due

        # The chronology tab: every step, for each child.
        alice.get_by_role("navigation", name="Sections of the record").get_by_role("link", name="Chronology").click()
        expect(alice).to_have_url(f"{base_url}/people/{child.pk}/chronology/")
        chronology = alice.get_by_test_id("chronology")
        for title, when, detail in (
                ("Contact received", f"{short_date(ago(62))} 09:30", "Schools (St Saviour's Primary School)"),
                ("MASH decision: referral to children's social care", short_date(today), ""),
                ("Referral to children's social care", short_date(ago(60)), "primary need abuse or neglect"),
                ("Decision on referral: further action", short_date(ago(60)), ""),
                ("Single assessment started", short_date(ago(59)), ""),
                ("Child seen alone", short_date(ago(58)), ""),
                ("Single assessment completed", short_date(ago(46)), "Strategy discussion"),
                ("Single assessment authorised", short_date(ago(45)), ""),
                ("Strategy discussion", f"{short_date(ago(40))} 10:00", "Did not take part: Police"),
                ("Section 47 enquiry started", short_date(ago(40)), ""),
                ("Section 47 enquiry concluded", short_date(ago(32)), "initial child protection conference"),
                ("Initial child protection conference", short_date(ago(30)), "Plan needed (neglect)"),
                ("Child protection plan started", short_date(ago(30)), "Neglect"),
                ("Core group meeting", short_date(ago(25)), ""),
                ("Child protection visit: Child protection visit at home", f"{short_date(ago(2))} 16:00",
                 "Seen alone" if child is ellie else "Seen."),
                ("Review child protection conference", short_date(ago(1)), "Plan continues (neglect)")):
            row = chronology.locator("tbody tr").filter(has=alice.get_by_role("link", name=title, exact=True))
            expect(row, f"{child.first_name}'s chronology: {title}").to_have_count(1)
            expect(row).to_contain_text(when)
            if detail:
                expect(row).to_contain_text(detail)
        if not n:
            expect_no_serious_axe_violations(alice)

    # "My work": the social worker's next clocks for both children, nothing of theirs overdue.
    alice.get_by_role("link", name="My work").first.click()
    expect(heading(alice)).to_have_text("My work")
    for child in children:
        expect(alice.get_by_test_id("worklist-overdue").filter(has_text=child.full_name)).to_have_count(0)
        for what, due in (("Core group meeting", core_group_due), ("Child protection visit (child seen)", visit_due),
                          ("Review child protection conference", review_due)):
            row = alice.locator("tr[data-deadline]").filter(has_text=child.full_name).filter(has_text=what)
            expect(row, f"{child.first_name}: {what}").to_have_count(1)
            expect(row).to_contain_text(worklist_date(due))
            expect(row).to_contain_text("(number 2)")
    expect_no_serious_axe_violations(alice)
