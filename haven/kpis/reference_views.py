"""Targets and published comparators: the pages an analyst keeps the reference data with.

- ``Targets`` (``kpis.view``): every KPI of the catalogue by group, its direction, the default
  target and each served authority's own, with the amber tolerance;
- ``TargetEdit`` (``kpis.manage``): set or clear a KPI's default target and each served
  authority's (audited); a save from a page opened before someone else changed those targets
  is refused, the typed figures kept and what is saved now shown in each section;
- ``Benchmarks`` (``kpis.view``): the comparators by KPI; ``BenchmarkCsv`` downloads them in
  the loader's format (audited as an export); ``BenchmarkUpload`` (``kpis.manage``) loads a
  CSV: every bad row listed with its line in the error summary and nothing loaded, or the
  whole file loaded (audited).
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from haven.audit.log import Action, record
from haven.core.views.generic import CapabilityRequiredMixin

from . import reference
from .catalogue import groups as catalogue_groups
from .catalogue import load as load_catalogue
from .models import Benchmark, KpiTarget
from .reference_forms import BenchmarkUploadForm, TargetsForm


def _served(user) -> list:
    return sorted(user.authorities, key=lambda a: a.name)


def opened(current: dict) -> str:
    """A fingerprint of a KPI's targets as a page shows them ({authority id or None: target}):
    any save, clearing or new target changes it."""
    import hashlib

    parts = sorted(f"{a or 0}:{t.pk}:{t.set_at.isoformat()}" for a, t in current.items())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def _target_text(kpi, t) -> str:
    if t is None:
        return ""
    text = reference.figure(kpi, t.target)
    if t.amber_within:
        text += f" (amber within {reference.figure(kpi, t.amber_within)})"
    return text


class Targets(CapabilityRequiredMixin, generic.TemplateView):
    capability = "kpis.view"
    template_name = "kpis/targets.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        catalogue = load_catalogue()
        authorities = _served(self.request.user)
        held: dict[tuple, KpiTarget] = {}
        for t in KpiTarget.objects.filter(Q(authority__isnull=True) | Q(authority__in=authorities)):
            held[(t.kpi, t.authority_id)] = t
        groups = []
        for group, kpis in catalogue_groups(catalogue.values()):
            rows = []
            for k in kpis:
                default = held.get((k.id, None))
                own = [(a, held.get((k.id, a.pk))) for a in authorities]
                rows.append(dict(kpi=k, polarity=reference.POLARITY_LABELS.get(k.polarity, ""),
                                 default=default, default_text=_target_text(k, default),
                                 own=[(a, t, _target_text(k, t)) for a, t in own]))
            groups.append((group, rows))
        context.update(title="Targets", groups=groups, authorities=authorities,
                       can_manage=self.request.user.has_capability("kpis.manage"))
        return context


class TargetEdit(CapabilityRequiredMixin, generic.FormView):
    capability = "kpis.manage"
    url_values = {"kpi": "cla_count"}
    template_name = "kpis/target_form.html"
    form_class = TargetsForm

    def setup_targets(self):
        self.kpi = load_catalogue().get(self.kwargs["kpi"])
        if self.kpi is None:
            raise Http404("No KPI with that id")
        self.authorities = _served(self.request.user)
        self.current = self.targets_now()

    def targets_now(self, *, lock: bool = False) -> dict:
        found = KpiTarget.objects.select_related("set_by").filter(
            Q(authority__isnull=True) | Q(authority__in=self.authorities), kpi=self.kpi.id)
        if lock:
            found = found.select_for_update(of=("self",))
        return {t.authority_id: t for t in found}

    def get_initial(self):
        return {"opened": opened(self.current)}

    def get(self, request, *args, **kwargs):
        self.setup_targets()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_targets()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kpi": self.kpi, "authorities": self.authorities,
                "current": self.current}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        sections = [(heading, authority, existing, form[f"target_{key}"], form[f"amber_{key}"], form[f"note_{key}"],
                     _target_text(self.kpi, existing))
                    for key, heading, authority, existing in form.sections]
        context.update(title=f"Targets: {self.kpi.name}", kpi=self.kpi, sections=sections,
                       polarity=reference.POLARITY_LABELS.get(self.kpi.polarity, ""),
                       cancel_url=reverse("kpis:targets"))
        return context

    def form_valid(self, form):
        user = self.request.user
        now = timezone.now()
        said = []
        with transaction.atomic():
            now_saved = self.targets_now(lock=True)
            if form.cleaned_data.get("opened") and form.cleaned_data["opened"] != opened(now_saved):
                return self.stale(now_saved)
            for key, _heading, authority, existing in form.sections:
                wanted = form.targets.get(key)
                who = "every authority" if authority is None else authority.name
                if wanted is None:
                    if existing is not None:
                        existing.delete()
                        said.append(f"{who}: cleared (was {reference.figure(self.kpi, existing.target)})")
                    continue
                target, amber, note = wanted
                if existing is not None and (existing.target, existing.amber_within, existing.note) == (target, amber, note):
                    continue
                KpiTarget.objects.update_or_create(
                    kpi=self.kpi.id, authority=authority,
                    defaults=dict(target=target, amber_within=amber, note=note, set_by=user, set_at=now))
                said.append(f"{who}: {reference.figure(self.kpi, target)}, amber within "
                            f"{reference.figure(self.kpi, amber)}"
                            + (f" (was {reference.figure(self.kpi, existing.target)})" if existing else ""))
            if said:
                record(self.request, Action.UPDATE, summary=f"KPI targets {self.kpi.id}: " + "; ".join(said),
                       detail={"kpi": self.kpi.id, "changes": said})
        if said:
            messages.success(self.request, f"Targets for {self.kpi.name} saved")
        else:
            messages.info(self.request, f"No targets for {self.kpi.name} were changed")
        return redirect(f"{reverse('kpis:targets')}#kpi-{self.kpi.id}")

    def stale(self, now_saved: dict):
        """Someone changed these targets after the page was opened: nothing is saved; the page
        shows what is saved now in each section, keeps the figures typed, and carries what it
        now shows, so saving again keeps them (a deliberate choice, never a silent overwrite)."""
        self.current = now_saved
        data = self.request.POST.copy()
        data["opened"] = opened(now_saved)
        form = TargetsForm(data, kpi=self.kpi, authorities=self.authorities, current=now_saved)
        form.is_valid()
        form.add_error(None, f"The targets for {self.kpi.name} were changed after you opened this page. "
                             "Your changes have not been saved. Check the targets saved now, shown in each "
                             "section, then save again to keep your changes.")
        return self.render_to_response(self.get_context_data(form=form))


class Benchmarks(CapabilityRequiredMixin, generic.TemplateView):
    capability = "kpis.view"
    template_name = "kpis/benchmarks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        catalogue = load_catalogue()
        held: dict[str, list[Benchmark]] = {}
        total = 0
        for b in Benchmark.objects.order_by("kpi", "-year", "area", "area_name"):
            held.setdefault(b.kpi, []).append(b)
            total += 1
        groups = []
        for group, kpis in catalogue_groups(catalogue.values()):
            rows = [(k, [(b, reference.figure(k, b.value)) for b in held.pop(k.id)]) for k in kpis if k.id in held]
            if rows:
                groups.append((group, rows))
        orphans = sorted(held.items())   # comparators of KPI ids no longer in the catalogue
        context.update(title="Comparators", groups=groups, total=total, orphans=orphans,
                       can_manage=self.request.user.has_capability("kpis.manage"))
        return context


class BenchmarkUpload(CapabilityRequiredMixin, generic.FormView):
    capability = "kpis.manage"
    template_name = "kpis/benchmark_upload.html"
    form_class = BenchmarkUploadForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title="Upload comparators", columns=reference.BENCHMARK_COLUMNS,
                       areas=list(Benchmark.Area), cancel_url=reverse("kpis:benchmarks"))
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = reference.load_benchmarks(upload, actor=self.request.user, replace=form.cleaned_data["replace"])
        if not report.ok:
            for error in report.errors:
                form.add_error("file", str(error))
            return self.render_to_response(self.get_context_data(form=form, report=report))
        record(self.request, Action.UPDATE, summary=f"Comparators uploaded from {upload.name}: {report.summary()}",
               detail={"file": upload.name, "created": report.created, "updated": report.updated,
                       "unchanged": report.unchanged, "deleted": report.deleted,
                       "replace": form.cleaned_data["replace"]})
        messages.success(self.request, f"Comparators loaded from {upload.name}: {report.summary()}")
        return redirect("kpis:benchmarks")


class BenchmarkCsv(CapabilityRequiredMixin, generic.View):
    capability = "kpis.view"

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="comparators-{timezone.localdate():%Y-%m-%d}.csv"'
        reference.export_benchmarks(response)
        record(request, Action.EXPORT, summary="Comparators (CSV)",
               detail={"format": "csv", "comparators": Benchmark.objects.count()})
        return response
