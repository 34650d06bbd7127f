import datetime as dt
import re

from django.utils import timezone

from haven.assessments.models import CINEpisode
from haven.audit.models import AccessLog
from haven.core.testing import make_person
from haven.front_door.models import AgencyCheck, Contact
from haven.people.models import Person

from .helpers import contact_about, decide, rate

ADD = "/front-door/contacts/add/"


def contact_form(world, **changes) -> dict:
    now = timezone.localtime() - dt.timedelta(minutes=30)
    data = {
        "authority": world.westminster.pk, "received_date_0": now.day, "received_date_1": now.month,
        "received_date_2": now.year, "received_time": now.strftime("%H:%M"), "source": "2A",
        "reason": "Lily came to school with a bruise on her face", "referrer_name": "Ms Head",
        "referrer_organisation": "St Mary's Primary", "consent": "given", "consent_reason": "",
        "new-TOTAL_FORMS": "1", "new-INITIAL_FORMS": "0", "new-MIN_NUM_FORMS": "0", "new-MAX_NUM_FORMS": "10",
        "new-0-kind": "child", "new-0-sex": "U", "action": "save",
    }
    data.update(changes)
    return data


def text(response) -> str:
    return response.content.decode()


# --- recording a contact ------------------------------------------------------------------------

def test_the_form_records_a_contact_about_found_and_new_people(world, as_user):
    client = as_user(world.mash)
    page = client.get(ADD)
    assert page.status_code == 200 and "Record a contact" in text(page)
    data = contact_form(world, person=[world.child.pk, world.parent.pk], **{
        "new-0-first_name": "Finn", "new-0-last_name": "O'Brien", "new-0-date_of_birth_0": "1",
        "new-0-date_of_birth_1": "6", "new-0-date_of_birth_2": "2021", "new-0-sex": "M"})
    response = client.post(ADD, data)
    assert response.status_code == 302, text(response).split('class="govuk-error-summary')[-1][:1500]
    contact = Contact.objects.latest("pk")
    assert response["Location"] == contact.get_absolute_url()
    names = sorted(contact.subjects.values_list("person__first_name", "role"))
    assert names == [("Finn", "child"), ("Lily", "child"), ("Maura", "adult")]
    assert contact.referrer_organisation == "St Mary's Primary" and contact.created_by == world.mash
    page = client.get(response["Location"])
    assert "Finn O&#x27;Brien" in text(page) and "Not yet rated" in text(page)


def test_errors_are_shown_with_the_govuk_error_summary_and_nothing_is_saved(world, as_user):
    client = as_user(world.mash)
    before = (Contact.objects.count(), Person.objects.count())
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(ADD, contact_form(world, reason="", consent="overridden", source="", **{
        "received_date_0": tomorrow.day, "received_date_1": tomorrow.month, "received_date_2": tomorrow.year,
        "new-0-first_name": "Finn"}))
    body = text(response)
    assert response.status_code == 200
    assert "There is a problem" in body and "<title>Error: " in body
    summary = body.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#id_received_date_0"' in summary and "Date received must be today or in the past" in summary
    assert 'href="#id_reason"' in summary and 'href="#id_source"' in summary
    assert 'href="#id_new-0-last_name"' in summary
    assert "govuk-form-group--error" in body
    assert (Contact.objects.count(), Person.objects.count()) == before


def test_service_refusals_come_back_as_field_errors(world, as_user):
    client = as_user(world.mash)
    response = client.post(ADD, contact_form(world, consent="overridden", person=[world.parent.pk]))
    summary = text(response).split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#id_consent_reason"' in summary and 'href="#id_consent_overridden_by"' in summary
    assert 'href="#people"' in summary and "at least one child" in summary
    ok = client.post(ADD, contact_form(world, consent="overridden", person=[world.child.pk],
                                       consent_reason="Telling the family would put Lily at risk",
                                       consent_overridden_by=world.bob.pk))
    assert ok.status_code == 302
    assert Contact.objects.latest("pk").consent_overridden_by == world.bob


def test_a_possible_duplicate_new_person_must_be_confirmed(world, as_user):
    client = as_user(world.mash)
    data = contact_form(world, **{"new-0-first_name": "Lily", "new-0-last_name": "O'Brien", "new-0-sex": "F",
                                  "new-0-date_of_birth_0": "4", "new-0-date_of_birth_1": "3",
                                  "new-0-date_of_birth_2": "2016"})
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert 'data-testid="candidates"' in text(response) and world.child.local_id in text(response)
    assert 'href="#id_new-0-confirm_new"' in text(response)
    assert client.post(ADD, {**data, "new-0-confirm_new": "on"}).status_code == 302


