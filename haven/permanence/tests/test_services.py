"""The use-cases' refusals and rules: plan history, meetings, pre-proceedings, proceedings,
the adoption journey's order and the ADM capability, special guardianship."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.permanence import services
from haven.permanence.models import (
    AdoptionDecision,
    CareProceedings,
    PermanencePlan,
    PreProceedings,
)

D = dt.date
K = AdoptionDecision.Kind


def messages(exc) -> str:
    return " | ".join(p.message for p in exc.value.problems)


def fields(exc) -> set[str]:
    return {p.field for p in exc.value.problems}


# --- permanence plan --------------------------------------------------------------------------

def test_a_change_of_plan_keeps_the_history(world, child):
    first = services.set_plan(actor=world.alice, person=child, plan="return_home", decided_on=D(2023, 2, 1),
                              reason="Mother engaging")
    assert first.period is not None and first.is_current
    second = services.set_plan(actor=world.alice, person=child, plan="adoption", decided_on=D(2023, 6, 1),
                               reason="Assessment negative")
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert list(PermanencePlan.objects.filter(person=child).values_list("plan", flat=True)) == ["adoption", "return_home"]
    assert services.current_plan(child) == second


def test_plan_refusals(world, child):
    services.set_plan(actor=world.alice, person=child, plan="adoption", decided_on=D(2023, 6, 1), reason="x")
    with pytest.raises(services.Refused) as exc:
        services.set_plan(actor=world.alice, person=child, plan="adoption", decided_on=D(2023, 7, 1), reason="x")
    assert "already" in messages(exc)
    with pytest.raises(services.Refused) as exc:
        services.set_plan(actor=world.alice, person=child, plan="kinship", decided_on=D(2023, 5, 1), reason="x")
    assert "on or after it" in messages(exc)
    with pytest.raises(services.Refused) as exc:
        services.set_plan(actor=world.alice, person=child, plan="kinship",
                          decided_on=timezone.localdate() + dt.timedelta(days=1), reason="")
    assert {"decided_on", "reason"} <= fields(exc)
    with pytest.raises(services.Refused) as exc:
        services.set_plan(actor=world.alice, person=child, plan="kinship", decided_on=D(2020, 1, 1), reason="x")
    assert "date of birth" in messages(exc)


def test_plan_needs_capability_and_scope(world, child):
    with pytest.raises(PermissionDenied):
        services.set_plan(actor=world.nora, person=child, plan="adoption", decided_on=D(2023, 6, 1), reason="x")
    with pytest.raises(PermissionDenied):
        services.set_plan(actor=world.charlie, person=child, plan="adoption", decided_on=D(2023, 6, 1), reason="x")
    with pytest.raises(PermissionDenied):
        services.set_plan(actor=world.petra, person=child, plan="adoption", decided_on=D(2023, 6, 1), reason="x")


def test_meeting_refusals(world, child):
    with pytest.raises(services.Refused) as exc:
        services.record_meeting(actor=world.alice, person=child, held_on=D(2023, 3, 1), decisions="",
                                next_meeting_on=D(2023, 2, 1))
    assert fields(exc) == {"decisions", "next_meeting_on"}
    m = services.record_meeting(actor=world.alice, person=child, held_on=D(2023, 3, 1), decisions="Plan adoption",
                                next_meeting_on=D(2023, 6, 1))
    assert m.authority == world.westminster


# --- pre-proceedings and proceedings ---------------------------------------------------------

def test_pre_proceedings_refusals(world, child):
    with pytest.raises(services.Refused) as exc:
        services.record_pre_proceedings(actor=world.alice, person=child, pla_meeting_on=D(2023, 3, 1),
                                        letter_before_proceedings_on=D(2023, 3, 5), outcome="diverted")
    assert fields(exc) == {"letter_before_proceedings_on", "ended_on"}
    with pytest.raises(services.Refused) as exc:
        services.record_pre_proceedings(actor=world.alice, person=child, pla_meeting_on=D(2023, 3, 1),
                                        outcome="ongoing", ended_on=D(2023, 4, 1))
    assert "no end date" in messages(exc)
    services.record_pre_proceedings(actor=world.alice, person=child, pla_meeting_on=D(2023, 3, 1),
                                    letter_before_proceedings_on=D(2023, 2, 20))
    with pytest.raises(services.Refused) as exc:
        services.record_pre_proceedings(actor=world.alice, person=child, pla_meeting_on=D(2023, 4, 1))
    assert "already in pre-proceedings" in messages(exc)


def test_issuing_proceedings_ends_pre_proceedings(world, child):
    pre = services.record_pre_proceedings(actor=world.alice, person=child, pla_meeting_on=D(2023, 3, 1))
    with pytest.raises(services.Refused) as exc:
        services.issue_proceedings(actor=world.alice, person=child, court="Family Court", application="care",
                                   issued_on=D(2023, 2, 1), pre_proceedings=pre)
    assert "on or after the pre-proceedings meeting" in messages(exc)
    p = services.issue_proceedings(actor=world.alice, person=child, court="Family Court", application="care",
                                   issued_on=D(2023, 4, 3), pre_proceedings=pre, case_number="ZW23C001")
    pre.refresh_from_db()
    assert pre.outcome == PreProceedings.Outcome.ISSUED and pre.ended_on == D(2023, 4, 3)
    assert p.pre_proceedings == pre


def test_proceedings_refusals(world, child):
    with pytest.raises(services.Refused) as exc:
        services.issue_proceedings(actor=world.alice, person=child, court="", application="nonsense",
                                   issued_on=D(2023, 4, 3), interim_order_on=D(2023, 4, 1), outcome="care_order")
    assert fields(exc) == {"court", "application", "interim_order_on", "concluded_on"}
    p = services.issue_proceedings(actor=world.alice, person=child, court="FC", application="care",
                                   issued_on=D(2023, 4, 3))
    with pytest.raises(services.Refused) as exc:
        services.update_proceedings(actor=world.alice, proceedings=p, expected_version=p.version,
                                    concluded_on=D(2023, 9, 1))
    assert "Select the outcome" in messages(exc)
    with pytest.raises(services.Refused) as exc:
        services.update_proceedings(actor=world.alice, proceedings=p, expected_version=p.version,
                                    concluded_on=D(2023, 3, 1), outcome="care_order")
    assert "on or after the application was issued" in messages(exc)
    services.update_proceedings(actor=world.alice, proceedings=p, expected_version=p.version,
                                concluded_on=D(2023, 9, 1), outcome="care_order")
    p.refresh_from_db()
    assert p.outcome == "care_order" and p.version == 2


def test_a_stale_update_is_refused(world, child):
    from haven.core.versioning import StaleEdit

    p = services.issue_proceedings(actor=world.alice, person=child, court="FC", application="care",
                                   issued_on=D(2023, 4, 3))
    services.update_proceedings(actor=world.alice, proceedings=p, expected_version=1, final_hearing_on=D(2023, 9, 1))
    stale = CareProceedings.objects.get(pk=p.pk)
    with pytest.raises(StaleEdit):
        services.update_proceedings(actor=world.bob, proceedings=stale, expected_version=1, court="Other")


# --- adoption ---------------------------------------------------------------------------------

def step(world, child, kind, on, actor=None, **extra):
    return services.record_adoption_step(actor=actor or world.bob, person=child, kind=kind, decided_on=on, **extra)


def test_adoption_journey_in_order(world, child):
    step(world, child, K.SHOULD_BE_PLACED, D(2023, 5, 2))
    step(world, child, K.PLACEMENT_ORDER, D(2023, 7, 3), actor=world.alice)
    step(world, child, K.MATCHED, D(2023, 10, 2), actor=world.alice)
    step(world, child, K.PLACED, D(2023, 10, 16), actor=world.alice)
    step(world, child, K.ADOPTION_ORDER, D(2024, 3, 4), actor=world.alice)
    assert AdoptionDecision.objects.filter(person=child).count() == 5


def test_adm_decisions_need_permanence_decide(world, child):
    with pytest.raises(PermissionDenied):
        step(world, child, K.SHOULD_BE_PLACED, D(2023, 5, 2), actor=world.alice)
    step(world, child, K.SHOULD_BE_PLACED, D(2023, 5, 2))
    with pytest.raises(PermissionDenied):
        step(world, child, K.REVERSED, D(2023, 6, 2), actor=world.alice, reason_ceased="RD1")


@pytest.mark.parametrize("kind, message", [
    (K.MATCHED, "Record the agency decision maker's decision"),
    (K.PLACEMENT_ORDER, "Record the agency decision maker's decision"),
    (K.PLACED, "Record the agency decision maker's decision"),
    (K.ADOPTION_ORDER, "Record the agency decision maker's decision"),
])
def test_nothing_before_the_adm_decision(world, child, kind, message):
    with pytest.raises(services.Refused) as exc:
        step(world, child, kind, D(2023, 5, 2), actor=world.alice)
    assert message in messages(exc)


def test_out_of_order_steps_are_refused(world, child):
    step(world, child, K.SHOULD_BE_PLACED, D(2023, 5, 2))
    with pytest.raises(services.Refused) as exc:   # before the ADM decision
        step(world, child, K.MATCHED, D(2023, 4, 2))
    assert "Record the agency decision maker's decision" in messages(exc)
    with pytest.raises(services.Refused) as exc:
        step(world, child, K.PLACED, D(2023, 6, 1))
    assert "must be matched" in messages(exc)
    with pytest.raises(services.Refused) as exc:
        step(world, child, K.SHOULD_BE_PLACED, D(2023, 6, 1))
    assert "already decided" in messages(exc)
    step(world, child, K.MATCHED, D(2023, 8, 1))
    with pytest.raises(services.Refused) as exc:   # the order must come before the match
        step(world, child, K.PLACEMENT_ORDER, D(2023, 9, 1))
    assert "comes before the match" in messages(exc)
    with pytest.raises(services.Refused) as exc:   # an adoption order before placement
        step(world, child, K.ADOPTION_ORDER, D(2023, 9, 1))
    assert "after Mia is placed" in messages(exc)
    step(world, child, K.PLACED, D(2023, 8, 14))
    with pytest.raises(services.Refused) as exc:   # 10 weeks with the adopters first
        step(world, child, K.ADOPTION_ORDER, D(2023, 9, 1))
    assert "10 weeks" in messages(exc) and "23 October 2023" in messages(exc)
    with pytest.raises(services.Refused) as exc:   # a back-dated ADM decision after the match
        AdoptionDecision.objects.filter(person=child, kind=K.SHOULD_BE_PLACED).delete()
        step(world, child, K.SHOULD_BE_PLACED, D(2023, 8, 5))
    assert "Out of order with the match" in messages(exc)


def test_after_a_reversal_only_a_new_decision(world, child):
    step(world, child, K.SHOULD_BE_PLACED, D(2023, 5, 2))
    with pytest.raises(services.Refused) as exc:
        step(world, child, K.REVERSED, D(2023, 9, 1))
    assert fields(exc) == {"reason_ceased"}
    step(world, child, K.REVERSED, D(2023, 9, 1), reason_ceased="RD3")
    with pytest.raises(services.Refused) as exc:
        step(world, child, K.MATCHED, D(2023, 10, 1))
    assert "was reversed on 1 September 2023" in messages(exc)
    with pytest.raises(services.Refused) as exc:
        step(world, child, K.REVERSED, D(2023, 10, 1), reason_ceased="RD4")
    assert "already reversed" in messages(exc)
    step(world, child, K.SHOULD_BE_PLACED, D(2023, 11, 1))
    step(world, child, K.MATCHED, D(2023, 12, 1))


def test_nothing_after_the_adoption_order(world, child):
    step(world, child, K.SHOULD_BE_PLACED, D(2023, 5, 2))
    step(world, child, K.MATCHED, D(2023, 7, 3))
    step(world, child, K.PLACED, D(2023, 7, 10))
    step(world, child, K.ADOPTION_ORDER, D(2024, 1, 8))
    with pytest.raises(services.Refused) as exc:
        step(world, child, K.REVERSED, D(2024, 2, 1), reason_ceased="RD4")
    assert "was adopted on 8 January 2024" in messages(exc)


def test_steps_need_the_child_looked_after(world, child):
    with pytest.raises(services.Refused) as exc:
        step(world, child, K.SHOULD_BE_PLACED, D(2022, 12, 1))
    assert "was not looked after on 1 December 2022" in messages(exc)
    with pytest.raises(services.Refused) as exc:
        step(world, child, K.MATCHED, timezone.localdate() + dt.timedelta(days=3))
    assert "today or in the past" in messages(exc)


def test_foster_to_adopt_move_must_precede_the_placement(world, child):
    step(world, child, K.MOVED_IN_WITH_CARERS, D(2023, 2, 1), actor=world.alice)   # before the ADM decision: fine
    step(world, child, K.SHOULD_BE_PLACED, D(2023, 5, 2))
    step(world, child, K.MATCHED, D(2023, 7, 3))
    step(world, child, K.PLACED, D(2023, 7, 10))
    # Lived with the carers since February: 10 weeks have passed by the order.
    step(world, child, K.ADOPTION_ORDER, D(2023, 7, 31))
    other = child.__class__.objects.create(authority=world.westminster, first_name="Zoe", last_name="Tester",
                                           date_of_birth=D(2021, 1, 1), kind="child")
    from haven.permanence.testing import looked_after

    looked_after(other, D(2023, 1, 9))
    step(world, other, K.SHOULD_BE_PLACED, D(2023, 5, 2))
    step(world, other, K.MATCHED, D(2023, 7, 3))
    step(world, other, K.PLACED, D(2023, 7, 10))
    with pytest.raises(services.Refused) as exc:
        step(world, other, K.MOVED_IN_WITH_CARERS, D(2023, 8, 1))
    assert "must be before that" in messages(exc)


# --- special guardianship ---------------------------------------------------------------------

def test_sgo_refusals(world, child):
    p = services.issue_proceedings(actor=world.alice, person=child, court="FC", application="care",
                                   issued_on=D(2023, 4, 3))
    with pytest.raises(services.Refused) as exc:
        services.record_sgo(actor=world.alice, person=child, granted_on=D(2023, 3, 1), guardians="",
                            relationship="cousin", proceedings=p)
    assert fields(exc) == {"guardians", "relationship", "granted_on"}
    o = services.record_sgo(actor=world.alice, person=child, granted_on=D(2023, 9, 1), guardians="Ann Aunt",
                            relationship="relative", proceedings=p)
    assert o.proceedings == p
