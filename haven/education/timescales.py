"""The personal education plan clock of a looked-after child, as a timescale rule.

``cla_pep``: from the day a child starts to be looked after, a PEP within 20 working days, then
one every 4 months, until the period of care ends. Decisions:

- First PEP: statutory guidance (Promoting the education of looked-after and previously
  looked-after children, DfE 2018) asks for the PEP to be initiated within 10 school days of
  coming into care and to be in place, as part of the care plan, for the first review (20 working
  days). Haven does not hold term dates for every school a child attends, so the clock measures
  the second (20 working days): the plan being in place, which is what an inspector checks.
- Reviews: the guidance says termly. A school term is approximated by 4 months (three terms a
  year); schools' own term dates are not used.
- Age: children get a PEP from the early years: the clock starts at the later of coming into care
  and the third birthday (``from_age=3``), so a baby's period of care sets no PEP clock until
  then. A PEP for a child under 3 is not refused. The rule stays exemptible (a manager may record
  a reason, with a child in hospital for example).
"""

from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, register

register(Rule(
    code="cla_pep",
    label="Personal education plan (looked-after child)",
    citation="Care Planning, Placement and Case Review (England) Regulations 2010, reg 5 (the PEP is part of the "
             "care plan); Promoting the education of looked-after and previously looked-after children (DfE "
             "statutory guidance, 2018): initiated within 10 school days, in place for the first review (20 working "
             "days), reviewed termly (approximated as every 4 months)",
    trigger=Source("looked_after.PeriodOfCare", date="start_date"),
    schedule=Schedule(Interval(Clock.WORKING_DAYS, 20), repeat=Interval(Clock.MONTHS, 4)),
    satisfied_by=Source("education.PersonalEducationPlan", date="held_on", match="person"),
    stop="end_date",
    exemptible=True,
    from_age=3,
))
