import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

import pytest  # noqa: E402


@pytest.fixture
def world(db):
    from haven.core.testing import World

    return World.build()


@pytest.fixture
def as_user(client):
    """as_user(user) -> the test client, signed in with both factors."""
    from haven.core.testing import sign_in

    def _sign_in(user):
        sign_in(client, user)
        return client

    return _sign_in
