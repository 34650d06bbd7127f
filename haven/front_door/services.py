"""Use-cases of the front door (DOMAIN step 1). The pages and the API call these; each takes a
required ``actor``, runs in one transaction, and raises ``Refused`` (one ``Problem`` per broken
rule, naming the form field it concerns) or ``StaleEdit`` (someone saved the contact since it
was read). Nothing is half-saved: a refusal rolls everything back.

Deadlines follow by themselves: rating a contact starts its RAG clock and the decision meets it
(``timescales.py``, kept current by ``haven.work.signals``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.roles import CAPABILITIES
from haven.audit.log import Action, record
from haven.core.codes import Agency, PrimaryNeed, ReferralSource
from haven.core.versioning import save_versioned
from haven.people.models import Person

from .models import AgencyCheck, Contact, ContactSubject

# The agencies a MASH asks (DOMAIN step 1).
CHECK_AGENCIES = (Agency.POLICE, Agency.HEALTH, Agency.EDUCATION, Agency.HOUSING, Agency.PROBATION, Agency.OTHER_LA)
# Decisions that refer the children to social care: each opens a CIN episode per child. A
# strategy discussion is held on a referral (the census counts it as one; an S47 needs it).
REFERRAL_DECISIONS = (Contact.Decision.REFERRAL, Contact.Decision.STRATEGY)
# Without consent (refused, and not overridden) only these decisions may be made: early help
# works with the family's agreement, and a referral without consent needs a manager's override.
WITHOUT_CONSENT = (Contact.Decision.NFA, Contact.Decision.INFORMATION)
# Allowance for the clock of the browser or client being a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=2)


@dataclass(frozen=True)
class Problem:
    """One broken rule: the form ``field`` it concerns ("" for the whole record) and the message."""

    field: str
    message: str


class Refused(Exception):
    """The change would break a rule; ``problems`` says which. ``candidates`` holds, for new
    people who may already have a record, {index: [(score, person, reasons)]}."""

    def __init__(self, problems: Iterable[Problem], candidates: dict | None = None):
        self.problems = list(problems)
        self.candidates = candidates or {}
        super().__init__("; ".join(p.message for p in self.problems))


def _refuse_if(problems, **kwargs) -> None:
    if problems:
        raise Refused(problems, **kwargs)


def _require(actor, capability: str) -> None:
    if not actor.has_capability(capability):
        raise PermissionDenied(f"You need the '{capability}' capability")


def _now() -> dt.datetime:
    return timezone.now()


def _fmt(when: dt.datetime) -> str:
    when = timezone.localtime(when)
    return f"{when.day} {when:%B %Y} at {when:%H:%M}"


def _minute(when: dt.datetime) -> dt.datetime:
    return when.replace(second=0, microsecond=0)


def _before(when: dt.datetime, earliest: dt.datetime | None) -> bool:
    """True if ``when`` (entered to the minute) is before ``earliest`` (stored to the second)."""
    return earliest is not None and when < _minute(earliest)


def _not_future(field_name: str, label: str, when: dt.datetime | None) -> list[Problem]:
    if when is not None and when > _now() + CLOCK_SKEW:
        return [Problem(field_name, f"{label} must be now or in the past")]
    return []


# --- consent ------------------------------------------------------------------------------------

def consent_managers(authorities) -> list[User]:
    """Active users who may authorise sharing without consent for any of these authorities."""
    roles = sorted(CAPABILITIES.get("front_door.override_consent", ()))
    ids = [a.pk for a in authorities]
    return list(User.objects.filter(is_active=True, memberships__active=True, memberships__role__in=roles,
                                    memberships__team__serves__in=ids).distinct().order_by("last_name", "first_name"))


def consent_problems(*, consent: str, reason: str, manager, authority) -> list[Problem]:
    """Consent to share is given, or not sought with a reason, or overridden with a reason by a
    manager who may authorise it (front_door.override_consent) for this authority."""
    problems = []
    reason = (reason or "").strip()
    if consent not in Contact.Consent.values:
        return [Problem("consent", "Select whether consent to share information was given")]
    if consent == Contact.Consent.NOT_SOUGHT and not reason:
        problems.append(Problem("consent_reason", "Enter why consent was not sought"))
    if consent == Contact.Consent.OVERRIDDEN:
        if not reason:
            problems.append(Problem("consent_reason", "Enter why consent was overridden"))
        if manager is None:
            problems.append(Problem("consent_overridden_by",
                                    "Select the manager who authorised sharing information without consent"))
        elif not manager.is_active or not manager.has_capability("front_door.override_consent"):
            problems.append(Problem("consent_overridden_by",
                                    f"{manager} cannot authorise sharing without consent: select a manager who can"))
        elif authority is not None and authority.pk not in {a.pk for a in manager.authorities}:
            problems.append(Problem("consent_overridden_by",
                                    f"{manager} does not work for {authority}: select a manager who does"))
    return problems


def _contact_consent_problems(contact: Contact) -> list[Problem]:
    return consent_problems(consent=contact.consent, reason=contact.consent_reason,
                            manager=contact.consent_overridden_by, authority=contact.authority)


# --- recording a contact ------------------------------------------------------------------------

@dataclass
class NewPerson:
    """Someone the search did not find: the minimum a record needs (names, date of birth or
    expected date of birth, sex). ``confirm_new`` says the user saw the possible matches and
    none is the person."""

    first_name: str
    last_name: str
    kind: str = Person.Kind.CHILD
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None
    sex: str = "U"
    confirm_new: bool = False

    def form_data(self) -> dict:
        data = {"kind": self.kind, "first_name": self.first_name, "last_name": self.last_name, "sex": self.sex}
        for name in ("date_of_birth", "expected_date_of_birth"):
            day = getattr(self, name)
            if day:
                data.update({f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year})
        return data


@dataclass
class ContactDetails:
    received_at: dt.datetime | None
    source: str
    reason: str
    consent: str
    consent_reason: str = ""
    consent_overridden_by: User | None = None
    referrer_name: str = ""
    referrer_organisation: str = ""
    referrer_phone: str = ""
    referrer_email: str = ""


def _check_new_person(actor, index: int, new: NewPerson, candidates: dict) -> tuple[list[Problem], object]:
    """Validate a new person with the people module's own form (the same rules as adding a
    person), then look for existing records they may be."""
    from haven.people import search
    from haven.people.matching import PersonFacts

    from .forms import NewSubjectForm

    prefix = f"new-{index}-"
    form = NewSubjectForm(data=new.form_data())
    if not form.is_valid():
        return [Problem(f"{prefix}{name if name != '__all__' else ''}".rstrip("-"), str(msg))
                for name, errors in form.errors.items() for msg in errors], None
    if not new.confirm_new:
        data = form.cleaned_data
        found = search.candidates_for(actor, PersonFacts(
            first_name=data["first_name"], last_name=data["last_name"], date_of_birth=data.get("date_of_birth"),
            nhs_number="", sex=data.get("sex") or "U"))
        if found:
            candidates[index] = found
            return [Problem(f"{prefix}confirm_new",
                            f"There may already be a record for {data['first_name']} {data['last_name']}: choose them "
                            "from the people found, or confirm that none of them is this person")], None
    return [], form


@transaction.atomic
def record_contact(*, actor, authority=None, details: ContactDetails, people: Sequence[int] = (),
                   new_people: Sequence[NewPerson] = (), request=None) -> Contact:
    """A contact about one or more children and the adults involved, all or nothing: the
    contact, any new person records, and a subject for each person (children as the children
    the contact is about, adults as adults involved). Every existing person must be in the
    actor's scope and of the contact's authority (a record about two authorities' children would
    show one authority's contact to the other's staff)."""
    _require(actor, "front_door.record")
    problems: list[Problem] = []
    served = {a.pk: a for a in actor.authorities}
    if authority is None and len(served) == 1:
        authority = next(iter(served.values()))
    if authority is None or authority.pk not in served:
        problems.append(Problem("authority", "Select the local authority the contact is for"))
        authority = None
    if details.received_at is None:
        problems.append(Problem("received_date", "Enter the date the contact was received"))
    problems += _not_future("received_time", "The time the contact was received", details.received_at)
    if details.source not in ReferralSource.values:
        problems.append(Problem("source", "Select who made the contact (the referral source)"))
    if not (details.reason or "").strip():
        problems.append(Problem("reason", "Enter what the concern is"))
    problems += consent_problems(consent=details.consent, reason=details.consent_reason,
                                 manager=details.consent_overridden_by, authority=authority)

    wanted = list(dict.fromkeys(int(p) for p in people))
    existing = list(Person.objects.visible_to(actor, "change").filter(pk__in=wanted).select_related("authority"))
    if len(existing) != len(wanted):
        problems.append(Problem("people", "One of the people chosen is not a record you can open: search again"))
    if authority is not None:
        for person in existing:
            if person.authority_id != authority.pk:
                problems.append(Problem("people", f"{person.full_name}'s record belongs to {person.authority}; this "
                                                  f"contact is for {authority}. Record a contact for each authority"))
    candidates: dict = {}
    forms = []
    for index, new in enumerate(new_people):
        found, form = _check_new_person(actor, index, new, candidates)
        problems += found
        forms.append(form)
    kinds = [p.kind for p in existing] + [n.kind for n in new_people]
    if Person.Kind.CHILD not in kinds:
        problems.append(Problem("people", "Choose or add at least one child the contact is about"))
    _refuse_if(problems, candidates=candidates)

    d = details
    contact = Contact(
        authority=authority, received_at=d.received_at, source=d.source, reason=d.reason.strip(),
        referrer_name=d.referrer_name, referrer_organisation=d.referrer_organisation,
        referrer_phone=d.referrer_phone, referrer_email=d.referrer_email, consent=d.consent,
        consent_reason=d.consent_reason.strip() if d.consent != Contact.Consent.GIVEN else "",
        consent_overridden_by=d.consent_overridden_by if d.consent == Contact.Consent.OVERRIDDEN else None,
        created_by=actor, updated_by=actor,
    )
    contact.save()
    for form in forms:
        person = form.save(commit=False)
        person.authority = authority
        person.created_by = person.updated_by = actor
        person.save()
        record(request or actor, Action.CREATE, obj=person, summary=f"Added from a contact: {person.full_name}")
        existing.append(person)
    for person in existing:
        ContactSubject.objects.create(
            contact=contact, person=person, authority=authority, created_by=actor, updated_by=actor,
            role=ContactSubject.Role.CHILD if person.kind == Person.Kind.CHILD else ContactSubject.Role.ADULT)
    if not Contact.objects.visible_to(actor, "change").filter(pk=contact.pk).exists():
        raise PermissionDenied("The contact would be outside your scope")
    record(request or actor, Action.CREATE, obj=contact)
    return contact


# --- consent after the contact ----------------------------------------------------------------

@transaction.atomic
def update_consent(*, actor, contact: Contact, expected_version: int, consent: str, reason: str = "",
                   manager=None, request=None) -> Contact:
    """Consent sought later, or refusal overridden by a manager."""
    _require(actor, "front_door.record")
    _refuse_if(_open_problems(contact) + consent_problems(consent=consent, reason=reason, manager=manager,
                                                          authority=contact.authority))
    contact.consent = consent
    contact.consent_reason = reason.strip() if consent != Contact.Consent.GIVEN else ""
    contact.consent_overridden_by = manager if consent == Contact.Consent.OVERRIDDEN else None
    save_versioned(contact, expected_version=expected_version, actor=actor)
    record(request or actor, Action.UPDATE, obj=contact, summary=f"Consent to share: {contact.get_consent_display()}")
    return contact


def _open_problems(contact: Contact) -> list[Problem]:
    if contact.decision:
        return [Problem("", f"The decision on this contact was recorded on {_fmt(contact.decision_at)}: "
                            "it can no longer change")]
    return []


# --- MASH rating --------------------------------------------------------------------------------

@transaction.atomic
def rate_contact(*, actor, contact: Contact, expected_version: int, rag: str, reason: str, request=None) -> Contact:
    """Red, amber, green or blue, with the reason. The rating's time and rater are set here; a
    new rating before the decision replaces the earlier one (its history is kept) and the clock
    runs from the new rating."""
    _require(actor, "front_door.decide")
    problems = _open_problems(contact)
    if rag not in Contact.Rag.values:
        problems.append(Problem("rag", "Select the RAG rating"))
    if not (reason or "").strip():
        problems.append(Problem("rag_reason", "Enter the reason for the rating"))
    _refuse_if(problems)
    contact.rag, contact.rag_reason = rag, reason.strip()
    contact.rated_at, contact.rated_by = _now(), actor
    save_versioned(contact, expected_version=expected_version, actor=actor)
    record(request or actor, Action.UPDATE, obj=contact, summary=f"Rated {contact.get_rag_display()}")
    return contact


# --- agency checks ------------------------------------------------------------------------------

@transaction.atomic
def request_check(*, actor, contact: Contact, agency: str, requested_at: dt.datetime | None = None,
                  request=None) -> AgencyCheck:
    """Ask a partner agency what it knows. Needs consent to share (given, not sought with a
    reason, or overridden); not on a contact rated blue (no further checks); one outstanding
    request per agency."""
    _require(actor, "front_door.record")
    requested_at = requested_at or _now()
    problems = _open_problems(contact)
    if agency not in [a.value for a in CHECK_AGENCIES]:
        problems.append(Problem("agency", "Select the agency to ask"))
    if contact.rag == Contact.Rag.BLUE:
        problems.append(Problem("agency", "This contact is rated blue: no further checks"))
    if contact.consent == Contact.Consent.REFUSED:
        problems.append(Problem("agency", "Consent to share information was refused: a manager must override it "
                                          "before agencies are asked"))
    elif _contact_consent_problems(contact):
        problems.append(Problem("agency", "The consent to share is incomplete: record the reason and who authorised it first"))
    elif contact.checks.filter(agency=agency, returned_at__isnull=True).exists():
        problems.append(Problem("agency", f"A {Agency(agency).label.lower()} check was asked for and has not come "
                                          "back yet: record its reply first"))
    problems += _not_future("requested_time", "The time the check was asked for", requested_at)
    if _before(requested_at, contact.received_at):
        problems.append(Problem("requested_time", "The check cannot be asked for before the contact was received "
                                                  f"({_fmt(contact.received_at)})"))
    _refuse_if(problems)
    if contact.received_at:
        requested_at = max(requested_at, contact.received_at)
    check = AgencyCheck(contact=contact, agency=agency, requested_at=requested_at, authority=contact.authority,
                        created_by=actor, updated_by=actor)
    check.save()
    record(request or actor, Action.CREATE, obj=check, summary=f"{check.get_agency_display()} check asked for")
    return check


@transaction.atomic
def record_check_result(*, actor, check: AgencyCheck, expected_version: int, returned_at: dt.datetime | None,
                        information: str, request=None) -> AgencyCheck:
    """What the agency shared and when (also after the decision: it is kept on the record)."""
    _require(actor, "front_door.record")
    problems = []
    if returned_at is None:
        problems.append(Problem("returned_date", "Enter the date the agency replied"))
    else:
        problems += _not_future("returned_time", "The time the agency replied", returned_at)
        if _before(returned_at, check.requested_at):
            problems.append(Problem("returned_time", "The reply cannot come before the check was asked for "
                                                     f"({_fmt(check.requested_at)})"))
    if not (information or "").strip():
        problems.append(Problem("information", "Enter what the agency shared, or that it holds no information"))
    _refuse_if(problems)
    returned_at = max(returned_at, check.requested_at)
    check.returned_at, check.information = returned_at, information.strip()
    save_versioned(check, expected_version=expected_version, actor=actor)
    record(request or actor, Action.UPDATE, obj=check, summary=f"{check.get_agency_display()} check returned")
    return check


# --- decision -----------------------------------------------------------------------------------

def decision_problems(contact: Contact, *, decision: str, reason: str, decided_at: dt.datetime) -> list[Problem]:
    """What stops this decision being recorded now."""
    problems = _open_problems(contact)
    if problems:
        return problems
    if decision not in Contact.Decision.values:
        problems.append(Problem("decision", "Select the decision"))
    if not (reason or "").strip():
        problems.append(Problem("decision_reason", "Enter the reasons for the decision"))
    if not contact.rag or contact.rated_at is None:
        problems.append(Problem("decision", "Rate the contact (red, amber, green or blue) before the decision"))
    elif _before(decided_at, contact.rated_at):
        problems.append(Problem("decision_time", f"The decision cannot come before the rating ({_fmt(contact.rated_at)})"))
    problems += _not_future("decision_time", "The time of the decision", decided_at)
    if _before(decided_at, contact.received_at):
        problems.append(Problem("decision_time", "The decision cannot come before the contact was received "
                                                 f"({_fmt(contact.received_at)})"))
    if contact.consent != Contact.Consent.REFUSED and _contact_consent_problems(contact):
        problems.append(Problem("", "The consent to share is incomplete (a reason, or the manager who authorised "
                                    "the override, is missing): record it before the decision"))
    if contact.consent == Contact.Consent.REFUSED and decision and decision not in WITHOUT_CONSENT:
        problems.append(Problem("decision", "Consent to share information was refused: record a manager's override "
                                            "of consent before this decision, or choose no further action or "
                                            "information and advice"))
    if not contact.subjects.filter(role=ContactSubject.Role.CHILD).exists():
        problems.append(Problem("", "The contact is not about any child: add the child first"))
    return problems


@transaction.atomic
def decide_contact(*, actor, contact: Contact, expected_version: int, decision: str, reason: str,
                   decided_at: dt.datetime | None = None, primary_need: str = PrimaryNeed.N0,
                   request=None) -> Contact:
    """The MASH decision. It meets the RAG clock. A referral (or a strategy discussion) opens a
    CIN episode for each child the contact is about, through the assessments module, with the
    decision date as the referral date, the contact's source and the primary need if known
    (N0 'not stated' until the assessment settles it); if any child cannot be
    referred (e.g. an episode is already open), nothing is saved."""
    from haven.assessments import services as assessments

    _require(actor, "front_door.decide")
    decided_at = decided_at or _now()
    problems = decision_problems(contact, decision=decision, reason=reason, decided_at=decided_at)
    referral_date = timezone.localdate(decided_at)
    children = []
    if decision in REFERRAL_DECISIONS and not problems:
        children = [s.person for s in contact.subjects.filter(role=ContactSubject.Role.CHILD)
                    .select_related("person").order_by("person__last_name", "person__first_name", "pk")]
        reachable = set(Person.objects.visible_to(actor, "change").filter(pk__in=[c.pk for c in children])
                        .values_list("pk", flat=True))
        for child in children:
            if child.pk not in reachable:
                problems.append(Problem("decision", "One of the children's records is restricted and you cannot open "
                                                    "it: ask a manager to grant access before referring"))
                continue
            problems += [Problem("decision", f"{child.full_name}: {p.message}") for p in assessments.referral_problems(
                person=child, referral_date=referral_date, source=contact.source, primary_need=primary_need,
                referral_nfa=False)]
    _refuse_if(problems)
    decided_at = max(decided_at, contact.rated_at)  # the same minute as the rating: just after it
    contact.decision, contact.decision_reason = decision, reason.strip()
    contact.decision_at, contact.decision_by = decided_at, actor
    save_versioned(contact, expected_version=expected_version, actor=actor)
    for child in children:
        try:
            assessments.open_episode(actor=actor, person=child, referral_date=referral_date, source=contact.source,
                                     contact=contact, primary_need=primary_need, request=request)
        except assessments.Refused as refused:
            raise Refused([Problem("decision", f"{child.full_name}: {p.message}") for p in refused.problems]) from None
    record(request or actor, Action.UPDATE, obj=contact, summary=f"Decision: {contact.get_decision_display()}")
    return contact


# --- feedback -----------------------------------------------------------------------------------

@transaction.atomic
def record_feedback(*, actor, contact: Contact, expected_version: int, feedback: str,
                    given_at: dt.datetime | None, request=None) -> Contact:
    """What the referrer was told about the outcome, and when (after the decision)."""
    _require(actor, "front_door.record")
    problems = []
    if not contact.decision:
        problems.append(Problem("", "Record the decision before the feedback to the referrer"))
    if given_at is None:
        problems.append(Problem("given_date", "Enter the date the referrer was told"))
    else:
        problems += _not_future("given_time", "The time the referrer was told", given_at)
        if _before(given_at, contact.decision_at):
            problems.append(Problem("given_time", f"Feedback cannot come before the decision ({_fmt(contact.decision_at)})"))
    if not (feedback or "").strip():
        problems.append(Problem("feedback", "Enter what the referrer was told"))
    _refuse_if(problems)
    contact.feedback, contact.feedback_given_at = feedback.strip(), max(given_at, contact.decision_at)
    save_versioned(contact, expected_version=expected_version, actor=actor)
    record(request or actor, Action.UPDATE, obj=contact, summary="Feedback to the referrer recorded")
    return contact
