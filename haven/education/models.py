"""Education of looked-after children: schools attended (with the school's URN and year group),
personal education plans (PEPs), attendance by period (percentage computed; persistent absence
below 90% flagged), suspensions and permanent exclusions, and the virtual school's notes.

Changes go through ``haven.education.services`` (pages and API alike), which refuses impossible
data. The PEP clock (``cla_pep``) is a timescale rule in ``timescales.py``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.urls import reverse

from haven.core.models import CaseRecord

PERSISTENT_ABSENCE_BELOW = Decimal("90")  # DfE: a pupil missing 10% or more of possible sessions
# A target that says when: a number or date, or a word for a time ("by July", "each week", "this term").
TIMED = re.compile(r"\d|\b(by|until|before|end of|each|every|weekly|daily|week|weeks|month|months|term|half-term|"
                   r"january|february|march|april|may|june|july|august|september|october|november|december|"
                   r"christmas|easter|summer|autumn|spring)\b", re.IGNORECASE)


def day(value) -> str:
    """27 March 2019 (GOV.UK style)."""
    return f"{value.day} {value:%B %Y}" if value else ""


class YearGroup(models.TextChoices):
    N1 = "N1", "Nursery 1"
    N2 = "N2", "Nursery 2"
    R = "R", "Reception"
    Y1 = "1", "Year 1"
    Y2 = "2", "Year 2"
    Y3 = "3", "Year 3"
    Y4 = "4", "Year 4"
    Y5 = "5", "Year 5"
    Y6 = "6", "Year 6"
    Y7 = "7", "Year 7"
    Y8 = "8", "Year 8"
    Y9 = "9", "Year 9"
    Y10 = "10", "Year 10"
    Y11 = "11", "Year 11"
    Y12 = "12", "Year 12"
    Y13 = "13", "Year 13"
    X = "X", "Not following the National Curriculum"


class SchoolPlacement(CaseRecord):
    """A school (or early years setting, college) the child attends, from a date to a date."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="school_placements")
    school_name = models.CharField("school or setting", max_length=200)
    urn = models.CharField("URN", max_length=6, blank=True,
                           help_text="The school's unique reference number: 6 digits (Get Information About Schools)")
    start_date = models.DateField("started at the school")
    end_date = models.DateField("left the school", null=True, blank=True)
    year_group = models.CharField("year group", max_length=2, choices=YearGroup.choices, blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["person", "start_date"])]

    def __str__(self) -> str:
        return f"{self.school_name} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("education:school-detail", args=[self.pk])

    def summary_rows(self) -> list[tuple[str, str]]:
        return [("School or setting", self.school_name), ("URN", self.urn or "Not recorded"),
                ("Year group", self.get_year_group_display() or "Not recorded"), ("Started", day(self.start_date)),
                ("Left", day(self.end_date) or "Still attends")]


