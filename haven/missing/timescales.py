"""The return home interview clock: a child who has been missing is offered a return home
interview within 72 hours of their return (hour clock, elapsed hours). An episode still open
(the child not yet back) has no clock; an interview recorded as not offered does not meet it."""

from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, register

RHI_RULE = "missing_rhi_72h"

register(Rule(
    code=RHI_RULE,
    label="Return home interview offered",
    citation="Statutory guidance on children who run away or go missing from home or care (2014): "
             "offered within 72 hours of return",
    trigger=Source("missing.MissingEpisode", date="ended_at"),
    schedule=Schedule(Interval(Clock.HOURS, 72)),
    satisfied_by=Source("missing.ReturnInterview", date="offered_at", link="episode",
                        exclude={"outcome": "not_offered"}),
    hours=True,
))
