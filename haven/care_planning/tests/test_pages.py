"""Care planning pages: the looked-after panel on the child's summary page, the child's care
planning page, forms (care plan, review, recommendation with the SMART warning, progress, IRO,
visit) and the team and IRO views (filters, sort, pagination, CSV export, scope)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.care_planning import queries
from haven.care_planning.models import CarePlan, LACReview, ReviewRecommendation
from haven.care_planning.testing import looked_after
from haven.core.timescales.rules import RULES
from haven.people.models import Allocation, Person

D = dt.date


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def mia(world):
    return Person.objects.get(first_name="Mia", last_name="Cared")


@pytest.fixture
def mia_hf(world):
    return Person.objects.get(first_name="Mia", last_name="Looked")


def dates(name, value: dt.date) -> dict:
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


def kid(world, first="Zac", born=D(2012, 1, 1), authority=None):
    from haven.core.testing import make_person

    return make_person(authority or world.westminster, first=first, last="Team", born=born)


# -- the panel -------------------------------------------------------------------------------
def test_the_panel_shows_the_looked_after_child_at_a_glance(world, as_user, mia):
    html = as_user(world.alice).get(f"/people/{mia.pk}/").content.decode()
    assert 'id="cla-at-a-glance"' in html and 'data-testid="cla-glance"' in html
    assert "U4: Foster placement with other foster carer(s): long-term fostering" in html
    assert "C2: Full care order" in html
    g = queries.glance(mia, world.alice)
    assert g["days_in_care"] == (timezone.localdate() - D(2025, 3, 3)).days + 1
    assert g["placements_in_year"] == 1
    assert g["iro"].worker == world.iris and g["social_worker"].worker == world.alice
    dues = {d["rule"]: d for d in g["dues"]}
    # the visit and review clocks run and, with nothing recorded since March 2025, are overdue
    assert dues["cla_visit"]["overdue"] and dues["cla_review"]["overdue"]
    assert dues["cla_care_plan"]["status"] == "Nothing due"   # met by the plan of 10 March 2025
    for code in ("cla_health_assessment", "cla_dental_check", "cla_pep"):
        if code not in RULES:
            assert dues[code]["status"] == "Not tracked"
    assert "Statutory visit overdue" in html or "Looked-after review overdue" in html  # header flags


def test_no_panel_for_a_child_never_looked_after(world, as_user):
    html = as_user(world.alice).get(f"/people/{world.child.pk}/").content.decode()
    assert 'id="cla-at-a-glance"' not in html


def test_the_panel_shows_the_history_of_a_child_looked_after_before(world, as_user, today):
    child = kid(world, first="Old")
    looked_after(child, D(2022, 1, 10), end=D(2022, 6, 30))
    html = as_user(world.alice).get(f"/people/{child.pk}/").content.decode()
    assert "Looked after in the past" in html and 'data-testid="cla-history"' in html
    assert "10 January 2022" in html and "30 June 2022" in html
    assert 'data-testid="cla-dues"' not in html


def test_the_panel_needs_the_capability(world, as_user, mia):
    from haven.people.panels import panels_for

    assert not [p for p in panels_for(mia, world.sid) if p.anchor == "cla-at-a-glance"]


def test_placements_in_the_last_12_months(world, today):
    from haven.looked_after.models import Placement

    child = kid(world)
    period, first = looked_after(child, today - dt.timedelta(days=500))
    first.end_date = today - dt.timedelta(days=200)
    first.save()
    Placement.objects.create(period=period, person=child, start_date=first.end_date, end_date=today - dt.timedelta(days=10),
                             place="U6", provider_code="PR1")
    Placement.objects.create(period=period, person=child, start_date=today - dt.timedelta(days=10), place="K2",
                             provider_code="PR4", location="OUT")
    g = queries.glance(child, world.alice)
    assert g["placements_in_year"] == 3 and g["placement"].place == "K2"


# -- the child's page and forms ---------------------------------------------------------------
def test_the_childs_care_planning_page(world, as_user, mia):
    html = as_user(world.alice).get(f"/looked-after/care-plans/child/{mia.pk}/").content.decode()
    assert 'data-testid="care-plans"' in html and 'data-testid="reviews"' in html and "PN1" in html
    assert AccessLog.objects.filter(action="view", person_id=mia.pk, summary__startswith="Care planning").exists()
    assert as_user(world.charlie).get(f"/looked-after/care-plans/child/{mia.pk}/").status_code == 404


def test_recording_a_care_plan(world, as_user, mia, today):
    client = as_user(world.alice)
    page = client.get(f"/looked-after/care-plans/add/{mia.pk}/")
    assert page.status_code == 200 and "Long-term fostering" in page.content.decode()   # from the last version
    data = {**dates("agreed_on", today), "summary": "Stay", "needs": "School", "permanence_aim": "long_term_fostering"}
    response = client.post(f"/looked-after/care-plans/add/{mia.pk}/", data)
    plan = CarePlan.objects.filter(person=mia).first()
    assert response.status_code == 302 and plan.agreed_on == today
    bad = client.post(f"/looked-after/care-plans/add/{mia.pk}/", {**data, **dates("agreed_on", D(2024, 1, 1))})
    assert bad.status_code == 200 and "no more than 3 months before" in bad.content.decode()


def test_care_plan_for_a_child_never_looked_after_explains(world, as_user):
    page = as_user(world.alice).get(f"/looked-after/care-plans/add/{world.child.pk}/")
    assert page.status_code == 200 and "has never been looked after" in page.content.decode()
    assert as_user(world.alice).post(f"/looked-after/care-plans/add/{world.child.pk}/", {}).status_code == 400


def test_recording_a_review_and_a_smart_recommendation(world, as_user, mia, today):
    client = as_user(world.iris)
    data = {**dates("held_on", today), "participation": "PN1", "decisions": "Plan endorsed"}
    response = client.post(f"/looked-after/reviews/add/{mia.pk}/", data)
    review = LACReview.objects.filter(person=mia).first()
    assert response.status_code == 302 and review.held_on == today and review.chair == world.iris
    url = f"/looked-after/reviews/{review.pk}/recommendations/add/"
    warned = client.post(url, {"action": "See the dentist", "owner": "Carer"})
    html = warned.content.decode()
    assert warned.status_code == 200 and 'data-testid="smart-warning"' in html
    assert "a measurable outcome, a due date" in html
    saved = client.post(url, {"action": "See the dentist", "owner": "Carer", "save_incomplete": "on",
                              "incomplete_items": "a measurable outcome,a due date"})
    assert saved.status_code == 302
    rec = ReviewRecommendation.objects.get(review=review)
    assert not rec.is_smart
    detail = client.get(f"/looked-after/reviews/{review.pk}/").content.decode()
    assert 'data-testid="incomplete-count"' in detail and 'data-testid="incomplete"' in detail
    # progress is updated by the social worker
    progress = as_user(world.alice).post(f"/looked-after/reviews/recommendations/{rec.pk}/progress/",
                                         {"status": "done", "progress": "Seen 3 May", "version": rec.version})
    rec.refresh_from_db()
    assert progress.status_code == 302 and rec.status == "done"


def test_a_review_form_refuses_pn0_for_an_older_child(world, as_user, mia, today):
    response = as_user(world.iris).post(f"/looked-after/reviews/add/{mia.pk}/",
                                        {**dates("held_on", today), "participation": "PN0", "decisions": "x"})
    assert response.status_code == 200 and "PN0 is for children under 4" in response.content.decode()


def test_only_an_iro_records_reviews(world, as_user, mia):
    assert as_user(world.alice).get(f"/looked-after/reviews/add/{mia.pk}/").status_code == 403


def test_a_team_manager_changes_the_iro(world, as_user, mia, today):
    from haven.accounts.roles import Role
    from haven.core.testing import make_user

    olive = make_user("olive", role=Role.CP_CHAIR_IRO, team=world.wcc_team, first="Olive")
    client = as_user(world.bob)
    page = client.get(f"/looked-after/iro/allocate/{mia.pk}/").content.decode()
    assert 'data-testid="allocations"' in page and "Iris" in page
    response = client.post(f"/looked-after/iro/allocate/{mia.pk}/", {"worker": olive.pk, **dates("start_date", today)})
    assert response.status_code == 302
    assert Allocation.objects.current().get(person=mia, role="iro").worker == olive
    assert as_user(world.alice).get(f"/looked-after/iro/allocate/{mia.pk}/").status_code == 403


def test_recording_a_statutory_visit(world, as_user, mia):
    client = as_user(world.alice)
    now = timezone.localtime() - dt.timedelta(minutes=5)
    response = client.post(f"/looked-after/visits/add/{mia.pk}/", {
        **dates("date", now.date()), "time": f"{now:%H:%M}", "seen": "on", "seen_alone": "on", "notes": "All well"})
    assert response.status_code == 302
    [subject] = [s for s in mia.recordings.all() if s.recording.kind == "cla_visit"]
    assert subject.seen and subject.seen_alone
    future = timezone.localdate() + dt.timedelta(days=2)
    bad = client.post(f"/looked-after/visits/add/{mia.pk}/", {**dates("date", future), "time": "10:00",
                                                              "notes": "x"})
    assert bad.status_code == 200 and "today or in the past" in bad.content.decode()
    early = client.post(f"/looked-after/visits/add/{mia.pk}/", {**dates("date", D(2024, 1, 5)), "time": "10:00",
                                                               "notes": "x"})
    assert "was not looked after on 5 January 2024" in early.content.decode()


# -- team and IRO views ----------------------------------------------------------------------
def test_the_team_view_lists_the_looked_after_children_in_scope(world, as_user, mia, mia_hf):
    response = as_user(world.bob).get("/looked-after/team/")
    html = response.content.decode()
    assert response.status_code == 200 and f'data-person="{mia.pk}"' in html and f'data-person="{mia_hf.pk}"' not in html
    assert 'aria-sort="ascending"' in html and "?sort=-name" in html


def test_scope_charlie_sees_only_hammersmith_and_petra_only_her_allocated(world, mia, mia_hf, today):
    charlie = {r.person for r in queries.rows_for(queries.team_queryset(world.charlie, queries.Filters())[0])}
    assert mia_hf in charlie and mia not in charlie
    assert not list(queries.team_queryset(world.petra, queries.Filters())[0])
    Allocation.objects.create(person=mia, authority=world.westminster, team=world.wcc_team, worker=world.petra,
                              role="partner", start_date=today)
    assert [p.person for p in queries.team_queryset(world.petra, queries.Filters())[0]] == [mia]


def test_team_view_filters(world, as_user, mia, today):
    other = kid(world, first="Out")
    looked_after(other, today - dt.timedelta(days=3), place="K2", location="OUT")
    client = as_user(world.bob)

    def people(**params):
        html = client.get("/looked-after/team/", params).content.decode()
        return {p for p in (mia, other) if f'data-person="{p.pk}"' in html}

    assert people() == {mia, other}
    assert people(location="OUT") == {other}
    assert people(place="U4") == {mia}
    assert people(iro=world.iris.pk) == {mia}
    assert people(social_worker=world.alice.pk) == {mia}
    assert people(team=world.wcc_team.pk) == {mia}
    assert people(authority=world.hammersmith.pk) == set()
    assert people(overdue="1") == {mia}      # the other's first visit is not due yet


def test_team_view_sorts_by_days_in_care_and_due_dates(world, as_user, mia, today):
    newer = kid(world, first="Aaron")
    looked_after(newer, today - dt.timedelta(days=3))
    client = as_user(world.bob)

    def order(sort):
        html = client.get("/looked-after/team/", {"sort": sort}).content.decode()
        return [p for _i, p in sorted((html.index(f'data-person="{p.pk}"'), p) for p in (mia, newer))]

    assert order("-days") == [mia, newer]
    assert order("days") == [newer, mia]
    assert order("visit") == [mia, newer]   # mia's visit is long overdue
    assert order("-name") == [newer, mia]   # by last name, descending: Team, then Cared
    assert order("nonsense")[0] in (mia, newer)


def test_team_view_paginates(world, as_user, today):
    for n in range(3):
        looked_after(kid(world, first=f"Page{n}"), today - dt.timedelta(days=5))
    from haven.care_planning import views

    views.TeamView.paginate_by = 2
    try:
        html = as_user(world.bob).get("/looked-after/team/", {"page": 2}).content.decode()
    finally:
        views.TeamView.paginate_by = 50
    assert "Page 2 of " in html and 'rel="prev"' in html and html.count('data-person="') == 2


def test_team_view_exports_csv_and_audits_it(world, as_user, mia):
    response = as_user(world.bob).get("/looked-after/team/", {"format": "csv", "place": "U4"})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/csv" and "attachment" in response["Content-Disposition"]
    lines = body.strip().splitlines()
    assert lines[0].startswith("Local ID,Name") and any(line.startswith(mia.local_id) for line in lines[1:])
    assert all(",U4," in line for line in lines[1:])
    entry = AccessLog.objects.filter(action="export").latest("at")
    assert entry.detail["rows"] == len(lines) - 1 and entry.detail["filters"] == {"place": "U4"}


def test_the_iro_view_shows_the_iros_children(world, as_user, mia):
    html = as_user(world.iris).get("/looked-after/iro/").content.decode()
    assert "Children I review" in html and f'data-person="{mia.pk}"' in html
    other = kid(world, first="NoIro")
    looked_after(other, timezone.localdate() - dt.timedelta(days=5))
    assert f'data-person="{other.pk}"' not in html
    managed = as_user(world.bob).get("/looked-after/iro/", {"iro": world.iris.pk}).content.decode()
    assert f'data-person="{mia.pk}"' in managed and "Children reviewed by Iris" in managed
    assert f'data-person="{mia.pk}"' not in as_user(world.bob).get("/looked-after/iro/").content.decode()


def test_the_team_views_need_the_capability(world, as_user):
    assert as_user(world.alice).get("/looked-after/team/").status_code == 403
    assert as_user(world.alice).get("/looked-after/iro/").status_code == 403


def test_the_team_view_runs_a_fixed_number_of_queries(world, as_user, today, django_assert_max_num_queries):
    client = as_user(world.bob)
    client.get("/looked-after/team/")
    for n in range(6):
        child = kid(world, first=f"Q{n}")
        looked_after(child, today - dt.timedelta(days=40 + n))
        Allocation.objects.create(person=child, authority=world.westminster, team=world.wcc_team, worker=world.alice,
                                  role="social_worker", start_date=today)
    with django_assert_max_num_queries(25):
        assert client.get("/looked-after/team/").status_code == 200


def test_care_plans_and_reviews_are_in_the_chronology(world, as_user, mia):
    html = as_user(world.alice).get(f"/people/{mia.pk}/chronology/").content.decode()
    assert "Care plan agreed" in html and "Looked-after review" in html and "PN1" in html
