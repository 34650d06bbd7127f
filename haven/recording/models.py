"""Family-level recording: a visit, meeting or case note is recorded once and linked to each
child it concerns; a part of it can be hidden from a particular child's record (information
about a sibling). No more "recorded on the youngest child's file"."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from haven.core.models import CaseRecord


class Recording(CaseRecord):
    person_path = "subjects__person"
    multi_person = True

    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", "Home visit"
        CP_VISIT = "cp_visit", "Child protection visit"
        CIN_VISIT = "cin_visit", "Child in need visit"
        CLA_VISIT = "cla_visit", "Statutory visit to a looked-after child"
        PA_CONTACT = "pa_contact", "Personal adviser contact with a care leaver"
        MEETING = "meeting", "Meeting"
        PHONE = "phone", "Phone call"
        NOTE = "note", "Case note"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=200)
    significant = models.BooleanField("significant event", default=False)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("recording:recording-detail", args=[self.pk])

    def parts_for(self, person):
        """The parts of this recording shown on ``person``'s record."""
        return [p for p in self.parts.all() if person.pk not in {h.pk for h in p.hidden_from.all()}]


class RecordingSubject(CaseRecord):
    """A child (or adult) the recording concerns; for visits, whether they were seen and seen alone."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="subjects")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="recordings")
    seen = models.BooleanField(default=False)
    seen_alone = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recording", "person"], name="recording_subject_unique")]
        indexes = [models.Index(fields=["person", "recording"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.recording}"


class RecordingPart(CaseRecord):
    person_path = "recording__subjects__person"
    multi_person = True

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="parts")
    text = models.TextField()
    hidden_from = models.ManyToManyField("people.Person", blank=True, related_name="+",
                                         help_text="Children on whose record this part is not shown")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:60]

    def save(self, *args, **kwargs):
        if not self.authority_id:
            self.authority_id = self.recording.authority_id
        super().save(*args, **kwargs)
