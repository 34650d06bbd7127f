import datetime as dt
import io
import re

import pytest

from haven.accounts.models import LocalAuthority, User
from haven.accounts.roles import Role
from haven.core.validators import is_valid_nhs_number, is_valid_upn
from haven.people.models import Household, Person, PersonNameToken, Relationship
from haven.seed.generate import Seeder
from haven.seed.names import DISTRICTS

AS_OF = dt.date(2026, 3, 31)


def snapshot():
    return list(Person.objects.order_by("authority__lea_code", "local_id").values_list(
        "authority__lea_code", "first_name", "last_name", "date_of_birth", "sex", "nhs_number", "upn"))


@pytest.fixture
def seeded(db):
    Seeder(scale="tiny", seed=7, as_of=AS_OF, out=io.StringIO(), casework=False).run()


def test_it_seeds_three_authorities_with_their_public_codes(seeded):
    codes = set(LocalAuthority.objects.values_list("name", "ons_code", "lea_code"))
    assert codes == {("Westminster", "E09000033", "213"), ("Hammersmith and Fulham", "E09000013", "205"),
                     ("Kensington and Chelsea", "E09000020", "207")}
    for la in LocalAuthority.objects.all():
        assert Person.objects.filter(authority=la, kind="child").exists()


def test_it_has_a_user_of_every_role(seeded):
    roles = set(User.objects.values_list("memberships__role", flat=True))
    assert {r.value for r in Role} <= roles


def test_it_is_deterministic(seeded):
    first = snapshot()
    Person.objects.all().delete()
    Seeder(scale="tiny", seed=7, as_of=AS_OF, out=io.StringIO(), casework=False).run()
    assert snapshot() == first


def test_identifiers_and_postcodes_are_valid_and_synthetic(seeded):
    for p in Person.objects.exclude(nhs_number=""):
        assert p.nhs_number.startswith("999") and is_valid_nhs_number(p.nhs_number)
    assert Person.objects.exclude(upn="").exists()
    for p in Person.objects.exclude(upn=""):
        assert is_valid_upn(p.upn) and p.upn[1:4] == p.authority.lea_code
    from haven.people.models import Address

    for a in Address.objects.select_related("authority"):
        assert a.postcode.split()[0] in DISTRICTS[a.authority.lea_code]
        assert re.fullmatch(r"[A-Z0-9]{2,4} \d[A-Z]{2}", a.postcode)


def test_families_are_plausible(seeded):
    for rel in Relationship.objects.filter(type="parent").select_related("person", "other"):
        if rel.other.date_of_birth:
            assert rel.person.date_of_birth < rel.other.date_of_birth - dt.timedelta(days=365 * 14)
    for child in Person.objects.filter(kind="child", date_of_birth__isnull=False):
        assert child.date_of_birth <= AS_OF and child.age_on(AS_OF) < 18
    assert Household.objects.count() >= 3 * 12
    # every seeded person can be found by name
    assert not Person.objects.exclude(pk__in=PersonNameToken.objects.values("person_id")).exists()


def test_it_refuses_to_seed_over_existing_people(seeded):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("seed", scale="tiny", stdout=io.StringIO())
