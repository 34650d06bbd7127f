"""Returns: a performance analyst (or a manager, or an auditor) picks an authority they serve, a
collection year and a return (the CIN census or the SSDA903), and sees its validation state:
the errors and queries by DfE rule code and message, per child, each linking to the record, and
which rules ran (and which did not, and why). They download the files: the CIN census XML, the
SSDA903 tables (zip), Ofsted Annex A for the same year (xlsx), the Standard Safeguarding Dataset
(zip), and every finding as CSV. Every build is audited (view), every download too (export).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.http import HttpResponse
from django.utils import timezone
from django.views import generic

from haven.accounts.models import LocalAuthority
from haven.audit.log import Action, record
from haven.core.calendar import collection_year
from haven.core.views.generic import CapabilityRequiredMixin

from . import crosscheck, ssda903

RETURNS = {"cin": "CIN census", "ssda903": "SSDA903 (children looked after)"}
SHOWN = 500   # findings listed on the page; the CSV has them all


def _year_choices():
    this = timezone.localdate()
    last = collection_year(this) - 1   # the latest collection year that has ended
    return [(y, f"April {y - 1} to March {y}") for y in range(last + 1, last - 5, -1)]


class ReturnForm(forms.Form):
    la = forms.ModelChoiceField(label="Local authority", queryset=LocalAuthority.objects.none(), empty_label=None)
    year = forms.TypedChoiceField(label="Collection year", coerce=int, choices=())
    kind = forms.ChoiceField(label="Return", choices=list(RETURNS.items()), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].queryset = LocalAuthority.objects.filter(pk__in=sorted(user.authority_wide_ids)).order_by("name")
        self.fields["year"].choices = _year_choices()
        self.fields["year"].initial = _year_choices()[1][0]
        self.fields["kind"].initial = "cin"


class ReturnMixin(CapabilityRequiredMixin):
    capability = "returns.view"

    def chosen(self, *, default: bool = False):
        """(form, authority, year, kind): the user's choice, or with ``default`` the first
        authority they serve and the latest year that has ended; authority None when the choice
        is not one they may make."""
        data = self.request.GET if "la" in self.request.GET else None
        form = ReturnForm(data, user=self.request.user)
        if data is None:
            authority = form.fields["la"].queryset.first() if default else None
            return form, authority, form.fields["year"].initial, "cin"
        if not form.is_valid():
            return form, None, None, None
        return form, form.cleaned_data["la"], form.cleaned_data["year"], form.cleaned_data["kind"] or "cin"

    def refused(self):
        return HttpResponse("Choose an authority you serve and a collection year.", status=400, content_type="text/plain")


def _report(authority, year: int, kind: str):
    """(what was built, its validation report) for one return."""
    if kind == "cin":
        from . import cin_census

        census = cin_census.build(authority, year)
        return census, cin_census.validate(census)
    ret = ssda903.build(authority, year, with_previous=True)
    return ret, ssda903.validate(ret)


class ReturnsPage(ReturnMixin, generic.TemplateView):
    template_name = "returns/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, authority, year, kind = self.chosen()
        context.update(form=form, title="Returns", kind=kind)
        if authority is None:
            return context
        built, report = _report(authority, year, kind)
        start, end = ssda903.year_bounds(year)
        rules = sorted(report.ran, key=lambda r: (r.code.isdigit() is False, r.code.zfill(6)))
        by_rule = report.by_rule()
        context.update(
            authority=authority, year=year, start=start, end=end, report=report, return_name=RETURNS[kind],
            findings=report.findings[:SHOWN], more=max(0, len(report.findings) - SHOWN),
            rule_summary=[(r, len(by_rule.get(r.code, ()))) for r in rules if r.code in by_rule],
            rules_ran=rules, not_run=sorted(report.not_run.items()),
            query=f"la={authority.pk}&year={year}&kind={kind}",
        )
        database = crosscheck.from_database(authority, year)
        with tempfile.TemporaryDirectory() as tmp:
            if kind == "cin":
                from . import cin_census

                files = crosscheck.from_cin_xml(cin_census.write_xml(built, Path(tmp) / "cin.xml"), year)
                context.update(children=len(built.children), episodes=sum(len(c.cin_details) for c in built.children))
            else:
                built.write(Path(tmp))
                files = crosscheck.from_ssda903_files(Path(tmp), year)
                context.update(children=len(built.people),
                               counts=[(name, len(built.tables.get(name, []))) for name in ssda903.TABLES])
        context["crosscheck"] = [(crosscheck.FIGURES[key], value, database[key], value == database[key])
                                 for key, value in files.items()]
        record(self.request, Action.VIEW, authority_id=authority.pk,
               summary=f"{RETURNS[kind]} {authority.name} {year}: {context['children']} children, "
                       f"{len(report.errors)} errors, {len(report.queries)} queries")
        return context


class FindingsCsv(ReturnMixin, generic.View):
    """Every error and query of one return, as CSV (for the analyst's own tracking)."""

    def get(self, request):
        _form, authority, year, kind = self.chosen(default=True)
        if authority is None:
            return self.refused()
        _built, report = _report(authority, year, kind)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["rule", "severity", "message", "child", "item", "detail", "record"])
        for f in report.findings:
            writer.writerow([f.code, f.severity, f.message, f.child, f.field, f.detail,
                             request.build_absolute_uri(f.url) if f.url else ""])
        record(request, Action.EXPORT, authority_id=authority.pk,
               summary=f"{RETURNS[kind]} findings {authority.name} {year} ({len(report.findings)} rows)")
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{kind}-findings-{authority.lea_code}-{year}.csv"'
        return response


