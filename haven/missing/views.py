"""Missing and exploitation pages (GOV.UK, no JavaScript): a child's missing and exploitation
page, a missing episode (start, return, correction), return home interviews, exploitation risk
assessments, panel decisions with tracked actions, and the most frequently missing children
(with a CSV export). Every view names its capability; scope is applied before a record is
fetched; reads and changes are audited. Episodes and interviews are written by ``services``."""

from __future__ import annotations

import csv

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import generic

from haven.audit.log import Action, record
from haven.core.forms import GovukDateField, GovukForm
from haven.core.versioning import StaleEdit
from haven.core.views.generic import (
    CapabilityRequiredMixin,
    FormPageMixin,
    ParentMixin,
    RecordCreateView,
    RecordDetailView,
    RecordMixin,
    RecordUpdateView,
)
from haven.people.models import Person

from . import queries, services
from .codes import Indicator, PullFactor, PushFactor, Referral, labels
from .forms import (
    EpisodeForm,
    InterviewForm,
    PanelActionForm,
    PanelDecisionForm,
    ReturnForm,
    RiskAssessmentForm,
)
from .models import (
    ExploitationRiskAssessment,
    MissingEpisode,
    PanelAction,
    PanelDecision,
    ReturnInterview,
)


def _can_change(user, obj) -> bool:
    return type(obj).objects.visible_to(user, "change").filter(pk=obj.pk).exists()


# --- a child's page ---------------------------------------------------------------------------

class ChildMissing(ParentMixin, CapabilityRequiredMixin, generic.TemplateView):
    """Every missing episode of a child (with the return home interview clock), their risk
    assessments and the panels' decisions."""

    capability = "missing.view"
    parent_model = Person
    parent_kwarg = "person_pk"
    parent_action = "view"
    template_name = "missing/child.html"

    def get(self, request, *args, **kwargs):
        person = self.get_parent()
        record(request, Action.VIEW, obj=person, summary=f"Missing and exploitation: {person.full_name}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.get_parent(), self.request.user
        context.update(queries.child_summary(person, user))
        context.update(_abilities(user, person))
        return context


def _abilities(user, person) -> dict:
    can_change = Person.objects.visible_to(user, "change").filter(pk=person.pk).exists()
    return {"can_record": can_change and user.has_capability("missing.record"),
            "can_assess": can_change and user.has_capability("exploitation.record"),
            "can_panel": can_change and user.has_capability("exploitation.panel")}


# --- missing episodes -------------------------------------------------------------------------

class ServiceFormView(FormPageMixin, generic.FormView):
    """A form page whose save goes through a service (refusals become field errors)."""

    def run(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            obj = self.run(form)
        except services.Refused as refused:
            form.apply_problems(refused.problems)
            return self.form_invalid(form)
        except StaleEdit as stale:
            form.add_error(None, stale.message())
            data = form.data.copy()
            data["version"] = stale.obj.version
            form.data = data
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.success_url_for(obj))

    def success_url_for(self, obj) -> str:
        return obj.get_absolute_url()


class EpisodeCreate(ParentMixin, CapabilityRequiredMixin, ServiceFormView):
    capability = "missing.record"
    parent_model = Person
    parent_kwarg = "person_pk"
    form_class = EpisodeForm
    title = "Record a missing episode"
    submit_label = "Save the episode"
    success_message = "Missing episode recorded. Record the return when the child is back"

    def get_initial(self):
        now = timezone.localtime()
        return {"kind": "M", "risk_level": "medium", "started_at_date": now.date(), "started_at_time": f"{now:%H:%M}"}

    def run(self, form):
        return services.start_episode(actor=self.request.user, person=self.get_parent(), data=form.to_input(),
                                      request=self.request)


class EpisodeDetail(RecordDetailView):
    model = MissingEpisode
    capability = "missing.view"
    template_name = "missing/episode_detail.html"
    context_object_name = "episode"

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        e, user = self.object, self.request.user
        context["person"] = e.person
        context["clock"] = queries.rhi_status(e, queries.rhi_deadlines([e]).get(e.pk))
        interviews = []
        for rhi in ReturnInterview.objects.visible_to(user).filter(episode=e):
            interviews.append({"rhi": rhi, "push": labels(PushFactor, rhi.push_factors),
                               "pull": labels(PullFactor, rhi.pull_factors),
                               "referrals": labels(Referral, rhi.referrals),
                               "warnings": services.interview_warnings(e, _as_input(rhi))})
        context["interviews"] = interviews
        context["can_record"] = user.has_capability("missing.record") and _can_change(user, e)
        return context


def _as_input(rhi: ReturnInterview) -> services.InterviewIn:
    return services.InterviewIn(outcome=rhi.outcome, offered_at=rhi.offered_at, independent=rhi.independent)


class EpisodeFormView(RecordMixin, ServiceFormView):
    model = MissingEpisode
    capability = "missing.record"
    action = "change"

    @property
    def object(self):
        if not hasattr(self, "_object"):
            self._object = self.get_object()
        return self._object

    def get(self, request, *args, **kwargs):
        self.object  # noqa: B018 - fetch in scope first (404 / 403)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parent"] = self.object.person
        return context


class EpisodeEdit(EpisodeFormView):
    form_class = EpisodeForm
    title = "Correct how the episode started"
    success_message = "Episode saved"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["episode"] = self.object
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False,
                                                    initial=self.object.version)
        return form

    def run(self, form):
        return services.update_episode(actor=self.request.user, episode=self.object, data=form.to_input(),
                                       expected_version=form.cleaned_data.get("version") or self.object.version,
                                       request=self.request)


