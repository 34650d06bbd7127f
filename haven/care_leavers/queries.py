"""What the care leaver's page, the panel, the team and custody lists and the API show, read in
one place: the category (computed and confirmed), the personal adviser, the current pathway
plan and its clocks (read from ``haven.work.models.Deadline``, never computed here), in-touch
status, current accommodation, activity, custody with contact due, staying put and health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from haven.core.codes.looked_after import LeaverEligibility

from .eligibility import Eligibility, age_on, eligibility_for
from .models import (
    Accommodation,
    Activity,
    Custody,
    LeaverContact,
    LeaverHealth,
    LeaverStatus,
    LeavingCareTracking,
    PathwayPlan,
    StayingPut,
)


@dataclass
class Clock:
    rule: str
    label: str
    due: dt.date | None = None
    overdue: bool = False
    last_done: dt.date | None = None
    late: bool = False
    history: list = field(default_factory=list)


def _local(value):
    return timezone.localtime(value).date() if value else None


def clocks(obj, user, rule: str) -> Clock | None:
    """The deadlines one trigger record set for ``rule``: next due and last met."""
    from haven.work.models import Deadline

    if obj is None:
        return None
    rows = list(Deadline.objects.visible_to(user).filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk, rule=rule).order_by("sequence"))
    if not rows:
        return None
    clock = Clock(rule, rows[0].label)
    for d in rows:
        if d.met_at is None and not d.exempt and d.stopped_at is None:
            clock.due, clock.overdue = _local(d.due_at), d.is_overdue
        elif d.met_at is not None:
            clock.last_done, clock.late = _local(d.met_at), d.met_in_time is False
        clock.history.append(d)
    return clock


@dataclass
class CustodyContact:
    spell: Custody
    last_contact: dt.date | None
    days_since: int | None
    next_due: dt.date
    overdue: bool


def custody_contact(spell: Custody, contacts, today: dt.date | None = None) -> CustodyContact:
    """Days since the last contact in touch and when the next one is due at the expected
    frequency (from the custody start if there was no contact since)."""
    today = today or timezone.localdate()
    last = max((c.contact_on for c in contacts if c.in_touch == "YES" and c.contact_on <= today), default=None)
    since = max(d for d in (last, spell.start_date) if d is not None)
    due = since + dt.timedelta(days=spell.contact_every_days)
    return CustodyContact(spell, last, (today - last).days if last else None, due, today > due)


def effective_category(status: LeaverStatus | None, computed: Eligibility) -> str:
    return status.category if status is not None else computed.category


@dataclass
class Leaver:
    person: object
    eligibility: Eligibility
    status: LeaverStatus | None
    category: str
    adviser: object | None
    plan: PathwayPlan | None
    review_clock: Clock | None
    assessment_clock: Clock | None
    last_contact: LeaverContact | None
    accommodation: Accommodation | None
    activity: Activity | None
    custody: CustodyContact | None
    staying_put: StayingPut | None
    health: LeaverHealth | None

    @property
    def category_label(self) -> str:
        return LeaverEligibility(self.category).label

    @property
    def status_stale(self) -> bool:
        """The care history now gives another category than when it was confirmed."""
        return self.status is not None and self.status.computed_category != self.eligibility.category

    @property
    def age(self):
        return self.eligibility.age

    @property
    def age_band(self) -> str:
        age = self.age
        if age is None:
            return ""
        if 17 <= age <= 18:
            return "17-18"
        if 19 <= age <= 21:
            return "19-21"
        return ""

    @property
    def in_touch(self) -> bool | None:
        return None if self.last_contact is None else self.last_contact.in_touch == "YES"

    @property
    def in_eet(self) -> bool | None:
        return None if self.activity is None else self.activity.in_eet

    @property
    def suitable(self) -> bool | None:
        return None if self.accommodation is None else self.accommodation.suitable

    @property
    def is_care_leaver(self) -> bool:
        return self.category != LeaverEligibility.NOT_ELIGIBLE

    @property
    def should_end_plan(self) -> bool:
        return bool(self.plan and self.age is not None and self.age >= 25)


def leaver_for(person, user, today: dt.date | None = None) -> Leaver:
    """Everything about one young person's leaving care, as ``user`` may see it."""
    today = today or timezone.localdate()
    computed = eligibility_for(person, today)
    status = LeaverStatus.objects.visible_to(user).filter(person=person).first()
    from .services import current_adviser

    plan = PathwayPlan.objects.visible_to(user).filter(person=person).order_by("end_date", "-plan_agreed_on", "-pk")
    plan = plan.filter(end_date__isnull=True).first() or plan.first()
    tracking = LeavingCareTracking.objects.visible_to(user).filter(person=person).first()
    contacts = list(LeaverContact.objects.visible_to(user).filter(person=person)[:50])
    spell = Custody.objects.visible_to(user).filter(person=person).current(today).first()
    return Leaver(
        person=person, eligibility=computed, status=status, category=effective_category(status, computed),
        adviser=current_adviser(person), plan=plan,
        review_clock=clocks(plan, user, "leaver_pathway_review") if plan and not plan.end_date else None,
        assessment_clock=clocks(tracking, user, "leaver_needs_assessment"),
        last_contact=contacts[0] if contacts else None,
        accommodation=Accommodation.objects.visible_to(user).filter(person=person).current(today).first(),
        activity=Activity.objects.visible_to(user).filter(person=person).current(today).first(),
        custody=custody_contact(spell, contacts, today) if spell else None,
        staying_put=StayingPut.objects.visible_to(user).filter(person=person).current(today).first(),
        health=LeaverHealth.objects.visible_to(user).filter(person=person).first(),
    )


