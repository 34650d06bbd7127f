"""Use-cases of permanence: change a child's permanence plan, record a permanence planning
meeting, pre-proceedings, care proceedings (issue, hearings and conclusion, an extension of the
26 weeks by the court), a step of the adoption journey, and a special guardianship order.

Each takes a keyword-only ``actor``, checks capability and scope, runs in one transaction, writes
its audit entry and raises ``Refused`` with one ``Problem`` per impossible input (the pages show
them beside the fields, the API answers 422 with them). The pages and the API call these; nothing
else writes these records.

The 26-week clock (rule ``proceedings_26w``, ``timescales``) follows by itself: saving care
proceedings recomputes the child's deadlines (``haven.work.signals``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from haven.audit.log import Action, record
from haven.core.versioning import save_versioned

from .models import (
    AdoptionDecision,
    CareProceedings,
    PermanencePlan,
    PermanencePlanningMeeting,
    PreProceedings,
    ReasonPlacedCeased,
    SpecialGuardianshipOrder,
)

Kind = AdoptionDecision.Kind
TWENTY_SIX_WEEK_APPLICATIONS = ("care", "supervision", "care_or_supervision")
MAX_EXTENSION = dt.timedelta(weeks=8)      # Children Act 1989 s.32(8)
HOME_BEFORE_APPLICATION = dt.timedelta(weeks=10)  # Adoption and Children Act 2002 s.42(2)


def day(value: dt.date | None) -> str:
    """27 March 2019 (GOV.UK style)."""
    return f"{value.day} {value:%B %Y}" if value else ""


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


class Refused(Exception):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


def _refuse_if(problems: list[Problem]) -> None:
    if problems:
        raise Refused(problems)


def _require(actor, capability: str) -> None:
    if not actor.has_capability(capability):
        raise PermissionDenied(f"You need the '{capability}' capability")


def _require_scope(actor, obj) -> None:
    if not type(obj).objects.visible_to(actor, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied("This record is outside your scope")


def _lock(person) -> None:
    from haven.people.models import Person

    list(Person.objects.select_for_update().filter(pk=person.pk))


def _audit(actor, request, obj, summary: str = "", detail: dict | None = None) -> None:
    record(request if request is not None else actor, Action.CREATE, obj=obj, summary=summary, detail=detail)


def _stamp(obj, actor):
    obj.created_by = obj.updated_by = actor
    return obj


def _child(actor, person, capability: str = "permanence.record") -> None:
    _require(actor, capability)
    _require_scope(actor, person)
    if person.kind != person.Kind.CHILD:
        raise Refused([Problem("", f"{person.full_name} is not a child: permanence is recorded for children")])


def _date(problems: list[Problem], person, field: str, value: dt.date | None, label: str, *,
          required: bool = True, future_ok: bool = False) -> None:
    """The usual refusals for a date about a child: missing, in the future, before birth, after
    death."""
    if value is None:
        if required:
            problems.append(Problem(field, f"Enter {label}"))
        return
    cap = label[0].upper() + label[1:]
    if not future_ok and value > timezone.localdate():
        problems.append(Problem(field, f"{cap} must be today or in the past"))
    if person.date_of_birth and value < person.date_of_birth:
        problems.append(Problem(field, f"{cap} must be on or after {person.first_name}'s date of birth "
                                       f"({day(person.date_of_birth)})"))
    if person.date_of_death and value > person.date_of_death:
        problems.append(Problem(field, f"{cap} must be on or before {person.first_name}'s date of death"))


def period_on(person, on: dt.date | None):
    """The period of care covering ``on`` (the child was looked after that day), or None."""
    from haven.looked_after.models import PeriodOfCare

    if on is None:
        return None
    return PeriodOfCare.objects.filter(person=person).open_on(on).order_by("-start_date").first()


# --- permanence plan --------------------------------------------------------------------------

def current_plan(person) -> PermanencePlan | None:
    return PermanencePlan.objects.filter(person=person, is_current=True).order_by("-decided_on", "-pk").first()


@transaction.atomic
def set_plan(*, actor, person, plan: str, decided_on: dt.date | None, reason: str = "",
             request=None) -> PermanencePlan:
    """The child's permanence plan from ``decided_on``. A change is a new row; the previous plan
    stays as history (no longer current). Linked to the period of care covering the date."""
    _child(actor, person)
    _lock(person)
    problems: list[Problem] = []
    if plan not in PermanencePlan.Kind.values:
        problems.append(Problem("plan", "Select the permanence plan"))
    _date(problems, person, "decided_on", decided_on, "the date the plan was decided")
    if not (reason or "").strip():
        problems.append(Problem("reason", "Enter why this is the plan"))
    previous = current_plan(person)
    if previous is not None and decided_on is not None:
        if decided_on < previous.decided_on:
            problems.append(Problem("decided_on", f"The current plan ({previous.get_plan_display().lower()}) was "
                                                  f"decided on {day(previous.decided_on)}: a change must be dated on "
                                                  "or after it"))
        elif previous.plan == plan:
            problems.append(Problem("plan", f"{previous.get_plan_display()} is already {person.first_name}'s plan "
                                            f"(since {day(previous.decided_on)})"))
    _refuse_if(problems)
    if previous is not None:
        previous.is_current = False
        previous.updated_by = actor
        previous._change_reason = "Replaced by a new permanence plan"
        previous.save(update_fields=["is_current", "updated_by", "updated_at"])
    obj = _stamp(PermanencePlan(person=person, authority=person.authority, plan=plan, decided_on=decided_on,
                                reason=reason.strip(), period=period_on(person, decided_on), is_current=True), actor)
    obj.save()
    _audit(actor, request, obj, detail={"previous": previous.plan if previous else None, "plan": plan})
    return obj


@transaction.atomic
def record_meeting(*, actor, person, held_on: dt.date | None, attendees: str = "", decisions: str = "",
                   next_meeting_on: dt.date | None = None, request=None) -> PermanencePlanningMeeting:
    _child(actor, person)
    problems: list[Problem] = []
    _date(problems, person, "held_on", held_on, "the date of the meeting")
    if not (decisions or "").strip():
        problems.append(Problem("decisions", "Enter the decisions the meeting made"))
    if next_meeting_on is not None and held_on is not None and next_meeting_on <= held_on:
        problems.append(Problem("next_meeting_on", "The next meeting must be after this one"))
    _refuse_if(problems)
    obj = _stamp(PermanencePlanningMeeting(person=person, authority=person.authority, held_on=held_on,
                                           attendees=(attendees or "").strip(), decisions=decisions.strip(),
                                           next_meeting_on=next_meeting_on), actor)
    obj.save()
    _audit(actor, request, obj)
    return obj


# --- pre-proceedings --------------------------------------------------------------------------

def _pre_problems(person, letter_on, pla_meeting_on, outcome, ended_on, problems: list[Problem]) -> None:
    _date(problems, person, "pla_meeting_on", pla_meeting_on, "the date of the pre-proceedings meeting")
    _date(problems, person, "letter_before_proceedings_on", letter_on, "the date of the letter before proceedings",
          required=False)
    if letter_on and pla_meeting_on and letter_on > pla_meeting_on:
        problems.append(Problem("letter_before_proceedings_on",
                                "The letter before proceedings invites the parents to the pre-proceedings meeting: "
                                "it must be sent on or before the meeting"))
    if outcome not in PreProceedings.Outcome.values:
        problems.append(Problem("outcome", "Select the outcome of pre-proceedings"))
    elif outcome == PreProceedings.Outcome.ONGOING:
        if ended_on is not None:
            problems.append(Problem("ended_on", "Pre-proceedings that are ongoing have no end date: select the outcome"))
    else:
        _date(problems, person, "ended_on", ended_on, "the date pre-proceedings ended")
        if ended_on and pla_meeting_on and ended_on < pla_meeting_on:
            problems.append(Problem("ended_on", "Pre-proceedings must end on or after the pre-proceedings meeting "
                                                f"({day(pla_meeting_on)})"))


@transaction.atomic
def record_pre_proceedings(*, actor, person, pla_meeting_on: dt.date | None, letter_before_proceedings_on=None,
                           outcome: str = "ongoing", ended_on: dt.date | None = None, request=None) -> PreProceedings:
    _child(actor, person)
    _lock(person)
    problems: list[Problem] = []
    _pre_problems(person, letter_before_proceedings_on, pla_meeting_on, outcome, ended_on, problems)
    open_pre = PreProceedings.objects.filter(person=person, outcome=PreProceedings.Outcome.ONGOING).first()
    if open_pre is not None and outcome == PreProceedings.Outcome.ONGOING:
        problems.append(Problem("", f"{person.first_name} is already in pre-proceedings (meeting on "
                                    f"{day(open_pre.pla_meeting_on)}): record their outcome first"))
    _refuse_if(problems)
    obj = _stamp(PreProceedings(person=person, authority=person.authority, pla_meeting_on=pla_meeting_on,
                                letter_before_proceedings_on=letter_before_proceedings_on, outcome=outcome,
                                ended_on=ended_on), actor)
    obj.save()
    _audit(actor, request, obj)
    return obj


@transaction.atomic
def update_pre_proceedings(*, actor, pre: PreProceedings, expected_version: int, pla_meeting_on, outcome: str,
                           ended_on=None, letter_before_proceedings_on=None, request=None) -> PreProceedings:
    _child(actor, pre.person)
    _require_scope(actor, pre)
    problems: list[Problem] = []
    _pre_problems(pre.person, letter_before_proceedings_on, pla_meeting_on, outcome, ended_on, problems)
    first_issue = pre.proceedings.order_by("issued_on").first()
    if first_issue is not None and outcome != PreProceedings.Outcome.ISSUED:
        problems.append(Problem("outcome", f"Care proceedings were issued from these pre-proceedings on "
                                           f"{day(first_issue.issued_on)}"))
    _refuse_if(problems)
    pre.pla_meeting_on, pre.outcome, pre.ended_on = pla_meeting_on, outcome, ended_on
    pre.letter_before_proceedings_on = letter_before_proceedings_on
    save_versioned(pre, expected_version=expected_version, actor=actor, reason="Pre-proceedings updated")
    record(request if request is not None else actor, Action.UPDATE, obj=pre)
    return pre


# --- care proceedings -------------------------------------------------------------------------

def _proceedings_problems(person, data: dict, problems: list[Problem]) -> None:
    issued_on = data.get("issued_on")
    _date(problems, person, "issued_on", issued_on, "the date the application was issued")
    if not (data.get("court") or "").strip():
        problems.append(Problem("court", "Enter the court"))
    if data.get("application") not in CareProceedings.Application.values:
        problems.append(Problem("application", "Select what the application is for"))
    for field, label in (("interim_order_on", "the date of the first interim order"),
                         ("interim_renewed_on", "the date of the latest interim order renewal"),
                         ("concluded_on", "the date the proceedings concluded")):
        value = data.get(field)
        _date(problems, person, field, value, label, required=False)
        if value and issued_on and value < issued_on:
            problems.append(Problem(field, f"{label[0].upper()}{label[1:]} must be on or after the application was "
                                           f"issued ({day(issued_on)})"))
    if data.get("interim_renewed_on") and data.get("interim_order_on") and \
            data["interim_renewed_on"] < data["interim_order_on"]:
        problems.append(Problem("interim_renewed_on", "A renewal must be on or after the first interim order"))
    final = data.get("final_hearing_on")
    if final and issued_on and final < issued_on:
        problems.append(Problem("final_hearing_on", f"The final hearing must be on or after the application was issued "
                                                    f"({day(issued_on)})"))
    concluded, outcome = data.get("concluded_on"), data.get("outcome") or ""
    if outcome and outcome not in CareProceedings.Outcome.values:
        problems.append(Problem("outcome", "Select the outcome"))
    if concluded and not outcome:
        problems.append(Problem("outcome", "Select the outcome of the proceedings"))
    if outcome and not concluded:
        problems.append(Problem("concluded_on", "Enter the date the proceedings concluded"))
    pre = data.get("pre_proceedings")
    if pre is not None:
        if pre.person_id != person.pk:
            problems.append(Problem("pre_proceedings", "These pre-proceedings are about another child"))
        elif issued_on and issued_on < pre.pla_meeting_on:
            problems.append(Problem("issued_on", f"The application must be issued on or after the pre-proceedings "
                                                 f"meeting ({day(pre.pla_meeting_on)})"))


PROCEEDINGS_FIELDS = ("court", "case_number", "application", "issued_on", "interim_order_on", "interim_renewed_on",
                      "final_hearing_on", "concluded_on", "outcome")


@transaction.atomic
def issue_proceedings(*, actor, person, court: str, application: str, issued_on: dt.date | None,
                      case_number: str = "", pre_proceedings: PreProceedings | None = None,
                      interim_order_on=None, interim_renewed_on=None, final_hearing_on=None, concluded_on=None,
                      outcome: str = "", request=None) -> CareProceedings:
    """Care proceedings issued for one child. Pre-proceedings still ongoing end that day with
    the outcome "proceedings issued". The 26-week clock starts on the day of issue."""
    _child(actor, person)
    _lock(person)
    data = dict(court=court, case_number=case_number, application=application, issued_on=issued_on,
                interim_order_on=interim_order_on, interim_renewed_on=interim_renewed_on,
                final_hearing_on=final_hearing_on, concluded_on=concluded_on, outcome=outcome,
                pre_proceedings=pre_proceedings)
    problems: list[Problem] = []
    if pre_proceedings is not None:
        _require_scope(actor, pre_proceedings)
    _proceedings_problems(person, data, problems)
    if case_number and CareProceedings.objects.filter(person=person, case_number__iexact=case_number.strip(),
                                                      application=application).exists():
        problems.append(Problem("case_number", f"{person.first_name} already has this application under case number "
                                               f"{case_number.strip()}"))
    _refuse_if(problems)
    obj = _stamp(CareProceedings(person=person, authority=person.authority, court=court.strip(),
                                 case_number=(case_number or "").strip(), application=application, issued_on=issued_on,
                                 interim_order_on=interim_order_on, interim_renewed_on=interim_renewed_on,
                                 final_hearing_on=final_hearing_on, concluded_on=concluded_on, outcome=outcome or "",
                                 pre_proceedings=pre_proceedings), actor)
    obj.save()
    if pre_proceedings is not None and pre_proceedings.outcome == PreProceedings.Outcome.ONGOING:
        pre_proceedings.outcome, pre_proceedings.ended_on = PreProceedings.Outcome.ISSUED, issued_on
        save_versioned(pre_proceedings, expected_version=pre_proceedings.version, actor=actor,
                       reason="Care proceedings issued")
    _audit(actor, request, obj)
    return obj


@transaction.atomic
def update_proceedings(*, actor, proceedings: CareProceedings, expected_version: int, request=None,
                       **fields) -> CareProceedings:
    """Hearing dates, the conclusion and outcome, or corrections (court, case number…)."""
    person = proceedings.person
    _child(actor, person)
    _require_scope(actor, proceedings)
    data = {f: getattr(proceedings, f) for f in PROCEEDINGS_FIELDS}
    data.update({k: v for k, v in fields.items() if k in PROCEEDINGS_FIELDS})
    data["pre_proceedings"] = proceedings.pre_proceedings
    problems: list[Problem] = []
    _proceedings_problems(person, data, problems)
    if proceedings.extended_to and data["issued_on"] and proceedings.extended_to <= data["issued_on"]:
        problems.append(Problem("issued_on", "The date of issue must be before the extended date"))
    _refuse_if(problems)
    changed = [f for f in PROCEEDINGS_FIELDS if getattr(proceedings, f) != data[f]]
    for f in PROCEEDINGS_FIELDS:
        setattr(proceedings, f, data[f] if data[f] is not None or f.endswith("_on") else "")
    proceedings.court = (proceedings.court or "").strip()
    proceedings.outcome = proceedings.outcome or ""
    proceedings.case_number = (proceedings.case_number or "").strip()
    save_versioned(proceedings, expected_version=expected_version, actor=actor, reason="Care proceedings updated")
    record(request if request is not None else actor, Action.UPDATE, obj=proceedings, detail={"changed": changed})
    return proceedings


def clock(proceedings: CareProceedings):
    """The proceedings' ``proceedings_26w`` deadline (derived; never computed here), or None."""
    from haven.work.models import Deadline

    ct = ContentType.objects.get_for_model(CareProceedings)
    return (Deadline.objects.filter(rule="proceedings_26w", content_type=ct, object_id=proceedings.pk)
            .order_by("sequence").first())


