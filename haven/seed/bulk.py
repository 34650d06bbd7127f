"""Fast bulk inserts for the seed.

``Model.objects.bulk_create`` spends most of its time in the ORM's SQL compiler, preparing every
value of every row through the field machinery (two thirds of the seed's time at scale). The
seed writes generated data of a few plain types, so ``BulkWriter`` prepares one ``INSERT`` per
model, adapts each column once per value with a cheap converter, and ``executemany``s the rows.

Primary keys are reserved up front when the caller needs them (people and households are
referred to by later rows): on PostgreSQL from the table's sequence (``nextval``), on SQLite
from the table's current maximum, inside the seed's write transaction (SQLite has one writer).
Other engines fall back to ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection as default_connection
from django.db import models

# Values of these field types go to the driver as they are (str, int, bool, None).
PLAIN_TYPES = {
    "AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "IntegerField",
    "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "SmallIntegerField", "BooleanField", "ForeignKey", "OneToOneField",
}
TEXT_TYPES = {"CharField", "TextField", "SlugField", "EmailField"}
CHUNK = 5000


class BulkWriter:
    """``insert(model, objs, with_pk=…)`` writes unsaved model instances in one statement per
    chunk. ``stamp`` fills ``auto_now``/``auto_now_add`` fields (so the data is deterministic)."""

    def __init__(self, stamp: dt.datetime, connection=None):
        self.connection = connection or default_connection
        self.stamp = stamp
        self.vendor = self.connection.vendor
        self._plans: dict[tuple[type, bool], tuple[str, str, list[tuple[str, Callable | None]]]] = {}

    @property
    def fast(self) -> bool:
        return self.vendor in ("sqlite", "postgresql")

    # -- primary keys ---------------------------------------------------------------------------
    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        """``count`` unused primary key values for ``model`` (call inside a transaction)."""
        if count == 0:
            return []
        table = model._meta.db_table
        pk = model._meta.pk.column
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                               [table, pk, count])
                return [row[0] for row in cursor.fetchall()]
            qn = self.connection.ops.quote_name
            cursor.execute(f"SELECT COALESCE(MAX({qn(pk)}), 0) FROM {qn(table)}")
            top = cursor.fetchone()[0]
            # AUTOINCREMENT tables never reuse the ids of deleted rows: respect sqlite_sequence.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
        return list(range(top + 1, top + 1 + count))

    # -- inserts --------------------------------------------------------------------------------
    def _converter(self, field: models.Field) -> Callable[[Any], Any] | None:
        ops, internal = self.connection.ops, field.get_internal_type()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            stamped = ops.adapt_datetimefield_value(self.stamp) if internal == "DateTimeField" else \
                ops.adapt_datefield_value(self.stamp.date())
            return lambda _value: stamped
        if internal in PLAIN_TYPES:
            return None
        if internal in TEXT_TYPES:
            # TextChoices members are str subclasses; hand the driver the plain value.
            return lambda v: v if v is None or type(v) is str else str(v)
        if internal == "DateField":
            return ops.adapt_datefield_value
        if internal == "DateTimeField":
            cache: dict[dt.datetime, Any] = {}  # seeded timestamps repeat (one a day)

            def datetime_value(v):
                if v is None:
                    return None
                if v not in cache:
                    cache[v] = ops.adapt_datetimefield_value(v)
                return cache[v]
            return datetime_value
        conn = self.connection
        return lambda v: field.get_db_prep_save(v, conn)

    def _plan(self, model: type[models.Model], with_pk: bool):
        key = (model, with_pk)
        if key not in self._plans:
            fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
            qn = self.connection.ops.quote_name
            columns = ", ".join(qn(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            table = qn(model._meta.db_table)
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            copy_sql = f"COPY {table} ({columns}) FROM STDIN"
            self._plans[key] = (sql, copy_sql, [(f.attname, self._converter(f)) for f in fields])
        return self._plans[key]

    def insert(self, model: type[models.Model], objs: Sequence[models.Model], *, with_pk: bool = False) -> None:
        """Insert ``objs``. With ``with_pk``, each object gets a reserved primary key first."""
        if not objs:
            return
        if not self.fast:
            model.objects.bulk_create(objs, batch_size=1000)
            return
        if with_pk:
            for obj, pk in zip(objs, self.reserve_ids(model, len(objs)), strict=True):
                obj.pk = pk
        sql, copy_sql, getters = self._plan(model, with_pk)
        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # COPY: one stream per table, several times faster than row-by-row INSERTs.
                with cursor.cursor.copy(copy_sql) as copy:
                    for obj in objs:
                        d = obj.__dict__
                        copy.write_row(tuple(d[a] if c is None else c(d[a]) for a, c in getters))
            else:
                for start in range(0, len(objs), CHUNK):
                    rows = []
                    for obj in objs[start:start + CHUNK]:
                        d = obj.__dict__
                        rows.append(tuple(d[a] if c is None else c(d[a]) for a, c in getters))
                    cursor.executemany(sql, rows)
        for obj in objs:
            obj._state.adding = False
            obj._state.db = self.connection.alias
