"""The looked-after child's clocks (Care Planning, Placement and Case Review (England)
Regulations 2010): the care plan, looked-after reviews and statutory visits. The engine derives
``haven.work.models.Deadline`` rows from these; pages and worklists read those."""

from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, Switch, register

WD = Clock.WORKING_DAYS

register(Rule(
    code="cla_care_plan",
    label="Care plan agreed",
    citation="Care Planning, Placement and Case Review (England) Regulations 2010, reg. 4(2): a care plan before "
             "the child is first placed or, if that is not practicable, within 10 working days of the start of "
             "the first placement",
    trigger=Source("looked_after.PeriodOfCare", date="start_date"),
    # A plan agreed before the child came into care (a planned admission) meets it.
    schedule=Schedule(Interval(WD, 10), early=Interval(Clock.MONTHS, 3)),
    satisfied_by=Source("care_planning.CarePlan", date="agreed_on", link="period"),
    stop="end_date",
))

register(Rule(
    code="cla_review",
    label="Looked-after review",
    citation="Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33: first review within "
             "20 working days of the child becoming looked after, the second within 3 months of the first, then "
             "at intervals of no more than 6 months",
    trigger=Source("looked_after.PeriodOfCare", date="start_date"),
    schedule=Schedule(Interval(WD, 20), repeat=Interval(Clock.MONTHS, 6), second=Interval(Clock.MONTHS, 3)),
    satisfied_by=Source("care_planning.LACReview", date="held_on", link="period"),
    stop="end_date",
))

_VISIT_FIRST = Interval(Clock.WEEKS, 1)
STANDARD_VISITS = Schedule(_VISIT_FIRST, Interval(Clock.WEEKS, 6))
LONG_TERM_VISITS = Schedule(_VISIT_FIRST, Interval(Clock.WEEKS, 6),
                            switch=Switch(Interval(Clock.MONTHS, 12), Interval(Clock.MONTHS, 3)))
TEMPORARY_APPROVAL_VISITS = Schedule(_VISIT_FIRST, Interval(Clock.WEEKS, 1))

register(Rule(
    code="cla_visit",
    label="Statutory visit (child seen)",
    citation="Care Planning, Placement and Case Review (England) Regulations 2010, reg. 28: within 1 week of the "
             "start of every placement, then at intervals of no more than 6 weeks in the first year; after the "
             "first year of a long-term placement, at least every 3 months; weekly while a connected person is "
             "temporarily approved (reg. 24)",
    trigger=Source("looked_after.Placement", date="start_date"),
    schedule=STANDARD_VISITS,
    schedule_by="visits",
    schedules=(("standard", STANDARD_VISITS), ("long_term", LONG_TERM_VISITS),
               ("temporary_approval", TEMPORARY_APPROVAL_VISITS)),
    satisfied_by=Source("recording.RecordingSubject", date="recording__occurred_at__date", match="person",
                        filter={"seen": True, "recording__kind": "cla_visit"}),
    stop="end_date",
))
