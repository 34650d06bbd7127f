"""The migrations are the schema production gets: they agree with the models, and they apply to an
empty database of the engine under test. (The test database itself is made from the models,
``--nomigrations``: applying every migration takes about 50 seconds, once per worker.)"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def haven(*args: str, database_url: str) -> subprocess.CompletedProcess:
    """``haven <args>`` in a process of its own, with Haven's own settings (the tests' settings
    turn migrations off) and ``database_url``."""
    env = {**os.environ, "DATABASE_URL": database_url, "HAVEN_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "haven.settings"}
    return subprocess.run([sys.executable, "-m", "django", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def test_the_models_need_no_migration_that_is_not_written(tmp_path):
    """``makemigrations --check``: a model change without its migration fails here, since the
    test database (made from the models) would not notice."""
    done = haven("makemigrations", "--check", "--dry-run", database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


@pytest.fixture
def empty_database(tmp_path):
    """A DATABASE_URL for a new, empty database of the engine the tests run on, dropped after."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"haven_migrations_{uuid.uuid4().hex[:12]}"
    params = dict(host=settings["HOST"] or None, port=settings["PORT"] or None, user=settings["USER"] or None,
                  password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "") + "@" if settings["USER"] else ""
    try:
        yield f"postgres://{auth}{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_migration_applies_to_an_empty_database_and_makes_the_access_log_append_only(empty_database):
    done = haven("migrate", "--no-input", "-v", "0", database_url=empty_database)
    assert done.returncode == 0, done.stderr[-3000:]
    unapplied = haven("showmigrations", "--plan", database_url=empty_database)
    assert unapplied.returncode == 0 and "[ ]" not in unapplied.stdout, unapplied.stdout[-2000:]
    probe = ("from django.db import connection\n"
             "c = connection.cursor()\n"
             "c.execute(\"INSERT INTO audit_accesslog (at, username, action, object_type, object_id, summary, reason, "
             "path, detail) VALUES (CURRENT_TIMESTAMP, 'x', 'view', '', '', '', '', '', '{}')\")\n"
             "try:\n"
             "    c.execute(\"UPDATE audit_accesslog SET username = 'y'\")\n"
             "except Exception as exc:\n"
             "    print('refused:', exc)\n")
    refused = haven("shell", "-c", probe, database_url=empty_database)
    assert "refused:" in refused.stdout and "append-only" in refused.stdout, refused.stdout + refused.stderr[-2000:]