@transaction.atomic
def record_extension(*, actor, proceedings: CareProceedings, extended_to: dt.date | None, reason: str,
                     request=None):
    """The court extended the 26 weeks (Children Act 1989 s.32(5)): by up to 8 weeks beyond the
    current due date each time (s.32(8)), for a reason the court gave. Recorded on the
    proceedings and as an extension of the ``proceedings_26w`` clock
    (``haven.work.models.TimescaleExemption``), which moves the deadline's due date."""
    from haven.core.timescales.rules import RULES
    from haven.work.models import TimescaleExemption
    from haven.work.sync import recompute

    person = proceedings.person
    _child(actor, person)
    _require_scope(actor, proceedings)
    problems: list[Problem] = []
    if proceedings.application not in TWENTY_SIX_WEEK_APPLICATIONS:
        raise Refused([Problem("", "Only applications for a care or supervision order have the 26-week limit")])
    if not (reason or "").strip():
        problems.append(Problem("reason", "Enter why the court extended the time"))
    deadline = clock(proceedings)
    if deadline is None:
        raise Refused([Problem("", "These proceedings have no 26-week clock to extend")])
    due = timezone.localtime(deadline.due_at).date()
    if extended_to is None:
        problems.append(Problem("extended_to", "Enter the date the court extended the time to"))
    elif extended_to <= due:
        problems.append(Problem("extended_to", f"The new date must be after the current limit ({day(due)})"))
    elif extended_to > due + MAX_EXTENSION:
        problems.append(Problem("extended_to", f"The court can extend the time by up to 8 weeks at a time "
                                               f"(Children Act 1989 s.32(8)): no later than {day(due + MAX_EXTENSION)}"))
    if proceedings.concluded_on and proceedings.concluded_on <= due:
        problems.append(Problem("", f"The proceedings concluded on {day(proceedings.concluded_on)}, within the "
                                    "time: there is nothing to extend"))
    _refuse_if(problems)
    ct = ContentType.objects.get_for_model(CareProceedings)
    exemption = _stamp(TimescaleExemption(rule="proceedings_26w", content_type=ct, object_id=proceedings.pk,
                                          kind=TimescaleExemption.Kind.EXTEND, extended_to=extended_to,
                                          reason=reason.strip(), decided_by=actor, authority=proceedings.authority),
                       actor)
    exemption.save()
    proceedings.extension_granted = True
    proceedings.extension_reason = "\n".join(r for r in (proceedings.extension_reason, reason.strip()) if r)
    proceedings.extended_to = extended_to
    save_versioned(proceedings, expected_version=proceedings.version, actor=actor, reason="Extension granted")
    recompute(RULES["proceedings_26w"], [proceedings.pk])
    record(request if request is not None else actor, Action.CREATE, obj=exemption, person_id=person.pk,
           summary=f"Court extended the 26 weeks to {day(extended_to)}",
           detail={"rule": "proceedings_26w", "extended_to": str(extended_to), "reason": reason.strip(),
                   "proceedings": proceedings.pk})
    return exemption


