import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haven.assessments.models import CINEpisode
from haven.audit.models import AccessLog
from haven.core.testing import make_person
from haven.front_door import services
from haven.front_door.models import AgencyCheck, Contact, ContactSubject
from haven.people.models import Person
from haven.work.models import Deadline

from .helpers import contact_about, decide, details, rate


def fields(refused) -> set[str]:
    return {p.field for p in refused.value.problems}


# --- recording a contact ------------------------------------------------------------------------

def test_it_records_a_contact_about_siblings_and_an_adult_in_one_go(world):
    new = services.NewPerson(first_name="Baby", last_name="O'Brien", expected_date_of_birth=timezone.localdate()
                             + dt.timedelta(days=60), sex="U")
    contact = services.record_contact(actor=world.mash, authority=world.westminster, details=details(),
                                      people=[world.child.pk, world.sibling.pk, world.parent.pk], new_people=[new])
    subjects = {(s.person.first_name, s.role) for s in contact.subjects.select_related("person")}
    assert subjects == {("Lily", "child"), ("Jack", "child"), ("Maura", "adult"), ("Baby", "child")}
    unborn = Person.objects.get(first_name="Baby")
    assert unborn.authority == world.westminster and unborn.local_id.startswith("WCC") and unborn.created_by == world.mash
    assert contact.authority == world.westminster and contact.created_by == world.mash
    assert AccessLog.objects.filter(action="create", object_type="front_door.contact", object_id=str(contact.pk)).exists()
    assert AccessLog.objects.filter(action="create", object_type="people.person", object_id=str(unborn.pk)).exists()


def test_nothing_is_saved_when_any_part_is_refused(world):
    contacts, people, subjects = Contact.objects.count(), Person.objects.count(), ContactSubject.objects.count()
    good = services.NewPerson(first_name="Zed", last_name="Newcombe", date_of_birth=dt.date(2019, 1, 1))
    bad = services.NewPerson(first_name="Amy", last_name="Newcombe", date_of_birth=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(services.Refused) as refused:
        services.record_contact(actor=world.mash, authority=world.westminster, details=details(),
                                people=[world.child.pk], new_people=[good, bad])
    assert "new-1-date_of_birth" in fields(refused)
    assert (Contact.objects.count(), Person.objects.count(), ContactSubject.objects.count()) == (contacts, people, subjects)


def test_the_person_rules_are_the_people_modules(world):
    no_dob = services.NewPerson(first_name="Ivy", last_name="Newcombe")
    both = services.NewPerson(first_name="Ivy", last_name="Newcombe", date_of_birth=dt.date(2019, 1, 1),
                              expected_date_of_birth=dt.date(2030, 1, 1))
    with pytest.raises(services.Refused) as refused:
        services.record_contact(actor=world.mash, authority=world.westminster, details=details(),
                                new_people=[no_dob, both])
    messages = {p.field: p.message for p in refused.value.problems}
    assert "date of birth" in messages["new-0-date_of_birth"]
    assert "not both" in messages["new-1-expected_date_of_birth"]


def test_a_new_person_who_may_already_have_a_record_needs_confirming(world):
    lily_again = services.NewPerson(first_name="Lily", last_name="O'Brien", date_of_birth=dt.date(2016, 3, 4), sex="F")
    with pytest.raises(services.Refused) as refused:
        services.record_contact(actor=world.mash, authority=world.westminster, details=details(), new_people=[lily_again])
    assert fields(refused) == {"new-0-confirm_new"}
    assert [p for _s, p, _r in refused.value.candidates[0]] == [world.child]
    lily_again.confirm_new = True
    contact = services.record_contact(actor=world.mash, authority=world.westminster, details=details(),
                                      new_people=[lily_again])
    assert contact.subjects.get().person != world.child


def test_a_contact_needs_a_child(world):
    with pytest.raises(services.Refused) as refused:
        contact_about(world, world.parent)
    assert fields(refused) == {"people"}


def test_people_outside_the_actors_scope_or_authority_are_refused(world):
    with pytest.raises(services.Refused) as refused:
        services.record_contact(actor=world.charlie, authority=world.hammersmith, details=details(),
                                people=[world.child.pk])
    assert "not a record you can open" in refused.value.problems[0].message
    with pytest.raises(services.Refused) as refused:
        services.record_contact(actor=world.mash, authority=world.hammersmith, details=details(),
                                people=[world.outsider.pk, world.child.pk])
    assert "belongs to Westminster" in " ".join(p.message for p in refused.value.problems)
    with pytest.raises(services.Refused) as refused:
        services.record_contact(actor=world.charlie, authority=world.westminster, details=details(),
                                people=[world.outsider.pk])
    assert "authority" in fields(refused)


def test_a_user_without_the_capability_is_refused(world):
    with pytest.raises(PermissionDenied):
        contact_about(world, world.allocated, actor=world.petra)


def test_a_contact_cannot_be_received_in_the_future(world):
    with pytest.raises(services.Refused) as refused:
        contact_about(world, world.child, received_at=timezone.now() + dt.timedelta(hours=1))
    assert fields(refused) == {"received_time"}


@pytest.mark.parametrize("consent, reason, manager, problem", [
    ("not_sought", "", None, "consent_reason"),
    ("overridden", "", "bob", "consent_reason"),
    ("overridden", "Risk of harm if the family is told", None, "consent_overridden_by"),
    ("overridden", "Risk of harm if the family is told", "alice", "consent_overridden_by"),   # not a manager
    ("overridden", "Risk of harm if the family is told", "charlie", "consent_overridden_by"),  # not Westminster's
    ("", "", None, "consent"),
])
def test_consent_is_given_or_explained_or_overridden_by_a_manager(world, consent, reason, manager, problem):
    with pytest.raises(services.Refused) as refused:
        contact_about(world, world.child, consent=consent, consent_reason=reason,
                      consent_overridden_by=getattr(world, manager) if manager else None)
    assert problem in fields(refused)


def test_consent_overridden_by_a_manager_is_recorded(world):
    contact = contact_about(world, world.child, consent="overridden", consent_reason="Risk of harm if the family is told",
                            consent_overridden_by=world.bob)
    assert contact.consent_overridden_by == world.bob
    given = contact_about(world, world.sibling, consent="given", consent_reason="ignored", consent_overridden_by=world.bob)
    assert given.consent_overridden_by is None and given.consent_reason == ""


# --- the RAG clock ------------------------------------------------------------------------------

def contact_deadlines(contact):
    return Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Contact), object_id=contact.pk)


