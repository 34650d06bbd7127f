import datetime as dt

from haven.audit.models import AccessLog
from haven.people.models import Address, Household, HouseholdMember, Person, Relationship

VALID = {
    "authority": "", "kind": "child", "first_name": "Zara", "last_name": "Mensah-Okoro",
    "date_of_birth_0": "14", "date_of_birth_1": "2", "date_of_birth_2": "2017", "sex": "F",
    "ethnicity": "BAFR", "first_language": "ENG", "religion": "christian", "nhs_number": "999 000 0018",
    "upn": "", "disabilities": ["COMM", "LD"], "line_1": "12 Harrow Road", "postcode": "w2 1aa",
    "town": "London", "address_from_0": "1", "address_from_1": "1", "address_from_2": "2020",
}


def post_new(client, world, **changes):
    data = {**VALID, "authority": world.westminster.pk, **changes}
    return client.post("/people/add/", data)


def test_it_creates_a_person_with_address_and_disabilities_in_one_go(world, as_user):
    client = as_user(world.alice)
    response = post_new(client, world)
    person = Person.objects.get(last_name="Mensah-Okoro")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assert person.local_id.startswith("WCC") and person.nhs_number == "9990000018"
    assert sorted(person.disabilities.values_list("code", flat=True)) == ["COMM", "LD"]
    address = Address.objects.get(person=person)
    assert address.postcode == "W2 1AA" and address.start_date == dt.date(2020, 1, 1)
    assert AccessLog.objects.filter(action="create", person_id=person.pk, username="alice").exists()
    assert person.history.count() == 1 and person.history.first().history_user == world.alice


def test_invalid_input_gets_the_error_summary_and_nothing_is_saved(world, as_user):
    client = as_user(world.alice)
    before = (Person.objects.count(), Address.objects.count())
    response = post_new(client, world, nhs_number="999 000 0019", upn="A12345678901X", date_of_birth_0="31",
                        date_of_birth_1="2", postcode="", first_name="")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body and "There is a problem" in body
    assert 'href="#id_nhs_number"' in body and "Enter a valid NHS number" in body
    assert 'href="#id_date_of_birth_0"' in body and "Date of birth must be a real date" in body
    assert "Enter the postcode of the address" in body and "Enter first name" in body
    assert 'value="Mensah-Okoro"' in body  # the user's input is kept
    assert (Person.objects.count(), Address.objects.count()) == before


def test_a_child_needs_a_date_of_birth_in_the_past_or_an_expected_one(world, as_user):
    client = as_user(world.alice)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    body = post_new(client, world, date_of_birth_0=tomorrow.day, date_of_birth_1=tomorrow.month,
                    date_of_birth_2=tomorrow.year).content.decode()
    assert "Date of birth must be today or in the past" in body
    body = post_new(client, world, date_of_birth_0="", date_of_birth_1="", date_of_birth_2="").content.decode()
    assert "Enter the child&#x27;s date of birth, or an expected date of birth" in body
    unborn = post_new(client, world, date_of_birth_0="", date_of_birth_1="", date_of_birth_2="", nhs_number="",
                      expected_date_of_birth_0=tomorrow.day, expected_date_of_birth_1=tomorrow.month,
                      expected_date_of_birth_2=tomorrow.year, first_name="Unborn")
    assert unborn.status_code == 302
    assert Person.objects.get(first_name="Unborn").is_unborn


def test_a_possible_existing_record_must_be_confirmed_before_a_new_one_is_made(world, as_user):
    client = as_user(world.alice)
    data = dict(first_name="Lilly", last_name="O'Brien", date_of_birth_0="4", date_of_birth_1="3",
                date_of_birth_2="2016", nhs_number="", line_1="", postcode="")
    response = post_new(client, world, **data)
    body = response.content.decode()
    assert response.status_code == 200 and "There may already be a record for this person" in body
    assert world.child.local_id in body
    assert not Person.objects.filter(first_name="Lilly").exists()
    assert post_new(client, world, **data, confirm_new="on").status_code == 302
    assert Person.objects.filter(first_name="Lilly").exists()


def test_a_duplicate_nhs_number_is_refused(world, as_user):
    body = post_new(as_user(world.alice), world, nhs_number="9990000107").content.decode()
    assert "Another record already has this NHS number" in body


def edit_data(person, **changes):
    data = {
        "version": person.version, "kind": person.kind, "first_name": person.first_name, "last_name": person.last_name,
        "date_of_birth_0": person.date_of_birth.day, "date_of_birth_1": person.date_of_birth.month,
        "date_of_birth_2": person.date_of_birth.year, "sex": person.sex, "ethnicity": person.ethnicity,
        "first_language": person.first_language, "religion": person.religion, "nhs_number": person.nhs_number,
    }
    data.update(changes)
    return data


def test_an_edit_is_versioned_with_before_and_after(world, as_user):
    client = as_user(world.alice)
    response = client.post(f"/people/{world.child.pk}/edit/", edit_data(world.child, first_name="Lilian"))
    assert response.status_code == 302
    world.child.refresh_from_db()
    assert world.child.first_name == "Lilian" and world.child.version == 2
    latest, previous = world.child.history.order_by("-history_id")[:2]
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "first_name"] == [("first_name", "Lily", "Lilian")]
    assert latest.history_user == world.alice
    changes_tab = client.get(f"/people/{world.child.pk}/changes/").content.decode()
    assert "Lilian" in changes_tab and "Lily" in changes_tab