def may_be_care_leaver():
    """A filter on ``Person``: someone with a period of care or any leaving care record (a
    status or a pathway plan), whatever the record's kind (a care leaver of 18 or over may be
    recorded as an adult). By EXISTS, not joins, so no duplicates and no DISTINCT."""
    from django.db.models import Exists, OuterRef

    from haven.looked_after.models import PeriodOfCare

    from .models import LeaverStatus, PathwayPlan

    return (Exists(PeriodOfCare.objects.filter(person_id=OuterRef("pk")))
            | Exists(LeaverStatus.objects.filter(person_id=OuterRef("pk")))
            | Exists(PathwayPlan.objects.filter(person_id=OuterRef("pk"))))


def candidates(user, today: dt.date | None = None):
    """People in ``user``'s scope who may be care leavers: aged 16 to 24 with a period of care
    or any leaving care record."""
    from haven.people.models import Person

    from .eligibility import birthday

    today = today or timezone.localdate()
    youngest, oldest = birthday(today, -16), birthday(today, -25)
    return (Person.objects.visible_to(user).filter(date_of_birth__lte=youngest, date_of_birth__gt=oldest)
            .filter(may_be_care_leaver()).order_by("last_name", "first_name", "pk"))


def team_rows(user, today: dt.date | None = None) -> list[Leaver]:
    """Every care leaver (category other than not eligible) in the user's scope."""
    rows = []
    for person in candidates(user, today):
        leaver = leaver_for(person, user, today)
        if leaver.is_care_leaver:
            rows.append(leaver)
    return rows


def custody_rows(user, today: dt.date | None = None) -> list[CustodyContact]:
    """Every care leaver in custody today in the user's scope, with their last contact and
    whether contact is overdue at the expected frequency; overdue first."""
    today = today or timezone.localdate()
    out = []
    for spell in Custody.objects.visible_to(user).current(today).select_related("person"):
        contacts = LeaverContact.objects.visible_to(user).filter(person_id=spell.person_id, in_touch="YES")
        out.append(custody_contact(spell, list(contacts.only("contact_on", "in_touch")), today))
    out.sort(key=lambda c: (not c.overdue, c.next_due, c.spell.person.last_name))
    return out


def age_of(person, today=None):
    return age_on(person.date_of_birth, today or timezone.localdate()) if person.date_of_birth else None
