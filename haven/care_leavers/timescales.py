"""Care leavers' timescale rules (the worklists, the leaver page and the pathway plan read the
deadlines they produce).

- ``leaver_needs_assessment``: the needs assessment within 3 months of the later of the 16th
  birthday and the day the child became eligible (Care Leavers (England) Regulations 2010,
  reg 42(1): "not more than three months after the date on which the child reaches the age of
  16 or becomes an eligible child after that age"; DOMAIN.md: "within 3 months of turning 16",
  i.e. by 16 years 3 months for a child eligible at 16). Trigger: ``LeavingCareTracking``
  (kept by ``services.ensure_tracking``); met by any pathway plan of the young person with a
  needs assessment date.
- ``leaver_pathway_review``: the pathway plan reviewed within 6 months of being agreed, then
  at most every 6 months (reg 44 and Care Planning Regulations reg 35 read with it). Stops when
  the plan ends (``PathwayPlan.end_date``): the worker ends it when support ends at 21 or 25,
  the page prompts at 25. A future stop date would close open deadlines early, so the clock
  does not stop by itself on a birthday.
"""

from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, register

register(Rule(
    code="leaver_needs_assessment",
    label="Leaving care needs assessment",
    citation="Care Leavers (England) Regulations 2010, reg 42: within 3 months of the 16th birthday, or of becoming "
             "eligible after 16",
    trigger=Source("care_leavers.LeavingCareTracking", date="assessment_clock_from"),
    schedule=Schedule(Interval(Clock.MONTHS, 3)),
    satisfied_by=Source("care_leavers.PathwayPlan", date="needs_assessment_completed_on", match="person"),
))

register(Rule(
    code="leaver_pathway_review",
    label="Pathway plan review",
    citation="Care Leavers (England) Regulations 2010, reg 44: pathway plans are reviewed at least every 6 months",
    trigger=Source("care_leavers.PathwayPlan", date="plan_agreed_on"),
    schedule=Schedule(Interval(Clock.MONTHS, 6), Interval(Clock.MONTHS, 6)),
    satisfied_by=Source("care_leavers.PathwayPlanReview", date="held_on", link="plan"),
    stop="end_date",
))
