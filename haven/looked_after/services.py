"""Use-cases of children looked after: start a period of care, change placement, change legal
status, end the period, correct an episode; and providers.

Each takes a keyword-only ``user``, checks the capability (``looked_after.record``) and scope,
runs in one transaction and keeps the SSDA903 invariants: a period is a gapless run of
episodes, each but the last ending with REC ``X1`` on the day the next starts; placements are
closed and opened with the episodes. Impossible input is refused with ``Refused`` carrying
``[(field, message)]`` (pages show them on the form, the API answers 422).

After the change is written, still inside the transaction, the child's whole history is checked
against the SSDA903 validation rules (``validation``). Findings the change introduces are
raised as ``Unacknowledged`` (the transaction rolls back) unless ``acknowledge_warnings`` is
true; then they are written on the episode (``warnings_acknowledged``) with who and when.
Placement distance and location are computed from the postcodes on every save
(``postcodes``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from haven.audit.log import Action, record
from haven.core.codes.looked_after import (
    CategoryOfNeed,
    LegalStatus,
    PlacementProvider,
    PlacementType,
    ReasonEpisodeCeased,
    ReasonPlaceChange,
)
from haven.core.versioning import save_versioned

from . import postcodes, validation
from .models import Episode, PeriodOfCare, Placement, Provider

RESPITE = {"V3", "V4"}
NO_PROVIDER = validation.NO_PROVIDER


def day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


class Refused(Exception):
    """Impossible input: ``errors`` is ``[(field or None, message)]``."""

    def __init__(self, errors: Iterable[tuple[str | None, str]]):
        self.errors = list(errors)
        super().__init__("; ".join(m for _f, m in self.errors))


class Unacknowledged(Refused):
    """The change would break SSDA903 validation rules and the user has not said they checked."""

    def __init__(self, findings: list[validation.Finding]):
        self.findings = findings
        super().__init__([("acknowledge_warnings", str(f)) for f in findings])


def _require(user, obj) -> None:
    if not user.has_capability("looked_after.record"):
        raise PermissionDenied("You need the 'looked_after.record' capability")
    if not type(obj).objects.visible_to(user, "change").filter(pk=obj.pk).exists():
        raise PermissionDenied("This record is outside your scope")


def _lock(person) -> None:
    from haven.people.models import Person

    Person.objects.select_for_update().filter(pk=person.pk).first()


def _stamp(obj, user):
    obj.created_by = obj.updated_by = user
    return obj


def _date_problems(errors, when: dt.date | None, field: str, label: str) -> None:
    if when is None:
        errors.append((field, f"Enter the {label}"))
    elif when > timezone.localdate():
        errors.append((field, f"The {label} must be today or in the past"))


def _placement_problems(errors, *, place, provider_code, provider, postcode) -> None:
    if place not in PlacementType.values:
        errors.append(("place", "Select the placement type"))
    if provider_code and provider_code not in PlacementProvider.values:
        errors.append(("provider_code", "Select the placement provider"))
    if not provider_code and not (provider and provider.provider_code) and place not in NO_PROVIDER:
        errors.append(("provider_code", "Select the placement provider"))
    if postcode and not postcodes.is_valid(postcode):
        errors.append(("postcode", "Enter a real postcode, like W2 1AA"))


def current_episode(period: PeriodOfCare) -> Episode | None:
    return period.episodes.order_by("-start_date", "-pk").first()


def compute_location(placement: Placement, period: PeriodOfCare, legal_status: str = "") -> postcodes.Placed:
    """Distance from home and in/out of the authority, set on the placement (not saved)."""
    if legal_status in RESPITE:
        placed = postcodes.Placed(None, "", "", "not recorded for short breaks (V3/V4)")
    else:
        placed = postcodes.place(home_postcode=period.home_postcode, placement_postcode=placement.postcode,
                                 authority_ons_code=period.person.authority.ons_code, uasc=period.uasc)
    placement.distance_miles = placed.distance_miles
    placement.location = placed.location
    placement.placing_authority_area = placed.area
    return placed


def _new_placement(period, user, *, start, place, provider_code="", provider=None, carer="", address="",
                   postcode="", temporary_approval=False, legal_status="") -> Placement:
    placement = _stamp(Placement(
        period=period, person=period.person, authority_id=period.authority_id, start_date=start, place=place,
        provider_code=provider_code or (provider.provider_code if provider else ""), provider=provider,
        carer=(carer or "").strip()[:200], address=(address or "").strip(), postcode=postcodes.normalise(postcode),
        urn=provider.urn if provider else "", ofsted_rating=provider.ofsted_rating if provider else "",
        temporary_approval=temporary_approval), user)
    compute_location(placement, period, legal_status)
    placement.save()
    return placement


def _new_episode(period, placement, user, *, start, rne, legal_status, category_of_need) -> Episode:
    episode = _stamp(Episode(period=period, person=period.person, authority_id=period.authority_id,
                             placement=placement, start_date=start, reason_new=rne, legal_status=legal_status,
                             category_of_need=category_of_need), user)
    episode.save()
    return episode


def _check_903(person, before, user, acknowledge, episodes: list[Episode]) -> list[validation.Finding]:
    """Refuse findings the change introduced unless acknowledged; record the acknowledgement."""
    found = validation.new_findings(before, validation.check_person(person))
    if isinstance(acknowledge, (set, frozenset)):  # a page: only the warnings it showed count
        acknowledge = {f.code for f in found} <= acknowledge
    if found and not acknowledge:
        raise Unacknowledged(found)
    if found:
        stamp = f"{timezone.localtime():%d/%m/%Y %H:%M} by {user.get_full_name() or user.username}"
        text = "\n".join(f"{stamp}: {f}" for f in found)
        for e in episodes:
            e.warnings_acknowledged = f"{e.warnings_acknowledged}\n{text}".strip()
            Episode.objects.filter(pk=e.pk).update(warnings_acknowledged=e.warnings_acknowledged)
    return found


def _open_period(period: PeriodOfCare, errors) -> Episode | None:
    if period.end_date:
        errors.append((None, f"This period of care ended on {day(period.end_date)}: it cannot be changed"))
        return None
    episode = current_episode(period)
    if episode is None:
        errors.append((None, "This period of care has no episodes"))
    return episode


def _on_or_after_current(errors, when, episode, field="date") -> None:
    if when and episode and when < episode.start_date:
        errors.append((field, f"The date must be on or after the current episode started on {day(episode.start_date)}"))


# --- start ------------------------------------------------------------------------------------

@transaction.atomic
def start_period(person, *, start_date: dt.date, legal_status: str, category_of_need: str, place: str,
                 provider_code: str = "", provider: Provider | None = None, carer: str = "", address: str = "",
                 postcode: str = "", temporary_approval: bool = False, uasc: bool = False, home_postcode: str = "",
                 user, acknowledge_warnings: bool = False, request=None) -> PeriodOfCare:
    """The child starts to be looked after: a period of care, its first placement and its
    first episode (RNE S). Links the child's open child in need episode, if any."""
    _require(user, person)
    _lock(person)
    errors: list = []
    if person.kind != person.Kind.CHILD:
        errors.append((None, f"{person.full_name} is recorded as an adult: only a child can be looked after"))
    _date_problems(errors, start_date, "start_date", "date the child started to be looked after")
    if start_date and person.date_of_birth and start_date < person.date_of_birth:
        errors.append(("start_date", f"The start date must be on or after {person.first_name}'s date of birth, "
                                     f"{day(person.date_of_birth)}"))
    if legal_status not in LegalStatus.values:
        errors.append(("legal_status", "Select the legal status"))
    if category_of_need not in CategoryOfNeed.values:
        errors.append(("category_of_need", "Select the category of need"))
    _placement_problems(errors, place=place, provider_code=provider_code, provider=provider, postcode=postcode)
    if home_postcode and not postcodes.is_valid(home_postcode):
        errors.append(("home_postcode", "Enter a real postcode, like W2 1AA"))
    if start_date:
        clash = (PeriodOfCare.objects.filter(person=person).filter(end_date__isnull=True).first()
                 or PeriodOfCare.objects.filter(person=person, end_date__gte=start_date).order_by("start_date").first())
        if clash is not None:
            if clash.end_date is None:
                msg = f"{person.first_name} is already looked after, since {day(clash.start_date)}"
            else:
                msg = (f"{person.first_name} was looked after from {day(clash.start_date)} to {day(clash.end_date)}: "
                       "a new period must start after the last one ended")
            errors.append(("start_date", msg))
    if errors:
        raise Refused(errors)
    before = validation.check_person(person)
    from haven.assessments.models import CINEpisode

    cin = CINEpisode.objects.filter(person=person).open_on(start_date).order_by("-referral_date").first()
    period = _stamp(PeriodOfCare(person=person, authority_id=person.authority_id, start_date=start_date, uasc=uasc,
                                 home_postcode=postcodes.normalise(home_postcode), cin_episode=cin), user)
    period.save()
    placement = _new_placement(period, user, start=start_date, place=place, provider_code=provider_code,
                               provider=provider, carer=carer, address=address, postcode=postcode,
                               temporary_approval=temporary_approval, legal_status=legal_status)
    episode = _new_episode(period, placement, user, start=start_date, rne="S", legal_status=legal_status,
                           category_of_need=category_of_need)
    found = _check_903(person, before, user, acknowledge_warnings, [episode])
    record(request or user, Action.CREATE, obj=period, summary=f"{person.full_name} started to be looked after",
           detail={"episode": episode.pk, "placement": placement.pk, "warnings": [f.code for f in found]})
    return period


