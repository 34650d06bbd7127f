"""Hotspots (``/performance/hotspots/``): the children at highest concern across an authority or a
partnership the user serves, for the senior managers' weekly meeting (``haven.kpis.hotspots`` says
what each list is). Team managers, performance analysts and child protection chairs/IROs
(``kpis.hotspots``).

- The summary counts the children on each list, and those on more than one (listed first: they
  are the highest concern). Each list shows its worst ``ROWS`` children; ``?concern=<code>`` shows
  one list in full.
- Children whose record the user may not open (a restricted record without a grant) are listed,
  and counted, as "Restricted record", with nothing that says why (as the KPI drill-through).
- ``?format=csv``: every list in full (or the one chosen), for ``kpis.export`` only.
- Every view and export is written to the access log with the children shown or exported.
"""

from __future__ import annotations

import csv
import io

from django import forms
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.views import generic

from haven.audit.log import Action
from haven.core.forms import GovukForm
from haven.core.models import in_batches
from haven.core.views.generic import CapabilityRequiredMixin

from . import hotspots
from .selection import allowed_units, unit_key
from .templatetags.kpis import why_value
from .views import child_identity, export_cell, people_for

ROWS = 50            # children shown per list on the page (the counts are always complete)
MORE_THAN_ONE = "multiple"


class HotspotsForm(GovukForm):
    unit = forms.ChoiceField(label="Authority or partnership")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit_key(u), u.name) for u in units]
        self.fields["unit"].error_messages["invalid_choice"] = "Select an authority or partnership you serve"
        self.fields["unit"].error_messages["required"] = "Select an authority or partnership you serve"


def choose_unit(request):
    """(form, the unit chosen or None): the first the user may choose unless they chose another."""
    units = allowed_units(request.user)
    data = request.GET if "unit" in request.GET else None
    if not units:
        form = HotspotsForm({}, units=units)
        form.fields["unit"].required = False
        form.is_valid()
        form.add_error(None, "You do not serve any authority, so there are no hotspots to show")
        return form, None
    form = HotspotsForm(data, units=units, initial={"unit": unit_key(units[0])})
    if data is None:
        return form, units[0]
    if not form.is_valid():
        return form, None
    by_key = {unit_key(u): u for u in units}
    return form, by_key[form.cleaned_data["unit"]]


def _text(value) -> str:
    """A field as the page says it: dates, times, yes/no; several values joined."""
    if isinstance(value, (tuple, list)):
        return "; ".join(str(why_value(v)) for v in value)
    return "" if value is None else str(why_value(value))


def _social_workers(ids) -> dict[int, str]:
    """{person id: their current social worker(s)} for the children listed."""
    from haven.people.models import Allocation

    found: dict[int, set[str]] = {}
    for chunk in in_batches(sorted(ids)):
        for pid, first, last, username in (
                Allocation.objects.current().filter(person_id__in=chunk, role=Allocation.Role.SOCIAL_WORKER,
                                                    worker__isnull=False)
                .values_list("person_id", "worker__first_name", "worker__last_name", "worker__username")):
            found.setdefault(pid, set()).add(" ".join(p for p in (first, last) if p) or username)
    return {pid: ", ".join(sorted(names)) for pid, names in found.items()}


