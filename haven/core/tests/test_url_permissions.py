"""Deny by default, proved over every URL the project has.

For each URL pattern: an anonymous user is sent to sign-in (the API answers 401); a signed-in
user with no role gets 403 (or 404); a user from another authority gets 404 for a record outside
their scope; a user with the view's capability gets the page. A URL this test cannot classify or
fill in fails the test: a new URL needs coverage here (add it to a list below, or give its view
a ``capability`` and a ``model``).
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from haven.core.views.generic import ANY_SIGNED_IN

# Reachable without signing in.
PUBLIC = {"healthz", "accounts:sign-in", "accounts:sign-out", "accounts:verify", "accounts:set-up-mfa"}
# Any signed-in, verified user: pages about the user themselves, and the API's own description.
ANY_USER = {"home", "api:openapi-json", "api:openapi-view"}


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else None, p


ALL = list(walk(get_resolver().url_patterns))


@pytest.fixture(scope="module")
def walk_world(django_db_setup, django_db_blocker):
    """One world for the whole walk (built once: it is large now that every app adds to it),
    inside a transaction rolled back when the module ends; each test runs in a savepoint."""
    from django.db import transaction

    from haven.core.testing import World

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield World.build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(walk_world, db):
    return walk_world


def view_class(pattern):
    return getattr(pattern.callback, "view_class", None)


def ninja_url_models(pattern) -> dict:
    """A django-ninja endpoint about a record other than a Person declares it on its function:
    ``func.url_models = {"pk": CINEpisode}`` (the path's view wraps the operations in a closure)."""
    for cell in getattr(pattern.callback, "__closure__", None) or ():
        for operation in getattr(cell.cell_contents, "operations", None) or ():
            found = getattr(operation.view_func, "url_models", None)
            if found:
                return found
    return {}


def allows_get(pattern) -> bool:
    """POST-only URLs answer GET with 405 (which reveals nothing); they are checked by POST."""
    cls = view_class(pattern)
    if cls is not None:
        return "get" in cls.http_method_names and hasattr(cls, "get")
    for cell in getattr(pattern.callback, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        if operations:
            return any("GET" in op.methods for op in operations)
    return True


def model_for(kwarg, pattern):
    """The model a URL kwarg names: ``pk`` is the view's ``model``; the view's ``parent_kwarg``
    is its ``parent_model``; ``person_pk`` is a Person."""
    from haven.people.models import Person

    cls = view_class(pattern)
    if kwarg == "pk" and getattr(cls, "model", None) is not None:
        return cls.model
    if cls is not None and kwarg == getattr(cls, "parent_kwarg", None) and getattr(cls, "parent_model", None):
        return cls.parent_model
    extra = getattr(cls, "url_models", {}) if cls is not None else ninja_url_models(pattern)
    if kwarg in extra:
        return extra[kwarg]
    if kwarg in ("pk", "person_pk"):
        return Person  # ninja endpoints and function views about a person
    raise AssertionError(f"cannot tell which model {kwarg} names: give the view model/parent_model/url_models")


def object_for(world, kwarg, pattern, authority=None):
    """A record the kwarg names, of Westminster (in alice's scope) unless told otherwise."""
    from haven.people.models import Person

    authority = authority or world.westminster
    model = model_for(kwarg, pattern)
    if model is Person:
        return world.child if authority == world.westminster else world.outsider
    fields = {f.name for f in model._meta.get_fields()}
    where = {"authority": authority} if "authority" in fields else {"person__authority": authority}
    return model._base_manager.filter(**where).order_by("pk").first()


def outsider_object_for(world, kwarg, pattern):
    return object_for(world, kwarg, pattern, authority=world.hammersmith)


def fill(route, world, pattern, chooser=object_for):
    values = getattr(view_class(pattern), "url_values", {})   # kwargs that name no record (a KPI id)

    def sub(match):
        name = match.group(2)
        if name in values:
            return str(values[name])
        obj = chooser(world, name, pattern)
        assert obj is not None, f"no object to fill {name} in {route}: extend object_for()"
        return str(obj.pk)

    url = re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)
    assert "<" not in url and "(" not in url, f"cannot fill {route}"
    return "/" + url


def ids(item):
    return item[1] or item[0]


@pytest.mark.parametrize("item", ALL, ids=ids)
def test_it_sends_anonymous_users_to_sign_in(item, world, client):
    route, name, pattern = item
    url = fill(route, world, pattern)
    response = client.get(url)
    if name in PUBLIC:
        assert response.status_code in (200, 302, 405), url
        return
    if url.startswith("/api/"):
        assert response.status_code == 401, url
    else:
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/"), url


@pytest.mark.parametrize("item", ALL, ids=ids)
def test_it_refuses_a_signed_in_user_without_capability(item, world, as_user):
    route, name, pattern = item
    if name in PUBLIC or name in ANY_USER:
        return
    client = as_user(world.nora)
    url = fill(route, world, pattern)
    if allows_get(pattern):
        assert client.get(url).status_code in (403, 404), f"GET {url} let a user without any role in"
        assert client.post(url, {}).status_code in (403, 404, 405), f"POST {url} let a user without any role in"
    else:
        assert client.get(url).status_code in (403, 404, 405), f"GET {url}"
        assert client.post(url, {}).status_code in (403, 404), f"POST {url} let a user without any role in"


@pytest.mark.parametrize("item", ALL, ids=ids)
def test_every_view_declares_what_it_needs(item):
    """Class-based views must name a capability; function views must be listed above."""
    route, name, pattern = item
    cls = view_class(pattern)
    if name in PUBLIC or name in ANY_USER:
        return
    if route.startswith("api/"):
        return  # ninja endpoints declare auth=Capability(...); covered by the tests above
    assert cls is not None, f"{route}: function views must be PUBLIC or ANY_USER, or become capability-checked"
    assert getattr(cls, "capability", None), f"{cls.__name__} must declare a capability"
    assert cls.capability == ANY_SIGNED_IN or "." in cls.capability


def record_routes():
    return [i for i in ALL if re.search(r"<(?:\w+:)?(pk|person_pk|household_pk)>", i[0])]


@pytest.mark.parametrize("item", record_routes(), ids=ids)
def test_it_hides_records_outside_the_users_scope(item, world, as_user):
    """Charlie works for Hammersmith and Fulham: Westminster records are 404 to him, GET and POST."""
    route, name, pattern = item
    client = as_user(world.charlie)
    url = fill(route, world, pattern)
    if not allows_get(pattern):
        assert client.post(url, {}).status_code in (403, 404), url
        return
    assert client.get(url).status_code in (403, 404), url
    if not url.startswith("/api/"):
        assert client.post(url, {}).status_code in (403, 404, 405), url
    own = fill(route, world, pattern, outsider_object_for)
    assert client.get(own).status_code in (200, 403), f"{own}: charlie should reach his own authority's record"


def capable_user(world, capability):
    for persona in ("alice", "bob", "audrey", "sid", "iris", "paula", "ada"):
        user = getattr(world, persona)
        if capability == ANY_SIGNED_IN or user.has_capability(capability):
            return user
    return None


@pytest.mark.parametrize("item", ALL, ids=ids)
def test_it_serves_a_user_with_the_capability(item, world, as_user):
    route, name, pattern = item
    cls = view_class(pattern)
    if name in PUBLIC or cls is None or route.startswith("api/") or not allows_get(pattern):
        return
    user = capable_user(world, cls.capability)
    assert user is not None, f"no persona holds {cls.capability}"
    client = as_user(user)
    url = fill(route, world, pattern)
    response = client.get(url)
    assert response.status_code == 200, f"{user} GET {url}: {response.status_code}"
