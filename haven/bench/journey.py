"""The help-and-protection journey (``haven bench --only journey``): server time of the MASH
queue (mo.mash), the record page and the chronology of the child with the longest history in
Westminster (sam.worker; ten years of casework at ``--scale large``), and the team worklist
(tara.manager). Needs a seed with casework (``haven.seed.casework``); a page whose URL does not
exist yet is skipped with a message, not failed."""

from __future__ import annotations

import datetime as dt

from .core import BenchContext, Figure, benchmark


def exists(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def skipped(ctx: BenchContext, name: str, path: str) -> Figure:
    message = f"skipped: {path} does not exist yet"
    ctx.log(f"  {name} {message}")
    return Figure(name=f"{name} (skipped)", timings_ms=[], note=message)


def longest_history(lea_code: str = "213") -> tuple[int, str]:
    """The child (not restricted) of one authority whose casework starts earliest, and of
    those the one with the most recordings: (person id, a description)."""
    from django.db.models import Count, Min

    from haven.assessments.models import CINEpisode
    from haven.recording.models import RecordingSubject

    episodes = CINEpisode.objects.filter(authority__lea_code=lea_code, person__restricted=False)
    first = episodes.aggregate(first=Min("referral_date"))["first"]
    if first is None:
        raise RuntimeError("no casework in this database: seed it again (haven bench --reseed)")
    early = episodes.filter(referral_date__lte=first + dt.timedelta(days=365)).values("person_id")
    best = (RecordingSubject.objects.filter(person_id__in=early).values("person_id")
            .annotate(n=Count("id")).order_by("-n", "person_id").first())
    if best is None:
        person_id = episodes.order_by("referral_date", "pk").values_list("person_id", flat=True).first()
        return person_id, "no recordings"
    span = episodes.filter(person_id=best["person_id"]).aggregate(first=Min("referral_date"))["first"]
    return best["person_id"], f"child {best['person_id']}: casework since {span:%d/%m/%Y}, {best['n']} recordings"


@benchmark("journey.pages", "Server time of the MASH queue, the longest-history child's record and "
                            "chronology, and the team worklist (test client)")
def pages(ctx: BenchContext):
    from haven.accounts.models import User

    path = "/front-door/"
    if not exists(path):
        yield skipped(ctx, "page.mash_queue", path)
    elif User.objects.filter(username="mo.mash").exists():
        client = ctx.client("mo.mash")
        yield ctx.measure("page.mash_queue", [ctx.page(client, path) for _ in range(ctx.requests)],
                          note="/front-door/ as mo.mash (every authority the MASH serves)")

    person_id, about = longest_history()
    ctx.log(f"  longest history: {about}")
    client = ctx.client("sam.worker")
    for name, path in (("page.child_record_longest", f"/people/{person_id}/"),
                       ("page.chronology_longest", f"/people/{person_id}/chronology/")):
        if not exists(path):
            yield skipped(ctx, name, path)
            continue
        yield ctx.measure(name, [ctx.page(client, path) for _ in range(ctx.requests)], note=about)

    path = "/work/team/"
    if not exists(path):
        yield skipped(ctx, "page.team_worklist", path)
    elif User.objects.filter(username="tara.manager").exists():
        manager = ctx.client("tara.manager")
        yield ctx.measure("page.team_worklist", [ctx.page(manager, path) for _ in range(ctx.requests)],
                          note="/work/team/ as tara.manager (Westminster assessment and intervention)")
