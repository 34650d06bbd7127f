"""Returns pages: a performance analyst (or a manager, or an auditor) picks an authority they
serve and a collection year, sees the SSDA903 tables' row counts and every error by DfE rule,
child and link to the record, and downloads the files as a zip. The CIN census, Annex A and the
Standard Safeguarding Dataset follow (issue 5)."""

from __future__ import annotations

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
from haven.core.views.generic import CapabilityRequiredMixin

from . import ssda903


def _year_choices():
    this = timezone.localdate()
    last = this.year if this.month >= 4 else this.year - 1   # the latest collection year that has ended
    return [(y, f"April {y - 1} to March {y}") for y in range(last + 1, last - 5, -1)]


class ReturnForm(forms.Form):
    la = forms.ModelChoiceField(label="Local authority", queryset=LocalAuthority.objects.none(), empty_label=None)
    year = forms.TypedChoiceField(label="Collection year", coerce=int, choices=())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la"].queryset = LocalAuthority.objects.filter(pk__in=sorted(user.authority_wide_ids)).order_by("name")
        self.fields["year"].choices = _year_choices()
        self.fields["year"].initial = _year_choices()[1][0]


class ReturnMixin(CapabilityRequiredMixin):
    capability = "returns.view"

    def chosen(self):
        data = self.request.GET if "la" in self.request.GET else None
        form = ReturnForm(data, user=self.request.user)
        if data is None or not form.is_valid():
            return form, None
        return form, ssda903.build(form.cleaned_data["la"], form.cleaned_data["year"])


class ReturnsPage(ReturnMixin, generic.TemplateView):
    template_name = "returns/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, ret = self.chosen()
        context.update(form=form, ret=ret, title="Returns")
        if ret is not None:
            problems = ssda903.validate(ret)
            start, end = ssda903.year_bounds(ret.year)
            context.update(problems=problems, start=start, end=end,
                           counts=[(name, len(ret.tables.get(name, []))) for name in ssda903.TABLES],
                           rules_run=len(__import__("haven.looked_after.validation", fromlist=["RULES"]).RULES))
            record(self.request, Action.VIEW, authority_id=ret.authority.pk,
                   summary=f"SSDA903 {ret.authority.name} {ret.year}: {len(ret.people)} children, {len(problems)} errors")
        return context


class ReturnsDownload(ReturnMixin, generic.View):
    def get(self, request):
        form, ret = self.chosen()
        if ret is None and "la" not in request.GET:
            # No choice made: the first authority the user serves, the latest year that has ended.
            authority = form.fields["la"].queryset.first()
            if authority is not None:
                ret = ssda903.build(authority, form.fields["year"].initial)
        if ret is None:
            return HttpResponse("Choose an authority you serve and a collection year.", status=400,
                                content_type="text/plain")
        buffer = io.BytesIO()
        with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in ret.write(Path(tmp)):
                z.write(path, path.name)
        record(request, Action.EXPORT, authority_id=ret.authority.pk,
               summary=f"SSDA903 files {ret.authority.name} {ret.year} ({len(ret.people)} children)")
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="ssda903-{ret.authority.lea_code}-{ret.year}.zip"'
        return response
