from haven.core.timescales.rules import Clock, Interval, Rule, Schedule, Source, register

register(Rule(
    code="referral_decision_1wd",
    label="Decision on a referral",
    citation="Working Together to Safeguard Children 2023, 3.165: a decision within one working day",
    trigger=Source("assessments.CINEpisode", date="referral_date"),
    schedule=Schedule(Interval(Clock.WORKING_DAYS, 1)),
    satisfied_by=Source("assessments.CINEpisode", date="decision_date"),
    stop="closure_date",
))

register(Rule(
    code="assessment_45wd",
    label="Single assessment authorised",
    citation="Working Together to Safeguard Children 2023, 3.186: within 45 working days of the referral",
    trigger=Source("assessments.CINEpisode", date="referral_date", filter={"referral_nfa": False}),
    schedule=Schedule(Interval(Clock.WORKING_DAYS, 45)),
    satisfied_by=Source("assessments.Assessment", date="authorised_date", link="episode"),
    stop="closure_date",
    exemptible=True,
))
