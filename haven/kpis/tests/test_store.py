"""The store of computed figures: runs hold every KPI for a unit and period with each team's and
worker's share of the same rows; changes to the record mark the runs they could alter out of
date, and only those; the worker recomputes them. All people are made up."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.kpis import attribution, changes, store
from haven.kpis.catalogue import Scope, compute_all, load
from haven.kpis.models import KpiChange, KpiRun

pytestmark = pytest.mark.django_db

D = dt.date
AS_OF = D(2026, 3, 31)
_n = itertools.count(1)


@pytest.fixture
def la(world):
    """An authority of its own in the test partnership, with two teams and three workers."""
    from haven.accounts.models import LocalAuthority, Team
    from haven.accounts.roles import Role
    from haven.core.testing import make_user

    n = next(_n)
    authority = LocalAuthority.objects.create(name=f"Storeshire {n}", ons_code=f"E0688{n:04d}", lea_code=f"8{n:02d}",
                                              child_id_prefix=f"ST{n}", partnership=world.westminster.partnership)
    north = Team.objects.create(name=f"North {n}", authority=authority)
    south = Team.objects.create(name=f"South {n}", authority=authority)
    for t in (north, south):
        t.serves.add(authority)
    authority.north, authority.south = north, south
    authority.amy = make_user(f"amy{n}", role=Role.SOCIAL_WORKER, team=north, first="Amy", enrol=False)
    authority.ben = make_user(f"ben{n}", role=Role.SOCIAL_WORKER, team=north, first="Ben", enrol=False)
    authority.cal = make_user(f"cal{n}", role=Role.SOCIAL_WORKER, team=south, first="Cal", enrol=False)
    return authority


def child(la, name):
    from haven.core.testing import make_person

    return make_person(la, first=name, last="Store", born=D(2012, 5, 1))


def in_care(person, start, end=None):
    from haven.looked_after.models import Episode, PeriodOfCare, Placement

    period = PeriodOfCare.objects.create(person=person, start_date=start, end_date=end, home_postcode="ZZ1 1AA",
                                         end_reason="E13" if end else "")
    placement = Placement.objects.create(period=period, person=person, start_date=start, end_date=end, place="U4",
                                         provider_code="PR1")
    Episode.objects.create(period=period, person=person, placement=placement, start_date=start, reason_new="S",
                           legal_status="C2", category_of_need="N1", end_date=end, end_reason="E13" if end else "")
    return period


def allocate(person, team, worker=None, start=D(2025, 1, 1), end=None, role="social_worker"):
    from haven.people.models import Allocation

    return Allocation.objects.create(person=person, authority=person.authority, team=team, worker=worker, role=role,
                                     start_date=start, end_date=end)


@pytest.fixture
def cared_for(la):
    """Five children looked after at 31 March 2026:
    c1 Amy's (North), c2 Ben's (North), c3 Cal's (South), c4 allocated to North as a team only,
    c5 nobody's: Amy's allocation ended on 31 March, the as-at day itself, so it passed on;
    c6 left care on 31 March (not counted), Cal's."""
    kids = {f"c{i}": child(la, f"C{i}") for i in range(1, 7)}
    for name in ("c1", "c2", "c3", "c4", "c5"):
        in_care(kids[name], D(2024, 6, 1))
    in_care(kids["c6"], D(2024, 6, 1), end=AS_OF)
    allocate(kids["c1"], la.north, la.amy)
    allocate(kids["c2"], la.north, la.ben)
    allocate(kids["c3"], la.south, la.cal)
    allocate(kids["c4"], la.north, role="team")
    allocate(kids["c5"], la.north, la.amy, end=AS_OF)
    allocate(kids["c6"], la.south, la.cal)
    return kids


# --- periods (pure) -----------------------------------------------------------------------------

def test_periods_trends_and_the_five_31_marches():
    assert store.period("12m", AS_OF) == (D(2025, 4, 1), AS_OF)
    assert store.period("month", D(2026, 2, 14)) == (D(2026, 2, 1), D(2026, 2, 14))
    assert store.period("fytd", D(2026, 2, 14)) == (D(2025, 4, 1), D(2026, 2, 14))
    assert store.period("fytd", D(2026, 4, 1)) == (D(2026, 4, 1), D(2026, 4, 1))
    months = store.trend("month", D(2026, 3, 31))
    assert len(months) == 13 and months[0] == (D(2025, 3, 1), D(2025, 3, 31)) and months[-1] == (D(2026, 3, 1), AS_OF)
    rolling = store.trend("12m", D(2026, 3, 14))      # today mid-month: the 12 month ends before, then today
    assert [e for _s, e in rolling][:2] == [D(2025, 3, 31), D(2025, 4, 30)] and rolling[-1][1] == D(2026, 3, 14)
    assert rolling[-2][1] == D(2026, 2, 28) and len(rolling) == 13
    assert store.annual(D(2026, 3, 30)) == [store.period("12m", D(y, 3, 31)) for y in range(2021, 2026)]
    assert store.annual(AS_OF)[-1] == (D(2025, 4, 1), AS_OF)


