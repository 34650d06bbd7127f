"""The access log for administrators and auditors: query, export (itself logged), and the
break-glass report."""

from __future__ import annotations

import csv

from django import forms
from django.db.models import F
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import generic

from haven.accounts.models import BreakGlassAccess
from haven.core.forms import GovukDateField, GovukForm
from haven.core.views.generic import CapabilityRequiredMixin

from .log import Action, record
from .models import AccessLog


class LogFilter(GovukForm):
    username = forms.CharField(label="Username", required=False)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any"), *AccessLog.Action.choices])
    person_id = forms.IntegerField(label="Person (record number)", required=False)
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def filter(self, qs):
        d = self.cleaned_data
        if d.get("username"):
            qs = qs.filter(username__iexact=d["username"])
        if d.get("action"):
            qs = qs.filter(action=d["action"])
        if d.get("person_id"):
            qs = qs.filter(person_id=d["person_id"])
        if d.get("date_from"):
            qs = qs.filter(at__date__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(at__date__lte=d["date_to"])
        return qs


def scoped_log(user):
    """Entries about the authorities the user serves, and entries about no authority (sign-ins)."""
    from django.db.models import Q

    ids = sorted(a.pk for a in user.authorities)
    return AccessLog.objects.filter(Q(authority_id__in=ids) | Q(authority_id__isnull=True))


def _filtered(request):
    form = LogFilter(request.GET or None)
    qs = scoped_log(request.user)
    if form.is_valid():
        qs = form.filter(qs)
    return form, qs


class LogList(CapabilityRequiredMixin, generic.ListView):
    capability = "audit.view"
    template_name = "audit/log.html"
    paginate_by = 100

    def get_queryset(self):
        self.form, qs = _filtered(self.request)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        return context


class Echo:
    def write(self, value):
        return value


class LogExport(CapabilityRequiredMixin, generic.View):
    capability = "audit.export"
    columns = ["at", "username", "action", "object_type", "object_id", "person_id", "authority_id",
               "summary", "reason", "ip_address", "path"]

    def get(self, request):
        form, qs = _filtered(request)
        record(request, Action.EXPORT, summary="Access log export",
               detail={k: str(v) for k, v in (form.cleaned_data.items() if form.is_valid() else []) if v})
        writer = csv.writer(Echo())

        def rows():
            yield writer.writerow(self.columns)
            for entry in qs.order_by("at", "id").iterator(chunk_size=2000):
                yield writer.writerow([getattr(entry, c) for c in self.columns])

        response = StreamingHttpResponse(rows(), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="haven-access-log.csv"'
        return response


class BreakGlassReport(CapabilityRequiredMixin, generic.ListView):
    """Every break-glass access to records of the authorities the user serves, unreviewed first."""

    capability = "audit.break_glass_report"
    template_name = "audit/break_glass.html"
    paginate_by = 100

    def get_queryset(self):
        ids = sorted(a.pk for a in self.request.user.authorities)
        return (BreakGlassAccess.objects.filter(person__authority_id__in=ids)
                .select_related("user", "person", "person__authority", "reviewed_by")
                .order_by(F("reviewed_at").asc(nulls_first=True), "-started_at"))


class BreakGlassReviewForm(GovukForm):
    note = forms.CharField(label="Review note", widget=forms.Textarea, required=False,
                           help_text="For example: justified, the child was at risk that night")


class BreakGlassReview(CapabilityRequiredMixin, generic.FormView):
    """A manager or auditor reviews a break-glass access: who, why, and whether it was justified."""

    capability = "audit.break_glass_review"
    template_name = "core/form.html"
    form_class = BreakGlassReviewForm
    url_models = {"pk": BreakGlassAccess}
    model = BreakGlassAccess

    def get_object(self):
        ids = sorted(a.pk for a in self.request.user.authorities)
        access = BreakGlassAccess.objects.filter(pk=self.kwargs["pk"], person__authority_id__in=ids).first()
        if access is None:
            raise Http404
        return access

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = self.get_object()
        context.update(title=f"Review break-glass access by {access.user}", submit_label="Mark as reviewed",
                       cancel_url="/audit/break-glass/")
        return context

    def form_valid(self, form):
        access = self.get_object()
        access.reviewed_by = self.request.user
        access.reviewed_at = timezone.now()
        access.review_note = form.cleaned_data["note"]
        access.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        record(self.request, Action.UPDATE, obj=access.person, summary=f"Reviewed break-glass by {access.user}",
               reason=form.cleaned_data["note"])
        return redirect("audit:break-glass")