def test_a_stale_save_is_refused_naming_who_changed_it_and_keeping_the_input(world, as_user):
    stale_form = edit_data(world.child, first_name="Lila")
    bob = as_user(world.bob)
    assert bob.post(f"/people/{world.child.pk}/edit/", edit_data(world.child, last_name="Byrne")).status_code == 302
    alice = as_user(world.alice)
    response = alice.post(f"/people/{world.child.pk}/edit/", stale_form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Bob Bob changed this record" in body and "Your changes have not been saved" in body
    assert 'value="Lila"' in body
    world.child.refresh_from_db()
    assert (world.child.first_name, world.child.last_name) == ("Lily", "Byrne")
    # Saving again, having seen the message, is deliberate: it goes through.
    again = alice.post(f"/people/{world.child.pk}/edit/", {**stale_form, "version": world.child.version, "last_name": "Byrne"})
    assert again.status_code == 302


def test_relationships_are_shown_from_both_sides(world, as_user):
    client = as_user(world.alice)
    child_page = client.get(f"/people/{world.child.pk}/relationships/").content.decode()
    parent_page = client.get(f"/people/{world.parent.pk}/relationships/").content.decode()
    sibling_page = client.get(f"/people/{world.sibling.pk}/relationships/").content.decode()
    assert "Maura O&#x27;Brien" in child_page and ">Parent<" in child_page
    assert "Lily O&#x27;Brien" in parent_page and ">Child<" in parent_page
    assert "Lily O&#x27;Brien" in sibling_page and ">Sibling<" in sibling_page


def test_a_relationship_is_added_by_searching_for_the_other_person(world, as_user):
    client = as_user(world.alice)
    page = client.get(f"/people/{world.sibling.pk}/relationships/add/", {"q": "maura"}).content.decode()
    assert "Maura O&#x27;Brien" in page
    response = client.post(f"/people/{world.sibling.pk}/relationships/add/", {
        "type": "child", "other": world.parent.pk, "start_date_0": "9", "start_date_1": "7", "start_date_2": "2018"})
    assert response.status_code == 302
    rel = Relationship.objects.get(person=world.sibling, other=world.parent)
    assert rel.type == "child" and rel.start_date == dt.date(2018, 7, 9)
    parent_page = client.get(f"/people/{world.parent.pk}/relationships/").content.decode()
    assert "Jack O&#x27;Brien" in parent_page


def test_a_relationship_cannot_end_before_it_starts_or_be_with_oneself(world, as_user):
    client = as_user(world.alice)
    response = client.post(f"/people/{world.child.pk}/relationships/add/", {
        "type": "sibling", "other": world.child.pk, "start_date_0": "1", "start_date_1": "1", "start_date_2": "2020",
        "end_date_0": "1", "end_date_1": "1", "end_date_2": "2019"})
    body = response.content.decode()
    assert "The end date must be the same as or after the start date" in body
    assert "cannot be related to themselves" in body or "Select a valid choice" in body


def test_a_relationship_to_a_restricted_person_is_masked(world, as_user):
    Relationship.objects.create(person=world.child, other=world.restricted, type="sibling", authority=world.westminster)
    page = as_user(world.alice).get(f"/people/{world.child.pk}/relationships/").content.decode()
    assert "Ava" not in page and "Restricted record" in page


def test_households_have_members_with_dates(world, as_user):
    client = as_user(world.alice)
    response = client.post(f"/people/{world.parent.pk}/households/add/", {"name": "O'Brien household, Elgin Avenue",
                                                                          "address": "3 Elgin Avenue", "postcode": "W9 1AB"})
    household = Household.objects.get(name__startswith="O'Brien household, Elgin")
    assert response.status_code == 302
    response = client.post(f"/people/households/{household.pk}/members/add/", {
        "person": world.sibling.pk, "start_date_0": "1", "start_date_1": "6", "start_date_2": "2023"})
    assert response.status_code == 302
    assert set(HouseholdMember.objects.filter(household=household).values_list("person__first_name", flat=True)) == {"Maura", "Jack"}
    page = client.get(household.get_absolute_url()).content.decode()
    assert "Jack O&#x27;Brien" in page and "01/06/2023" in page


def test_a_new_address_ends_the_previous_one(world, as_user):
    client = as_user(world.alice)
    response = client.post(f"/people/{world.child.pk}/addresses/add/", {
        "line_1": "5 Fernhead Road", "town": "London", "postcode": "W9 3ET",
        "start_date_0": "1", "start_date_1": "9", "start_date_2": "2024"})
    assert response.status_code == 302
    old = Address.objects.get(person=world.child, line_1="1 Test Street")
    assert old.end_date == dt.date(2024, 9, 1)


def test_the_record_header_shows_flags_from_every_source(world, as_user):
    from haven.people.models import PersonFlag

    PersonFlag.objects.create(person=world.parent, authority=world.westminster, kind="risk_to_staff", note="Dog")
    page = as_user(world.alice).get(f"/people/{world.parent.pk}/").content.decode()
    assert 'data-flag="risk_to_staff"' in page
    world.child.date_of_death = dt.date(2024, 1, 1)
    world.child.save()
    assert 'data-flag="deceased"' in as_user(world.alice).get(f"/people/{world.child.pk}/").content.decode()


def test_the_chronology_reads_dated_facts_and_filters_by_type(world, as_user):
    client = as_user(world.alice)
    page = client.get(f"/people/{world.child.pk}/chronology/").content.decode()
    assert "Born" in page and "Moved to address" in page
    only_addresses = client.get(f"/people/{world.child.pk}/chronology/", {"category": "address"}).content.decode()
    assert "Moved to address" in only_addresses and ">Born<" not in only_addresses


def test_the_header_shows_the_users_name_and_authority(world, as_user):
    page = as_user(world.mash).get("/").content.decode()
    assert 'data-testid="user-name">Mo Mash<' in page
    assert 'data-testid="user-authority">Test partnership<' in page
    assert 'class="govuk-skip-link"' in page and '<main class="govuk-main-wrapper" id="main-content">' in page
