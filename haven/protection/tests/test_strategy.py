"""Strategy discussions: the form, the record, the S47 enquiries it starts, and scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from haven.assessments.models import CINEpisode
from haven.audit.models import AccessLog
from haven.chronology.registry import chronology_for
from haven.protection import services
from haven.protection.models import S47Enquiry, StrategyChild, StrategyDiscussion

from .conftest import EVERYONE, at, strategy_post

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 4, 17)
ADD = reverse("protection:strategy-create")
NO_POLICE = [row for row in EVERYONE if row["agency"] != "police"]


def discussions(family):
    return StrategyDiscussion.objects.filter(children__person__in=[family.older, family.younger]).distinct()


def s47s(family):
    return S47Enquiry.objects.filter(person__in=[family.older, family.younger])


def add_url(person) -> str:
    return f"{ADD}?person={person.pk}"


def test_the_form_offers_the_childs_siblings_and_an_agency_row_each(world, family, as_user):
    page = as_user(world.alice).get(add_url(family.older)).content.decode()
    assert "Maisie Test" in page and "Kai Test" in page
    assert f"s47_{family.younger.pk}" in page
    for agency in ("police", "health", "education", "csc"):
        assert f'<option value="{agency}" selected>' in page


def test_without_a_child_the_page_says_where_to_start(world, as_user):
    response = as_user(world.alice).get(ADD)
    assert response.status_code == 200
    assert "from the record of one of the children" in response.content.decode()


def test_a_discussion_without_police_is_flagged_before_saving(world, family, as_user):
    client = as_user(world.alice)
    data = strategy_post([family.older, family.younger], day=DAY, attendees=NO_POLICE, referral_source="6")
    response = client.post(add_url(family.older), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Police did not take part in this discussion" in page
    assert "I have recorded why Police did not take part" in page
    assert "There is a problem" in page
    assert not discussions(family).exists()
    assert not CINEpisode.objects.filter(person=family.older).exists()

    # Ticking the box without a reason is not enough.
    response = client.post(add_url(family.older), {**data, "absence_confirmed": "on"})
    assert "Enter why Police did not take part" in response.content.decode()
    assert not discussions(family).exists()


def test_a_discussion_without_police_is_flagged_on_the_record(world, family, as_user):
    client = as_user(world.alice)
    data = strategy_post([family.older, family.younger], day=DAY, attendees=NO_POLICE, referral_source="6",
                         absence_confirmed="on", absence_reason="The police did not answer the invitation in time")
    response = client.post(add_url(family.older), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    discussion = discussions(family).get()
    assert discussion.missing_agencies() == ["Police"]
    assert discussion.absence_reason == "The police did not answer the invitation in time"
    page = client.get(discussion.get_absolute_url()).content.decode()
    assert "Police did not take part in this discussion" in page
    assert "The police did not answer the invitation in time" in page
    # The person's panel says it too.
    summary = client.get(family.older.get_absolute_url()).content.decode()
    assert "Child protection" in summary and "Police" in summary


def test_an_invited_agency_that_did_not_take_part_counts_as_missing(world, family):
    rows = [services.AttendeeIn(**{**r, "attended": r["agency"] != "health"}) for r in EVERYONE]
    assert services.missing_agencies(rows) == ["Health"]


def test_a_full_discussion_starts_an_s47_per_child_decided(world, family, as_user):
    client = as_user(world.alice)
    episode = CINEpisode.objects.create(person=family.older, referral_date=DAY - dt.timedelta(days=3), source="2A")
    data = strategy_post([family.older, family.younger], day=DAY, referral_source="6",
                         decisions={family.older.pk: "yes", family.younger.pk: "yes"})
    response = client.post(add_url(family.older), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    discussion = discussions(family).get()
    assert discussion.missing_agencies() == []
    assert discussion.held_at == at(DAY)
    assert discussion.actions.get().owner == "DS Rowe"
    started = {s.person_id: s for s in s47s(family)}
    assert set(started) == {family.older.pk, family.younger.pk}
    assert all(s.start_date == DAY and s.strategy_discussion == discussion for s in started.values())
    # The open referral is used; a child without one gets a referral opened on the day.
    assert started[family.older.pk].episode == episode
    opened = started[family.younger.pk].episode
    assert opened.referral_date == DAY and opened.source == "6" and opened.is_open
    assert AccessLog.objects.filter(action="create", object_type="protection.strategydiscussion").exists()
    assert AccessLog.objects.filter(action="create", object_type="protection.s47enquiry",
                                    person_id__in=[family.older.pk, family.younger.pk]).count() == 2


def test_no_s47_for_a_child_decided_against(world, family, as_user):
    data = strategy_post([family.older, family.younger], day=DAY, referral_source="6",
                         decisions={family.older.pk: "yes", family.younger.pk: "no"})
    assert as_user(world.alice).post(add_url(family.older), data).status_code == 302
    assert list(s47s(family).values_list("person_id", flat=True)) == [family.older.pk]
    assert StrategyChild.objects.get(person=family.younger).s47_decided is False


def test_each_chosen_child_needs_a_decision_and_a_referral_source_when_none_is_open(world, family, as_user):
    data = strategy_post([family.older, family.younger], day=DAY, decisions={family.older.pk: "yes"})
    page = as_user(world.alice).post(add_url(family.older), data).content.decode()
    assert "Select whether a section 47 enquiry starts for Kai" in page
    data = strategy_post([family.older], day=DAY)
    page = as_user(world.alice).post(add_url(family.older), data).content.decode()
    assert "Maisie has no open referral: select the referral source" in page
    assert not discussions(family).exists()


def test_a_discussion_in_the_future_is_refused(world, family, as_user):
    from django.utils import timezone

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page = as_user(world.alice).post(add_url(family.older), strategy_post([family.older], day=tomorrow,
                                                                          referral_source="6")).content.decode()
    assert "Date of the discussion must be today or in the past" in page
    assert not discussions(family).exists()


def test_an_action_without_an_owner_is_refused(world, family, as_user):
    data = strategy_post([family.older], day=DAY, referral_source="6",
                         actions=[{"action": "Medical examination", "owner": "", "due_date": DAY}])
    page = as_user(world.alice).post(add_url(family.older), data).content.decode()
    assert "Enter who will do it" in page
    assert not discussions(family).exists()


def test_a_second_s47_while_one_is_unfinished_is_refused(world, family, as_user):
    client = as_user(world.alice)
    assert client.post(add_url(family.older), strategy_post([family.older], day=DAY, referral_source="6")).status_code == 302
    later = strategy_post([family.older], day=DAY + dt.timedelta(days=2))
    page = client.post(add_url(family.older), later).content.decode()
    assert "already has a section 47 enquiry" in page
    assert discussions(family).count() == 1


def test_a_discussion_about_two_siblings_is_on_both_chronologies(world, family, as_user):
    client = as_user(world.alice)
    client.post(add_url(family.older), strategy_post([family.older, family.younger], day=DAY, referral_source="6"))
    discussion = discussions(family).get()
    for child in (family.older, family.younger):
        entries = [e for e in chronology_for(child, world.alice) if e.category == "strategy"]
        assert [e.url for e in entries] == [discussion.get_absolute_url()]
        page = client.get(reverse("people:person-chronology", args=[child.pk])).content.decode()
        assert "Strategy discussion" in page


def test_charlie_never_sees_westminster_discussions(world, family, as_user):
    as_user(world.alice).post(add_url(family.older), strategy_post([family.older], day=DAY, referral_source="6"))
    discussion = discussions(family).get()
    s47 = s47s(family).get()
    client = as_user(world.charlie)
    assert client.get(discussion.get_absolute_url()).status_code == 404
    assert client.get(s47.get_absolute_url()).status_code == 404
    assert client.get(add_url(family.older)).status_code == 404
    assert not StrategyDiscussion.objects.visible_to(world.charlie).filter(pk=discussion.pk).exists()
    assert [e for e in chronology_for(family.older, world.charlie) if e.category == "strategy"] == []
    assert client.get(f"/api/v1/protection/strategy-discussions/{discussion.pk}").status_code == 404
    assert client.get(f"/api/v1/protection/strategy-discussions?person={family.older.pk}").status_code == 404


def test_a_sibling_charlie_can_see_does_not_open_the_discussion(world, family):
    """Scope is by child: an outsider's child is never offered as a sibling."""
    from haven.people.models import Relationship
    from haven.protection.queries import family_in_scope

    Relationship.objects.create(person=family.older, other=world.outsider, type="half_sibling",
                                authority=world.westminster)
    assert world.outsider not in family_in_scope(family.older, world.alice)