# --- change placement -------------------------------------------------------------------------

@transaction.atomic
def change_placement(period: PeriodOfCare, *, date: dt.date, place: str, provider_code: str = "",
                     provider: Provider | None = None, carer: str = "", address: str = "", postcode: str = "",
                     temporary_approval: bool = False, reason_for_change: str = "", legal_status: str | None = None,
                     same_carer: bool = False, user, acknowledge_warnings: bool = False, request=None) -> Episode:
    """The child moves: the current episode ends (X1), the placement ends with its reason, a new
    placement starts and a new episode with RNE P (T when the legal status changes too; B or U
    when the carer stays the same)."""
    _require(user, period)
    person = period.person
    _lock(person)
    errors: list = []
    current = _open_period(period, errors)
    _date_problems(errors, date, "date", "date of the move")
    _on_or_after_current(errors, date, current)
    _placement_problems(errors, place=place, provider_code=provider_code, provider=provider, postcode=postcode)
    ls_changes = bool(legal_status) and current is not None and legal_status != current.legal_status
    if legal_status and legal_status not in LegalStatus.values:
        errors.append(("legal_status", "Select the legal status"))
    temporary = place in validation.TEMPORARY or (current is not None and current.placement.place in validation.TEMPORARY)
    if reason_for_change and reason_for_change not in ReasonPlaceChange.values:
        errors.append(("reason_for_change", "Select the reason for the placement change"))
    elif not reason_for_change and not temporary:
        errors.append(("reason_for_change", "Select the reason for the placement change"))
    if errors:
        raise Refused(errors)
    before = validation.check_person(person)
    old = current.placement
    current.end_date, current.end_reason, current.updated_by = date, "X1", user
    current.save()
    old.end_date, old.reason_for_change, old.updated_by = date, reason_for_change, user
    old.save()
    new_ls = legal_status if ls_changes else current.legal_status
    rne = ("U" if ls_changes else "B") if same_carer else ("T" if ls_changes else "P")
    placement = _new_placement(period, user, start=date, place=place, provider_code=provider_code, provider=provider,
                               carer=carer if carer or not same_carer else old.carer, address=address,
                               postcode=postcode, temporary_approval=temporary_approval, legal_status=new_ls)
    episode = _new_episode(period, placement, user, start=date, rne=rne, legal_status=new_ls,
                           category_of_need=current.category_of_need)
    found = _check_903(person, before, user, acknowledge_warnings, [episode])
    record(request or user, Action.CREATE, obj=placement,
           summary=f"{person.full_name} moved placement ({old.get_reason_for_change_display() or 'temporary move'})",
           detail={"episode": episode.pk, "rne": rne, "previous_placement": old.pk,
                   "warnings": [f.code for f in found]})
    return episode


