"""The leaving-care category a young person is in on a given day, computed from their care
history (Children (Leaving Care) Act 2000; Care Leavers (England) Regulations 2010), with the
reasons in words so that the page can explain it and a worker can confirm or override it.

What is computed (``classify`` is pure; ``eligibility_for`` reads the records):

- Weeks counted: every day the young person was looked after (a period of care covers the day;
  start and end dates count) from their 14th birthday, leaving out days in short-break episodes
  (legal status V3 or V4: "a series of pre-planned short-term placements", Care Leavers (England)
  Regulations 2010, reg 40(2)). 13 weeks = 91 days.
- **Eligible**: aged 16 or 17, looked after on the day, at least 13 weeks counted since 14, and
  looked after (outside short breaks) on a day since their 16th birthday.
- **Relevant**: aged 16 or 17, not looked after on the day, and was eligible on the last day
  they were looked after. Also (reg 3(1)(b)) a young person who was in custody on their 16th
  birthday (a ``Custody`` record of this app covering it) and had 13 weeks counted since 14
  before the custody began, if they were looked after up to it (a period of care ending no
  more than one day before the custody started). Detention in hospital on the 16th birthday
  is not recorded here: use an override. The "returned home for 6 months" exception (reg 3(5))
  is not computed either: record the InTouch code RHOM and override.
- **Former relevant**: aged 18 to 24 (support to the 25th birthday) and eligible or relevant
  the day before their 18th birthday.
- **Qualifying** (s24): no longer looked after and, at some time after the 16th birthday and
  before the 18th, was looked after; aged 16 to 20, or 21 to 24 while in education or training
  (a current activity F1, P1, F2, P2, F4 or P4). A child still looked after is never
  qualifying (s24 applies to those who "are no longer" looked after). Special guardianship
  after 16 and private fostering are not recorded in this app: use an override.
- Otherwise **not eligible**.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from haven.core.calendar import age_on, birthday  # noqa: F401 (age_on: imported from here by the pages)
from haven.core.codes.looked_after import LeaverEligibility

THIRTEEN_WEEKS = 91
SHORT_BREAK_STATUSES = ("V3", "V4")
EDUCATION_TRAINING = {"F1", "P1", "F2", "P2", "F4", "P4"}

Span = tuple[dt.date, dt.date]  # inclusive


def day(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


# -- spans ---------------------------------------------------------------------------------------
def merge(spans) -> list[Span]:
    out: list[list[dt.date]] = []
    for start, end in sorted(s for s in spans if s[0] <= s[1]):
        if out and start <= out[-1][1] + dt.timedelta(days=1):
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def clip(spans, start: dt.date, end: dt.date) -> list[Span]:
    return merge((max(a, start), min(b, end)) for a, b in spans)


def subtract(spans, holes) -> list[Span]:
    out = []
    holes = merge(holes)
    for a, b in merge(spans):
        pieces = [(a, b)]
        for h0, h1 in holes:
            nxt = []
            for p0, p1 in pieces:
                if h1 < p0 or h0 > p1:
                    nxt.append((p0, p1))
                    continue
                if p0 < h0:
                    nxt.append((p0, h0 - dt.timedelta(days=1)))
                if h1 < p1:
                    nxt.append((h1 + dt.timedelta(days=1), p1))
            pieces = nxt
        out.extend(pieces)
    return merge(out)


def length(spans) -> int:
    return sum((b - a).days + 1 for a, b in spans)


def covers(spans, when: dt.date) -> bool:
    return any(a <= when <= b for a, b in spans)


def nth_day(spans, n: int) -> dt.date | None:
    """The ``n``-th day (1-based) of ``spans`` in date order."""
    for a, b in merge(spans):
        size = (b - a).days + 1
        if n <= size:
            return a + dt.timedelta(days=n - 1)
        n -= size
    return None


# -- the result ------------------------------------------------------------------------------------
@dataclass
class Eligibility:
    category: str
    on: dt.date
    reasons: list[str] = field(default_factory=list)
    age: int | None = None
    days_counted: int = 0          # days looked after since 14 (short breaks left out), up to ``on``
    short_break_days: int = 0      # days since 14 left out as short breaks
    looked_after_now: bool = False
    left_care_on: dt.date | None = None   # last day of the latest period of care, if it ended
    eligible_from: dt.date | None = None  # the first day the young person was (or will be) eligible

    @property
    def label(self) -> str:
        return LeaverEligibility(self.category).label

    @property
    def weeks_counted(self) -> str:
        weeks, days = divmod(self.days_counted, 7)
        return f"{weeks} week{'s' if weeks != 1 else ''}" + (f" {days} day{'s' if days != 1 else ''}" if days else "")

    @property
    def is_care_leaver(self) -> bool:
        return self.category != LeaverEligibility.NOT_ELIGIBLE


def counted_spans(born: dt.date, periods, short_breaks, until: dt.date) -> tuple[list[Span], int]:
    """Days looked after from the 14th birthday to ``until``, short breaks left out; and how
    many short-break days were left out."""
    periods = [(a, b or dt.date.max) for a, b in periods if a]
    short_breaks = [(a, b or dt.date.max) for a, b in short_breaks if a]
    looked_after = clip(periods, birthday(born, 14), until)
    counted = subtract(looked_after, short_breaks)
    return counted, length(looked_after) - length(counted)


def eligible_from(born: dt.date, periods, short_breaks) -> dt.date | None:
    """The first day the young person was eligible (13 weeks counted since 14, looked after on
    the day, on or after the 16th birthday and before the 18th), or None."""
    last = birthday(born, 18) - dt.timedelta(days=1)
    counted, _ = counted_spans(born, periods, short_breaks, last)
    thirteenth = nth_day(counted, THIRTEEN_WEEKS)
    if thirteenth is None:
        return None
    floor = max(thirteenth, birthday(born, 16))
    for a, b in counted:
        if b >= floor:
            return max(a, floor)
    return None


def classify(*, born: dt.date, on: dt.date, periods, short_breaks=(), custody=(),
             in_education: bool = False) -> Eligibility:
    """The category on ``on``. ``periods`` are periods of care as (start, end or None);
    ``short_breaks`` the spans of V3/V4 episodes; ``custody`` spans in custody (end or None)."""
    periods = [(a, b or dt.date.max) for a, b in periods if a]
    short_breaks = [(a, b or dt.date.max) for a, b in short_breaks if a]
    custody = [(a, b or dt.date.max) for a, b in custody if a]
    past = merge((a, min(b, on)) for a, b in periods if a <= on)
    age = age_on(born, on)
    sixteen, eighteen = birthday(born, 16), birthday(born, 18)
    counted, skipped = counted_spans(born, periods, short_breaks, on)
    now = covers(past, on)
    left = None if now or not past else past[-1][1]
    result = Eligibility(LeaverEligibility.NOT_ELIGIBLE, on, age=age, days_counted=length(counted),
                         short_break_days=skipped, looked_after_now=now, left_care_on=left,
                         eligible_from=eligible_from(born, [(a, min(b, on) if b != dt.date.max else b)
                                                            for a, b in periods if a <= on], short_breaks))
    reasons = result.reasons
    weeks = f"looked after for {result.weeks_counted} since their 14th birthday ({day(birthday(born, 14))})"
    if skipped:
        weeks += f", not counting {skipped} day{'s' if skipped != 1 else ''} of short breaks (V3/V4)"

    if age < 16:
        reasons.append(f"Aged {age}: leaving care categories start at 16 ({day(sixteen)})")
        if now and result.eligible_from:
            reasons.append(f"If still looked after, eligible from {day(result.eligible_from)}")
        return result
    if age >= 25:
        reasons.append(f"Aged {age}: leaving care support ends at 25")
        return result

    if age < 18:
        if now:
            since16 = clip(counted, sixteen, on)
            if result.days_counted >= THIRTEEN_WEEKS and since16:
                result.category = LeaverEligibility.ELIGIBLE
                reasons.append(f"Aged {age} and looked after on {day(on)}")
                reasons.append(f"{weeks.capitalize()}: at least 13 weeks")
                reasons.append(f"Eligible from {day(result.eligible_from)}")
                return result
            reasons.append(f"Aged {age} and looked after, but {weeks}: fewer than 13 weeks"
                           if result.days_counted < THIRTEEN_WEEKS
                           else f"Aged {age} and looked after only in short breaks since their 16th birthday")
            if result.eligible_from is not None and result.eligible_from > on:
                reasons.append(f"Becomes eligible on {day(result.eligible_from)} if looked after until then")
            reasons.append("A young person still looked after is not qualifying (Children Act 1989, s24)")
            return result
        if left is not None:
            at_leaving = classify(born=born, on=left, periods=periods, short_breaks=short_breaks)
            if at_leaving.category == LeaverEligibility.ELIGIBLE:
                result.category = LeaverEligibility.RELEVANT
                reasons.append(f"Aged {age}, left care on {day(left)}")
                reasons.append(f"Was eligible when they left: looked after for {at_leaving.weeks_counted} "
                               "since their 14th birthday, and after their 16th birthday")
                return result
        for c0, c1 in custody:
            if c0 <= sixteen <= c1:
                before = c0 - dt.timedelta(days=1)
                upto, _ = counted_spans(born, periods, short_breaks, before)
                if length(upto) >= THIRTEEN_WEEKS and covers(merge(periods), before):
                    result.category = LeaverEligibility.RELEVANT
                    reasons.append(f"Aged {age}, in custody on their 16th birthday (from {day(c0)})")
                    reasons.append(f"Looked after for {length(upto) // 7} weeks since their 14th birthday, up to "
                                   "the custody (Care Leavers (England) Regulations 2010, reg 3)")
                    return result
        return _qualifying(result, born, periods, short_breaks, age, in_education, weeks)

    # 18 to 24
    eve = eighteen - dt.timedelta(days=1)
    at_eighteen = classify(born=born, on=eve, periods=periods, short_breaks=short_breaks, custody=custody)
    if at_eighteen.category in (LeaverEligibility.ELIGIBLE, LeaverEligibility.RELEVANT):
        result.category = LeaverEligibility.FORMER_RELEVANT
        reasons.append(f"Aged {age}; the day before their 18th birthday ({day(eve)}) they were "
                       f"{at_eighteen.label.split(' (')[0].lower()}")
        reasons.extend(f"On {day(eve)}: {r[0].lower()}{r[1:]}" for r in at_eighteen.reasons[1:2])
        reasons.append(f"Support from a personal adviser to their 25th birthday ({day(birthday(born, 25))})")
        return result
    return _qualifying(result, born, periods, short_breaks, age, in_education, weeks)


def _qualifying(result: Eligibility, born, periods, short_breaks, age: int, in_education: bool,
                weeks: str) -> Eligibility:
    sixteen, eighteen = birthday(born, 16), birthday(born, 18)
    after16 = clip(merge(periods), sixteen, eighteen - dt.timedelta(days=1))
    after16 = clip(after16, sixteen, result.on)
    reasons = result.reasons
    if result.looked_after_now:
        return result
    if not after16:
        reasons.append(f"Aged {age}, not looked after at any time since their 16th birthday ({day(sixteen)})")
        if result.days_counted:
            reasons.append(f"{weeks.capitalize()}")
        return result
    if age >= 21 and not in_education:
        reasons.append(f"Aged {age}: was looked after after their 16th birthday but was not eligible; "
                       "qualifying support after 21 is for those in education or training, and no current "
                       "education or training activity is recorded")
        return result
    result.category = LeaverEligibility.QUALIFYING
    reasons.append(f"Aged {age}; looked after after their 16th birthday (from {day(after16[0][0])}) but not "
                   f"eligible: {weeks}, fewer than 13 weeks, or not looked after after their 16th birthday "
                   "with 13 weeks counted")
    if age >= 21:
        reasons.append("Aged 21 or over and in education or training")
    return result


# -- from the records ----------------------------------------------------------------------------
def oc3_next_year(born: dt.date, age: int, periods, as_at: dt.date) -> bool:
    """True when a care leaver whose 17th or 18th birthday (``age``) falls in a year is reported
    in the SSDA903's OC3 the next year, with this year's row blank (rules 1007, 1016): looked
    after on that birthday, or ceasing to be looked after on or after it (most leave care on the
    18th birthday itself), as known on ``as_at`` (a period of care ending after it is still
    open). ``periods``: (start, end or None) of their periods of care. The SSDA903's OC3 table
    and the care leaver KPIs at 17-18 both read this."""
    if age not in (17, 18):
        return False
    day = birthday(born, age)
    return any(end is None or end > as_at or end >= day for start, end in periods if start <= as_at)


def history_of(person):
    """(periods, short breaks, custody) spans from the records."""
    from haven.looked_after.models import Episode, PeriodOfCare

    from .models import Custody

    periods = list(PeriodOfCare.objects.filter(person=person).values_list("start_date", "end_date"))
    breaks = list(Episode.objects.filter(person=person, legal_status__in=SHORT_BREAK_STATUSES)
                  .values_list("start_date", "end_date"))
    custody = list(Custody.objects.filter(person=person).values_list("start_date", "end_date"))
    return periods, breaks, custody


def eligibility_for(person, on: dt.date | None = None) -> Eligibility:
    """The category ``person`` is in on ``on`` (today by default), from their care history."""
    from django.utils import timezone

    from .models import Activity

    on = on or timezone.localdate()
    if not person.date_of_birth:
        return Eligibility(LeaverEligibility.NOT_ELIGIBLE, on, ["No date of birth recorded"])
    periods, breaks, custody = history_of(person)
    current = Activity.objects.filter(person=person, start_date__lte=on).exclude(end_date__lt=on).first()
    return classify(born=person.date_of_birth, on=on, periods=periods, short_breaks=breaks, custody=custody,
                    in_education=bool(current and current.code in EDUCATION_TRAINING))
