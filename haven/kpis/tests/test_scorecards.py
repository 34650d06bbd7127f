"""Monthly scorecards, as analysts, managers and auditors use them: creating and changing one
(with the GOV.UK error summary), seeing only those of the authorities served, commentary with
its version (a stale save refused, the typed text kept), the PDF made on demand and by the
scheduled task (``make_due``, ``haven worker --once``), downloads audited. All people are made up."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.core.management import call_command
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.kpis import scorecards
from haven.kpis.catalogue import load
from haven.kpis.models import Scorecard, ScorecardEdition

pytestmark = pytest.mark.django_db

D = dt.date
KPIS = ["cla_count", "cla_per_10k", "rereferrals_12m_pct"]


def month_key(month: dt.date) -> str:
    return f"{month:%Y-%m}"


@pytest.fixture
def month():
    """Last month: the newest month a scorecard reports."""
    return scorecards.last_month(timezone.localdate())


@pytest.fixture
def card(world):
    return Scorecard.objects.create(title="Westminster scrutiny committee", authority=world.westminster, kpis=KPIS,
                                    generate_on_day=5, created_by=world.bob)


@pytest.fixture
def cared_for(world):
    """Two Westminster children who came into care a year ago (so the figures are not all empty)."""
    from haven.core.testing import make_person
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    start = timezone.localdate() - dt.timedelta(days=400)
    kids = []
    for i in range(2):
        kid = make_person(world.westminster, first=f"Score{i}", last="Card", born=D(2013, 2, 1 + i))
        period = PeriodOfCare.objects.create(person=kid, start_date=start, home_postcode="ZZ1 1AA")
        placement = Placement.objects.create(period=period, person=kid, start_date=start, place="U4",
                                             provider_code="PR1")
        Episode.objects.create(period=period, person=kid, placement=placement, start_date=start, reason_new="S",
                               legal_status="C2", category_of_need="N1")
        kids.append(kid)
    return kids


@pytest.fixture
def pdf_html(monkeypatch):
    """The HTML each PDF is made from (the PDF itself is made too), to read what it says."""
    from haven.plans import pdf

    seen = []
    real = pdf.html_to_pdf

    def capture(html, **kwargs):
        seen.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", capture)
    return seen


def edition_url(s, month, suffix=""):
    return f"/performance/scorecards/{s.pk}/{month_key(month)}/{suffix}"


def form_data(**changes):
    data = {"title": "Scrutiny committee scorecard", "kpis": KPIS, "generate_on_day": "5", "active": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- creating and changing -----------------------------------------------------------------------

def test_the_form_offers_the_catalogue_by_group_with_the_usual_indicators_ticked(world, as_user):
    response = as_user(world.ada).get("/performance/scorecards/new/")
    assert response.status_code == 200
    html = response.content.decode()
    for k in load().values():
        assert f'value="{k.id}"' in html
    assert re.search(r'value="referrals_per_10k"[^>]*checked', html)
    assert not re.search(r'value="cla_count"[^>]*checked', html)
    assert "Children looked after</h3>" in html
    assert "govuk-error-summary" not in html
    # ada serves both authorities, so she may choose either or the partnership
    assert f'value="la-{world.westminster.pk}"' in html and f'value="la-{world.hammersmith.pk}"' in html
    assert f'value="p-{world.westminster.partnership_id}"' in html


def test_creating_a_scorecard(world, as_user):
    client = as_user(world.ada)
    data = form_data(unit=f"la-{world.westminster.pk}", kpis=["cla_count", "adoptions_count"])
    response = client.post("/performance/scorecards/new/", data)
    s = Scorecard.objects.get(title="Scrutiny committee scorecard")
    assert response.status_code == 302 and response["Location"] == f"/performance/scorecards/{s.pk}/"
    assert s.authority == world.westminster and s.partnership is None
    assert s.kpis == ["adoptions_count", "cla_count"]     # the catalogue's order, not the form's
    assert s.generate_on_day == 5 and s.active and s.created_by == world.ada
    entry = AccessLog.objects.get(action="create", object_type="kpis.scorecard", object_id=str(s.pk))
    assert entry.username == "ada" and entry.authority_id == world.westminster.pk
    page = client.get(response["Location"]).content.decode()
    assert "Scorecard Scrutiny committee scorecard created." in page
    assert "On day 5 of each month" in page


@pytest.mark.parametrize(("changes", "message", "anchor"), [
    ({"kpis": None}, "Select at least one indicator", "id_kpis_0"),
    ({"generate_on_day": "0"}, "Day of the month must be between 1 and 28", "id_generate_on_day"),
    ({"generate_on_day": "29"}, "Day of the month must be between 1 and 28", "id_generate_on_day"),
    ({"generate_on_day": "fifth"}, "Day of the month must be a number, like 5", "id_generate_on_day"),
    ({"title": ""}, "Enter title", "id_title"),
])
def test_invalid_input_is_shown_in_the_error_summary(world, as_user, changes, message, anchor):
    client = as_user(world.ada)
    response = client.post("/performance/scorecards/new/", form_data(unit=f"la-{world.westminster.pk}", **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'<a href="#{anchor}">{message}</a>' in html
    assert "<title>Error: " in html
    assert "govuk-form-group--error" in html
    assert not Scorecard.objects.filter(title="Scrutiny committee scorecard").exists()


def test_a_manager_cannot_make_one_for_an_authority_he_does_not_serve(world, as_user):
    response = as_user(world.bob).post("/performance/scorecards/new/",
                                       form_data(unit=f"la-{world.hammersmith.pk}"))
    assert response.status_code == 200
    assert "Select an authority or partnership you serve" in response.content.decode()
    assert not Scorecard.objects.filter(title="Scrutiny committee scorecard").exists()


def test_changing_a_scorecard(world, as_user, card):
    client = as_user(world.bob)
    page = client.get(f"/performance/scorecards/{card.pk}/change/").content.decode()
    assert 'value="Westminster scrutiny committee"' in page
    assert re.search(r'value="cla_per_10k"[^>]*checked', page)
    response = client.post(f"/performance/scorecards/{card.pk}/change/",
                           form_data(title="Westminster leaders", unit=f"la-{world.westminster.pk}",
                                     kpis=["cp_per_10k"], generate_on_day="12", active=None))
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.title, card.kpis, card.generate_on_day, card.active) == ("Westminster leaders", ["cp_per_10k"], 12, False)
    entry = AccessLog.objects.get(action="update", object_type="kpis.scorecard", object_id=str(card.pk))
    assert set(entry.detail["changed"]) == {"title", "kpis", "generate_on_day", "active"}
    assert "Paused" in client.get(f"/performance/scorecards/{card.pk}/").content.decode()
    assert (card.version, card.updated_by) == (2, world.bob)


def test_a_stale_change_of_the_settings_is_refused_and_the_choices_kept(world, as_user, card):
    url = f"/performance/scorecards/{card.pk}/change/"
    bob, ada = as_user(world.bob), as_user(world.ada)
    assert 'name="version" value="1"' in bob.get(url).content.decode()
    # Ada saves first, from a page she opened at the same time.
    assert ada.post(url, form_data(title="Ada's title", unit=f"la-{world.westminster.pk}", kpis=["cla_count"],
                                   version="1")).status_code == 302
    mine = form_data(title="Bob's title", unit=f"la-{world.westminster.pk}", kpis=["cp_per_10k"],
                     generate_on_day="12", version="1")
    response = bob.post(url, mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "changed this scorecard at " in html
    assert "Your changes have not been saved" in html
    assert 'value="Bob&#x27;s title"' in html                                    # his choices kept
    assert re.search(r'value="cp_per_10k"[^>]*checked', html) and not re.search(r'value="cla_count"[^>]*checked', html)
    saved_now = unescape(text(html.split('data-testid="saved-now"')[1].split("<form")[0]))
    assert "Saved now by Ada" in saved_now and "Ada's title" in saved_now and "Westminster" in saved_now
    assert "Children looked after" in saved_now and "Bob's title" not in saved_now
    card.refresh_from_db()
    assert (card.title, card.kpis, card.version, card.updated_by) == ("Ada's title", ["cla_count"], 2, world.ada)
    assert not AccessLog.objects.filter(action="update", object_type="kpis.scorecard", username="bob").exists()
    # The page now carries the version he has seen: saving again keeps his choices, deliberately.
    assert 'name="version" value="2"' in html
    assert bob.post(url, {**mine, "version": "2"}).status_code == 302
    card.refresh_from_db()
    assert (card.title, card.kpis, card.generate_on_day, card.version) == ("Bob's title", ["cp_per_10k"], 12, 3)


# --- who sees what -------------------------------------------------------------------------------

def test_the_list_shows_only_the_scorecards_of_authorities_served(world, as_user, card):
    hf = Scorecard.objects.create(title="Hammersmith leaders", authority=world.hammersmith, kpis=KPIS)
    both = Scorecard.objects.create(title="Partnership board", partnership=world.westminster.partnership, kpis=KPIS)
    bob = as_user(world.bob)
    html = bob.get("/performance/scorecards/").content.decode()
    assert "Westminster scrutiny committee" in html
    assert "Hammersmith leaders" not in html and "Partnership board" not in html
    assert 'data-testid="new"' in html
    for url in (f"/performance/scorecards/{hf.pk}/", f"/performance/scorecards/{hf.pk}/change/",
                f"/performance/scorecards/{both.pk}/", edition_url(hf, D(2026, 1, 31)),
                edition_url(hf, D(2026, 1, 31), "pdf/")):
        assert bob.get(url).status_code == 404, url
    assert bob.post(edition_url(hf, D(2026, 1, 31)), {"version": "1", "summary": "x"}).status_code == 404
    assert not ScorecardEdition.objects.filter(scorecard=hf).exists()
    html = as_user(world.ada).get("/performance/scorecards/").content.decode()
    assert "Westminster scrutiny committee" in html and "Hammersmith leaders" in html and "Partnership board" in html
    assert AccessLog.objects.filter(username="ada", action="view", summary__startswith="Monthly scorecards").exists()


def test_a_social_worker_may_not_see_scorecards(world, as_user, card, month):
    client = as_user(world.alice)
    for url in ("/performance/scorecards/", "/performance/scorecards/new/", f"/performance/scorecards/{card.pk}/",
                edition_url(card, month), edition_url(card, month, "pdf/")):
        assert client.get(url).status_code == 403, url


def test_an_auditor_reads_and_downloads_but_does_not_write(world, as_user, card, month):
    scorecards.save_commentary(scorecards.edition_for(card, month), version=1, summary="Read me",
                               commentary={"cla_count": "Counted well"}, shown=KPIS, actor=world.bob)
    scorecards.make_pdf(ScorecardEdition.objects.get(scorecard=card, month=month), actor=world.bob)
    client = as_user(world.audrey)
    assert "Westminster scrutiny committee" in client.get("/performance/scorecards/").content.decode()
    assert client.get(f"/performance/scorecards/{card.pk}/").status_code == 200
    page = client.get(edition_url(card, month)).content.decode()
    assert "Counted well" in page and "Read me" in page
    assert 'data-testid="commentary"' not in page and "Save and make the PDF" not in page
    assert client.get(edition_url(card, month, "pdf/")).content.startswith(b"%PDF")
    assert client.get("/performance/scorecards/new/").status_code == 403
    assert client.get(f"/performance/scorecards/{card.pk}/change/").status_code == 403
    response = client.post(edition_url(card, month), {"version": "2", "summary": "Auditor's words", "make": "1"})
    assert response.status_code == 403
    assert ScorecardEdition.objects.get(scorecard=card, month=month).summary == "Read me"


# --- commentary ----------------------------------------------------------------------------------

def test_commentary_is_saved_and_shown(world, as_user, card, month, cared_for):
    client = as_user(world.bob)
    page = client.get(edition_url(card, month)).content.decode()
    assert not ScorecardEdition.objects.filter(scorecard=card).exists()    # reading makes no record
    assert 'name="version" value="1"' in page
    for k in KPIS:
        assert f'data-kpi="{k}"' in page and f'name="commentary_{k}"' in page
    assert "No PDF has been made for this month yet" in page
    assert AccessLog.objects.filter(username="bob", action="view", object_id=str(card.pk),
                                    detail__month=month_key(month)).exists()
    response = client.post(edition_url(card, month), {
        "version": "1", "summary": "A good month overall.", "commentary_cla_count": "Two children came into care.",
        "commentary_cla_per_10k": "", "commentary_rereferrals_12m_pct": "", "save": "1"})
    assert response.status_code == 302 and response["Location"] == edition_url(card, month)
    edition = ScorecardEdition.objects.get(scorecard=card, month=month)
    assert edition.version == 2 and edition.updated_by == world.bob
    assert edition.summary == "A good month overall."
    assert edition.commentary == {"cla_count": "Two children came into care."}
    assert edition.pdf is None
    page = client.get(edition_url(card, month)).content.decode()
    assert "Commentary saved." in page and "Two children came into care." in page
    assert 'name="version" value="2"' in page and "Last saved" in page
    assert AccessLog.objects.filter(username="bob", action="update", summary__endswith="commentary").exists()


def test_commentary_too_long_is_refused(world, as_user, card, month):
    response = as_user(world.bob).post(edition_url(card, month), {"version": "1", "commentary_cla_count": "x" * 2001})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not ScorecardEdition.objects.filter(scorecard=card).exists()


def test_a_stale_save_is_refused_and_the_typed_text_kept(world, as_user, card, month):
    from django.test import Client

    from haven.core.testing import sign_in

    bob = as_user(world.bob)
    assert 'name="version" value="1"' in bob.get(edition_url(card, month)).content.decode()
    ada = Client()
    sign_in(ada, world.ada)
    ada.post(edition_url(card, month), {"version": "1", "summary": "Ada's summary", "commentary_cla_count": "Ada's view"})
    response = bob.post(edition_url(card, month), {
        "version": "1", "summary": "Bob's summary", "commentary_cla_count": "Bob's careful words", "make": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Your commentary has not been saved" in html
    assert "Ada Ada saved the commentary" in html
    assert "Bob&#x27;s careful words</textarea>" in html          # his text, kept in the box
    assert 'data-testid="theirs-cla_count"' in html and "Ada&#x27;s view" in html
    edition = ScorecardEdition.objects.get(scorecard=card, month=month)
    assert edition.commentary == {"cla_count": "Ada's view"} and edition.pdf is None and edition.version == 2
    # the page now carries the version he has seen: saving again keeps his text, deliberately
    assert 'name="version" value="2"' in html
    bob.post(edition_url(card, month), {"version": "2", "summary": "Bob's summary", "commentary_cla_count": "Bob's careful words"})
    edition.refresh_from_db()
    assert edition.commentary == {"cla_count": "Bob's careful words"} and edition.version == 3


# --- the PDF -------------------------------------------------------------------------------------

def test_save_and_make_the_pdf(world, as_user, card, month, cared_for, pdf_html):
    card.title = "Children's services scorecard"
    card.save()
    client = as_user(world.bob)
    response = client.post(edition_url(card, month), {
        "version": "1", "summary": "Children's services held steady.",
        "commentary_cla_count": "Two children came into care.", "make": "1"})
    assert response.status_code == 302
    edition = ScorecardEdition.objects.get(scorecard=card, month=month)
    assert bytes(edition.pdf).startswith(b"%PDF")
    assert edition.generated_by == world.bob and edition.generated_at is not None
    html = pdf_html[-1]
    catalogue = load()
    for k in KPIS:
        assert catalogue[k].name in html
    assert "Two children came into care." in html and "Children&#x27;s services held steady." in html
    assert "<h1>Children&#x27;s services scorecard</h1>" in html and f"{month:%B %Y}" in html
    assert "by Bob Bob" in html and "OFFICIAL" in html
    style = html.split("<style>")[1].split("</style>")[0]
    assert "string(title)" in style and "Children" not in style     # the footer's title comes from the h1
    page = client.get(edition_url(card, month)).content.decode()
    assert "Commentary saved and the PDF made." in page
    assert "The PDF was made" in page and "by Bob Bob" in page
    assert edition_url(card, month, "pdf/") in page
    made = AccessLog.objects.get(action="export", object_id=str(card.pk), summary__contains="PDF made")
    assert made.username == "bob" and made.detail["month"] == month_key(month)
    assert made.authority_id == world.westminster.pk
    # the scorecard's page and the list link to it
    assert edition_url(card, month, "pdf/") in client.get(f"/performance/scorecards/{card.pk}/").content.decode()
    assert edition_url(card, month, "pdf/") in client.get("/performance/scorecards/").content.decode()


def test_the_pdf_download_is_audited_and_not_found_before_it_is_made(world, as_user, card, month):
    client = as_user(world.bob)
    assert client.get(edition_url(card, month, "pdf/")).status_code == 404
    client.post(edition_url(card, month), {"version": "1", "summary": "Not made yet"})
    assert client.get(edition_url(card, month, "pdf/")).status_code == 404
    assert not AccessLog.objects.filter(action="export", object_id=str(card.pk)).exists()
    client.post(edition_url(card, month), {"version": "2", "summary": "Now made", "make": "1"})
    response = client.get(edition_url(card, month, "pdf/"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="scorecard-{card.pk}-{month_key(month)}.pdf"'
    entry = AccessLog.objects.get(action="export", object_id=str(card.pk), summary__endswith="PDF downloaded")
    assert entry.username == "bob" and entry.detail["month"] == month_key(month) and entry.detail["format"] == "pdf"


def test_commentary_changed_after_the_pdf_was_made_is_pointed_out(world, as_user, card, month):
    client = as_user(world.bob)
    client.post(edition_url(card, month), {"version": "1", "summary": "First", "make": "1"})
    assert 'data-testid="changed"' not in client.get(edition_url(card, month)).content.decode()
    client.post(edition_url(card, month), {"version": "2", "summary": "Second thoughts"})
    assert 'data-testid="changed"' in client.get(edition_url(card, month)).content.decode()


@pytest.mark.parametrize("key", ["2026-13", "march", "1999-12", "0001-01"])
def test_a_month_that_is_not_one_is_not_found(world, as_user, card, key):
    assert as_user(world.bob).get(f"/performance/scorecards/{card.pk}/{key}/").status_code == 404


def test_the_current_month_has_no_edition_yet(world, as_user, card):
    this_month = month_key(timezone.localdate())
    assert as_user(world.bob).get(f"/performance/scorecards/{card.pk}/{this_month}/").status_code == 404


def test_a_month_with_no_figures(world, as_user, card, pdf_html):
    """Long before any record: every figure is empty or nought, and the PDF is still made."""
    client = as_user(world.bob)
    long_ago = D(2001, 1, 31)
    page = client.get(edition_url(card, long_ago)).content.decode()
    assert "No figure" in page
    client.post(edition_url(card, long_ago), {"version": "1", "make": "1"})
    assert bytes(ScorecardEdition.objects.get(scorecard=card, month=long_ago).pdf).startswith(b"%PDF")
    assert "No figure" in pdf_html[-1] and "No commentary" in pdf_html[-1]


def test_a_kpi_that_left_the_catalogue_is_left_out_and_its_commentary_kept(world, as_user, card, month, pdf_html):
    card.kpis = ["cla_count", "retired_kpi"]
    card.save()
    edition = scorecards.edition_for(card, month)
    edition.commentary = {"retired_kpi": "Written before it was retired"}
    edition.save()
    client = as_user(world.bob)
    assert "retired_kpi" in client.get(f"/performance/scorecards/{card.pk}/").content.decode()
    assert 'data-testid="removed"' in client.get(f"/performance/scorecards/{card.pk}/change/").content.decode()
    page = client.get(edition_url(card, month)).content.decode()
    assert 'data-testid="removed"' in page and 'name="commentary_retired_kpi"' not in page
    client.post(edition_url(card, month), {"version": "1", "commentary_cla_count": "Fine", "make": "1"})
    edition.refresh_from_db()
    assert edition.commentary == {"retired_kpi": "Written before it was retired", "cla_count": "Fine"}
    assert "Written before it was retired" not in pdf_html[-1] and "Fine" in pdf_html[-1]


def test_a_partnership_scorecard(world, as_user, month):
    client = as_user(world.ada)
    client.post("/performance/scorecards/new/",
                form_data(title="Partnership board", unit=f"p-{world.westminster.partnership_id}", kpis=["cla_count"]))
    s = Scorecard.objects.get(title="Partnership board")
    assert s.partnership_id == world.westminster.partnership_id and s.authority is None
    page = client.get(edition_url(s, month)).content.decode()
    assert "Test partnership" in page
    client.post(edition_url(s, month), {"version": "1", "commentary_cla_count": "Both boroughs", "make": "1"})
    assert bytes(ScorecardEdition.objects.get(scorecard=s, month=month).pdf).startswith(b"%PDF")
    entry = AccessLog.objects.get(action="export", object_id=str(s.pk), summary__contains="PDF made")
    assert entry.authority_id is None
    assert entry.detail["partnership"] == s.partnership_id
    assert entry.detail["authorities"] == sorted([world.westminster.pk, world.hammersmith.pk])
    # Bob serves Westminster only: the partnership's scorecard is not his to see
    assert as_user(world.bob).get(f"/performance/scorecards/{s.pk}/").status_code == 404


# --- the scheduled task --------------------------------------------------------------------------

@pytest.fixture
def only_mine(world):
    """The test world's own scorecards paused, so the scheduled task makes only this test's."""
    Scorecard.objects.update(active=False)


def test_the_scheduled_task_makes_last_months_edition_once_on_its_day(world, only_mine, card, pdf_html):
    assert scorecards.make_due(today=D(2026, 6, 4)) == []                 # day 5: not yet
    assert not ScorecardEdition.objects.filter(scorecard=card).exists()
    lines = []
    made = scorecards.make_due(today=D(2026, 6, 5), log=lines.append)
    assert [(e.scorecard_id, e.month) for e in made] == [(card.pk, D(2026, 5, 31))]
    edition = ScorecardEdition.objects.get(scorecard=card)
    assert bytes(edition.pdf).startswith(b"%PDF") and edition.generated_by is None
    assert "by the scheduled task" in pdf_html[-1] and "May 2026" in pdf_html[-1]
    assert lines and "Westminster scrutiny committee, May 2026: made" in lines[0]
    entry = AccessLog.objects.get(action="export", object_id=str(card.pk))
    assert entry.user is None and "by the scheduled task" in entry.summary
    assert scorecards.make_due(today=D(2026, 6, 6)) == []                 # not twice
    assert scorecards.make_due(today=D(2026, 6, 28)) == []
    assert ScorecardEdition.objects.filter(scorecard=card).count() == 1
    # commentary written before the day is in the edition the task makes
    scorecards.save_commentary(scorecards.edition_for(card, D(2026, 6, 30)), version=1, summary="",
                               commentary={"cla_count": "Written early"}, shown=KPIS, actor=world.bob)
    scorecards.make_due(today=D(2026, 7, 5))
    assert "Written early" in pdf_html[-1]


def test_the_scheduled_task_skips_paused_scorecards(world, only_mine, card):
    card.active = False
    card.save()
    assert scorecards.make_due(today=D(2026, 6, 20)) == []
    assert not ScorecardEdition.objects.filter(scorecard=card).exists()


def test_one_failing_scorecard_does_not_stop_the_others(world, only_mine, card, monkeypatch):
    other = Scorecard.objects.create(title="Another", authority=world.westminster, kpis=["cla_count"], generate_on_day=1)
    real = scorecards.make_pdf

    def flaky(edition, **kwargs):
        if edition.scorecard_id == card.pk:
            raise RuntimeError("no fonts")
        return real(edition, **kwargs)

    monkeypatch.setattr(scorecards, "make_pdf", flaky)
    lines = []
    made = scorecards.make_due(today=D(2026, 6, 10), log=lines.append)
    assert [e.scorecard_id for e in made] == [other.pk]
    assert any("FAILED" in line for line in lines)
    assert not ScorecardEdition.objects.filter(scorecard=card, generated_at__isnull=False).exists()


def test_a_scorecard_says_when_its_next_edition_is_made(world, as_user, card, month):
    client = as_user(world.bob)
    today = timezone.localdate()
    page = client.get(f"/performance/scorecards/{card.pk}/").content.decode()
    if today.day < 5:
        assert f"Next: {month:%B %Y}'s edition, on 5 {today:%B %Y}" in text(page)
    else:
        assert f"{month:%B %Y}'s edition is due" in text(page)
    assert len(re.findall(r'<tr class="govuk-table__row" data-month=', page)) == 12
    scorecards.make_pdf(scorecards.edition_for(card, month), actor=world.bob)
    nxt = scorecards.next_edition(card, today, made_last_month=True)
    assert f"Next: {nxt[1]:%B %Y}'s edition, on 5 {nxt[0]:%B %Y}" in text(
        client.get(f"/performance/scorecards/{card.pk}/").content.decode())


def test_next_edition():
    card = Scorecard(generate_on_day=5)
    assert scorecards.next_edition(card, D(2026, 6, 3), made_last_month=False) == (D(2026, 6, 5), D(2026, 5, 31))
    assert scorecards.next_edition(card, D(2026, 6, 9), made_last_month=False) == (D(2026, 6, 9), D(2026, 5, 31))
    assert scorecards.next_edition(card, D(2026, 6, 9), made_last_month=True) == (D(2026, 7, 5), D(2026, 6, 30))
    assert scorecards.next_edition(card, D(2026, 12, 2), made_last_month=True) == (D(2027, 1, 5), D(2026, 12, 31))


def test_haven_worker_once_makes_the_editions_that_are_due(world, only_mine, card, month):
    card.generate_on_day = 1          # due on any day of the month
    card.save()
    call_command("worker", "--once", "--quiet", "--budget", "0")
    edition = ScorecardEdition.objects.get(scorecard=card, month=month)
    assert bytes(edition.pdf).startswith(b"%PDF") and edition.generated_by is None
    call_command("worker", "--once", "--quiet", "--budget", "0")
    assert ScorecardEdition.objects.get(scorecard=card, month=month).generated_at == edition.generated_at