class Ssda903Zip(ReturnMixin, generic.View):
    def get(self, request):
        _form, authority, year, _kind = self.chosen(default=True)
        if authority is None:
            return self.refused()
        ret = ssda903.build(authority, year)
        buffer = io.BytesIO()
        with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in ret.write(Path(tmp)):
                z.write(path, path.name)
        record(request, Action.EXPORT, authority_id=authority.pk,
               summary=f"SSDA903 files {authority.name} {year} ({len(ret.people)} children)")
        return _attachment(buffer.getvalue(), "application/zip", f"ssda903-{authority.lea_code}-{year}.zip")


class CinCensusXml(ReturnMixin, generic.View):
    def get(self, request):
        _form, authority, year, _kind = self.chosen(default=True)
        if authority is None:
            return self.refused()
        from . import cin_census

        census = cin_census.build(authority, year)
        with tempfile.TemporaryDirectory() as tmp:
            path = cin_census.write_xml(census, Path(tmp) / "cin.xml")
            content = Path(path).read_bytes()
        record(request, Action.EXPORT, authority_id=authority.pk,
               summary=f"CIN census file {authority.name} {year} ({len(census.children)} children)")
        return _attachment(content, "application/xml", f"cin-census-{authority.lea_code}-{year}.xml")


class AnnexAXlsx(ReturnMixin, generic.View):
    """Ofsted Annex A for the collection year (1 April to 31 March)."""

    def get(self, request):
        _form, authority, year, _kind = self.chosen(default=True)
        if authority is None:
            return self.refused()
        from . import annex_a

        start, end = ssda903.year_bounds(year)
        annex = annex_a.build(authority, start, end)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "annex-a.xlsx"
            annex.write_xlsx(path)
            content = path.read_bytes()
        rows = sum(len(rows) for _columns, rows in annex.lists.values())
        record(request, Action.EXPORT, authority_id=authority.pk,
               summary=f"Ofsted Annex A {authority.name} {start:%d/%m/%Y} to {end:%d/%m/%Y} ({rows} rows)")
        return _attachment(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           f"annex-a-{authority.lea_code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


class SsdZip(ReturnMixin, generic.View):
    """The Standard Safeguarding Dataset tables (the record as it stands today)."""

    def get(self, request):
        _form, authority, _year, _kind = self.chosen(default=True)
        if authority is None:
            return self.refused()
        from . import ssd

        buffer = io.BytesIO()
        with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            written = ssd.export(authority, Path(tmp))
            for _table, _n, path in written:
                z.write(path, Path(path).name)
        record(request, Action.EXPORT, authority_id=authority.pk,
               summary=f"Standard Safeguarding Dataset {authority.name} ({sum(n for _t, n, _p in written)} rows)")
        return _attachment(buffer.getvalue(), "application/zip", f"ssd-{authority.lea_code}-{dt.date.today():%Y%m%d}.zip")


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