# --- adoption ---------------------------------------------------------------------------------

STEP_ORDER = {Kind.SHOULD_BE_PLACED: 0, Kind.PLACEMENT_ORDER: 1, Kind.MATCHED: 2, Kind.MOVED_IN_WITH_CARERS: 3,
              Kind.PLACED: 4, Kind.ADOPTION_ORDER: 5, Kind.REVERSED: 6}

STEP_NAMES = {
    Kind.SHOULD_BE_PLACED: "decision that the child should be placed for adoption",
    Kind.PLACEMENT_ORDER: "placement order",
    Kind.MATCHED: "match",
    Kind.MOVED_IN_WITH_CARERS: "move to the foster carers who later adopted",
    Kind.PLACED: "placement for adoption",
    Kind.ADOPTION_ORDER: "adoption order",
    Kind.REVERSED: "reversal of the decision",
}


def _walk(steps, name: str):
    """Walk the steps in date order; yield (step, problem) for each step out of order."""
    adm = po = match = moved = placed = adopted = reversed_on = None
    for s in sorted(steps, key=lambda s: (s.decided_on, STEP_ORDER[s.kind], s.pk or 10**12)):
        k, on = s.kind, s.decided_on
        if adopted is not None:
            yield s, f"{name} was adopted on {day(adopted)}: nothing can be recorded after the adoption order"
            continue
        if k == Kind.SHOULD_BE_PLACED:
            if adm is not None:
                yield s, (f"The agency decision maker already decided on {day(adm)} that {name} should be placed for "
                          "adoption, and that decision has not been reversed")
            else:
                adm, po, match, placed, reversed_on = on, None, None, None, None
            continue
        if k == Kind.MOVED_IN_WITH_CARERS:
            if moved is not None:
                yield s, f"{name} already moved in with the foster carers who later adopted, on {day(moved)}"
            elif placed is not None:
                yield s, (f"{name} was placed for adoption on {day(placed)}: moving in with the foster carers must be "
                          "before that")
            else:
                moved = on
            continue
        if k == Kind.REVERSED:
            if adm is None:
                yield s, (f"The decision was already reversed on {day(reversed_on)}" if reversed_on else
                          f"There is no decision that {name} should be placed for adoption to reverse")
            else:
                adm = po = match = placed = moved = None
                reversed_on = on
            continue
        if adm is None:
            if reversed_on is not None:
                yield s, (f"The decision that {name} should be placed for adoption was reversed on {day(reversed_on)}: "
                          "record a new decision of the agency decision maker first")
            else:
                yield s, (f"Record the agency decision maker's decision that {name} should be placed for adoption "
                          f"first: the {STEP_NAMES[k]} comes after it")
            continue
        if k == Kind.PLACEMENT_ORDER:
            if po is not None:
                yield s, f"A placement order was already granted on {day(po)}"
            elif match is not None:
                yield s, f"A placement order comes before the match ({name} was matched on {day(match)})"
            else:
                po = on
        elif k == Kind.MATCHED:
            if match is not None:
                yield s, f"{name} was already matched on {day(match)}"
            else:
                match = on
        elif k == Kind.PLACED:
            if match is None:
                yield s, f"{name} must be matched with the adopters before being placed with them"
            elif placed is not None:
                yield s, f"{name} was already placed for adoption on {day(placed)}"
            else:
                placed = on
        elif k == Kind.ADOPTION_ORDER:
            if placed is None:
                yield s, f"An adoption order comes after {name} is placed with the adopters"
                continue
            home = min(moved, placed) if moved else placed
            if on < home + HOME_BEFORE_APPLICATION:
                yield s, (f"{name} must have lived with the adopters for 10 weeks before they apply (Adoption and "
                          f"Children Act 2002 s.42(2)): an adoption order cannot be before "
                          f"{day(home + HOME_BEFORE_APPLICATION)}")
            else:
                adopted = on


