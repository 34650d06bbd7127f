"""Roles and the capabilities they grant.

A role says *what* a user may do (capabilities); scope says *which children* (see
``haven.core.access``). Capabilities are plain strings so that a module can declare its own
without touching this file: ``register_capability("care.record_placement", roles=[...])``.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    MASH_OFFICER = "mash_officer", "MASH officer"
    CP_CHAIR_IRO = "cp_chair_iro", "Child protection chair / IRO"
    PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
    FOSTERING_ADOPTION = "fostering_adoption", "Fostering and adoption worker"
    YOUTH_JUSTICE = "youth_justice", "Youth justice worker"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    AUDITOR = "auditor", "Auditor"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    PARTNER_READ_ONLY = "partner_read_only", "Partner agency (read only)"


PRACTITIONERS = [
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.MASH_OFFICER,
    Role.CP_CHAIR_IRO,
    Role.PERSONAL_ADVISER,
    Role.FOSTERING_ADOPTION,
    Role.YOUTH_JUSTICE,
]

# Scope: roles whose holders see every child of the authorities their teams serve. All other
# roles see only children allocated to them or to their team.
AUTHORITY_WIDE_ROLES = {
    *PRACTITIONERS,
    Role.PERFORMANCE_ANALYST,
    Role.AUDITOR,
}

CAPABILITIES: dict[str, set[str]] = {}


def register_capability(name: str, roles) -> None:
    """Grant capability ``name`` to each role in ``roles`` (idempotent; adds to earlier grants)."""
    CAPABILITIES.setdefault(name, set()).update(str(r) for r in roles)


def capabilities_for(roles) -> set[str]:
    roles = {str(r) for r in roles}
    return {cap for cap, granted in CAPABILITIES.items() if granted & roles}


# --- the foundation's capabilities ------------------------------------------------------------
register_capability("people.view", [*PRACTITIONERS, Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.PARTNER_READ_ONLY])
register_capability("people.search", [*PRACTITIONERS, Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.PARTNER_READ_ONLY])
register_capability("people.create", PRACTITIONERS)
register_capability("people.edit", PRACTITIONERS)
register_capability("people.allocate", [Role.TEAM_MANAGER])
register_capability("people.restrict", [Role.TEAM_MANAGER])
# Who has seen a record (names, times, break-glass reasons) is for the service's own staff, not partners.
register_capability("people.seen_by", [*PRACTITIONERS, Role.AUDITOR])
register_capability("people.break_glass", [*PRACTITIONERS, Role.AUDITOR])
register_capability("audit.view", [Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR])
register_capability("audit.export", [Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR])
register_capability("audit.break_glass_report", [Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR, Role.TEAM_MANAGER])
register_capability("audit.break_glass_review", [Role.TEAM_MANAGER, Role.AUDITOR])

# --- the help-and-protection journey ----------------------------------------------------------
_CASE_READERS = [*PRACTITIONERS, Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.PARTNER_READ_ONLY]
_CSC = [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.MASH_OFFICER, Role.CP_CHAIR_IRO]
register_capability("front_door.view", [*PRACTITIONERS, Role.PERFORMANCE_ANALYST, Role.AUDITOR])
register_capability("front_door.record", [Role.MASH_OFFICER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER])
register_capability("front_door.decide", [Role.MASH_OFFICER, Role.TEAM_MANAGER])
register_capability("front_door.override_consent", [Role.TEAM_MANAGER])
register_capability("assessments.view", _CASE_READERS)
register_capability("assessments.record", _CSC)
register_capability("assessments.authorise", [Role.TEAM_MANAGER])
register_capability("assessments.close", [Role.TEAM_MANAGER])
register_capability("protection.view", _CASE_READERS)
register_capability("protection.record", _CSC)
register_capability("protection.chair", [Role.CP_CHAIR_IRO, Role.TEAM_MANAGER])
register_capability("plans.view", _CASE_READERS)
register_capability("plans.record", [*_CSC, Role.PERSONAL_ADVISER])
register_capability("recording.view", [*PRACTITIONERS, Role.PERFORMANCE_ANALYST, Role.AUDITOR])
register_capability("recording.record", PRACTITIONERS)
register_capability("timescales.exempt", [Role.TEAM_MANAGER])
register_capability("work.view", PRACTITIONERS)
register_capability("work.team", [Role.TEAM_MANAGER])
register_capability("chronology.export", [*PRACTITIONERS, Role.AUDITOR])

# --- children looked after, missing children, permanence and care leavers -----------------------
_CLA_RECORDERS = [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CP_CHAIR_IRO, Role.PERSONAL_ADVISER,
                  Role.FOSTERING_ADOPTION]
register_capability("looked_after.view", _CASE_READERS)
register_capability("looked_after.record", _CLA_RECORDERS)        # periods of care, placements, care plans, visits
register_capability("looked_after.review", [Role.CP_CHAIR_IRO])    # chair and record reviews (IROs)
register_capability("looked_after.team", [Role.TEAM_MANAGER, Role.CP_CHAIR_IRO, Role.PERFORMANCE_ANALYST])  # team and IRO views
register_capability("health.view", [*PRACTITIONERS, Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.PARTNER_READ_ONLY])
register_capability("health.record", _CLA_RECORDERS)
register_capability("education.view", [*PRACTITIONERS, Role.PERFORMANCE_ANALYST, Role.AUDITOR, Role.PARTNER_READ_ONLY])
register_capability("education.record", _CLA_RECORDERS)
register_capability("missing.view", _CASE_READERS)
register_capability("missing.record", [*_CSC, Role.PERSONAL_ADVISER, Role.YOUTH_JUSTICE, Role.FOSTERING_ADOPTION])
register_capability("missing.report", [Role.TEAM_MANAGER, Role.CP_CHAIR_IRO, Role.PERFORMANCE_ANALYST, Role.AUDITOR])
register_capability("exploitation.record", [*_CSC, Role.YOUTH_JUSTICE])
register_capability("exploitation.panel", [Role.TEAM_MANAGER])      # record multi-agency panel decisions
register_capability("permanence.view", _CASE_READERS)
register_capability("permanence.record", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.FOSTERING_ADOPTION])
register_capability("permanence.decide", [Role.TEAM_MANAGER])       # agency decision maker (ADM) decisions
register_capability("care_leavers.view", _CASE_READERS)
register_capability("care_leavers.record", [Role.PERSONAL_ADVISER, Role.SOCIAL_WORKER, Role.TEAM_MANAGER])
register_capability("care_leavers.team", [Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST])  # custody contact and leaver lists

# --- statutory returns --------------------------------------------------------------------------
register_capability("returns.view", [Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER, Role.AUDITOR])  # build, check, download

# --- performance management: KPI dashboards, drill-through, scorecards, hotspots -----------------
_PERFORMANCE = [Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST, Role.AUDITOR]
# Every practitioner sees their own figures (a worker's dashboard of their own caseload); managers,
# analysts and auditors see any dashboard of the authorities they serve (kpis.all).
register_capability("kpis.view", [*PRACTITIONERS, Role.PERFORMANCE_ANALYST, Role.AUDITOR])
register_capability("kpis.all", _PERFORMANCE)
register_capability("kpis.export", _PERFORMANCE)                       # drill-through lists as CSV/XLSX
register_capability("kpis.manage", [Role.PERFORMANCE_ANALYST])          # targets, comparators, populations
register_capability("kpis.scorecard", _PERFORMANCE)                    # read and download scorecards
register_capability("kpis.scorecard_edit", [Role.PERFORMANCE_ANALYST, Role.TEAM_MANAGER])  # commentary, make the PDF
register_capability("kpis.hotspots", [Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST, Role.CP_CHAIR_IRO])
