"""The "Child protection" panel on a child's summary page: strategy discussions, section 47
enquiries (with the initial conference clock), conferences and the current plan's core groups."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from haven.people.panels import Panel, record_panel

from . import queries
from .models import ConferenceChild, S47Enquiry, StrategyChild


@record_panel(order=30)
def child_protection(person, user):
    if not user.has_capability("protection.view"):
        return None
    decisions = list(StrategyChild.objects.visible_to(user).filter(person=person).select_related("discussion")
                     .prefetch_related("discussion__attendees").order_by("-discussion__held_at"))
    s47s = list(S47Enquiry.objects.visible_to(user).filter(person=person).select_related("strategy_discussion")
                .order_by("-start_date", "-pk"))
    conferences = list(ConferenceChild.objects.visible_to(user).filter(person=person).select_related("conference", "plan")
                       .order_by("-conference__held_on"))
    if person.kind != person.Kind.CHILD and not (decisions or s47s or conferences):
        return None
    clocks = queries.icpc_deadlines(s47s)
    held = {cc.s47_id: cc for cc in conferences if cc.s47_id and cc.conference.kind == "initial"}
    s47_rows = [{"s47": s, "clock": queries.deadline_status(clocks.get(s.pk)), "icpc": held.get(s.pk)} for s in s47s]
    plan = queries.current_cp_plan(person)
    plan_row = None
    if plan is not None and plan.__class__.objects.visible_to(user).filter(pk=plan.pk).exists():
        from haven.work.models import Deadline

        ct = ContentType.objects.get_for_model(plan)
        by_rule = {}
        for d in Deadline.objects.filter(content_type=ct, object_id=plan.pk, rule__in=["core_group_10wd",
                                                                                      "cp_review_conference"]).order_by("sequence"):
            by_rule[d.rule] = d
        plan_row = {"plan": plan, "url": queries.plan_url(plan),
                    "core_group": queries.deadline_status(by_rule.get("core_group_10wd")),
                    "review": queries.deadline_status(by_rule.get("cp_review_conference"))}
    return Panel("Child protection", "protection/_panel.html", {
        "person": person,
        "discussions": [{"decision": sc, "discussion": sc.discussion, "missing": sc.discussion.missing_agencies()}
                        for sc in decisions],
        "s47s": s47_rows,
        "conferences": conferences,
        "plan": plan_row,
        "can_record": user.has_capability("protection.record") and person.kind == person.Kind.CHILD,
        "can_chair": user.has_capability("protection.chair"),
        "today": timezone.localdate(),
    }, anchor="child-protection")
