"""Performance dashboards, a page per KPI, and the drill-through to the children behind a number.

- **Dashboard** (``/performance/``): every KPI of the catalogue for a partnership, an authority, a
  team or a worker, for a period and an as-at date: the value (linking to the children behind
  it), the target and RAG against it, last month's value, England and statistical neighbours.
  Read from the store (``haven.kpis.store``): it says when the figures were computed and, when the
  record has changed since, that they are out of date and why; "Recompute now" does it at once.
- **KPI page** (``/performance/kpi/<id>/``): the definition and source, the 12-month trend (and
  five 31 Marches for annual measures), team by team (and worker by worker for a team), the
  comparators; every chart is Vega-Lite with its data table beside it.
- **Children** (``/performance/kpi/<id>/children/``): the KPI computed from the record now, the
  rows that count for the selection, each child with the fields that explain why they count
  (restricted records and children outside the user's access are listed without a name); CSV and
  XLSX exports (``kpis.export``). Every view and export is written to the access log.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.views import generic

from haven.audit.log import Action
from haven.core.models import in_batches
from haven.core.views.generic import CapabilityRequiredMixin, paginate

from . import attribution, charts, reference, store
from .catalogue import CATALOGUE, Scope, compute, load, tally, value_of
from .catalogue import groups as catalogue_groups
from .selection import choose

PAGE = 100


def _figures(selection, *states, kpis=None) -> list[dict]:
    """{kpi id: Figure} of each run (empty when not ready) for the selection (the unit's, or its
    team's or worker's), read together."""
    found = store.figures(states, kpis=kpis, team=selection.team_key, worker=selection.worker_key)
    return [found.get(s.run.pk, {}) if s is not None and s.ready else {} for s in states]


class SelectionMixin(CapabilityRequiredMixin):
    capability = "kpis.view"
    url_values = {"kpi": "cla_count"}   # for the URL permission walk

    def kpi_or_404(self):
        k = load().get(self.kwargs.get("kpi"))
        if k is None:
            raise Http404("No such KPI")
        return k


class Dashboard(SelectionMixin, generic.TemplateView):
    template_name = "kpis/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, selection = choose(self.request)
        context.update(form=form, selection=selection, title="Performance")
        if selection is None:
            return context
        unit = selection.unit
        points = store.trend(selection.kind, selection.as_of, months=1)   # last month, then now
        store.ask(unit, points)
        state = store.ensure(unit, selection.start, selection.end)
        states = store.states(unit, points)
        previous = states[points[0]] if len(points) > 1 else None
        now, before = _figures(selection, state, previous)
        targets = reference.targets_for(selection.unit.authority)   # a partnership: the defaults
        comparators = reference.benchmarks_for(list(CATALOGUE), selection.as_of.year)
        groups = []
        for group, kpis in catalogue_groups():
            rows = []
            for k in kpis:
                fig, prev, target = now.get(k.id), before.get(k.id), targets.get(k.id)
                value = fig.value if fig else None
                rows.append({
                    "kpi": k, "figure": fig, "previous": prev, "target": target,
                    "rag": reference.rag_for(k, value, target),
                    "direction": charts.direction(value, prev.value if prev else None, k.polarity),
                    "england": reference.latest(comparators.get(k.id, []), "england"),
                    "neighbours": reference.latest(comparators.get(k.id, []), "statistical_neighbours"),
                })
            groups.append((group, rows))
        context.update(state=state, previous=previous, groups=groups, query=selection.query())
        unit.audit(self.request, Action.VIEW,
                   summary=f"Performance dashboard: {selection.title}, {selection.period_label}")
        return context

    def post(self, request, *args, **kwargs):
        """Recompute now: the headline run of the selection, at once."""
        _form, selection = choose(request)
        if selection is None:
            return HttpResponse("Choose what to recompute.", status=400, content_type="text/plain")
        run = store.compute_run(selection.unit, selection.start, selection.end)
        messages.success(request, f"Figures recomputed in {run.seconds:.1f} seconds.")
        return HttpResponseRedirect(f"{request.path}?{selection.query()}")


class KpiDetail(SelectionMixin, generic.TemplateView):
    template_name = "kpis/kpi.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        k = self.kpi_or_404()
        form, selection = choose(self.request)
        context.update(form=form, selection=selection, kpi=k, title=k.name)
        if selection is None:
            return context
        unit = selection.unit
        target = reference.target_for(k.id, selection.unit.authority)   # a partnership: the default
        state = store.ensure(unit, selection.start, selection.end)
        trend_points = store.trend(selection.kind, selection.as_of)
        annual_points = store.annual(selection.as_of) if k.annual else []
        wanted = trend_points + [p for p in annual_points if p not in trend_points]
        store.ask(unit, wanted)
        states = store.states(unit, wanted)
        ready = [s.run for s in states.values() if s.ready]
        stored = store.stored_figures(ready, kpis=[k.id], teams=selection.team is not None or selection.worker is None,
                                      workers=selection.worker is not None or selection.team is not None)

        def point(p):
            s = states[p]
            f = stored.get(s.run.pk, {}).get(k.id) if s.ready else None
            return {"start": p[0], "end": p[1], "state": s,
                    "figure": store.figure(f, team=selection.team_key, worker=selection.worker_key) if f else None}

        trend = [point(p) for p in trend_points]
        annual = [point(p) for p in annual_points]
        headline = stored.get(state.run.pk, {}).get(k.id) if state.ready else None
        fig = store.figure(headline, team=selection.team_key, worker=selection.worker_key) if headline else None
        comparators = reference.benchmarks_for([k.id], selection.as_of.year).get(k.id, [])
        years = sorted(end.year for _start, end in annual_points)
        history = reference.history(k.id, years[0], years[-1]) if years else []
        context.update(
            state=state, figure=fig, target=target, query=selection.query(),
            rag=reference.rag_for(k, fig.value if fig else None, target),
            trend=trend, annual=annual, comparators=comparators, history=history,
            waiting=sum(1 for p in trend + annual if not p["state"].ready),
            trend_chart=charts.trend(k, trend, target, label="12-month trend"),
            annual_chart=charts.trend(k, annual, target, label="Five years to 31 March", benchmarks=history)
            if annual else None,
        )
        if headline is not None and selection.worker is None:
            if selection.team is None:
                context["breakdown"] = _breakdown(k, headline.by_team, "team", selection)
            else:
                members = _team_members(selection)
                context["breakdown"] = _breakdown(k, {w: v for w, v in headline.by_worker.items() if w in members},
                                                  "worker", selection)
            context["breakdown_chart"] = charts.bars(k, context["breakdown"], target)
        unit.audit(self.request, Action.VIEW,
                   summary=f"KPI {k.id}: {selection.title}, {selection.period_label}")
        return context


def _team_members(selection) -> set[str]:
    from haven.accounts.models import Membership

    if selection.team == "none":
        return set()
    return {str(pk) for pk in Membership.objects.filter(team=selection.team, active=True).values_list("user_id", flat=True)}


def _breakdown(k, parts: dict, by: str, selection) -> list[dict]:
    """Rows of a team-by-team (or worker-by-worker) comparison, best first by the KPI's polarity."""
    from haven.accounts.models import Team, User

    model = Team if by == "team" else User
    ids = [int(key) for key in parts if key != attribution.NONE]
    names = {str(o.pk): str(o.name if by == "team" else o) for o in model.objects.filter(pk__in=ids)}
    rows = []
    for key, (n, d) in parts.items():
        value = None if k.kind == "per_10k" else value_of(k.kind, n, d)
        label = names.get(key, "Not allocated" if key == attribution.NONE else f"{by} {key}")
        query = selection.query(**{by: key}) if by == "team" else selection.query(worker=key)
        rows.append({"key": key, "name": label, "numerator": n, "denominator": d, "value": value, "query": query})
    reverse = k.polarity != "lower"
    rows.sort(key=lambda r: (r["value"] is None, -(r["value"] or 0) if reverse else (r["value"] or 0), r["name"]))
    return rows


