from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, register

register(Rule(
    code="icpc_15wd",
    label="Initial child protection conference",
    citation="Working Together to Safeguard Children 2023, 3.223: within 15 working days of the strategy discussion",
    trigger=Source("protection.S47Enquiry", date="strategy_discussion__held_at__date"),
    schedule=Schedule(Interval(Clock.WORKING_DAYS, 15)),
    satisfied_by=Source("protection.ConferenceChild", date="conference__held_on", link="s47",
                        filter={"conference__kind": "initial"}),
    stop="completed_date",
    stop_when={"outcome__in": ["substantiated_no_icpc", "not_substantiated"]},
))
