"""Dashboards, KPI pages and the drill-through, as managers, analysts and workers use them: what each
may choose, that every number leads to exactly the children behind it, that out-of-date figures
say so, that restricted records stay masked, and that every view and export is audited. All
people are made up."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.kpis import store
from haven.kpis.catalogue import load

pytestmark = pytest.mark.django_db

D = dt.date


def in_care(person, start, end=None):
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=person, start_date=start, end_date=end, home_postcode="ZZ1 1AA")
    placement = Placement.objects.create(period=period, person=person, start_date=start, end_date=end, place="U4",
                                         provider_code="PR1")
    Episode.objects.create(period=period, person=person, placement=placement, start_date=start, reason_new="S",
                           legal_status="C2", category_of_need="N1", end_date=end)
    return period


def allocate(person, team, worker=None, start=D(2024, 1, 1)):
    from haven.people.models import Allocation

    return Allocation.objects.create(person=person, authority=person.authority, team=team, worker=worker,
                                     role="social_worker", start_date=start)


@pytest.fixture
def dana(world):
    """A social worker in a team of her own (Dashboard team, Westminster)."""
    from haven.accounts.models import Team
    from haven.accounts.roles import Role
    from haven.core.testing import make_user

    team = Team.objects.create(name="Dashboard team", authority=world.westminster)
    team.serves.add(world.westminster)
    user = make_user("dana", role=Role.SOCIAL_WORKER, team=team, first="Dana")
    user.dash_team = team
    return user


@pytest.fixture
def cared_for(world, dana):
    """Three Westminster children in care today: two of Dana's, and the restricted child (Ava,
    allocated to nobody). The test world's own looked-after children count too, so tests of the
    whole authority compare the page with the store, not with a fixed number."""
    from haven.core.testing import make_person

    today = timezone.localdate()
    kids = [make_person(world.westminster, first=f"Dash{i}", last="Board", born=D(2013, 1, 1 + i)) for i in range(2)]
    for kid in kids:
        in_care(kid, today - dt.timedelta(days=400))
        allocate(kid, dana.dash_team, dana)
    in_care(world.restricted, today - dt.timedelta(days=100))
    return kids


def value_cell(html: str, kpi_id: str) -> str:
    row = re.search(rf'<tr class="govuk-table__row" data-kpi="{kpi_id}">(.*?)</tr>', html, re.S).group(1)
    return re.sub(r"<[^>]+>", " ", re.search(r'data-testid="value">(.*?)</td>', row, re.S).group(1))


def test_a_manager_sees_every_kpi_of_their_authority_each_linking_to_its_children(world, as_user, cared_for):
    client = as_user(world.bob)
    response = client.get("/performance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Westminster" in html
    for kpi_id in load():
        assert f'data-kpi="{kpi_id}"' in html, kpi_id
        assert f"/performance/kpi/{kpi_id}/children/?" in html
    assert 'data-testid="computed"' in html and 'data-testid="stale"' not in html
    run = store.Unit.of_authority(world.westminster).runs().get(end=timezone.localdate(), computed_at__isnull=False,
                                                                start=store.period("12m", timezone.localdate())[0])
    cla = store.stored_figures([run])[run.pk]["cla_count"]
    assert f"{cla.value:,.0f}" in value_cell(html, "cla_count")
    assert AccessLog.objects.filter(user=world.bob, action="view", summary__startswith="Performance dashboard").exists()


def test_the_children_behind_a_number_are_exactly_those_it_counts(world, as_user, cared_for):
    client = as_user(world.bob)
    dashboard = client.get("/performance/").content.decode()
    shown = int(value_cell(dashboard, "cla_count").split()[0].replace(",", ""))
    link = re.search(r'href="(/performance/kpi/cla_count/children/\?[^"]+)"', dashboard).group(1).replace("&amp;", "&")
    page = client.get(link).content.decode()
    rows = re.findall(r'<tr class="govuk-table__row">\s*<th scope="row"', page)
    assert len(rows) == shown >= 3
    assert "Dash0 Board" in page and "Dash1 Board" in page
    # the restricted child is counted but not named to a manager without a grant
    assert "Ava Restricted" not in page and "Restricted record" in page
    entry = AccessLog.objects.filter(user=world.bob, summary__startswith="KPI cla_count children").latest("at")
    assert cared_for[0].pk in entry.detail["people"]
    # an auditor with a grant sees her name
    assert "Ava Restricted" in as_user(world.audrey).get(link).content.decode()


def test_a_team_and_a_worker_see_their_share(world, as_user, dana, cared_for):
    client = as_user(world.bob)
    team_url = f"/performance/?unit=la-{world.westminster.pk}&team={dana.dash_team.pk}&period=12m"
    html = client.get(team_url).content.decode()
    assert "Dashboard team, Westminster" in html
    assert value_cell(html, "cla_count").split()[0] == "2"
    worker_url = f"/performance/?unit=la-{world.westminster.pk}&worker={dana.pk}&period=12m"
    assert value_cell(client.get(worker_url).content.decode(), "cla_count").split()[0] == "2"
    children = client.get(f"/performance/kpi/cla_count/children/?unit=la-{world.westminster.pk}"
                          f"&team={dana.dash_team.pk}&period=12m").content.decode()
    assert "Dash0 Board" in children and "Restricted record" not in children
    assert len(re.findall(r'<tr class="govuk-table__row">\s*<th scope="row"', children)) == 2


def test_a_worker_sees_only_their_own_figures(world, as_user, dana, cared_for):
    client = as_user(dana)
    html = client.get(f"/performance/?unit=la-{world.hammersmith.pk}&worker={world.bob.pk}").content.decode()
    assert "Dana" in html and "my figures" in html
    assert 'name="unit"' not in html and 'name="worker"' not in html
    assert value_cell(html, "cla_count").split()[0] == "2"
    children = client.get("/performance/kpi/cla_count/children/").content.decode()
    assert "Dash0 Board" in children and "Restricted record" not in children
    # exports are for managers, analysts and auditors
    assert client.get("/performance/kpi/cla_count/children/?format=csv").status_code == 403


def test_an_analyst_may_choose_the_partnership(world, as_user):
    client = as_user(world.ada)
    html = client.get("/performance/").content.decode()
    assert f'value="p-{world.westminster.partnership_id}"' in html
    html = client.get(f"/performance/?unit=p-{world.westminster.partnership_id}").content.decode()
    assert "Test partnership" in html
    assert store.Unit.of_partnership(world.westminster.partnership).runs().filter(computed_at__isnull=False).exists()
    # the view is audited against the partnership and each of its authorities
    entry = AccessLog.objects.filter(username="ada", summary__startswith="Performance dashboard: Test partnership").latest("at")
    assert entry.detail["partnership"] == world.westminster.partnership_id
    assert set(entry.detail["authorities"]) == {world.westminster.pk, world.hammersmith.pk}
    # bob serves Westminster only: the partnership is not his to choose, and he gets his authority
    bob = as_user(world.bob).get(f"/performance/?unit=p-{world.westminster.partnership_id}").content.decode()
    assert f'value="p-{world.westminster.partnership_id}"' not in bob


def test_figures_out_of_date_say_so_and_can_be_recomputed(world, as_user, cared_for):
    from haven.core.testing import make_person

    client = as_user(world.bob)
    client.get("/performance/")
    in_care(make_person(world.westminster, first="Newly", last="Arrived"), timezone.localdate())
    html = client.get("/performance/").content.decode()
    assert 'data-testid="stale"' in html and "change" in html and "Recompute now" in html
    before = value_cell(html, "cla_count").split()[0]
    response = client.post("/performance/", follow=True)
    html = response.content.decode()
    assert "Figures recomputed" in html and 'data-testid="stale"' not in html
    assert int(value_cell(html, "cla_count").split()[0]) == int(before) + 1


def test_a_date_that_is_not_real_or_in_the_future_is_refused(world, as_user):
    client = as_user(world.bob)
    html = client.get("/performance/?as_of_0=31&as_of_1=2&as_of_2=2026").content.decode()
    assert "govuk-error-summary" in html and "As at must be a real date" in html
    assert "<title>Error:" in html
    future = timezone.localdate() + dt.timedelta(days=40)
    html = client.get(f"/performance/?as_of_0={future.day}&as_of_1={future.month}&as_of_2={future.year}").content.decode()
    assert "As at must be today or in the past" in html


def test_an_earlier_as_at_date_and_period(world, as_user, cared_for):
    client = as_user(world.bob)
    html = client.get("/performance/?period=month&as_of_0=31&as_of_1=3&as_of_2=2025").content.decode()
    assert "1 March 2025 to 31 March 2025" in html
    assert store.Unit.of_authority(world.westminster).runs().filter(start=D(2025, 3, 1), end=D(2025, 3, 31),
                                                                    computed_at__isnull=False).exists()


def test_the_kpi_page_has_its_definition_trend_teams_and_charts_with_their_tables(world, as_user, cared_for):
    client = as_user(world.bob)
    html = client.get("/performance/kpi/cla_count/").content.decode()
    assert "Children looked after at the end of the as-at date" in html        # the docstring
    assert html.count('data-testid="points"') == 2                             # 12 months and five 31 Marches
    assert len(re.findall(r"<tr class=\"govuk-table__row\">\s*<th scope=\"row\" class=\"govuk-table__header "
                          r"govuk-!-font-weight-regular\">", html)) == 13 + 5
    assert 'id="trend-spec"' in html and '"$schema": "https://vega.github.io/schema/vega-lite/v6.json"' in html
    assert 'data-testid="breakdown"' in html and "WCC Assessment" in html
    assert "dist/vega/vega-embed.min.js" in html
    # the months the worker has not computed yet are asked for, and say so
    assert 'data-testid="waiting"' in html
    assert store.Unit.of_authority(world.westminster).runs().filter(computed_at__isnull=True).count() >= 12
    store.refresh()
    html = client.get("/performance/kpi/cla_count/").content.decode()
    assert 'data-testid="waiting"' not in html and "Being computed" not in html
    assert client.get("/performance/kpi/no_such_kpi/").status_code == 404


def test_exports_list_every_row_and_are_audited(world, as_user, cared_for):
    client = as_user(world.bob)
    response = client.get("/performance/kpi/cla_count/children/?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["child ID", "name", "date of birth", "counted", "team", "worker"]
    names = [r[1] for r in rows[1:]]
    assert "Dash0 Board" in names and "Restricted record" in names and "Ava Restricted" not in names
    masked = next(r for r in rows[1:] if r[1] == "Restricted record")
    assert masked[0] == "" and all(cell == "" for cell in masked[6:])
    assert AccessLog.objects.filter(user=world.bob, action="export", summary__contains="cla_count children (csv)").exists()
    xlsx = client.get("/performance/kpi/cla_count/children/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    counted_only = client.get("/performance/kpi/cla_count/children/?format=csv&counted=0")
    assert len(list(csv.reader(io.StringIO(counted_only.content.decode())))) == 1   # cla_count counts every row


def test_a_worker_list_for_caseloads(world, as_user, dana, cared_for):
    """Rows about workers (caseloads) name the worker and count for their team."""
    client = as_user(world.bob)
    page = client.get("/performance/kpi/caseload_per_worker/children/").content.decode()
    assert "Dana" in page
    team = client.get(f"/performance/kpi/caseload_per_worker/?unit=la-{world.westminster.pk}"
                      f"&team={dana.dash_team.pk}").content.decode()
    assert 'data-testid="breakdown"' in team   # worker by worker within the team


def test_downloads_give_london_times_and_real_dates_in_spreadsheets():
    """A download's cells (drill-through and hotspots): times in London time, not UTC (in summer
    an hour apart), yes/no, several values joined; a spreadsheet keeps real dates and times."""
    from haven.kpis.views import export_cell

    summer = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)
    assert export_cell(summer) == "2026-07-01 10:30"
    assert export_cell(summer, xlsx=True) == dt.datetime(2026, 7, 1, 10, 30)
    assert export_cell(dt.date(2026, 3, 31)) == "2026-03-31"
    assert export_cell(dt.date(2026, 3, 31), xlsx=True) == dt.date(2026, 3, 31)
    assert (export_cell(True), export_cell(None), export_cell(7), export_cell(7, xlsx=True)) == ("yes", "", "7", 7)
    assert export_cell([dt.date(2026, 1, 2), summer]) == "2026-01-02; 2026-07-01 10:30"


def test_five_years_to_31_march_draw_each_years_published_comparators(world, as_user, cared_for):
    """The annual chart's comparator lines are the figures of each of its years (not only the
    latest), and its table beside lists them; a figure of a year outside the five is left out."""
    import json

    from haven.kpis.models import Benchmark

    last = store.annual(timezone.localdate())[-1][1].year
    for year, value in ((last - 6, 40), (last - 3, 60), (last - 2, 62), (last, 67), (last + 1, 70)):
        Benchmark.objects.create(kpi="cla_per_10k", area="england", year=year, period=f"{year - 1}-{year % 100:02d}",
                                 value=value, source="Test")
    Benchmark.objects.create(kpi="cla_per_10k", area="statistical_neighbours", year=last - 1, period="x",
                             value=55, source="Test")
    html = as_user(world.bob).get("/performance/kpi/cla_per_10k/").content.decode()
    spec = json.loads(re.search(r'<script type="application/json" id="annual-spec">(.*?)</script>', html, re.S).group(1))
    lines = {(v["series"], v["end"], v["value"]) for v in spec["data"]["values"] if v["series"] != "This selection"}
    assert lines == {("England", f"{last - 3}-03-31", 60), ("England", f"{last - 2}-03-31", 62),
                     ("England", f"{last}-03-31", 67), ("Statistical neighbours", f"{last - 1}-03-31", 55)}
    table = html.split('data-testid="history"')[1].split("</table>")[0]
    assert [int(y) for y in re.findall(r'font-weight-regular">(\d{4})</th>', table)] == [last - 3, last - 2, last - 1, last]


def test_a_teams_worker_choice_offers_its_current_members_only(world, as_user, dana, cared_for):
    """Someone who has left the team (their membership ended) is not offered as one of its
    workers because they are still active in another team."""
    from haven.accounts.models import Membership, Team
    from haven.accounts.roles import Role

    other = Team.objects.create(name="Another team", authority=world.westminster)
    other.serves.add(world.westminster)
    Membership.objects.filter(user=dana, team=dana.dash_team).update(active=False)
    Membership.objects.create(user=dana, team=other, role=Role.SOCIAL_WORKER)
    html = as_user(world.bob).get(f"/performance/?unit=la-{world.westminster.pk}"
                                  f"&team={dana.dash_team.pk}&period=12m").content.decode()
    workers = html.split('name="worker"')[1].split("</select>")[0]
    assert f'value="{dana.pk}"' not in workers
    html = as_user(world.bob).get(f"/performance/?unit=la-{world.westminster.pk}&team={other.pk}&period=12m").content.decode()
    assert f'value="{dana.pk}"' in html.split('name="worker"')[1].split("</select>")[0]