# --- drill-through -------------------------------------------------------------------------------

def live_rows(k, selection):
    """The KPI computed from the record now, for the selection: the rows that count for its team or
    worker (``haven.kpis.attribution``), the same rows the stored figure was made from."""
    result = compute(k, Scope(selection.unit.authorities, selection.start, selection.end))
    rows, found = result.rows, None
    if selection.team is not None or selection.worker is not None:
        found = attribution.holders(selection.unit.authority_ids, selection.start, selection.end, k.allocations)
        if selection.worker is not None:
            rows = [r for r in rows if attribution.key(attribution.place(r, found).worker_id) == selection.worker_key]
        else:
            rows = [r for r in rows if attribution.key(attribution.place(r, found).team_id) == selection.team_key]
    return result, rows, found


def people_for(user, ids):
    """{person id: (Person or None, may open)} for the children listed: a person outside the
    user's access is None; a restricted one they may not open is (person, False)."""
    from haven.people.models import Person

    ids = [i for i in ids if i is not None]
    found, openable = {}, set()
    for chunk in in_batches(ids):
        for p in Person.objects.visible_to(user, "discover").filter(pk__in=chunk):
            found[p.pk] = p
        openable.update(Person.objects.visible_to(user, "view").filter(pk__in=chunk).values_list("pk", flat=True))
    return {i: (found.get(i), i in openable) for i in ids}


