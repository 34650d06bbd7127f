"""Helpers for the referral and assessment tests."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone


def date_fields(name: str, day: dt.date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def deadline(episode, rule: str):
    from haven.assessments.models import CINEpisode
    from haven.work.models import Deadline

    ct = ContentType.objects.get_for_model(CINEpisode)
    return Deadline.objects.filter(content_type=ct, object_id=episode.pk, rule=rule).order_by("-sequence").first()


def due_date(episode, rule: str = "assessment_45wd") -> dt.date | None:
    d = deadline(episode, rule)
    return timezone.localtime(d.due_at).date() if d else None