# --- change legal status ----------------------------------------------------------------------

@transaction.atomic
def change_legal_status(period: PeriodOfCare, *, date: dt.date, legal_status: str, user,
                        acknowledge_warnings: bool = False, request=None) -> Episode:
    """A new legal status in the same placement: the episode ends (X1), a new one starts (RNE L)."""
    _require(user, period)
    person = period.person
    _lock(person)
    errors: list = []
    current = _open_period(period, errors)
    _date_problems(errors, date, "date", "date the legal status changed")
    _on_or_after_current(errors, date, current)
    if legal_status not in LegalStatus.values:
        errors.append(("legal_status", "Select the legal status"))
    elif current is not None and legal_status == current.legal_status:
        errors.append(("legal_status", f"The legal status is already {current.get_legal_status_display()}: "
                                       "select the new legal status"))
    if errors:
        raise Refused(errors)
    before = validation.check_person(person)
    current.end_date, current.end_reason, current.updated_by = date, "X1", user
    current.save()
    episode = _new_episode(period, current.placement, user, start=date, rne="L", legal_status=legal_status,
                           category_of_need=current.category_of_need)
    found = _check_903(person, before, user, acknowledge_warnings, [episode])
    record(request or user, Action.CREATE, obj=episode,
           summary=f"Legal status of {person.full_name} changed to {legal_status}",
           detail={"from": current.legal_status, "to": legal_status, "warnings": [f.code for f in found]})
    return episode


# --- end --------------------------------------------------------------------------------------

