"""Benchmarks of the worklists (``haven bench --only work.pages``): "My work" for a Westminster
social worker and "Team work" for a Westminster team manager, plus a child's Timescales panel data.
Run by ``make bench``; never collected by the test suite."""

from __future__ import annotations

from haven.bench import benchmark


@benchmark("work.pages", "Server time of My work (sam.worker) and Team work (tara.manager), test client")
def pages(ctx):
    from haven.accounts.models import User

    worker = ctx.client("sam.worker")
    yield ctx.measure("page.my_work", [ctx.page(worker, "/work/") for _ in range(ctx.requests)])
    if User.objects.filter(username="tara.manager").exists():
        manager = ctx.client("tara.manager")
        yield ctx.measure("page.team_work", [ctx.page(manager, "/work/team/") for _ in range(ctx.requests)])
        yield ctx.measure("page.team_work.overdue",
                          [ctx.page(manager, "/work/team/?group=overdue") for _ in range(ctx.requests)])


@benchmark("work.timescales", "A child's timescales (the summary-page panel's data), 50 children")
def timescales(ctx):
    from haven.people.models import Person

    from .worklists import timescales_for

    user = ctx.user("sam.worker")
    people = list(Person.objects.filter(pk__in=ctx.sample_people(ctx.requests, kind="child", name="timescales")))

    def op(person):
        def run():
            open_rows, past, _total = timescales_for(person, user)
            return len(open_rows) + len(past)
        return run

    yield ctx.measure("work.timescales_for", [op(p) for p in people])