# --- attribution --------------------------------------------------------------------------------

def test_a_childs_row_counts_for_the_allocation_current_at_the_end_of_the_period(la, cared_for):
    k = cared_for
    found = attribution.holders([la.pk], D(2025, 4, 1), AS_OF, ("social_worker", "team"))
    assert found[k["c1"].pk] == attribution.Holder(la.north.pk, la.amy.pk)
    assert found[k["c4"].pk] == attribution.Holder(la.north.pk, None)
    # c5's only allocation ended on the last day: not current, but the last to end in the period
    assert found[k["c5"].pk] == attribution.Holder(la.north.pk, la.amy.pk)
    allocate(k["c5"], la.south, la.cal, start=AS_OF)        # passed on to Cal that day: Cal's now
    found = attribution.holders([la.pk], D(2025, 4, 1), AS_OF, ("social_worker", "team"))
    assert found[k["c5"].pk] == attribution.Holder(la.south.pk, la.cal.pk)
    # an allocation that ended before the period does not count
    gone = child(la, "Gone")
    allocate(gone, la.south, la.cal, start=D(2020, 1, 1), end=D(2025, 3, 31))
    assert gone.pk not in attribution.holders([la.pk], D(2025, 4, 1), AS_OF, ("social_worker", "team"))
    # a care leaver's row counts for their personal adviser first
    allocate(k["c3"], la.north, la.ben, role="personal_adviser")
    leavers = attribution.holders([la.pk], D(2025, 4, 1), AS_OF, ("personal_adviser", "social_worker", "team"))
    assert leavers[k["c3"].pk] == attribution.Holder(la.north.pk, la.ben.pk)


def test_a_run_holds_each_kpi_with_every_teams_and_workers_share(la, cared_for):
    run = store.compute_run(store.Unit.of_authority(la), *store.period("12m", AS_OF))
    figures = store.stored_figures([run], teams=True, workers=True)[run.pk]
    assert set(figures) == set(load())
    cla = figures["cla_count"]
    assert cla.value == 5
    assert cla.by_team == {str(la.north.pk): [4, None], str(la.south.pk): [1, None]}
    assert cla.by_worker == {str(la.amy.pk): [2, None], str(la.ben.pk): [1, None], str(la.cal.pk): [1, None],
                             "none": [1, None]}
    assert store.figure(cla, team=la.north.pk).value == 4
    assert store.figure(cla, worker="none").value == 1
    assert store.figure(cla, team=999999).value == 0            # a team with none of these children
    rate = store.figure(figures["cla_per_10k"], team=la.north.pk)
    assert rate.value is None and rate.numerator == 4           # no population by team
    # every stored figure is the catalogue's own
    for result in compute_all(Scope((la,), *store.period("12m", AS_OF))):
        f = figures[result.kpi.id]
        assert (f.numerator, f.denominator, f.value) == (result.numerator, result.denominator, result.value)


def test_the_partnership_run_is_computed_over_its_authorities(world, la, cared_for):
    unit = store.Unit.of_partnership(world.westminster.partnership)
    assert la.pk in unit.authority_ids and world.westminster.pk in unit.authority_ids
    run = store.compute_run(unit, *store.period("12m", AS_OF))
    cla = store.stored_figures([run])[run.pk]["cla_count"]
    alone = store.stored_figures([store.compute_run(store.Unit.of_authority(la), *store.period("12m", AS_OF))])
    assert cla.value >= list(alone.values())[0]["cla_count"].value == 5
    assert run.partnership_id == world.westminster.partnership_id and run.authority_id is None


# --- change marks -------------------------------------------------------------------------------

def marks(la, what=None):
    """The marks written (by the change itself; records the change keeps in step, such as leaving
    care tracking, write their own)."""
    qs = KpiChange.objects.filter(authority_id=la.pk).order_by("pk")
    if what:
        qs = qs.filter(what=what)
    return list(qs.values_list("since", "what"))


def test_a_change_marks_the_earliest_date_it_touches(la):
    kid = child(la, "Marked")
    KpiChange.objects.all().delete()
    period = in_care(kid, D(2025, 6, 1))
    assert (D(2025, 6, 1), "looked_after.PeriodOfCare") in marks(la)
    KpiChange.objects.all().delete()
    period.end_date = D(2026, 2, 1)        # only a date changed: from the earliest of old and new
    period.end_reason = "E13"              # ...and a code: the record's dates before and after
    period.save()
    assert marks(la, "looked_after.PeriodOfCare") == [(D(2025, 6, 1), "looked_after.PeriodOfCare")]
    KpiChange.objects.all().delete()
    period.end_date = D(2026, 3, 1)
    period.save()
    assert marks(la, "looked_after.PeriodOfCare") == [(D(2026, 2, 1), "looked_after.PeriodOfCare")]
    KpiChange.objects.all().delete()
    period.save()                          # nothing changed: nothing marked
    assert marks(la, "looked_after.PeriodOfCare") == []


