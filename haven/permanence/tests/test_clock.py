"""The 26-week rule (``proceedings_26w``): due 26 weeks after issue, met when the proceedings
conclude, extended by the court (up to 8 weeks at a time) through the existing exemption
mechanism; only care and supervision applications have it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from haven.permanence import services
from haven.permanence.models import CareProceedings
from haven.work.models import Deadline, TimescaleExemption

D = dt.date


def deadline(p):
    ct = ContentType.objects.get_for_model(CareProceedings)
    return Deadline.objects.get(rule="proceedings_26w", content_type=ct, object_id=p.pk)


def due(p) -> dt.date:
    return timezone.localtime(deadline(p).due_at).date()


def issue(world, child, issued_on, application="care"):
    return services.issue_proceedings(actor=world.alice, person=child, court="Family Court", application=application,
                                      issued_on=issued_on)


def test_the_rule_is_registered_with_its_citation():
    from haven.core.timescales.rules import RULES

    rule = RULES["proceedings_26w"]
    assert rule.exemptible
    assert "Children and Families Act 2014 s.14" in rule.citation and "s.32(1)(a)" in rule.citation


def test_due_26_weeks_after_issue_and_met_by_conclusion(world, child):
    p = issue(world, child, D(2023, 4, 3))
    assert due(p) == D(2023, 10, 2)        # 3 April + 182 days
    d = deadline(p)
    assert d.met_at is None and d.is_overdue and d.person_id == child.pk
    services.update_proceedings(actor=world.alice, proceedings=p, expected_version=p.version,
                                concluded_on=D(2023, 9, 29), outcome="care_order")
    d = deadline(p)
    assert timezone.localtime(d.met_at).date() == D(2023, 9, 29) and d.met_in_time


def test_concluded_late(world, child):
    p = issue(world, child, D(2023, 4, 3))
    services.update_proceedings(actor=world.alice, proceedings=p, expected_version=p.version,
                                concluded_on=D(2023, 10, 20), outcome="sgo")
    assert deadline(p).met_in_time is False


def test_a_running_clock_is_not_overdue_before_26_weeks(world, child):
    p = issue(world, child, timezone.localdate() - dt.timedelta(weeks=2))
    d = deadline(p)
    assert not d.is_overdue and due(p) == timezone.localdate() + dt.timedelta(weeks=24)


def test_placement_order_applications_have_no_26_week_clock(world, child):
    p = issue(world, child, D(2023, 4, 3), application="placement")
    assert not Deadline.objects.filter(rule="proceedings_26w", object_id=p.pk,
                                       content_type=ContentType.objects.get_for_model(CareProceedings)).exists()
    with pytest.raises(services.Refused):
        services.record_extension(actor=world.alice, proceedings=p, extended_to=D(2023, 11, 1), reason="x")


def test_an_extension_moves_the_due_date_and_makes_a_conclusion_in_time(world, child):
    p = issue(world, child, D(2023, 4, 3))
    services.record_extension(actor=world.alice, proceedings=p, extended_to=D(2023, 11, 27),
                              reason="Expert assessment of the grandmother")
    p.refresh_from_db()
    assert p.extension_granted and p.extended_to == D(2023, 11, 27)
    assert "grandmother" in p.extension_reason
    ex = TimescaleExemption.objects.get(rule="proceedings_26w", object_id=p.pk)
    assert ex.kind == "extend" and ex.decided_by == world.alice
    assert due(p) == D(2023, 11, 27)
    services.update_proceedings(actor=world.alice, proceedings=p, expected_version=p.version,
                                concluded_on=D(2023, 11, 20), outcome="sgo")
    assert deadline(p).met_in_time is True
    assert due(p) == D(2023, 11, 27)


def test_a_second_extension_counts_from_the_first(world, child):
    p = issue(world, child, D(2023, 4, 3))
    services.record_extension(actor=world.alice, proceedings=p, extended_to=D(2023, 11, 27), reason="First")
    with pytest.raises(services.Refused) as exc:
        services.record_extension(actor=world.alice, proceedings=p, extended_to=D(2024, 1, 23), reason="Second")
    assert "no later than 22 January 2024" in exc.value.problems[0].message
    services.record_extension(actor=world.alice, proceedings=p, extended_to=D(2024, 1, 22), reason="Second")
    assert due(p) == D(2024, 1, 22)


def test_extension_refusals(world, child):
    p = issue(world, child, D(2023, 4, 3))
    with pytest.raises(services.Refused) as exc:
        services.record_extension(actor=world.alice, proceedings=p, extended_to=D(2023, 12, 1), reason="")
    assert {q.field for q in exc.value.problems} == {"reason", "extended_to"}   # more than 8 weeks
    with pytest.raises(services.Refused) as exc:
        services.record_extension(actor=world.alice, proceedings=p, extended_to=D(2023, 9, 1), reason="x")
    assert "after the current limit (2 October 2023)" in exc.value.problems[0].message
    services.update_proceedings(actor=world.alice, proceedings=p, expected_version=p.version,
                                concluded_on=D(2023, 9, 1), outcome="care_order")
    p.refresh_from_db()
    with pytest.raises(services.Refused) as exc:
        services.record_extension(actor=world.alice, proceedings=p, extended_to=D(2023, 10, 20), reason="x")
    assert "within the time" in exc.value.problems[0].message