def test_a_red_rating_sets_a_four_hour_deadline_for_each_child_that_the_decision_meets(world):
    contact = contact_about(world, world.child, world.sibling, world.parent)
    assert not contact_deadlines(contact).exists()
    contact = rate(world, contact, "R")
    assert contact.rated_by == world.mash and contact.rated_at is not None
    rows = list(contact_deadlines(contact))
    assert {r.person_id for r in rows} == {world.child.pk, world.sibling.pk}  # the adult carries no clock
    assert {r.rule for r in rows} == {"contact_decision_red"}
    assert all(r.due_at == contact.rated_at + dt.timedelta(hours=4) and r.met_at is None for r in rows)
    decide(world, contact, "information")
    contact.refresh_from_db()
    assert all(r.met_at == contact.decision_at and r.met_at <= r.due_at for r in contact_deadlines(contact))


def test_a_new_rating_replaces_the_clock_and_blue_has_none(world):
    contact = rate(world, contact_about(world, world.child), "G")
    assert contact_deadlines(contact).get().due_at == contact.rated_at + dt.timedelta(hours=72)
    contact = rate(world, contact, "A")
    assert contact_deadlines(contact).get().rule == "contact_decision_amber"
    rate(world, contact, "B")
    assert not contact_deadlines(contact).exists()


def test_rating_needs_a_reason_and_the_decide_capability(world):
    contact = contact_about(world, world.child)
    with pytest.raises(services.Refused) as refused:
        services.rate_contact(actor=world.mash, contact=contact, expected_version=contact.version, rag="X", reason=" ")
    assert fields(refused) == {"rag", "rag_reason"}
    with pytest.raises(PermissionDenied):
        services.rate_contact(actor=world.alice, contact=contact, expected_version=contact.version, rag="R", reason="x")


# --- agency checks ------------------------------------------------------------------------------

def test_checks_are_asked_for_and_their_replies_recorded(world):
    contact = rate(world, contact_about(world, world.child), "A")
    check = services.request_check(actor=world.mash, contact=contact, agency="police")
    with pytest.raises(services.Refused) as refused:
        services.request_check(actor=world.mash, contact=contact, agency="police")
    assert "has not come back" in refused.value.problems[0].message
    with pytest.raises(services.Refused) as refused:
        services.record_check_result(actor=world.mash, check=check, expected_version=check.version,
                                     returned_at=check.requested_at - dt.timedelta(minutes=5), information="")
    assert fields(refused) == {"returned_time", "information"}
    services.record_check_result(actor=world.mash, check=check, expected_version=check.version,
                                 returned_at=timezone.now(), information="Two call-outs for domestic abuse in 2024")
    check.refresh_from_db()
    assert check.returned_at and check.information.startswith("Two call-outs")
    services.request_check(actor=world.mash, contact=contact, agency="police")  # a second police check, now allowed


def test_no_checks_on_a_blue_contact_or_without_consent(world):
    blue = rate(world, contact_about(world, world.child), "B")
    with pytest.raises(services.Refused) as refused:
        services.request_check(actor=world.mash, contact=blue, agency="health")
    assert "blue" in refused.value.problems[0].message
    refused_consent = contact_about(world, world.sibling, consent="refused", consent_reason="Mother refused")
    with pytest.raises(services.Refused) as refused:
        services.request_check(actor=world.mash, contact=refused_consent, agency="health")
    assert "override" in refused.value.problems[0].message
    with pytest.raises(services.Refused):
        services.request_check(actor=world.mash, contact=refused_consent, agency="csc")  # not a MASH check agency
    services.update_consent(actor=world.mash, contact=refused_consent, expected_version=refused_consent.version,
                            consent="overridden", reason="Disclosure of harm", manager=world.bob)
    assert services.request_check(actor=world.mash, contact=refused_consent, agency="health").pk
    assert AgencyCheck.objects.filter(contact=refused_consent).count() == 1