class PersonalEducationPlan(CaseRecord):
    """A PEP meeting and the plan it agreed: part of the child's care plan."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="peps")
    held_on = models.DateField("date of the PEP meeting")
    school = models.ForeignKey(SchoolPlacement, null=True, blank=True, on_delete=models.SET_NULL, related_name="peps",
                               verbose_name="school or setting")
    attendees = models.TextField("who took part", help_text="Names and roles, one a line: the child, carer, "
                                                            "designated teacher, social worker, virtual school")
    child_views = models.TextField("the child's views", blank=True)
    targets = models.TextField(
        "targets", help_text="Specific, measurable targets with who will help and by when. Start a new line for each")
    pupil_premium_plus = models.TextField("how pupil premium plus is used", blank=True)
    designated_teacher = models.CharField("designated teacher", max_length=120, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = "personal education plan"
        indexes = [models.Index(fields=["person", "held_on"])]

    def __str__(self) -> str:
        return f"Personal education plan, {self.held_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("education:pep-detail", args=[self.pk])

    @property
    def target_lines(self) -> list[str]:
        return [line.strip() for line in self.targets.splitlines() if line.strip()]

    @property
    def untimed_targets(self) -> list[str]:
        """Targets that do not say by when (a practice gap the pages show; not refused)."""
        return [line for line in self.target_lines if not TIMED.search(line)]

    def summary_rows(self) -> list[tuple[str, str]]:
        return [("Meeting", day(self.held_on)), ("School or setting", self.school.school_name if self.school else "None"),
                ("Who took part", self.attendees), ("The child's views", self.child_views or "Not recorded"),
                ("Targets", self.targets), ("Pupil premium plus", self.pupil_premium_plus or "Not recorded"),
                ("Designated teacher", self.designated_teacher or "Not recorded")]


class Attendance(CaseRecord):
    """Attendance over a period (a term, half-term or any span): sessions (half-days) possible and
    attended."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="attendance_records")
    school = models.ForeignKey(SchoolPlacement, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="attendance", verbose_name="school or setting")
    start_date = models.DateField("period from")
    end_date = models.DateField("period to")
    sessions_possible = models.PositiveIntegerField("sessions possible", help_text="Half-day sessions the school was open")
    sessions_attended = models.PositiveIntegerField("sessions attended")

    class Meta:
        ordering = ["-end_date", "-pk"]
        verbose_name = "attendance record"
        indexes = [models.Index(fields=["person", "end_date"])]

    def __str__(self) -> str:
        return f"Attendance {self.start_date:%d/%m/%Y} to {self.end_date:%d/%m/%Y}: {self.percentage}%"

    def get_absolute_url(self) -> str:
        return reverse("education:attendance-detail", args=[self.pk])

    @property
    def percentage(self) -> Decimal | None:
        if not self.sessions_possible:
            return None
        value = Decimal(self.sessions_attended * 100) / Decimal(self.sessions_possible)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def persistent_absence(self) -> bool:
        return self.percentage is not None and self.percentage < PERSISTENT_ABSENCE_BELOW

    def summary_rows(self) -> list[tuple[str, str]]:
        flag = " (persistent absence: below 90%)" if self.persistent_absence else ""
        return [("Period", f"{day(self.start_date)} to {day(self.end_date)}"),
                ("School or setting", self.school.school_name if self.school else "Not recorded"),
                ("Sessions", f"{self.sessions_attended} attended of {self.sessions_possible} possible"),
                ("Attendance", f"{self.percentage}%{flag}")]


class Exclusion(CaseRecord):
    class Kind(models.TextChoices):
        SUSPENSION = "suspension", "Suspension (fixed period)"
        PERMANENT = "permanent", "Permanent exclusion"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="exclusions")
    school = models.ForeignKey(SchoolPlacement, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="exclusions", verbose_name="school or setting")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    start_date = models.DateField("start date")
    sessions = models.PositiveSmallIntegerField("length in sessions", null=True, blank=True,
                                                help_text="Suspensions only: half-day sessions (2 a day)")
    reason = models.TextField("reason given by the school")

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["person", "start_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("education:exclusion-detail", args=[self.pk])

    @property
    def days(self) -> Decimal | None:
        return None if self.sessions is None else Decimal(self.sessions) / 2

    def summary_rows(self) -> list[tuple[str, str]]:
        rows = [("Type", self.get_kind_display()), ("Start", day(self.start_date)),
                ("School or setting", self.school.school_name if self.school else "Not recorded")]
        if self.sessions is not None:
            rows.append(("Length", f"{self.sessions} sessions ({self.days.normalize():f} days)"))
        rows.append(("Reason", self.reason))
        return rows


class VirtualSchoolNote(CaseRecord):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="virtual_school_notes")
    written_on = models.DateField("date")
    note = models.TextField()
    author = models.CharField("written by", max_length=120, help_text="Name and role in the virtual school")

    class Meta:
        ordering = ["-written_on", "-pk"]
        indexes = [models.Index(fields=["person", "written_on"])]

    def __str__(self) -> str:
        return f"Virtual school note, {self.written_on:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("education:note-detail", args=[self.pk])

    def summary_rows(self) -> list[tuple[str, str]]:
        return [("Date", day(self.written_on)), ("Written by", self.author), ("Note", self.note)]


# Models with a page and an API endpoint: (model, url slug, label).
RECORDS = [
    (SchoolPlacement, "school", "school"),
    (PersonalEducationPlan, "pep", "personal education plan"),
    (Attendance, "attendance", "attendance record"),
    (Exclusion, "exclusion", "exclusion or suspension"),
    (VirtualSchoolNote, "note", "virtual school note"),
]