def why_columns(rows) -> list[str]:
    columns = []
    for r in rows:
        for key in r.why:
            if key not in columns:
                columns.append(key)
    return columns


class Children(SelectionMixin, generic.TemplateView):
    template_name = "kpis/children.html"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx") and not request.user.has_capability("kpis.export"):
            return HttpResponse("You may not export these lists.", status=403, content_type="text/plain")
        if fmt in ("csv", "xlsx"):
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def chosen_rows(self):
        k = self.kpi_or_404()
        form, selection = choose(self.request)
        if selection is None:
            return k, form, None, None, None, [], [], None
        shown = self.request.GET.get("counted")
        result, every, holders = live_rows(k, selection)
        rows = [r for r in every if shown not in ("0", "1") or r.counted == (shown == "1")]
        return k, form, selection, shown, result, every, rows, holders

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        k, form, selection, shown, result, all_rows, rows, holders = self.chosen_rows()
        context.update(form=form, selection=selection, kpi=k, title=f"{k.name}: the children behind the figure")
        if selection is None:
            return context
        if selection.team is None and selection.worker is None:
            n, d, live_value = result.numerator, result.denominator, result.value
        else:   # a team's or worker's share of the rows (a rate per 10,000 has no population of its own)
            n, d = tally(k.kind, all_rows)
            live_value = value_of(k.kind, n, d)
        state = store.states(selection.unit, [(selection.start, selection.end)])[(selection.start, selection.end)]
        stored = _figures(selection, state, kpis=[k.id])[0].get(k.id)
        differs = stored is not None and (stored.numerator, stored.denominator) != (n, d)
        page = paginate(self.request, rows, PAGE)
        people = people_for(self.request.user, [r.person_id for r in page.object_list])
        holders = holders or attribution.holders(selection.unit.authority_ids, selection.start, selection.end,
                                                 k.allocations, people=[r.person_id for r in page.object_list])
        names = _holder_names(holders, page.object_list)
        columns = why_columns(page.object_list)
        listed = []
        for r in page.object_list:
            person, can_open = people.get(r.person_id, (None, False))
            h = attribution.place(r, holders)
            listed.append({"row": r, "person": person, "can_open": can_open, "why": [r.why.get(c) for c in columns],
                           "team": names.get(("team", h.team_id), "Not allocated"),
                           "worker": names.get(("worker", h.worker_id), "")})
        context.update(
            rows=listed, page_obj=page, columns=columns, total=len(all_rows), counted=n, denominator=d,
            value=live_value, stored=stored, differs=differs, state=state, shown=shown,
            query=selection.query(), counted_query=selection.query(counted="1"),
            uncounted_query=selection.query(counted="0"),
        )
        selection.unit.audit(self.request, Action.VIEW,
                             summary=f"KPI {k.id} children: {selection.title}, {selection.period_label} ({len(rows)} rows)",
                             kpi=k.id, people=[r.person_id for r in page.object_list if r.person_id])
        return context

    def export(self, fmt: str):
        k, _form, selection, _shown, _result, _every, rows, holders = self.chosen_rows()
        if selection is None:
            return HttpResponse("Choose what to export.", status=400, content_type="text/plain")
        people = people_for(self.request.user, [r.person_id for r in rows])
        holders = holders or attribution.holders(selection.unit.authority_ids, selection.start, selection.end,
                                                 k.allocations)
        names = _holder_names(holders, rows)
        columns = why_columns(rows)
        header = ["child ID", "name", "date of birth", "counted", "team", "worker", *columns]
        table = []
        xlsx = fmt == "xlsx"
        for r in rows:
            person, can_open = people.get(r.person_id, (None, False))
            h = attribution.place(r, holders)
            team, worker = names.get(("team", h.team_id), "Not allocated"), names.get(("worker", h.worker_id), "")
            if r.person_id is None:
                ident, masked = ["", r.label, ""], False
            else:
                ident, masked = child_identity(person, can_open, xlsx=xlsx)
            table.append([*ident, "yes" if r.counted else "no", team, worker,
                          *(("" if masked else export_cell(r.why.get(c), xlsx=xlsx)) for c in columns)])
        filename = f"{k.id}-{selection.unit.name.lower().replace(' ', '-')}-{selection.end:%Y%m%d}"
        selection.unit.audit(self.request, Action.EXPORT,
                             summary=f"KPI {k.id} children ({fmt}): {selection.title}, {selection.period_label} ({len(rows)} rows)",
                             kpi=k.id, people=[r.person_id for r in rows if r.person_id])
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(table)
            response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
            return response
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(k.id[:31])
        sheet.append([f"{k.name}: {selection.title}, {selection.period_label}"])
        sheet.append(header)
        for line in table:
            sheet.append(line)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response