def test_without_javascript_search_and_add_another_show_the_page_again(world, as_user):
    client = as_user(world.mash)
    searched = client.post(ADD, contact_form(world, action="search", q="o'brien", reason="", person=[world.parent.pk]))
    body = text(searched)
    assert searched.status_code == 200 and "There is a problem" not in body
    chosen = body.split('data-testid="chosen"')[1].split("</fieldset>")[0]
    assert f'value="{world.parent.pk}" checked' in chosen
    found = body.split('data-testid="found"')[1].split("</fieldset>")[0]
    assert f'value="{world.child.pk}"' in found and f'value="{world.parent.pk}"' not in found
    assert 'value="St Mary&#x27;s Primary"' in body   # what was typed is kept
    more = client.post(ADD, contact_form(world, action="add-person", **{"new-0-first_name": "Finn"}))
    assert text(more).count('data-testid="new-person"') == 2 and "There is a problem" not in text(more)
    assert Contact.objects.filter(created_by=world.mash).count() == 0


def test_the_search_as_you_type_returns_checkboxes_with_possible_duplicates(world, as_user):
    make_person(world.westminster, first="Lilly", last="O'Brien", born=dt.date(2016, 3, 4), sex="F")
    client = as_user(world.mash)
    response = client.get("/front-door/contacts/add/people/", {"q": "o'brien", "person": [world.parent.pk]},
                          HTTP_HX_REQUEST="true")
    body = text(response)
    assert response.status_code == 200 and "<html" not in body
    assert f'name="person" type="checkbox" value="{world.parent.pk}" checked' in body
    assert 'class="govuk-checkboxes__input"' in body and 'data-testid="possible-duplicate"' in body
    assert AccessLog.objects.filter(action="search", username="mash", summary__startswith="New contact").exists()
    restricted = client.get("/front-door/contacts/add/people/", {"q": "restricted"})
    assert "Restricted record" in text(restricted) and f'value="{world.restricted.pk}"' not in text(restricted)
    assert as_user(world.charlie).get("/front-door/contacts/add/people/", {"q": "o'brien"}).content.count(b"checkbox") == 0


# --- the contact page and its actions -----------------------------------------------------------

def test_the_contact_page_shows_the_clock_checks_decision_and_referrals(world, as_user):
    ella = make_person(world.westminster, first="Ella", last="O'Brien", born=dt.date(2020, 2, 2))
    contact = rate(world, contact_about(world, ella, world.parent), "R")
    client = as_user(world.mash)
    page = text(client.get(contact.get_absolute_url()))
    assert "Red" in page and re.search(r"[0-9] hours?( [0-9]+ minutes?)? left", page)
    assert AccessLog.objects.filter(action="view", object_type="front_door.contact", object_id=str(contact.pk)).exists()
    # ask the police, record the reply
    now = timezone.localtime()
    stamp = {"requested_date_0": now.day, "requested_date_1": now.month, "requested_date_2": now.year,
             "requested_time": now.strftime("%H:%M")}
    assert client.post(f"/front-door/contacts/{contact.pk}/checks/add/", {"agency": "police", **stamp}).status_code == 302
    check = AgencyCheck.objects.get(contact=contact)
    reply = {"returned_date_0": now.day, "returned_date_1": now.month, "returned_date_2": now.year,
             "returned_time": now.strftime("%H:%M"), "information": "No police record", "version": check.version}
    assert client.post(f"/front-door/checks/{check.pk}/reply/", reply).status_code == 302
    # the decision: a referral
    contact.refresh_from_db()
    decision = {"decision": "referral", "decision_reason": "Physical harm", "primary_need": "N1",
                "decision_date_0": now.day, "decision_date_1": now.month, "decision_date_2": now.year,
                "decision_time": timezone.localtime().strftime("%H:%M"), "version": contact.version}
    response = client.post(f"/front-door/contacts/{contact.pk}/decision/", decision)
    assert response.status_code == 302, text(response).split('class="govuk-error-summary')[-1][:1500]
    page = text(client.get(contact.get_absolute_url()))
    assert "No police record" in page and "Referral to children&#x27;s social care" in page
    episode = CINEpisode.objects.get(contact=contact)
    assert episode.get_absolute_url() in page and "Decided in time" in page


def test_an_action_refused_by_the_service_shows_the_error_and_saves_nothing(world, as_user):
    contact = contact_about(world, world.sibling)
    client = as_user(world.mash)
    now = timezone.localtime()
    decision = {"decision": "nfa", "decision_reason": "No concerns", "decision_date_0": now.day,
                "decision_date_1": now.month, "decision_date_2": now.year, "decision_time": now.strftime("%H:%M"),
                "version": contact.version}
    form = text(client.get(f"/front-door/contacts/{contact.pk}/decision/"))
    assert "has not been rated" in form
    response = client.post(f"/front-door/contacts/{contact.pk}/decision/", decision)
    assert response.status_code == 200 and "There is a problem" in text(response)
    assert "Rate the contact" in text(response)
    contact.refresh_from_db()
    assert contact.is_open


