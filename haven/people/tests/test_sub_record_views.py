from haven.core.testing.views import RecordCreateViewTests
from haven.people.models import Address, PersonAlias, PersonFlag


class TestAddressCreate(RecordCreateViewTests):
    url_name = "people:address-create"
    model = Address
    form_data = {"line_1": "1 Elgin Avenue", "town": "London", "postcode": "W9 1AA"}
    invalid_data = {"line_1": "1 Elgin Avenue", "postcode": "NOT A CODE"}


class TestAliasCreate(RecordCreateViewTests):
    url_name = "people:alias-create"
    model = PersonAlias
    form_data = {"kind": "nickname", "first_name": "Lil"}
    invalid_data = {"kind": "nickname"}


class TestFlagCreate(RecordCreateViewTests):
    url_name = "people:flag-create"
    model = PersonFlag
    form_data = {"kind": "risk_to_staff", "note": "Large dog", "start_date_0": "1", "start_date_1": "1", "start_date_2": "2024"}
    invalid_data = {"kind": "risk_to_staff", "start_date_0": "31", "start_date_1": "2", "start_date_2": "2024"}


def test_an_alias_is_found_by_search_straight_away(world, as_user):
    client = as_user(world.alice)
    client.post(f"/people/{world.child.pk}/names/add/", {"kind": "nickname", "first_name": "Tiggy"})
    assert "Lily O&#x27;Brien" in client.get("/people/", {"name": "tiggy"}).content.decode()