@transaction.atomic
def end_period(period: PeriodOfCare, *, date: dt.date, reason: str, user, acknowledge_warnings: bool = False,
               request=None) -> PeriodOfCare:
    """The child ceases to be looked after: the episode, the placement and the period end."""
    _require(user, period)
    person = period.person
    _lock(person)
    errors: list = []
    current = _open_period(period, errors)
    _date_problems(errors, date, "date", "date the child ceased to be looked after")
    _on_or_after_current(errors, date, current)
    if reason == "X1":
        errors.append(("reason", "X1 means a new episode starts the same day: to end the period, select why the "
                                 "child ceased to be looked after"))
    elif reason not in ReasonEpisodeCeased.values:
        errors.append(("reason", "Select why the child ceased to be looked after"))
    if errors:
        raise Refused(errors)
    before = validation.check_person(person)
    current.end_date, current.end_reason, current.updated_by = date, reason, user
    current.save()
    placement = current.placement
    placement.end_date, placement.updated_by = date, user
    placement.save()
    period.end_date, period.end_reason, period.updated_by = date, reason, user
    period.version += 1
    period.save()
    found = _check_903(person, before, user, acknowledge_warnings, [current])
    record(request or user, Action.UPDATE, obj=period,
           summary=f"{person.full_name} ceased to be looked after ({period.get_end_reason_display()})",
           detail={"reason": reason, "warnings": [f.code for f in found]})
    return period


# --- correct an episode -----------------------------------------------------------------------

CORRECTABLE = ("start_date", "reason_new", "legal_status", "category_of_need", "end_date", "end_reason")


@transaction.atomic
def correct_episode(episode: Episode, *, expected_version: int, user, acknowledge_warnings: bool = False,
                    request=None, **changes) -> Episode:
    """Correct a recorded episode (a versioned edit, checked against the SSDA903 rules). The
    period's dates follow its first and last episodes."""
    _require(user, episode)
    person = episode.person
    _lock(person)
    errors: list = []
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise Refused([(None, f"Cannot change {', '.join(sorted(unknown))}")])
    values = {f: changes.get(f, getattr(episode, f)) for f in CORRECTABLE}
    _date_problems(errors, values["start_date"], "start_date", "episode start date")
    if values["end_date"] and values["end_date"] > timezone.localdate():
        errors.append(("end_date", "The episode end date must be today or in the past"))
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        errors.append(("end_date", "The episode end date must be on or after its start date"))
    if values["start_date"] and person.date_of_birth and values["start_date"] < person.date_of_birth:
        errors.append(("start_date", f"The start date must be on or after {person.first_name}'s date of birth"))
    if bool(values["end_date"]) != bool(values["end_reason"]):
        errors.append(("end_reason" if values["end_date"] else "end_date",
                       "Enter both the end date and the reason the episode ceased, or neither"))
    if values["legal_status"] not in LegalStatus.values:
        errors.append(("legal_status", "Select the legal status"))
    if values["category_of_need"] not in CategoryOfNeed.values:
        errors.append(("category_of_need", "Select the category of need"))
    later = Episode.objects.filter(period=episode.period_id, start_date__gt=episode.start_date).exclude(pk=episode.pk)
    if later.exists() and values["end_reason"] and values["end_reason"] != "X1":
        errors.append(("end_reason", "A later episode follows this one: it must end with X1"))
    if errors:
        raise Refused(errors)
    before = validation.check_person(person)
    for f, v in values.items():
        setattr(episode, f, v)
    save_versioned(episode, expected_version=expected_version, actor=user, reason="Episode corrected")
    period = episode.period
    first = period.episodes.order_by("start_date", "pk").first()
    last = period.episodes.order_by("-start_date", "-pk").first()
    period.start_date = first.start_date
    if last.end_reason and last.end_reason != "X1":
        period.end_date, period.end_reason = last.end_date, last.end_reason
    elif last.pk == episode.pk:
        period.end_date, period.end_reason = None, ""
    period.updated_by = user
    period.save()
    found = _check_903(person, before, user, acknowledge_warnings, [episode])
    record(request or user, Action.UPDATE, obj=episode, summary=f"Episode corrected for {person.full_name}",
           detail={"changed": sorted(changes), "warnings": [f.code for f in found]})
    return episode


# --- providers --------------------------------------------------------------------------------

def provider_problems(*, name: str, urn: str, provider_code: str, postcode: str = "", rating_date=None) -> list:
    import re

    errors = []
    if not (name or "").strip():
        errors.append(("name", "Enter the provider's name"))
    if urn and not re.match(validation.URN_FORMAT, urn.upper()):
        errors.append(("urn", "Enter the Ofsted URN as SC followed by 6 digits, or 6 or 7 digits"))
    if provider_code not in PlacementProvider.values:
        errors.append(("provider_code", "Select the provider type"))
    if postcode and not postcodes.is_valid(postcode):
        errors.append(("postcode", "Enter a real postcode, like W2 1AA"))
    if rating_date and rating_date > timezone.localdate():
        errors.append(("rating_date", "The date of the latest rating must be today or in the past"))
    return errors
