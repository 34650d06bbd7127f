"""The benchmark database: which one, seeding or reusing it, and its size.

Without ``DATABASE_URL`` the benchmarks use their own SQLite file, ``var/bench-<scale>.sqlite3``,
never the demo database. With ``DATABASE_URL`` (e.g. PostgreSQL) they use that database, which
must be empty or hold a seed of the same scale.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from haven.seed.generate import SCALES, Seeder, expected_people

SQLITE_SUFFIXES = ("", "-wal", "-shm")


@dataclass
class BenchDatabase:
    engine: str
    location: str
    people: int = 0
    seeded: bool = False
    seed_seconds: float | None = None
    size_bytes: int = 0
    size_detail: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def engine_label() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    return connection.display_name


def bench_sqlite_path(scale: str) -> Path:
    return Path(settings.VAR_DIR) / f"bench-{scale}.sqlite3"


def uses_own_sqlite() -> bool:
    """True when no DATABASE_URL was given, so the benchmarks keep to their own SQLite file."""
    return not os.environ.get("DATABASE_URL")


def point_default_at(path: Path) -> None:
    """Re-point the default (SQLite) connection at ``path`` before anything has queried it."""
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor != "sqlite":
        raise CommandError("Only a SQLite default database can be re-pointed; set DATABASE_URL instead")
    conn.close()
    conn.settings_dict["NAME"] = str(path)


def location() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(s["NAME"])
    host = s.get("HOST") or "local socket"
    return f"{s['NAME']} on {host}:{s.get('PORT') or 'default'}"  # never the password


def database_size() -> tuple[int, str]:
    """(bytes, detail): SQLite's files including the write-ahead log, or PostgreSQL's
    ``pg_database_size``."""
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        sizes = {suffix or "db": os.path.getsize(f"{name}{suffix}") for suffix in SQLITE_SUFFIXES
                 if os.path.exists(f"{name}{suffix}")}
        detail = ", ".join(f"{k.lstrip('-')} {mb(v)}" for k, v in sizes.items())
        return sum(sizes.values()), detail
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            total = cursor.fetchone()[0]
            cursor.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r' "
                "ORDER BY 2 DESC LIMIT 3")
            largest = ", ".join(f"{name} {mb(size)}" for name, size in cursor.fetchall())
        return total, f"largest: {largest}"
    return 0, "size unknown for this engine"


def mb(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def count_people() -> int:
    from haven.people.models import Person

    return Person.objects.count()


def prepare(*, scale: str, seed: int, as_of: dt.date | None, reseed: bool, out: TextIO) -> BenchDatabase:
    """Select, migrate and (if needed) seed the benchmark database."""
    if scale not in SCALES:
        raise CommandError(f"scale must be one of {', '.join(SCALES)}")
    if uses_own_sqlite():
        path = bench_sqlite_path(scale)
        point_default_at(path)
        if reseed:
            for suffix in SQLITE_SUFFIXES:
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif reseed:
        # Not `flush`: the access log is append-only (PostgreSQL refuses to truncate it), and a
        # benchmark must never be the way a real database gets emptied.
        raise CommandError(f"--reseed only empties the benchmarks' own SQLite file; recreate {location()} "
                           "yourself (e.g. dropdb and createdb) and run again")
    call_command("migrate", interactive=False, verbosity=0)

    db = BenchDatabase(engine=engine_label(), location=location())
    people, expected = count_people(), expected_people(scale)
    if people and not _looks_seeded(people, expected):
        remedy = "Use --reseed to seed it again" if uses_own_sqlite() else "Point DATABASE_URL at an empty database"
        raise CommandError(
            f"{db.location} holds {people:,} people, not a --scale {scale} seed (~{expected:,}). {remedy}.")
    if not people:
        if not uses_own_sqlite() and not settings.HAVEN_DEMO:
            # As `haven seed`: synthetic people and demo users (published password and TOTP keys)
            # go only into demo, test and benchmark databases.
            raise CommandError(f"{db.location} is empty and HAVEN_DEMO is off: set HAVEN_DEMO=1 to seed it "
                               "for benchmarks (synthetic data and demo users)")
        out.write(f"Seeding {db.location} at scale {scale} (seed {seed}); about {expected:,} people\n")
        started = time.monotonic()
        Seeder(scale=scale, seed=seed, as_of=as_of, out=out).run()
        db.seed_seconds = time.monotonic() - started
        db.seeded = True
        people = count_people()
    db.people = people
    db.size_bytes, db.size_detail = database_size()
    return db


def _looks_seeded(people: int, expected: int) -> bool:
    from haven.accounts.models import User

    # Benchmarks write audit entries and sessions, never people: the count stays put.
    return abs(people - expected) <= max(0.1 * expected, 50) and User.objects.filter(username="sam.worker").exists()