def test_a_person_marks_only_when_what_a_kpi_reads_changes(la):
    kid = child(la, "Named")
    KpiChange.objects.all().delete()
    kid.first_name = "Renamed"
    kid.save()
    assert marks(la) == []
    kid.date_of_birth = D(2012, 5, 2)
    kid.save()
    assert marks(la) == [(D(2012, 5, 1), "people.Person")]


def test_a_record_without_dates_marks_its_parents_dates(la):
    from haven.front_door.models import Contact, ContactSubject

    contact = Contact.objects.create(authority=la, received_at=timezone.make_aware(dt.datetime(2025, 9, 3, 10)),
                                     source="1A", reason="Worried")
    KpiChange.objects.all().delete()
    ContactSubject.objects.create(contact=contact, person=child(la, "Subject"), authority=la, role="child")
    assert (D(2025, 9, 3), "front_door.ContactSubject") in marks(la)


def test_deleting_marks_the_records_dates(la):
    from haven.health.models import DentalCheck

    check = DentalCheck.objects.create(person=child(la, "Deleted"), checked_on=D(2025, 10, 1))
    KpiChange.objects.all().delete()
    check.delete()
    assert marks(la, "health.DentalCheck") == [(D(2025, 10, 1), "health.DentalCheck")]


def test_no_kpi_reads_a_model_it_does_not_watch(world, la, cared_for):
    """The models left out of the change marks (``changes.NOT_READ``) must not be read by any KPI:
    otherwise a change to them would leave dashboards out of date without saying so."""
    from django.apps import apps

    with CaptureQueriesContext(connection) as queries:
        compute_all(Scope((world.westminster, la), *store.period("12m", AS_OF)))
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    for label in changes.NOT_READ:
        table = apps.get_model(label)._meta.db_table.lower()
        assert f'"{table}"' not in sql, f"a KPI reads {label}: take it off changes.NOT_READ"


# --- out of date, and the worker ----------------------------------------------------------------

def test_a_change_makes_out_of_date_only_the_runs_whose_period_it_can_alter(la, cared_for):
    unit = store.Unit.of_authority(la)
    march, february = store.period("month", AS_OF), store.period("month", D(2026, 2, 28))
    for p in (march, february):
        store.compute_run(unit, *p)
    assert not any(s.stale for s in store.states(unit, [march, february]).values())

    in_care(child(la, "Late arrival"), D(2026, 3, 10))
    states = store.states(unit, [march, february])
    assert states[march].stale and states[march].changes >= 1
    assert "change" in states[march].reasons[0]
    assert not states[february].stale

    assert {(r.start, r.end) for r in store.refresh()} >= {march}
    assert not store.states(unit, [march])[march].stale
    assert store.stored_figures([store.states(unit, [march])[march].run])[
        store.states(unit, [march])[march].run.pk]["cla_count"].value == 6
    assert not KpiChange.objects.filter(authority_id=la.pk).exists()      # pruned once nothing needs it


def test_a_run_is_out_of_date_when_the_definitions_change_or_its_clocks_ran_on(la):
    unit = store.Unit.of_authority(la)
    today = timezone.localdate()
    run = store.compute_run(unit, *store.period("month", today))
    p = (run.start, run.end)
    assert not store.states(unit, [p])[p].stale
    later = timezone.now() + dt.timedelta(minutes=store.LIVE_MINUTES + 1)
    assert "clocks were running" in store.states(unit, [p], now=later)[p].reasons[0]
    KpiRun.objects.filter(pk=run.pk).update(catalogue="older")
    assert "definitions have changed" in store.states(unit, [p])[p].reasons[0]


def test_asking_for_runs_leaves_placeholders_the_worker_computes_first(la):
    unit = store.Unit.of_authority(la)
    p = store.period("fytd", D(2025, 11, 30))
    store.ask(unit, [p])
    state = store.states(unit, [p])[p]
    assert state.run is not None and not state.ready
    first = store.due()[0]
    assert (first[0], first[1], first[2], first[3]) == (unit, *p, "asked for")
    store.refresh(budget_seconds=0)        # the budget is checked before each run: one is computed
    assert store.states(unit, [p])[p].ready


def test_every_standard_run_is_due_until_computed(la):
    today = timezone.localdate()
    standard = store.standard_periods(today)
    assert len(standard) == len(set(standard)) >= 25
    assert store.period("12m", today) == standard[0]
    due = [(u, s, e) for u, s, e, _why in store.due() if u == store.Unit.of_authority(la)]
    assert {(s, e) for _u, s, e in due} >= set(standard)
