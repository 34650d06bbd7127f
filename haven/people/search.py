"""Person search and candidate matching, over the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q

from haven.core.validators import normalise_nhs_number

from . import matching
from .models import Person, PersonNameToken
from .names import query_terms

MAX_RESULTS = 100

# Results in name order. Both columns are NOT NULL, so NULLS FIRST changes nothing in the order,
# but it stops PostgreSQL from answering "ORDER BY last_name, first_name LIMIT n" by walking the
# (last_name, first_name) index and testing each row against the name tokens: matches cluster by
# surname, so "smi" walked ~70,000 Westminster rows to reach the Smiths (300-600 ms at 270,000
# people, `haven bench`). Sorting the matching rows instead is bounded (~100 ms there), though a
# little slower than the walk for prefixes early in the alphabet. SQLite sorts NULLs first anyway:
# its plans are unchanged.
RESULT_ORDER = (F("last_name").asc(nulls_first=True), F("first_name").asc(nulls_first=True), "id")


def _token_prefix(term: str) -> Q:
    # Index-friendly prefix match on both engines: a range on SQLite (binary collation), LIKE
    # 'x%' on PostgreSQL (the index uses varchar_pattern_ops).
    if connection.vendor == "postgresql":
        return Q(token__startswith=term)
    return Q(token__gte=term, token__lt=term + "{")


def name_filter(qs, query: str):
    for term in query_terms(query)[:6]:
        qs = qs.filter(pk__in=PersonNameToken.objects.filter(_token_prefix(term)).values("person_id"))
    return qs


@dataclass
class Result:
    person: Person
    can_open: bool
    duplicates: list[tuple[Person, int, list[str]]] = field(default_factory=list)


def facts(person: Person) -> matching.PersonFacts:
    return matching.PersonFacts(
        first_name=person.first_name, last_name=person.last_name, date_of_birth=person.date_of_birth,
        nhs_number=person.nhs_number, sex=person.sex,
        other_last_names=tuple(a.last_name for a in person.aliases.all() if a.last_name),
    )


def search_people(user, *, name: str = "", date_of_birth: dt.date | None = None, nhs_number: str = "",
                  local_id: str = "", kind: str = "", limit: int = MAX_RESULTS) -> tuple[list[Result], bool]:
    """People in the user's discover scope matching every criterion given. Restricted records
    the user may not open are returned with ``can_open=False`` (shown masked, with break-glass).
    Returns (results, truncated)."""
    qs = Person.objects.visible_to(user, "discover")
    if name.strip():
        qs = name_filter(qs, name)
    if date_of_birth:
        qs = qs.filter(Q(date_of_birth=date_of_birth) | Q(expected_date_of_birth=date_of_birth))
    if nhs_number.strip():
        qs = qs.filter(nhs_number=normalise_nhs_number(nhs_number))
    if local_id.strip():
        qs = qs.filter(local_id=local_id.strip().upper())
    if kind:
        qs = qs.filter(kind=kind)
    rows = list(qs.select_related("authority").prefetch_related("aliases").order_by(*RESULT_ORDER)[: limit + 1])
    truncated = len(rows) > limit
    rows = rows[:limit]
    openable = set(Person.objects.filter(pk__in=[p.pk for p in rows]).visible_to(user, "view").values_list("pk", flat=True))
    results = [Result(p, p.pk in openable) for p in rows]
    by_facts = [(r, facts(r.person)) for r in results]
    for i, (a, fa) in enumerate(by_facts):
        for b, fb in by_facts[i + 1:]:
            s, reasons = matching.score(fa, fb)
            if s >= matching.POSSIBLE:
                a.duplicates.append((b.person, s, reasons))
                b.duplicates.append((a.person, s, reasons))
    return results, truncated


def candidates_for(user, new: matching.PersonFacts, *, exclude_pk: int | None = None, limit: int = 10):
    """Existing records (in discover scope) that may be the person about to be created."""
    qs = Person.objects.visible_to(user, "discover")
    q = Q()
    if new.nhs_number:
        q |= Q(nhs_number=new.nhs_number)
    d = new.date_of_birth
    if d:
        near = [d, d - dt.timedelta(days=1), d + dt.timedelta(days=1)]
        if d.day <= 12 and d.day != d.month:
            near.append(dt.date(d.year, d.day, d.month))
        q |= Q(date_of_birth__in=near)
    name_q = qs
    terms = query_terms(new.last_name)[:1]
    first = query_terms(new.first_name)[:1]
    if terms and first:
        name_q = name_filter(qs, f"{new.first_name.split()[0] if new.first_name.split() else ''}")
        name_q = name_q.filter(pk__in=PersonNameToken.objects.filter(_token_prefix(terms[0][:3])).values("person_id"))
        q |= Q(pk__in=name_q.order_by(*RESULT_ORDER).values("pk")[:500])
    if not q:
        return []
    rows = qs.filter(q)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    scored = []
    for person in rows.order_by(*RESULT_ORDER).prefetch_related("aliases")[:500]:
        s, reasons = matching.score(new, facts(person))
        if s >= matching.POSSIBLE:
            scored.append((s, person, reasons))
    scored.sort(key=lambda t: -t[0])
    return scored[:limit]
