import datetime as dt

import pytest

from haven.audit.models import AccessLog
from haven.core.testing import make_person
from haven.people.search import search_people


def names(results):
    return {r.person.full_name for r in results}


@pytest.mark.parametrize("query", ["o'brien", "O'BRIEN", "obrien", "o brien", "OBri", "lily o'b", "Lil O'Br", "o’brien"])
def test_it_finds_a_name_with_an_apostrophe_however_it_is_typed(world, query):
    results, _ = search_people(world.alice, name=query)
    assert "Lily O'Brien" in names(results), query


@pytest.mark.parametrize("query", ["smith", "jones", "smith-jones", "smith jones", "smithjones", "JONES"])
def test_it_finds_hyphenated_surnames_by_either_part_or_both(world, query):
    results, _ = search_people(world.charlie, name=query)
    assert "Ruby Smith-Jones" in names(results), query


def test_every_word_must_match(world):
    results, _ = search_people(world.alice, name="lily jack")
    assert not results


def test_it_searches_by_date_of_birth_nhs_number_and_local_id(world):
    assert names(search_people(world.alice, date_of_birth=dt.date(2016, 3, 4))[0]) == {"Lily O'Brien"}
    assert names(search_people(world.alice, nhs_number="999 000 0107")[0]) == {"Lily O'Brien"}
    assert names(search_people(world.alice, local_id=world.sibling.local_id.lower())[0]) == {"Jack O'Brien"}


def test_it_finds_aliases(world):
    from haven.people.models import PersonAlias

    PersonAlias.objects.create(person=world.parent, authority=world.westminster, kind="previous",
                               first_name="Maura", last_name="Fitzgerald")
    assert "Maura O'Brien" in names(search_people(world.alice, name="fitzg")[0])


def test_it_only_searches_the_users_scope(world):
    assert not search_people(world.charlie, name="o'brien")[0]
    assert not search_people(world.alice, name="smith-jones")[0]
    # the shared MASH team serves both authorities
    assert names(search_people(world.mash, name="smith")[0]) == {"Ruby Smith-Jones", "Rita Smith-Jones"}


def test_restricted_records_are_found_but_cannot_be_opened(world):
    results, _ = search_people(world.alice, name="restricted")
    assert len(results) == 1 and results[0].can_open is False


def test_it_flags_possible_duplicates_but_not_twins(world):
    dupe = make_person(world.westminster, first="Lilly", last="O'Brien", born=dt.date(2016, 4, 3))
    twin = make_person(world.westminster, first="Rose", last="O'Brien", born=dt.date(2016, 3, 4))
    results, _ = search_people(world.alice, name="o'brien")
    by_id = {r.person.pk: r for r in results}
    assert [d[0].pk for d in by_id[world.child.pk].duplicates] == [dupe.pk]
    assert by_id[twin.pk].duplicates == []


def test_the_search_page_logs_the_search(world, as_user):
    client = as_user(world.alice)
    response = client.get("/people/", {"name": "o'brien"})
    assert response.status_code == 200
    assert "Lily O&#x27;Brien" in response.content.decode()
    entry = AccessLog.objects.filter(action="search").latest("at")
    assert entry.username == "alice" and entry.detail["name"] == "o'brien"


def test_the_search_page_answers_htmx_with_just_the_results(world, as_user):
    client = as_user(world.alice)
    response = client.get("/people/", {"name": "jack", "partial": "1"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Jack O&#x27;Brien" in body and "<html" not in body


def test_the_search_page_shows_a_restricted_record_masked_with_break_glass(world, as_user):
    body = as_user(world.alice).get("/people/", {"name": "restricted"}).content.decode()
    assert "Ava" not in body and "Restricted record" in body and f"/people/{world.restricted.pk}/break-glass/" in body