# --- the decision -------------------------------------------------------------------------------

def test_a_decision_needs_a_rating_a_reason_and_a_possible_time(world):
    contact = contact_about(world, world.child)
    with pytest.raises(services.Refused) as refused:
        decide(world, contact, "nfa")
    assert "Rate the contact" in refused.value.problems[0].message
    contact = rate(world, contact, "B")   # blue: no further checks, the decision can follow at once
    with pytest.raises(services.Refused) as refused:
        decide(world, contact, "nfa", decided_at=contact.rated_at - dt.timedelta(minutes=1))
    assert fields(refused) == {"decision_time"}
    with pytest.raises(services.Refused) as refused:
        decide(world, contact, "nfa", decided_at=timezone.now() + dt.timedelta(hours=2))
    assert fields(refused) == {"decision_time"}
    with pytest.raises(services.Refused) as refused:
        services.decide_contact(actor=world.mash, contact=contact, expected_version=contact.version, decision="nfa",
                                reason="")
    assert fields(refused) == {"decision_reason"}
    contact = decide(world, contact, "nfa")
    assert contact.decision_by == world.mash and not contact.is_open
    with pytest.raises(services.Refused) as refused:
        decide(world, contact, "early_help")
    assert "can no longer change" in refused.value.problems[0].message
    with pytest.raises(services.Refused):
        rate(world, contact, "R")


def test_without_consent_only_advice_or_no_further_action(world):
    contact = rate(world, contact_about(world, world.child, consent="refused", consent_reason="Father refused"), "G")
    with pytest.raises(services.Refused) as refused:
        decide(world, contact, "early_help")
    assert "override" in refused.value.problems[0].message
    assert decide(world, contact, "information").decision == "information"


def test_a_referral_opens_one_cin_episode_per_child(world):
    # Lily already has an open referral in the test world: her sister Ella and brother Jack do not.
    ella = make_person(world.westminster, first="Ella", last="O'Brien", born=dt.date(2020, 2, 2))
    contact = rate(world, contact_about(world, ella, world.sibling, world.parent, source="6"), "R")
    contact = decide(world, contact, "referral", primary_need="N1")
    episodes = CINEpisode.objects.filter(contact=contact)
    assert sorted(e.person_id for e in episodes) == sorted([ella.pk, world.sibling.pk])
    day = timezone.localdate(contact.decision_at)
    assert all(e.referral_date == day and e.source == "6" and e.primary_need == "N1"
               and e.authority == world.westminster and e.created_by == world.mash for e in episodes)


def test_a_strategy_discussion_decision_is_a_referral_too(world):
    ruby_brother = make_person(world.hammersmith, first="Sam", last="Smith-Jones", born=dt.date(2012, 4, 4))
    contact = decide(world, rate(world, contact_about(world, ruby_brother), "R"), "strategy")
    assert CINEpisode.objects.filter(contact=contact, person=ruby_brother).count() == 1


def test_a_child_who_cannot_be_referred_stops_the_whole_decision(world):
    # Lily has an open referral (the test world's plans builder): Jack's would be opened first.
    assert CINEpisode.objects.filter(person=world.child, closure_date__isnull=True).exists()
    contact = rate(world, contact_about(world, world.child, world.sibling), "A")
    with pytest.raises(services.Refused) as refused:
        decide(world, contact, "referral")
    assert [p.message.split(":")[0] for p in refused.value.problems] == ["Lily O'Brien"]
    contact.refresh_from_db()
    assert contact.is_open and not CINEpisode.objects.filter(contact=contact).exists()
    assert not CINEpisode.objects.filter(person=world.sibling).exists()


# --- feedback -----------------------------------------------------------------------------------

def test_feedback_follows_the_decision(world):
    contact = rate(world, contact_about(world, world.child), "G")
    with pytest.raises(services.Refused) as refused:
        services.record_feedback(actor=world.mash, contact=contact, expected_version=contact.version,
                                 feedback="Told", given_at=timezone.now())
    assert "decision before the feedback" in refused.value.problems[0].message
    contact = decide(world, contact, "early_help")
    with pytest.raises(services.Refused) as refused:
        services.record_feedback(actor=world.mash, contact=contact, expected_version=contact.version,
                                 feedback="Told", given_at=contact.decision_at - dt.timedelta(hours=1))
    assert fields(refused) == {"given_time"}
    services.record_feedback(actor=world.alice, contact=contact, expected_version=contact.version,
                             feedback="Told Ms Head the family will be offered early help", given_at=timezone.now())
    contact.refresh_from_db()
    assert contact.feedback.startswith("Told Ms Head") and contact.feedback_given_at


def test_a_stale_version_is_refused(world):
    from haven.core.versioning import StaleEdit

    contact = contact_about(world, world.child)
    old = contact.version
    rate(world, contact, "R")
    with pytest.raises(StaleEdit):
        services.rate_contact(actor=world.mash, contact=contact, expected_version=old, rag="G", reason="Reviewed")
