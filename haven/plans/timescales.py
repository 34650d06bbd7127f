from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, register

register(Rule(
    code="core_group_10wd",
    label="Core group meeting",
    citation="Working Together to Safeguard Children 2023, 3.236: first core group within 10 working days of the ICPC; then regularly (local standard: every 6 weeks)",
    trigger=Source("plans.Plan", date="start_date", filter={"kind": "cp"}),
    schedule=Schedule(Interval(Clock.WORKING_DAYS, 10), Interval(Clock.WEEKS, 6)),
    satisfied_by=Source("protection.CoreGroupMeeting", date="held_on", link="plan"),
    stop="end_date",
))

register(Rule(
    code="cp_review_conference",
    label="Review child protection conference",
    citation="Working Together to Safeguard Children 2023, 3.245: first review within 3 months of the ICPC, then at most every 6 months",
    trigger=Source("plans.Plan", date="start_date", filter={"kind": "cp"}),
    schedule=Schedule(Interval(Clock.MONTHS, 3), Interval(Clock.MONTHS, 6)),
    satisfied_by=Source("protection.ConferenceChild", date="conference__held_on", link="plan",
                        filter={"conference__kind": "review"}),
    stop="end_date",
))

register(Rule(
    code="cp_visit_10wd",
    label="Child protection visit (child seen)",
    citation="Local standard: a child on a child protection plan is seen at least every 10 working days",
    trigger=Source("plans.Plan", date="start_date", filter={"kind": "cp"}),
    schedule=Schedule(Interval(Clock.WORKING_DAYS, 10), Interval(Clock.WORKING_DAYS, 10)),
    satisfied_by=Source("recording.RecordingSubject", date="recording__occurred_at__date", match="person",
                        filter={"seen": True, "recording__kind__in": ["cp_visit", "home_visit"]}),
    stop="end_date",
))

register(Rule(
    code="cin_review_3m",
    label="Child in need plan review",
    citation="Local standard: child in need plans are reviewed at least every 3 months",
    trigger=Source("plans.Plan", date="start_date", filter={"kind": "cin"}),
    schedule=Schedule(Interval(Clock.MONTHS, 3), Interval(Clock.MONTHS, 3)),
    satisfied_by=Source("plans.PlanReview", date="held_on", link="plan"),
    stop="end_date",
))
