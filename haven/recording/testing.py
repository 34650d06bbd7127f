"""Test-world records for recording: a home visit to Lily and Jack (Westminster) with a part kept
off Jack's record, and a case note about Ruby (Hammersmith and Fulham). Bulk-created, deadlines
recomputed once (the world is built for every test)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def build(world) -> None:
    from haven.work.sync import recompute_for_people

    from .models import Recording, RecordingPart, RecordingSubject

    when = timezone.now() - dt.timedelta(days=2)
    wcc, hf = world.westminster, world.hammersmith
    visit, note = Recording.objects.bulk_create([
        Recording(kind=Recording.Kind.HOME_VISIT, occurred_at=when, title="Home visit", authority=wcc),
        Recording(kind=Recording.Kind.NOTE, occurred_at=when, title="Call from school", authority=hf),
    ])
    RecordingSubject.objects.bulk_create([
        RecordingSubject(recording=visit, person=world.child, seen=True, seen_alone=True, authority=wcc),
        RecordingSubject(recording=visit, person=world.sibling, seen=True, authority=wcc),
        RecordingSubject(recording=note, person=world.outsider, authority=hf),
    ])
    _shared, private, _ruby = RecordingPart.objects.bulk_create([
        RecordingPart(recording=visit, text="Both children were at home and well.", authority=wcc),
        RecordingPart(recording=visit, text="Lily talked about her worries at school.", authority=wcc),
        RecordingPart(recording=note, text="School called: Ruby was in good spirits.", authority=hf),
    ])
    private.hidden_from.add(world.sibling)
    recompute_for_people([world.child.pk, world.sibling.pk, world.outsider.pk])