def sequence_problems(existing, new: AdoptionDecision, name: str) -> list[Problem]:
    """The problem that adding ``new`` to ``existing`` steps would cause, or none."""
    for step, message in _walk([*existing, new], name):
        if step is new:
            return [Problem("kind", message)]
        return [Problem("decided_on", f"Out of order with the {STEP_NAMES[step.kind]} recorded on "
                                      f"{day(step.decided_on)}. {message}")]
    return []


@transaction.atomic
def record_adoption_step(*, actor, person, kind: str, decided_on: dt.date | None, notes: str = "",
                         reason_ceased: str = "", request=None) -> AdoptionDecision:
    """One step of the adoption journey, refused when out of order. The agency decision maker's
    decisions (should be placed, and its reversal) need ``permanence.decide``. The child must be
    looked after on the day (SSDA903 rule 334), except for a reversal."""
    _child(actor, person)
    if kind in AdoptionDecision.ADM_KINDS:
        _require(actor, "permanence.decide")
    _lock(person)
    problems: list[Problem] = []
    if kind not in Kind.values:
        raise Refused([Problem("kind", "Select the step")])
    _date(problems, person, "decided_on", decided_on, "the date")
    if kind == Kind.REVERSED:
        if reason_ceased not in ReasonPlacedCeased.values:
            problems.append(Problem("reason_ceased", "Select why the decision was reversed"))
    elif reason_ceased:
        problems.append(Problem("reason_ceased", "A reason is recorded only when the decision is reversed"))
    if decided_on is not None and kind != Kind.REVERSED and period_on(person, decided_on) is None:
        problems.append(Problem("decided_on", f"{person.first_name} was not looked after on {day(decided_on)}: "
                                              f"the {STEP_NAMES[kind]} must be during a period of care"))
    _refuse_if(problems)
    new = AdoptionDecision(person=person, authority=person.authority, kind=kind, decided_on=decided_on,
                           reason_ceased=reason_ceased, notes=(notes or "").strip())
    existing = list(AdoptionDecision.objects.filter(person=person))
    _refuse_if(sequence_problems(existing, new, person.first_name))
    _stamp(new, actor).save()
    _audit(actor, request, new)
    return new


