"""Benchmarks of the looked-after views (``haven bench --only care_planning.pages``): the team
view for a Westminster team manager (first page, sorted by the next visit, overdue only), the
IRO view for the seeded IRO, and the record page of the looked-after child with the longest care
history. Run by ``make bench``; never collected by the test suite."""

from __future__ import annotations

from haven.bench import benchmark


@benchmark("care_planning.pages", "Server time of the looked-after team view, IRO view and the record page of the "
                                  "child with the longest care history, test client")
def pages(ctx):
    from django.db.models import Count

    from haven.accounts.models import User
    from haven.looked_after.models import PeriodOfCare, Placement

    manager = "tara.manager" if User.objects.filter(username="tara.manager").exists() else "sam.worker"
    client = ctx.client(manager)
    n = ctx.requests
    for name, url in (("page.cla_team", "/looked-after/team/"),
                      ("page.cla_team.sort_visit", "/looked-after/team/?sort=visit"),
                      ("page.cla_team.overdue", "/looked-after/team/?overdue=1"),
                      ("page.cla_team.page_20", "/looked-after/team/?page=20")):
        if client.get(url).status_code == 200:
            yield ctx.measure(name, [ctx.page(client, url) for _ in range(n)])
    if User.objects.filter(username="iris.chair").exists():
        iro = ctx.client("iris.chair")
        yield ctx.measure("page.cla_iro", [ctx.page(iro, "/looked-after/iro/") for _ in range(n)])
    # the looked-after child with the most placements (then the earliest period of care)
    longest = (Placement.objects.filter(authority__lea_code="213").values("person_id")
               .annotate(n=Count("pk")).order_by("-n", "person_id").first())
    if longest is None:
        first = PeriodOfCare.objects.order_by("start_date").values("person_id").first()
        longest = first and {"person_id": first["person_id"]}
    if longest:
        worker = ctx.client("sam.worker")
        url = f"/people/{longest['person_id']}/"
        yield ctx.measure("page.cla_child_record", [ctx.page(worker, url) for _ in range(n)],
                          note=f"person {longest['person_id']}")
