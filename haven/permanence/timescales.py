"""The 26-week limit on care proceedings, as a timescale rule (deadlines are derived into
``haven.work.models.Deadline``). An extension the court grants is recorded as a
``haven.work.models.TimescaleExemption`` of kind "extend" (``services.record_extension``)."""

from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, register

register(Rule(
    code="proceedings_26w",
    label="Care proceedings decided",
    citation="Children Act 1989 s.32(1)(a), as amended by the Children and Families Act 2014 s.14: care and "
             "supervision proceedings are decided within 26 weeks of issue, unless the court extends the time "
             "(up to 8 weeks at a time)",
    # Only applications for care or supervision orders have the 26-week limit (s.32).
    trigger=Source("permanence.CareProceedings", date="issued_on",
                   filter={"application__in": ["care", "supervision", "care_or_supervision"]}),
    schedule=Schedule(Interval(Clock.WEEKS, 26)),
    satisfied_by=Source("permanence.CareProceedings", date="concluded_on"),
    exemptible=True,
))
