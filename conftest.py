import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is made from the models (``--nomigrations`` in pyproject.toml), which
    leaves out the one thing a migration adds that no model declares: the access log's
    append-only triggers (audit migration 0002). Install them, with the migration's own SQL,
    unless the real migrations ran (``--migrations``) and put them there already."""
    import importlib

    from django.db import connection

    triggers = importlib.import_module("haven.audit.migrations.0002_append_only_triggers")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_accesslog'")
            statements = triggers.SQLITE
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_accesslog'::regclass "
                           "AND NOT tgisinternal")
            statements = triggers.POSTGRES
        if cursor.fetchone()[0] == 0:
            for sql in statements:
                cursor.execute(sql)
    yield


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The test world, built once per test module (it is large: every app adds records to it)
    inside a transaction that is rolled back when the module ends. Each test runs in a savepoint
    of it (pytest-django's ``db``), so the database is back to the built world after every test."""
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
def world(_module_world, db):
    """The test world (``haven.core.testing.World``), with fresh instances for each test. (The
    module-scoped world is set up before ``db``: pytest sets up wider scopes first.)"""
    return _module_world.refreshed()


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