class Hotspots(CapabilityRequiredMixin, generic.TemplateView):
    capability = "kpis.hotspots"
    template_name = "kpis/hotspots.html"

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "")
        if fmt not in ("", "csv"):
            raise Http404("No such format")
        if fmt == "csv":
            if not request.user.has_capability("kpis.export"):
                return HttpResponse("You may not export these lists.", status=403, content_type="text/plain")
            return self.export()
        return super().get(request, *args, **kwargs)

    def chosen_concern(self) -> str | None:
        concern = self.request.GET.get("concern") or None
        if concern is not None and concern not in hotspots.CONCERNS and concern != MORE_THAN_ONE:
            raise Http404("No such concern")
        return concern

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        concern = self.chosen_concern()
        form, unit = choose_unit(self.request)
        today = timezone.localdate()
        context.update(form=form, unit=unit, today=today, title="Hotspots", concern=concern)
        if unit is None:
            return context
        sections = hotspots.hotspots(unit.authorities, today)
        many = hotspots.in_more_than_one(sections)
        limit = None if concern else ROWS
        shown_sections = [s for s in sections if concern in (None, s.code)]
        shown_many = many if concern in (None, MORE_THAN_ONE) else []
        ids = {r.person_id for s in shown_sections for r in s.rows[:limit]}
        ids |= {pid for pid, _ in shown_many[:limit]}
        people = people_for(self.request.user, sorted(ids))
        workers = _social_workers(ids)
        can = self.request.user.capabilities

        def child(pid):
            person, can_open = people.get(pid, (None, False))
            return {"id": pid, "person": person, "can_open": can_open and person is not None,
                    "worker": workers.get(pid, "")}

        lists = []
        for s in shown_sections if concern != MORE_THAN_ONE else []:
            rows = []
            for r in s.rows[:limit]:
                c = child(r.person_id)
                action = r.action if r.action and c["can_open"] and r.action[2] in can else None
                rows.append({**c, "why": [_text(r.why.get(col)) for col in s.concern.columns], "action": action})
            lists.append({"section": s, "rows": rows, "more": s.count - len(rows)})
        query = f"unit={unit_key(unit)}"
        context.update(
            query=query, sections=sections, lists=lists, many_count=len(many),
            many=[{**child(pid), "concerns": [s.concern for s in secs]} for pid, secs in shown_many[:limit]],
            many_more=len(shown_many) - len(shown_many[:limit]) if concern in (None, MORE_THAN_ONE) else 0,
            show_many=concern in (None, MORE_THAN_ONE),
        )
        counts = {s.code: s.count for s in sections}
        unit.audit(self.request, Action.VIEW,
                   summary=f"Hotspots: {unit.name}, as at {today:%d/%m/%Y}"
                       + (f" ({concern})" if concern else ""),
                   people=sorted(ids), counts=counts, more_than_one=len(many))
        return context

    def export(self):
        concern = self.chosen_concern()
        _form, unit = choose_unit(self.request)
        if unit is None:
            raise Http404("Choose an authority or partnership you serve")
        today = timezone.localdate()
        sections = hotspots.hotspots(unit.authorities, today)
        named = dict(hotspots.in_more_than_one(sections))
        chosen = [s for s in sections if concern in (None, s.code)]
        if concern == MORE_THAN_ONE:
            chosen = [s for s in sections if any(r.person_id in named for r in s.rows)]
        columns = []
        for s in chosen:
            for col in s.concern.columns:
                if col not in columns:
                    columns.append(col)
        rows = [(s, place, r) for s in chosen for place, r in enumerate(s.rows, start=1)
                if concern != MORE_THAN_ONE or r.person_id in named]
        ids = sorted({r.person_id for _s, _place, r in rows})
        people = people_for(self.request.user, ids)
        workers = _social_workers(ids)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["concern", "place in the list", "child ID", "name", "date of birth", "lists naming the child",
                         "social worker", *columns])
        for s, place, r in rows:
            ident, masked = child_identity(*people.get(r.person_id, (None, False)))
            writer.writerow([s.concern.title, place, *ident, len(named.get(r.person_id, [s])),
                             "" if masked else workers.get(r.person_id, ""),
                             *("" if masked else export_cell(r.why.get(c)) for c in columns)])
        unit.audit(self.request, Action.EXPORT,
                   summary=f"Hotspots (csv): {unit.name}, as at {today:%d/%m/%Y} ({len(rows)} rows)"
                       + (f" ({concern})" if concern else ""),
                   people=ids, counts={s.code: s.count for s in sections})
        name = slugify(unit.name)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (f'attachment; filename="hotspots-{name}-{today:%Y%m%d}'
                                           f'{"-" + concern if concern else ""}.csv"')
        return response