def next_steps(person) -> list[str]:
    """The steps that can come next (kinds), for the form's choices and the page."""
    steps = list(AdoptionDecision.objects.filter(person=person))
    today = timezone.localdate()
    out = []
    for kind in Kind.values:
        probe = AdoptionDecision(person=person, kind=kind, decided_on=today)
        if not list(_walk([*steps, probe], "")):
            out.append(kind)
    return out


# --- special guardianship ---------------------------------------------------------------------

@transaction.atomic
def record_sgo(*, actor, person, granted_on: dt.date | None, guardians: str, relationship: str,
               support_plan: str = "", proceedings: CareProceedings | None = None,
               request=None) -> SpecialGuardianshipOrder:
    _child(actor, person)
    problems: list[Problem] = []
    _date(problems, person, "granted_on", granted_on, "the date the order was granted")
    if not (guardians or "").strip():
        problems.append(Problem("guardians", "Enter the names of the special guardians"))
    if relationship not in SpecialGuardianshipOrder.Relationship.values:
        problems.append(Problem("relationship", "Select the special guardians' relationship to the child"))
    if proceedings is not None:
        _require_scope(actor, proceedings)
        if proceedings.person_id != person.pk:
            problems.append(Problem("proceedings", "These proceedings are about another child"))
        elif granted_on and granted_on < proceedings.issued_on:
            problems.append(Problem("granted_on", f"The order must be on or after the proceedings were issued "
                                                  f"({day(proceedings.issued_on)})"))
    adopted = AdoptionDecision.objects.filter(person=person, kind=Kind.ADOPTION_ORDER).first()
    if adopted is not None and granted_on and granted_on >= adopted.decided_on:
        problems.append(Problem("granted_on", f"{person.first_name} was adopted on {day(adopted.decided_on)}"))
    _refuse_if(problems)
    obj = _stamp(SpecialGuardianshipOrder(person=person, authority=person.authority, granted_on=granted_on,
                                          guardians=guardians.strip(), relationship=relationship,
                                          support_plan=(support_plan or "").strip(), proceedings=proceedings), actor)
    obj.save()
    _audit(actor, request, obj)
    return obj