class EpisodeReturn(EpisodeFormView):
    form_class = ReturnForm
    template_name = "missing/return_form.html"
    submit_label = "Save the return"
    success_message = "Return saved. Offer a return home interview within 72 hours"

    def get_title(self):
        return "Correct the return" if self.object.ended_at else "Record the return"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["episode"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["episode"] = self.object
        return context

    def run(self, form):
        return services.record_return(actor=self.request.user, episode=self.object, returned=form.to_input(),
                                      expected_version=form.cleaned_data.get("version") or self.object.version,
                                      request=self.request)


# --- return home interviews -------------------------------------------------------------------

class InterviewCreate(ParentMixin, CapabilityRequiredMixin, ServiceFormView):
    capability = "missing.record"
    parent_model = MissingEpisode
    parent_kwarg = "pk"
    form_class = InterviewForm
    template_name = "missing/interview_form.html"
    title = "Record a return home interview"
    submit_label = "Save the interview"
    success_message = "Return home interview saved"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        episode = self.get_parent()
        context.update(episode=episode, parent=episode.person,
                       clock=queries.rhi_status(episode, queries.rhi_deadlines([episode]).get(episode.pk)))
        return context

    def run(self, form):
        return services.record_interview(actor=self.request.user, episode=self.get_parent(), data=form.to_input(),
                                         request=self.request)


class InterviewEdit(RecordMixin, ServiceFormView):
    model = ReturnInterview
    capability = "missing.record"
    action = "change"
    form_class = InterviewForm
    template_name = "missing/interview_form.html"
    title = "Change the return home interview"
    success_message = "Return home interview saved"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self._rhi = None

    @property
    def rhi(self):
        if self._rhi is None:
            self._rhi = self.get_object()
        return self._rhi

    def get(self, request, *args, **kwargs):
        self.rhi  # noqa: B018 - scope first
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.rhi  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rhi"] = self.rhi
        return kwargs

    def get_cancel_url(self):
        return self.rhi.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        episode = self.rhi.episode
        context.update(episode=episode, parent=episode.person,
                       clock=queries.rhi_status(episode, queries.rhi_deadlines([episode]).get(episode.pk)))
        return context

    def run(self, form):
        return services.update_interview(actor=self.request.user, rhi=self.rhi, data=form.to_input(),
                                         expected_version=form.cleaned_data.get("version") or self.rhi.version,
                                         request=self.request)


# --- exploitation risk assessments --------------------------------------------------------------

class RiskCreate(RecordCreateView):
    form_class = RiskAssessmentForm
    capability = "exploitation.record"
    parent_model = Person
    parent_field = "person"
    parent_kwarg = "person_pk"
    title = "Record an exploitation risk assessment"
    success_message = "Risk assessment saved"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["person"] = self.get_parent()
        return kwargs

    def get_initial(self):
        return {"assessed_on": timezone.localdate(), "assessed_by": self.request.user.get_full_name()}

    def get_success_url(self):
        return self.object.get_absolute_url()


class RiskDetail(RecordDetailView):
    model = ExploitationRiskAssessment
    capability = "missing.view"
    template_name = "missing/risk_detail.html"
    context_object_name = "assessment"

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["person"] = self.object.person
        context["indicators"] = labels(Indicator, self.object.indicators)
        context["can_edit"] = user.has_capability("exploitation.record") and _can_change(user, self.object)
        return context


class RiskEdit(RecordUpdateView):
    model = ExploitationRiskAssessment
    form_class = RiskAssessmentForm
    capability = "exploitation.record"
    title = "Change the risk assessment"
    success_message = "Risk assessment saved"


# --- panel decisions --------------------------------------------------------------------------

class PanelCreate(RecordCreateView):
    form_class = PanelDecisionForm
    capability = "exploitation.panel"
    parent_model = Person
    parent_field = "person"
    parent_kwarg = "person_pk"
    title = "Record a panel decision"
    success_message = "Panel decision saved. Add the actions the panel agreed"

    def get_success_url(self):
        return self.object.get_absolute_url()


class PanelDetail(RecordDetailView):
    model = PanelDecision
    capability = "missing.view"
    template_name = "missing/panel_detail.html"
    context_object_name = "decision"

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["person"] = self.object.person
        context["actions"] = list(PanelAction.objects.visible_to(user).filter(decision=self.object))
        can_change = _can_change(user, self.object)
        context["can_edit"] = user.has_capability("exploitation.panel") and can_change
        context["can_update_actions"] = user.has_capability("exploitation.record") and can_change
        return context


class PanelEdit(RecordUpdateView):
    model = PanelDecision
    form_class = PanelDecisionForm
    capability = "exploitation.panel"
    title = "Change the panel decision"
    success_message = "Panel decision saved"


class PanelActionCreate(RecordCreateView):
    form_class = PanelActionForm
    capability = "exploitation.panel"
    parent_model = PanelDecision
    parent_field = "decision"
    parent_kwarg = "pk"
    title = "Add an action the panel agreed"
    success_message = "Action added"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["decision"] = self.get_parent()
        return kwargs

    def get_success_url(self):
        return self.get_parent().get_absolute_url()


class PanelActionEdit(RecordUpdateView):
    model = PanelAction
    form_class = PanelActionForm
    capability = "exploitation.record"
    title = "Update the action"
    success_message = "Action saved"

    def get_success_url(self):
        return self.object.decision.get_absolute_url()


# --- the most frequently missing children -----------------------------------------------------

class FrequentFilter(GovukForm):
    authority = forms.ChoiceField(label="Local authority", required=False)
    source = forms.ChoiceField(label="Missing from", required=False,
                               choices=[("", "Care or home"), ("care", "Care"), ("home", "Home")])
    start = GovukDateField(label="From", required=False)
    end = GovukDateField(label="To", required=False)

    def __init__(self, *args, authorities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.authorities = {str(a.pk): a for a in authorities}
        self.fields["authority"].choices = [("", "Every authority I serve (the partnership)")] + [
            (str(a.pk), a.name) for a in authorities]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "To must be on or after From")
        return data

    def params(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"authority": self.authorities.get(d.get("authority") or ""), "source": d.get("source") or "",
                "start": d.get("start"), "end": d.get("end")}


def frequent_report(request):
    form = FrequentFilter(request.GET or None, authorities=queries.served_authorities(request.user))
    params = form.params()
    return form, params, queries.frequent(request.user, **params)


class FrequentReport(CapabilityRequiredMixin, generic.TemplateView):
    """Children with the most missing episodes, per authority or across the partnership, with
    hours missing, return home interviews offered, taken up and in time, and their push and pull
    factors counted across the list."""

    capability = "missing.report"
    template_name = "missing/frequent.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, params, report = frequent_report(self.request)
        record(self.request, Action.SEARCH, summary="Most frequently missing children",
               detail={k: str(v) for k, v in params.items() if v})
        context.update(form=form, report=report, query=self.request.GET.urlencode())
        return context


EXPORT_COLUMNS = ["child_id", "name", "date_of_birth", "authority", "episodes", "from_care", "still_missing",
                  "hours_missing", "returned", "rhi_offered", "rhi_offered_pct", "rhi_taken_up", "rhi_taken_up_pct",
                  "rhi_offered_within_72h", "latest_push_factors", "latest_pull_factors"]


class FrequentExport(CapabilityRequiredMixin, generic.View):
    capability = "missing.report"

    def get(self, request, *args, **kwargs):
        form, params, report = frequent_report(request)
        record(request, Action.EXPORT, summary="Most frequently missing children (CSV)",
               detail={"format": "csv", "children": len(report.rows),
                       **{k: str(v) for k, v in params.items() if v}})
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="frequently-missing-{timezone.localdate():%Y-%m-%d}.csv"'
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(EXPORT_COLUMNS)
        for r in report.rows:
            p = r.person
            writer.writerow([p.local_id, p.full_name,
                             p.date_of_birth.isoformat() if p.date_of_birth else "", p.authority.name, r.episodes,
                             r.from_care, r.open, f"{r.hours:.1f}", r.returned, r.offered,
                             "" if r.offered_pct is None else r.offered_pct, r.taken_up,
                             "" if r.taken_up_pct is None else r.taken_up_pct, r.in_time,
                             "; ".join(r.push), "; ".join(r.pull)])
        writer.writerow([])
        writer.writerow(["factor_type", "factor", "children_latest_interview", "all_interviews"])
        for kind, latest, every in (("push", report.push_latest, report.push_all),
                                    ("pull", report.pull_latest, report.pull_all)):
            everything = dict(every)
            for label, n in latest:
                writer.writerow([kind, label, n, everything.get(label, 0)])
            for label, n in every:
                if label not in dict(latest):
                    writer.writerow([kind, label, 0, n])
        return response

