"""The "Referrals and assessments" panel on a child's summary page."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from haven.people.panels import Panel, record_panel

from .models import Assessment, CINEpisode


@record_panel(order=20)
def referrals_and_assessments(person, user):
    if not user.has_capability("assessments.view") or person.kind != person.Kind.CHILD:
        return None
    from haven.work.models import Deadline

    episodes = list(CINEpisode.objects.visible_to(user).filter(person=person))
    assessments: dict[int, list] = {}
    for a in Assessment.objects.visible_to(user).filter(episode__in=[e.pk for e in episodes]).order_by("start_date"):
        assessments.setdefault(a.episode_id, []).append(a)
    ct = ContentType.objects.get_for_model(CINEpisode)
    due = {d.object_id: d for d in Deadline.objects.visible_to(user).open().filter(
        rule="assessment_45wd", content_type=ct, object_id__in=[e.pk for e in episodes])}
    rows = []
    for e in episodes:
        d = due.get(e.pk)
        mine = assessments.get(e.pk, [])
        rows.append({"episode": e, "assessments": mine,
                     "can_start": e.is_open and not e.referral_nfa and all(a.authorised_date for a in mine),
                     "due": timezone.localtime(d.due_at).date() if d else None,
                     "overdue": bool(d and d.is_overdue)})
    return Panel("Referrals and assessments", "assessments/_panel.html", {
        "person": person, "episodes": rows,
        "can_record": user.has_capability("assessments.record"),
        "has_open": any(e.is_open and not e.referral_nfa for e in episodes),
    }, anchor="referrals")
