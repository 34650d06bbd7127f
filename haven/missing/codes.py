"""Code lists of the missing and exploitation module: where a child was found, return home
interview outcomes, push and pull factors, referrals, exploitation kinds and indicators, panels.

Push and pull factors are structured (not free text) so that they can be counted across
children: inspectors criticised missing data that was recorded but never aggregated. The lists
follow the factors named in the statutory guidance on children who run away or go missing from
home or care (2014) and the return home interview templates in common use.
"""

from __future__ import annotations

from django.db import models

from haven.core.codes.looked_after import MissingKind  # noqa: F401 - re-exported for the module


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ExploitationRisk(models.TextChoices):
    NONE = "none", "No risk identified"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class WhereFound(models.TextChoices):
    HOME = "home", "Home or placement"
    FRIEND = "friend", "A friend's address"
    RELATIVE = "relative", "A relative's address"
    OTHER_ADDRESS = "other_address", "Another address"
    POLICE_STATION = "police_station", "Police station"
    HOSPITAL = "hospital", "Hospital"
    RETURNED = "returned", "Returned by themselves"
    OTHER = "other", "Somewhere else"


class RHIOutcome(models.TextChoices):
    OFFERED = "offered", "Offered, no answer yet"
    ACCEPTED = "accepted", "Offered and accepted"
    DECLINED = "declined", "Offered and declined"
    COMPLETED = "completed", "Completed"
    NOT_OFFERED = "not_offered", "Not offered (give the reason)"


# Outcomes where the child took up the interview.
RHI_TAKEN_UP = (RHIOutcome.ACCEPTED, RHIOutcome.COMPLETED)


class PushFactor(models.TextChoices):
    """What pushed the child away from home or placement."""

    CONFLICT_HOME = "conflict_home", "Conflict at home"
    CONFLICT_PLACEMENT = "conflict_placement", "Conflict in the placement"
    BOUNDARIES = "boundaries", "Boundaries or rules"
    BULLYING = "bullying", "Bullying"
    ABUSE = "abuse", "Abuse or neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse at home"
    MENTAL_HEALTH = "mental_health", "Mental health or emotional wellbeing"
    SUBSTANCE_USE = "substance_use", "Substance use"
    EDUCATION = "education", "Problems at school or college"
    PLACEMENT_MOVE = "placement_move", "A placement move or distance from home"
    LONELINESS = "loneliness", "Feeling unsettled, lonely or bored"
    OTHER = "other", "Other"


class PullFactor(models.TextChoices):
    """What drew the child somewhere else."""

    FRIENDS = "friends", "Friends"
    FAMILY = "family", "Wanting to see family"
    PARTNER = "partner", "Boyfriend, girlfriend or partner"
    EXPLOITATION = "exploitation", "Exploitation or grooming"
    GANG = "gang", "Gang association"
    DRUGS = "drugs", "Drugs or alcohol"
    MONEY_GIFTS = "money_gifts", "Money or gifts"
    ONLINE = "online", "Contact made online"
    OLDER_ADULTS = "older_adults", "Older adults of concern"
    EXCITEMENT = "excitement", "Excitement or independence"
    OTHER = "other", "Other"


class Referral(models.TextChoices):
    """Actions and referrals that followed a return home interview."""

    MASE = "mase", "Multi-agency sexual exploitation (MASE) panel"
    MACE = "mace", "Multi-agency child exploitation (MACE) panel"
    CONTEXTUAL = "contextual", "Contextual safeguarding meeting"
    STRATEGY = "strategy", "Strategy discussion"
    CAMHS = "camhs", "Mental health services (CAMHS)"
    SUBSTANCE = "substance", "Substance misuse service"
    YOUTH_SERVICE = "youth_service", "Youth service or detached youth work"
    POLICE_INTEL = "police_intel", "Intelligence shared with the police"
    NRM = "nrm", "National Referral Mechanism (modern slavery)"
    EDUCATION = "education", "School or college"
    PLAN_REVIEW = "plan_review", "Review of the child's plan or placement"
    OTHER = "other", "Other"


class ExploitationKind(models.TextChoices):
    CSE = "cse", "Child sexual exploitation (CSE)"
    CCE = "cce", "Child criminal exploitation (CCE)"
    BOTH = "both", "Sexual and criminal exploitation"
    TRAFFICKING = "trafficking", "Trafficking or modern slavery"
    RADICALISATION = "radicalisation", "Radicalisation"
    OTHER = "other", "Other exploitation"


class Indicator(models.TextChoices):
    """Indicators of exploitation (from the exploitation screening tools in common use)."""

    MISSING = "missing", "Going missing, often or for long periods"
    OLDER_ASSOCIATES = "older_associates", "Associating with older people or adults of concern"
    GIFTS_MONEY = "gifts_money", "Unexplained money, phones, clothes or gifts"
    TRAVEL = "travel", "Travelling to unfamiliar areas, out of area"
    DRUGS = "drugs", "Found with drugs or involved in supplying them"
    WEAPONS = "weapons", "Carrying weapons"
    INJURIES = "injuries", "Unexplained injuries"
    SEXUAL_HEALTH = "sexual_health", "Sexual health concerns or pregnancy"
    ONLINE = "online", "Concerning online contact or images"
    SCHOOL = "school", "Absent or excluded from school"
    ARRESTS = "arrests", "Arrests or offending, especially out of area"
    SUBSTANCES = "substances", "Drug or alcohol use"
    MULTIPLE_PHONES = "multiple_phones", "More than one phone, secretive about contacts"
    GANG_NAMES = "gang_names", "Gang names, colours or music"
    CHANGE_BEHAVIOUR = "change_behaviour", "Sudden change in behaviour or mood"
    OTHER = "other", "Other"


class Panel(models.TextChoices):
    MASE = "mase", "Multi-agency sexual exploitation (MASE) panel"
    MACE = "mace", "Multi-agency child exploitation (MACE) panel"
    CONTEXTUAL = "contextual", "Contextual safeguarding panel"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"


def labels(choices, codes) -> list[str]:
    """The labels of ``codes`` in a code list (unknown codes kept as they are)."""
    names = dict(choices.choices)
    return [str(names.get(c, c)) for c in codes or ()]
