"""Starting, moving, changing legal status, ending and correcting periods of care; refusals;
SSDA903 warnings and their acknowledgement; distance and location; chronology, flag, panel and
the SSDA903 Episodes rows for the return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.looked_after import postcodes, returns, services
from haven.looked_after.models import Episode, PeriodOfCare, Placement, Provider

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=100)


@pytest.fixture(autouse=True)
def _today():
    """Today as each test runs, not as the module was collected (a run may cross midnight)."""
    global TODAY, START
    TODAY = timezone.localdate()
    START = TODAY - dt.timedelta(days=100)


def start(kid, user, **kw):
    args = dict(start_date=START, legal_status="C2", category_of_need="N1", place="U6", provider_code="PR1",
                carer="Ms Foster", postcode="W9 3AB", home_postcode="W2 4AB", user=user)
    args.update(kw)
    return services.start_period(kid, **args)


def move(period, user, **kw):
    args = dict(date=START + dt.timedelta(days=30), place="U4", provider_code="PR4", carer="Mr Long",
                postcode="W11 5AB", reason_for_change="CARPL", user=user)
    args.update(kw)
    return services.change_placement(period, **args)


def fields(exc) -> set:
    return {f for f, _m in exc.value.errors}


def test_start_creates_period_placement_and_episode(world, kid):
    from haven.assessments.models import CINEpisode

    cin = CINEpisode.objects.create(person=kid, authority=kid.authority, referral_date=START - dt.timedelta(days=20),
                                    source="1A")
    period = start(kid, world.alice)
    [episode] = period.episodes.all()
    assert (episode.reason_new, episode.legal_status, episode.start_date) == ("S", "C2", START)
    placement = episode.placement
    assert placement.distance_miles is not None and placement.distance_miles < Decimal("3")
    assert placement.location == "IN" and placement.placing_authority_area == "Westminster"
    assert period.cin_episode == cin
    assert episode.warnings_acknowledged == ""


@pytest.mark.parametrize("kw,field", [
    ({"start_date": "tomorrow"}, "start_date"),
    ({"start_date": dt.date(2013, 1, 1)}, "start_date"),        # before birth
    ({"legal_status": "ZZ"}, "legal_status"),
    ({"category_of_need": ""}, "category_of_need"),
    ({"place": "XX"}, "place"),
    ({"provider_code": ""}, "provider_code"),
    ({"postcode": "NOT A CODE"}, "postcode"),
])
def test_start_refuses_impossible_data(world, kid, kw, field):
    if kw.get("start_date") == "tomorrow":
        kw = {"start_date": TODAY + dt.timedelta(days=1)}
    with pytest.raises(services.Refused) as exc:
        start(kid, world.alice, **kw)
    assert field in fields(exc)
    assert not PeriodOfCare.objects.filter(person=kid).exists()


def test_start_refuses_adults_overlaps_and_outsiders(world, kid):
    with pytest.raises(services.Refused) as exc:
        start(world.parent, world.alice)
    assert "adult" in str(exc.value)
    start(kid, world.alice)
    with pytest.raises(services.Refused) as exc:
        start(kid, world.alice, start_date=START + dt.timedelta(days=5))
    assert "already looked after" in str(exc.value)
    with pytest.raises(PermissionDenied):
        start(world.outsider, world.alice)
    with pytest.raises(PermissionDenied):
        start(kid, world.petra)


def test_new_period_cannot_overlap_an_ended_one(world, kid):
    period = start(kid, world.alice)
    services.end_period(period, date=START + dt.timedelta(days=10), reason="E13", user=world.alice)
    with pytest.raises(services.Refused) as exc:
        start(kid, world.alice, start_date=START + dt.timedelta(days=5))
    assert "must start after the last one ended" in str(exc.value)
    again = start(kid, world.alice, start_date=START + dt.timedelta(days=20), acknowledge_warnings=True)
    assert again.episodes.get().reason_new == "S"


def test_change_placement_closes_with_x1_and_opens_p(world, kid):
    period = start(kid, world.alice)
    episode = move(period, world.alice)
    first, second = period.episodes.order_by("start_date", "pk")
    assert (first.end_reason, first.end_date) == ("X1", episode.start_date)
    assert first.placement.reason_for_change == "CARPL" and first.placement.end_date == episode.start_date
    assert (second.reason_new, second.legal_status, second.category_of_need) == ("P", "C2", "N1")
    assert second.placement.place == "U4" and second.placement.location == "OUT"   # W11: Kensington and Chelsea


def test_change_placement_with_legal_status_is_t_and_same_carer_b_or_u(world, kid):
    period = start(kid, world.alice)
    assert move(period, world.alice, legal_status="C1").reason_new == "T"
    assert move(period, world.alice, date=START + dt.timedelta(days=40), same_carer=True,
                place="U6").reason_new == "B"
    assert move(period, world.alice, date=START + dt.timedelta(days=50), same_carer=True,
                legal_status="C2").reason_new == "U"


def test_change_placement_refusals(world, kid):
    period = start(kid, world.alice)
    with pytest.raises(services.Refused) as exc:
        move(period, world.alice, date=START - dt.timedelta(days=1), reason_for_change="")
    assert fields(exc) == {"date", "reason_for_change"}
    with pytest.raises(services.Refused) as exc:
        move(period, world.alice, date=TODAY + dt.timedelta(days=1))
    assert fields(exc) == {"date"}


def test_change_legal_status_keeps_the_placement(world, kid):
    period = start(kid, world.alice)
    episode = services.change_legal_status(period, date=START + dt.timedelta(days=3), legal_status="C1",
                                           user=world.alice)
    first = period.episodes.order_by("start_date").first()
    assert episode.reason_new == "L" and episode.placement_id == first.placement_id
    with pytest.raises(services.Refused) as exc:
        services.change_legal_status(period, date=START + dt.timedelta(days=4), legal_status="C1", user=world.alice)
    assert "already" in str(exc.value)


def test_end_period(world, kid):
    period = start(kid, world.alice)
    with pytest.raises(services.Refused) as exc:
        services.end_period(period, date=START + dt.timedelta(days=9), reason="X1", user=world.alice)
    assert fields(exc) == {"reason"}
    services.end_period(period, date=START + dt.timedelta(days=9), reason="E13", user=world.alice)
    period.refresh_from_db()
    episode = period.episodes.get()
    assert (period.end_reason, episode.end_reason, episode.placement.end_date) == ("E13", "E13", period.end_date)
    with pytest.raises(services.Refused):
        move(period, world.alice)


def test_warnings_refuse_until_acknowledged_and_are_recorded(world, kid):
    # A children's home with no URN, at the child's home postcode: 218 and 392d.
    with pytest.raises(services.Unacknowledged) as exc:
        start(kid, world.alice, place="K2", provider_code="PR4", postcode="W2 4AB")
    assert {"218", "392d"} <= {f.code for f in exc.value.findings}
    assert not PeriodOfCare.objects.filter(person=kid).exists()
    # Only the warnings shown count: an acknowledgement of other codes does not.
    with pytest.raises(services.Unacknowledged):
        start(kid, world.alice, place="K2", provider_code="PR4", postcode="W2 4AB", acknowledge_warnings={"218"})
    period = start(kid, world.alice, place="K2", provider_code="PR4", postcode="W2 4AB", acknowledge_warnings=True)
    text = period.episodes.get().warnings_acknowledged
    assert "218" in text and "392d" in text and "Alice" in text


def test_adoption_end_warns_when_not_placed_for_adoption(world, kid):
    period = start(kid, world.alice)
    with pytest.raises(services.Unacknowledged) as exc:
        services.end_period(period, date=START + dt.timedelta(days=9), reason="E11", user=world.alice)
    assert "390" in {f.code for f in exc.value.findings}


def test_correct_episode_is_versioned_and_validated(world, kid):
    from haven.core.versioning import StaleEdit

    period = start(kid, world.alice)
    episode = period.episodes.get()
    services.correct_episode(episode, expected_version=episode.version, user=world.alice, category_of_need="N4")
    episode.refresh_from_db()
    assert episode.category_of_need == "N4" and episode.version == 2
    with pytest.raises(StaleEdit):
        services.correct_episode(episode, expected_version=1, user=world.alice, category_of_need="N5")
    with pytest.raises(services.Refused) as exc:
        services.correct_episode(episode, expected_version=2, user=world.alice, end_date=START - dt.timedelta(days=1),
                                 end_reason="E8")
    assert "end_date" in fields(exc)
    with pytest.raises(services.Unacknowledged) as exc:
        services.correct_episode(episode, expected_version=2, user=world.alice, reason_new="P")
    assert "357" in {f.code for f in exc.value.findings}


def test_uasc_has_no_distance_and_unknown_districts_are_not_guessed(world, kid):
    period = start(kid, world.alice, uasc=True, acknowledge_warnings=True)
    assert period.episodes.get().placement.distance_miles is None
    placed = postcodes.place(home_postcode="W2 4AB", placement_postcode="ZE1 0AA", authority_ons_code="E09000033")
    assert placed.distance_miles is None and "distance not computed" in placed.note and placed.location == ""


def test_distance_and_location():
    assert postcodes.distance("W2 1AA", "W2 9ZZ") == Decimal("0.0")
    kent = postcodes.place(home_postcode="W2 1AA", placement_postcode="ME14 1AB", authority_ons_code="E09000033")
    assert kent.location == "OUT" and kent.area == "Kent" and Decimal("30") < kent.distance_miles < Decimal("40")
    assert postcodes.place(home_postcode="W6 1AA", placement_postcode="W12 1AA",
                           authority_ons_code="E09000013").location == "IN"
    assert postcodes.normalise("w21aa") == "W2 1AA" and postcodes.is_valid("SW1A 1AA")
    assert not postcodes.is_valid("W2")
    assert len(postcodes.DISTRICTS) < 200


def test_provider_urn_and_rating_copied_to_placement(world, kid):
    provider = Provider.objects.create(name="Test Home", urn="SC999999", provider_code="PR4", ofsted_rating="good")
    period = start(kid, world.alice, place="K2", provider_code="", provider=provider)
    placement = period.placements.get()
    assert (placement.urn, placement.ofsted_rating, placement.provider_code) == ("SC999999", "good", "PR4")


def test_test_world_children(world):
    for child, area in ((world.la_child, "Kent"), (world.la_outsider, "Reading")):
        period = PeriodOfCare.objects.get(person=child)
        assert period.placements.count() == 2 and period.episodes.count() == 2
        current = Placement.objects.get(person=child, end_date__isnull=True)
        assert current.placing_authority_area == area and current.location == "OUT"


def test_chronology_flag_and_panel(world, kid):
    from haven.chronology.registry import SOURCES  # noqa: F401  (registered by apps.ready)
    from haven.looked_after import chronology, flags, panels

    period = start(kid, world.alice)
    move(period, world.alice)
    services.change_legal_status(period, date=START + dt.timedelta(days=40), legal_status="C1", user=world.alice)
    titles = [e.title for fn in (chronology.periods, chronology.moves, chronology.legal_status)
              for e in fn(kid, world.alice)]
    assert titles.count("Started to be looked after") == 1 and "Placement move" in titles
    assert "Legal status changed" in titles
    details = [e.detail for e in chronology.moves(kid, world.alice)]
    assert "Change to or implementation of the care plan" in details[0]
    [flag] = list(flags.looked_after(kid))
    assert flag.label == "Looked after" and "C1" in flag.detail
    panel = panels.looked_after(kid, world.alice)
    # days in care and placements this year are on the "at a glance" panel (care_planning)
    from haven.looked_after import queries

    assert queries.placements_in_last_year(kid, world.alice) == 2 and period.days_in_care() == 101
    assert panel.context["current"] == period
    assert not panel.context["can_start"]
    assert panels.looked_after(kid, world.nora) is None
    services.end_period(period, date=START + dt.timedelta(days=50), reason="E13", user=world.alice)
    assert list(flags.looked_after(kid)) == []
    assert "Ceased to be looked after" in [e.title for e in chronology.periods(kid, world.alice)]
    assert list(chronology.periods(kid, world.charlie)) == []


def test_episodes_for_return(world, kid):
    period = start(kid, world.alice)
    move(period, world.alice)
    year_start, year_end = START - dt.timedelta(days=10), TODAY
    rows = [r for r in returns.episodes_for_return(world.westminster, year_start, year_end) if r["CHILD"] == str(kid.pk)]
    assert [r["RNE"] for r in rows] == ["S", "P"]
    first = rows[0]
    assert set(first) == set(returns.COLUMNS)
    assert first["DECOM"] == START.strftime("%d/%m/%Y") and first["REC"] == "X1"
    assert first["REASON_PLACE_CHANGE"] == "CARPL" and first["HOME_POST"] == "W2 4AB" and first["PL_POST"] == "W9 3AB"
    assert rows[1]["DEC"] == "" and rows[1]["REASON_PLACE_CHANGE"] == ""
    # Before the move, the first episode was still open at the year end.
    early = [r for r in returns.episodes_for_return(world.westminster, year_start, START + dt.timedelta(days=5))
             if r["CHILD"] == str(kid.pk)]
    assert len(early) == 1 and early[0]["DEC"] == "" and early[0]["REC"] == ""
    assert not [r for r in returns.episodes_for_return(world.hammersmith, year_start, year_end)
                if r["CHILD"] == str(kid.pk)]
    assert Episode.objects.filter(person=kid).count() == 2
