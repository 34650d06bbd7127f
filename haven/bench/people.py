"""People: person search (the function and the page), a child's record page, and the
possible-duplicate check when a person is added."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from haven.people.names import fold

from .core import BenchContext, benchmark

USERNAME = "sam.worker"  # Westminster social worker (authority-wide scope in Westminster)

# A front-door mix: what practitioners type, in about these proportions (per 100 searches).
SEARCH_MIX = [
    ("surname_prefix", 25),   # "smi"
    ("full_name", 25),        # "Lily Smith"
    ("punctuated_name", 10),  # "O'Brien", "obrien", "smith jones", "Ava D'Souza"
    ("date_of_birth", 15),
    ("surname_and_dob", 5),
    ("nhs_number", 10),       # sometimes typed with spaces
    ("local_id", 10),         # sometimes in lower case
]


@dataclass(frozen=True)
class Criteria:
    kind: str
    name: str = ""
    date_of_birth: dt.date | None = None
    nhs_number: str = ""
    local_id: str = ""

    def kwargs(self) -> dict:
        return {"name": self.name, "date_of_birth": self.date_of_birth, "nhs_number": self.nhs_number,
                "local_id": self.local_id}

    def query_string(self) -> str:
        params = {"name": self.name, "nhs_number": self.nhs_number, "local_id": self.local_id}
        if self.date_of_birth:
            d = self.date_of_birth
            params.update(date_of_birth_0=d.day, date_of_birth_1=d.month, date_of_birth_2=d.year)
        return urlencode({k: v for k, v in params.items() if v})


def search_mix(ctx: BenchContext, count: int, name: str) -> list[Criteria]:
    """``count`` realistic searches for people of Westminster, the same on every run."""
    from haven.people.models import Person
    from haven.seed.names import SURNAMES

    rng = ctx.rng(name)
    fields = ("first_name", "last_name", "date_of_birth", "nhs_number", "local_id")
    pool = list(Person.objects.filter(pk__in=ctx.sample_people(max(count, 200), restricted=None, name=name))
                .filter(date_of_birth__isnull=False).order_by("pk").values(*fields))
    punctuated_names = [s for s in SURNAMES if "'" in s or "-" in s]
    punctuated = list(Person.objects.filter(authority__lea_code="213", last_name__in=punctuated_names)
                      .order_by("pk").values(*fields)[:2000]) or pool
    with_nhs = [p for p in pool if p["nhs_number"]] or pool

    block = [kind for kind, weight in SEARCH_MIX for _ in range(weight)]
    rng.shuffle(block)
    out = []
    for i in range(count):
        kind = block[i % len(block)]
        p = rng.choice(with_nhs if kind == "nhs_number" else punctuated if kind == "punctuated_name" else pool)
        first, last = p["first_name"], p["last_name"]
        if kind == "surname_prefix":
            out.append(Criteria(kind, name=fold(last)[:3]))
        elif kind == "full_name":
            out.append(Criteria(kind, name=f"{first} {last}"))
        elif kind == "punctuated_name":
            variant = rng.choice([last, last.replace("'", "").replace("-", ""), last.replace("'", " ").replace("-", " "),
                                  last.lower(), f"{first} {last}"])
            out.append(Criteria(kind, name=variant))
        elif kind == "date_of_birth":
            out.append(Criteria(kind, date_of_birth=p["date_of_birth"]))
        elif kind == "surname_and_dob":
            out.append(Criteria(kind, name=last, date_of_birth=p["date_of_birth"]))
        elif kind == "nhs_number":
            n = p["nhs_number"]
            out.append(Criteria(kind, nhs_number=f"{n[:3]} {n[3:6]} {n[6:]}" if rng.random() < 0.3 else n))
        elif kind == "local_id":
            out.append(Criteria(kind, local_id=p["local_id"].lower() if rng.random() < 0.3 else p["local_id"]))
    return out


def breakdown(figure, criteria: list[Criteria]):
    """The overall figure, then one per kind of search."""
    yield figure
    for kind, _weight in SEARCH_MIX:
        idx = [i for i, c in enumerate(criteria) if c.kind == kind]
        if idx:
            yield figure.subset(f"  {kind}", idx)


@benchmark("people.pages", "Server time of a child's record page and of the search page (test client)")
def person_pages(ctx: BenchContext):
    client = ctx.client(USERNAME)
    children = ctx.sample_people(ctx.requests, kind="child", name="people.pages")
    yield ctx.measure("page.person_record", [ctx.page(client, f"/people/{pk}/") for pk in children])
    criteria = search_mix(ctx, ctx.requests, "people.pages.search")
    yield ctx.measure("page.search", [ctx.page(client, f"/people/?{c.query_string()}") for c in criteria])


@benchmark("people.search", "Person search (search_people) as a Westminster social worker, front-door mix")
def person_search(ctx: BenchContext):
    from haven.people.search import search_people

    user = ctx.user(USERNAME)
    criteria = search_mix(ctx, ctx.searches, "people.search")

    def op(c: Criteria):
        def run():
            results, _truncated = search_people(user, **c.kwargs())
            return len(results)
        return run

    figure = ctx.measure("people.search", [op(c) for c in criteria])
    yield from breakdown(figure, criteria)


@benchmark("people.candidates", "Possible-duplicate check when adding a person (candidates_for), near-miss details")
def person_candidates(ctx: BenchContext):
    from haven.people.matching import PersonFacts
    from haven.people.models import Person
    from haven.people.search import candidates_for

    user = ctx.user(USERNAME)
    rng = ctx.rng("people.candidates")
    ids = ctx.sample_people(ctx.searches, kind="child", name="people.candidates")
    people = Person.objects.filter(pk__in=ids).order_by("pk")
    facts = []
    for p in people:
        # What a front door types for a child who already has a record: sometimes a typo in the
        # first name, the day and month swapped, or no NHS number.
        first = p.first_name if rng.random() < 0.7 else p.first_name[:-1] + "e"
        born = p.date_of_birth
        if born and born.day <= 12 and rng.random() < 0.2:
            born = born.replace(month=born.day, day=born.month)
        nhs = p.nhs_number if rng.random() < 0.4 else ""
        facts.append(PersonFacts(first_name=first, last_name=p.last_name, date_of_birth=born, nhs_number=nhs,
                                 sex=p.sex))

    def op(f):
        return lambda: len(candidates_for(user, f))

    yield ctx.measure("people.candidates", [op(f) for f in facts])
