"""The reference pages: targets (read by anyone with dashboards, changed by analysts), the
comparators, their CSV download and upload; permissions, the GOV.UK error summary, audit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haven.audit.models import AccessLog
from haven.kpis.models import Benchmark, KpiTarget
from haven.kpis.reference import export_benchmarks, load_benchmarks, target_for

pytestmark = pytest.mark.django_db

HEADER = "kpi,area,area_name,year,period,value,source\n"


def _fields(world, **values):
    """A target form's POST: every section empty unless given (``default``, or an authority)."""
    data = {}
    for key in ("default", str(world.westminster.pk), str(world.hammersmith.pk)):
        for part in ("target", "amber", "note"):
            data[f"{part}_{key}"] = ""
    data.update(values)
    return data


def test_a_social_worker_reads_the_targets_but_may_not_change_them(world, as_user):
    KpiTarget.objects.create(kpi="cp_second_pct", target=18, amber_within=3, note="Demo")
    client = as_user(world.alice)
    page = client.get("/performance/targets/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Child protection plans for a second or subsequent time" in html and "18% (amber within 3%)" in html
    assert "Lower is better" in html and "Westminster" in html
    assert "/performance/targets/cp_second_pct/" not in html      # no Change link without kpis.manage
    assert client.get("/performance/targets/cp_second_pct/").status_code == 403
    assert client.post("/performance/targets/cp_second_pct/", _fields(world, target_default="1")).status_code == 403
    assert KpiTarget.objects.get(kpi="cp_second_pct").target == 18


def test_an_analyst_sets_the_default_and_an_authoritys_own_target_audited(world, as_user):
    client = as_user(world.ada)
    listing = client.get("/performance/targets/").content.decode()
    assert "/performance/targets/assessments_45wd_referral_pct/" in listing      # Change link
    assert "Hammersmith and Fulham" in listing and "Westminster" in listing     # both served
    url = "/performance/targets/assessments_45wd_referral_pct/"
    form = client.get(url)
    assert form.status_code == 200 and "Every authority (the default)" in form.content.decode()
    wcc = str(world.westminster.pk)
    r = client.post(url, _fields(world, target_default="85", amber_default="5", note_default="Local standard",
                                 **{f"target_{wcc}": "90", f"amber_{wcc}": ""}))
    assert r.status_code == 302 and r["Location"].startswith("/performance/targets/")
    default = KpiTarget.objects.get(kpi="assessments_45wd_referral_pct", authority=None)
    assert (default.target, default.amber_within, default.note, default.set_by) == (85, 5, "Local standard", world.ada)
    own = target_for("assessments_45wd_referral_pct", world.westminster)
    assert (own.target, own.amber_within, own.set_by) == (90, 0, world.ada)
    assert target_for("assessments_45wd_referral_pct", world.hammersmith) == default
    entry = AccessLog.objects.filter(action="update", username="ada").latest("at")
    assert "assessments_45wd_referral_pct" in entry.summary and "Westminster: 90%" in entry.summary
    shown = client.get("/performance/targets/").content.decode()
    assert "85% (amber within 5%)" in shown and "90%" in shown

    # Clearing Westminster's own target leaves the default; the change is audited.
    r = client.post(url, _fields(world, target_default="85", amber_default="5", note_default="Local standard"))
    assert r.status_code == 302
    assert target_for("assessments_45wd_referral_pct", world.westminster) == default
    assert "Westminster: cleared (was 90%)" in AccessLog.objects.filter(action="update").latest("at").summary
    # Saving the same again changes nothing and writes no audit entry.
    before = AccessLog.objects.filter(action="update").count()
    client.post(url, _fields(world, target_default="85", amber_default="5", note_default="Local standard"))
    assert AccessLog.objects.filter(action="update").count() == before


def test_a_target_save_from_a_page_opened_before_someone_elses_is_refused(world, as_user):
    """The same KPI's targets open in two tabs (or two analysts' browsers); the second to save is
    told, sees what the first saved, and keeps what was typed; saving again keeps it, deliberately."""
    import re
    from html import unescape

    url = "/performance/targets/cla_visits_on_time_pct/"
    ada, carol = as_user(world.ada), as_user(world.ada)   # two tabs
    page = carol.get(url).content.decode()
    opened_then = re.search(r'name="opened" value="([0-9a-f]+)"', page).group(1)
    assert re.search(r'name="opened" value="([0-9a-f]+)"', ada.get(url).content.decode()).group(1) == opened_then
    assert ada.post(url, _fields(world, target_default="90", amber_default="5", note_default="First",
                                 opened=opened_then)).status_code == 302
    r = carol.post(url, _fields(world, target_default="80", opened=opened_then))
    assert r.status_code == 200
    html = unescape(r.content.decode())
    assert "govuk-error-summary" in html and "The targets for Statutory visits to looked-after children on time were changed after you opened this page" in html
    assert "Your changes have not been saved" in html
    assert re.search(r'name="target_default"[^>]*value="80"|value="80"[^>]*name="target_default"', html)  # typed kept
    saved = re.search(r'data-testid="saved-default">([^<]*)<', html).group(1)
    assert "Saved now: 90% (amber within 5%) (First)" in saved
    target = KpiTarget.objects.get(kpi="cla_visits_on_time_pct", authority=None)
    assert (target.target, target.note) == (90, "First")
    # Saving again from the refused page keeps the typed figure.
    opened_now = re.search(r'name="opened" value="([0-9a-f]+)"', html).group(1)
    assert opened_now != opened_then
    assert carol.post(url, _fields(world, target_default="80", opened=opened_now)).status_code == 302
    assert KpiTarget.objects.get(kpi="cla_visits_on_time_pct", authority=None).target == 80
    # Clearing a target also counts as a change.
    opened_before_clear = re.search(r'name="opened" value="([0-9a-f]+)"', carol.get(url).content.decode()).group(1)
    assert ada.post(url, _fields(world, opened=opened_before_clear)).status_code == 302
    assert not KpiTarget.objects.filter(kpi="cla_visits_on_time_pct").exists()
    r = carol.post(url, _fields(world, target_default="70", opened=opened_before_clear))
    assert r.status_code == 200 and "No target saved." in r.content.decode()
    assert not KpiTarget.objects.filter(kpi="cla_visits_on_time_pct").exists()


def test_target_errors_are_in_the_govuk_error_summary(world, as_user):
    client = as_user(world.ada)
    url = "/performance/targets/cla_visits_on_time_pct/"
    hf = str(world.hammersmith.pk)
    r = client.post(url, _fields(world, target_default="120", amber_default="-1",
                                 **{f"target_{hf}": "ninety", f"amber_{hf}": "5"}))
    assert r.status_code == 200
    html = r.content.decode()
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert "The target for every authority must be from 0 to 100" in html
    assert "The amber tolerance for every authority must be 0 or more" in html
    assert "The target for Hammersmith and Fulham must be a number, like 85 or 92.5" in html
    assert 'href="#id_target_default"' in html
    assert "<title>Error: " in html
    assert not KpiTarget.objects.exists()
    r = client.post(url, _fields(world, amber_default="5"))
    assert "Enter the target for every authority, or clear its amber tolerance" in r.content.decode()


def test_an_unknown_kpi_is_404(world, as_user):
    assert as_user(world.ada).get("/performance/targets/no_such_kpi/").status_code == 404


def test_the_comparators_page_and_its_csv(world, as_user):
    load_benchmarks(HEADER + "referrals_per_10k,england,,2015,2014-15,548,Inspection para 11\n"
                             "referrals_per_10k,authority,Westminster,2015,2014-15,411,Inspection para 11\n",
                    actor=None)
    client = as_user(world.alice)
    html = client.get("/performance/comparators/").content.decode()
    assert "Referrals per 10,000 children" in html and "548 per 10,000" in html
    assert "Authority (published): Westminster" in html and "Inspection para 11" in html
    assert "/performance/comparators.csv" in html and "/performance/comparators/upload/" not in html
    assert client.get("/performance/comparators/upload/").status_code == 403
    csv = client.get("/performance/comparators.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode() == export_benchmarks()
    assert AccessLog.objects.filter(action="export", username="alice", summary="Comparators (CSV)").exists()
    assert "/performance/comparators/upload/" in as_user(world.ada).get("/performance/comparators/").content.decode()


def test_an_upload_with_bad_rows_lists_every_line_and_loads_nothing(world, as_user):
    client = as_user(world.ada)
    bad = (HEADER + "referrals_per_10k,england,,2015,2014-15,548,fine\n"
                    "cla_per_10k,nowhere,,2015,2015,50,x\n"
                    "cla_per_10k,england,,2015,2015,lots,x\n"
                    "referrals_per_10k,england,,2015,2014-15,548,again\n").encode()
    r = client.post("/performance/comparators/upload/", {"file": SimpleUploadedFile("bad.csv", bad, "text/csv")})
    assert r.status_code == 200
    html = r.content.decode()
    assert "There is a problem" in html
    assert "Line 3: area &#x27;nowhere&#x27; must be one of" in html
    assert "Line 4: value &#x27;lots&#x27; must be a number" in html
    assert "Line 5: repeats line 2" in html
    assert "3 problems found: nothing was loaded" in html
    assert not Benchmark.objects.exists()
    assert not AccessLog.objects.filter(action="update", username="ada").exists()
    empty = client.post("/performance/comparators/upload/", {})
    assert "Select a CSV file" in empty.content.decode()


def test_a_good_upload_says_how_many_and_is_audited(world, as_user):
    client = as_user(world.ada)
    load_benchmarks(HEADER + "referrals_per_10k,england,,2015,2014-15,540,first\n", actor=None)
    good = (HEADER + "referrals_per_10k,england,,2015,2014-15,548,revised\n"
                     "cla_per_10k,authority,213,2015,at 31 March 2015,50,inspection\n").encode()
    r = client.post("/performance/comparators/upload/", {"file": SimpleUploadedFile("good.csv", good, "text/csv")},
                    follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "Comparators loaded from good.csv: 1 comparator created, 1 updated" in html
    assert Benchmark.objects.get(kpi="cla_per_10k").loaded_by == world.ada
    entry = AccessLog.objects.get(action="update", username="ada")
    assert "good.csv" in entry.summary and entry.detail["created"] == 1 and entry.detail["updated"] == 1

    only = (HEADER + "cla_per_10k,authority,213,2015,at 31 March 2015,50,inspection\n").encode()
    client.post("/performance/comparators/upload/", {"file": SimpleUploadedFile("only.csv", only), "replace": "on"})
    assert list(Benchmark.objects.values_list("kpi", flat=True)) == ["cla_per_10k"]
