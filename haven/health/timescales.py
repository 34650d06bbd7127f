"""Health clocks of a looked-after child, as timescale rules (the engine derives the deadlines).

``cla_health_assessment``: from the day a child starts to be looked after, an initial health
assessment within 20 working days (in time for the first review), then a review health assessment
every 6 months while the child is under 5 and every 12 months from their fifth birthday (the
switch is placed by the date the previous assessment was done: one done before the fifth
birthday is followed by one 6 months later). Initial and review assessments both meet it, so a
child whose initial assessment came late is still counted from it. The clock stops when the
period of care ends.

``cla_dental_check``: decided here (there is no statutory interval): a dental check within the
first 12 months of a period of care, then every 12 months, for every age. This is the measure
the DfE counts (SSDA903 OC2: teeth checked by a dentist in the last 12 months). Dentists often
recall young children every 6 months: that is clinical advice recorded in the health plan, not a
timescale the authority is measured on, so it does not make children overdue here.
"""

from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, Switch, register

register(Rule(
    code="cla_health_assessment",
    label="Health assessment (looked-after child)",
    citation="Care Planning, Placement and Case Review (England) Regulations 2010, reg 7 (health assessment "
             "before the first review); Promoting the health and well-being of looked-after children (DfE and "
             "DHSC statutory guidance, 2015): initial assessment in time for the first review (20 working days), "
             "review assessments every 6 months under 5 and every 12 months from 5",
    trigger=Source("looked_after.PeriodOfCare", date="start_date"),
    schedule=Schedule(Interval(Clock.WORKING_DAYS, 20), repeat=Interval(Clock.MONTHS, 6),
                      switch=Switch(Interval(Clock.MONTHS, 60), Interval(Clock.MONTHS, 12), since="birth")),
    satisfied_by=Source("health.HealthAssessment", date="completed_on", match="person",
                        filter={"kind__in": ["initial", "review"]}),
    stop="end_date",
))

register(Rule(
    code="cla_dental_check",
    label="Dental check (looked-after child)",
    citation="Promoting the health and well-being of looked-after children (DfE and DHSC statutory guidance, 2015): "
             "the health plan covers dental care; DfE SSDA903 outcome indicator OC2 (teeth checked by a dentist in "
             "the last 12 months). Local standard: within 12 months of coming into care, then every 12 months",
    trigger=Source("looked_after.PeriodOfCare", date="start_date"),
    schedule=Schedule(Interval(Clock.MONTHS, 12), repeat=Interval(Clock.MONTHS, 12)),
    satisfied_by=Source("health.DentalCheck", date="checked_on", match="person"),
    stop="end_date",
))