def export_cell(value, *, xlsx: bool = False):
    """A field as a download says it: London times, yes/no, several values joined; in a CSV
    ISO dates and times as text, in a spreadsheet real dates and times."""
    if isinstance(value, (tuple, list)):
        return "; ".join(str(export_cell(v)) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None) if xlsx else local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value if xlsx else value.isoformat()
    if value is None:
        return ""
    return value if xlsx else str(value)


def child_identity(person, can_open: bool, *, xlsx: bool = False) -> tuple[list, bool]:
    """([child ID, name, date of birth], masked) for a download: a child outside the user's
    access or a restricted record they may not open is listed without who they are."""
    if person is None:
        return ["", "A child outside your access", ""], True
    if not can_open:
        return ["", "Restricted record", ""], True
    return [person.local_id, person.full_name, export_cell(person.date_of_birth, xlsx=xlsx)], False


def _holder_names(holders, rows) -> dict:
    """{("team", id): name, ("worker", id): name} for the rows listed (two queries)."""
    from haven.accounts.models import Team, User

    teams, workers = set(), set()
    for r in rows:
        h = attribution.place(r, holders)
        teams.add(h.team_id)
        workers.add(h.worker_id)
    out = {("team", t.pk): t.name for t in Team.objects.filter(pk__in=[t for t in teams if t])}
    out.update({("worker", u.pk): str(u) for u in User.objects.filter(pk__in=[w for w in workers if w])})
    return out