def test_a_stale_rating_is_refused_with_a_message(world, as_user):
    contact = contact_about(world, world.sibling)
    old = contact.version
    rate(world, contact, "G", actor=world.bob)
    response = as_user(world.mash).post(f"/front-door/contacts/{contact.pk}/rate/",
                                        {"rag": "R", "rag_reason": "Escalating", "version": old})
    assert response.status_code == 200 and "changed this record" in text(response)
    contact.refresh_from_db()
    assert contact.rag == "G"


def test_the_decide_actions_need_the_decide_capability(world, as_user):
    contact = contact_about(world, world.sibling)
    client = as_user(world.alice)   # a social worker records, but does not rate or decide
    assert client.get(contact.get_absolute_url()).status_code == 200
    assert client.get(f"/front-door/contacts/{contact.pk}/rate/").status_code == 403
    assert client.get(f"/front-door/contacts/{contact.pk}/decision/").status_code == 403
    assert client.get(f"/front-door/contacts/{contact.pk}/checks/add/").status_code == 200


# --- the MASH queue ------------------------------------------------------------------------------

def rated_at(contact, hours_ago: float, rag: str) -> Contact:
    """A contact rated some hours ago (as if the rating happened then)."""
    contact.rag, contact.rag_reason = rag, "Rated"
    contact.rated_at = timezone.now() - dt.timedelta(hours=hours_ago)
    contact.save()
    return contact


def queue_ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'data-testid="queue-row" data-contact="(\d+)"', text(response))]


def test_the_queue_puts_overdue_first_then_the_soonest_due_then_unrated(world, as_user):
    kids = [make_person(world.westminster, first=f"Kid{i}", last="Queue") for i in range(4)]
    overdue = rated_at(contact_about(world, kids[0]), 6, "R")                    # due 2 hours ago
    amber = rated_at(contact_about(world, kids[1]), 1, "A")                      # due in 23 hours
    red = rated_at(contact_about(world, kids[2]), 1, "R")                        # due in 3 hours
    unrated = contact_about(world, kids[3])
    done = decide(world, rate(world, contact_about(world, world.sibling), "G"), "nfa")
    response = as_user(world.mash).get("/front-door/")
    ids = queue_ids(response)
    assert ids.index(overdue.pk) < ids.index(red.pk) < ids.index(amber.pk) < ids.index(unrated.pk)
    assert done.pk not in ids
    body = text(response)
    row = body.split(f'data-contact="{overdue.pk}"')[1].split("</tr>")[0]
    assert "Overdue by 2 hours" in row and "Kid0 Queue" in row
    assert "Not yet rated" in body.split(f'data-contact="{unrated.pk}"')[1].split("</tr>")[0]


def test_the_queue_is_scoped_to_the_authorities_the_user_serves(world, as_user):
    wcc = contact_about(world, world.sibling)
    hf = contact_about(world, world.outsider)
    charlie = queue_ids(as_user(world.charlie).get("/front-door/"))
    assert hf.pk in charlie and wcc.pk not in charlie
    assert all(Contact.objects.get(pk=i).authority == world.hammersmith for i in charlie)
    mash = queue_ids(as_user(world.mash).get("/front-door/"))
    assert {wcc.pk, hf.pk} <= set(mash)
    assert as_user(world.charlie).get(wcc.get_absolute_url()).status_code == 404


def test_the_queue_filters_by_authority_and_rag_with_an_htmx_partial(world, as_user):
    wcc = rate(world, contact_about(world, world.sibling), "R")
    hf = contact_about(world, world.outsider)
    client = as_user(world.mash)
    partial = client.get("/front-door/", {"authority": world.hammersmith.pk}, HTTP_HX_REQUEST="true")
    assert "<html" not in text(partial) and hf.pk in queue_ids(partial) and wcc.pk not in queue_ids(partial)
    assert queue_ids(client.get("/front-door/", {"rag": "R"})) == [wcc.pk]
    not_rated = queue_ids(client.get("/front-door/", {"rag": "none"}))
    assert hf.pk in not_rated and wcc.pk not in not_rated


# --- chronology and the person's page -----------------------------------------------------------

def test_contacts_and_decisions_appear_in_each_childs_chronology_and_record(world, as_user):
    from haven.chronology.registry import chronology_for

    contact = decide(world, rate(world, contact_about(world, world.sibling, world.parent), "R"), "nfa")
    entries = [e for e in chronology_for(world.sibling, world.mash) if e.category == "contact"]
    assert [e.title for e in entries] == ["MASH decision: no further action", "Contact received"]
    assert entries[1].significant and entries[1].url == contact.get_absolute_url()
    assert not [e for e in chronology_for(world.sibling, world.charlie) if e.category == "contact"]
    page = text(as_user(world.alice).get(world.sibling.get_absolute_url()))
    assert 'data-testid="contacts-panel"' in page and contact.get_absolute_url() in page
