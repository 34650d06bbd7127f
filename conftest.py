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


@pytest.fixture(autouse=True)
def _access_log_triggers_allow_the_test_flush(request):
    """The access log is append-only in the database (audit migration 0002: triggers refuse
    UPDATE, DELETE and TRUNCATE). A transactional test ends by flushing every table, which those
    triggers refuse; so, for the flush only, turn them off, and put them back as soon as the flush
    is done (the flush sends post_migrate). Tests that run afterwards still see the triggers."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection
    from django.db.models.signals import post_migrate

    yield

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'audit_accesslog'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            restore = [sql for _name, sql in triggers]
        elif connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslog DISABLE TRIGGER USER")
            restore = ["ALTER TABLE audit_accesslog ENABLE TRIGGER USER"]
        else:
            return

    uid = "haven-tests-restore-access-log-triggers"

    def restore_triggers(**kwargs):
        post_migrate.disconnect(dispatch_uid=uid)
        with connection.cursor() as cursor:
            for sql in restore:
                cursor.execute(sql)

    post_migrate.connect(restore_triggers, weak=False, dispatch_uid=uid)