def test_the_record_page_is_audited_for_each_child(world, family, as_user):
    client = as_user(world.alice)
    client.post(add_url(family.older), strategy_post([family.older, family.younger], day=DAY, referral_source="6"))
    discussion = discussions(family).get()
    assert client.get(discussion.get_absolute_url()).status_code == 200
    viewed = set(AccessLog.objects.filter(action="view", object_type="protection.strategydiscussion",
                                          object_id=str(discussion.pk)).values_list("person_id", flat=True))
    assert viewed == {family.older.pk, family.younger.pk}


def test_a_user_without_the_capability_cannot_record(world, family, as_user):
    client = as_user(world.petra)
    assert client.get(add_url(family.older)).status_code == 403
    assert client.post(add_url(family.older), strategy_post([family.older], day=DAY, referral_source="6")).status_code == 403
    assert not discussions(family).exists()


def test_from_a_contact_its_children_are_chosen_and_its_source_opens_the_referral(world, family, as_user):
    from haven.front_door.models import Contact, ContactSubject

    contact = Contact.objects.create(authority=world.westminster, received_at=at(DAY, 9), source="3E",
                                     reason="Injury seen at A&E", consent="given", decision="strategy")
    for child in (family.older, family.younger):
        ContactSubject.objects.create(contact=contact, person=child, authority=world.westminster)
    client = as_user(world.alice)
    url = f"{add_url(family.younger)}&contact={contact.pk}"
    page = client.get(url).content.decode()
    assert page.count('name="children"') == 2 and page.count("checked") >= 2
    data = strategy_post([family.older, family.younger], day=DAY)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    discussion = discussions(family).get()
    assert discussion.contact == contact
    assert {e.source for e in CINEpisode.objects.filter(person__in=[family.older, family.younger])} == {"3E"}
    assert as_user(world.charlie).get(url).status_code == 404
