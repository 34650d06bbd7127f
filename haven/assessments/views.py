"""Referral (CIN episode) and single assessment pages. Declarations over the kernel's generic
views; every change goes through ``services`` (the API calls the same functions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.utils import timezone
from django.views import generic

from haven.core.calendar import working_days_between
from haven.core.versioning import StaleEdit
from haven.core.views.generic import (
    CapabilityRequiredMixin,
    FormPageMixin,
    ParentMixin,
    RecordDetailView,
    RecordMixin,
)
from haven.people.models import Person

from . import census, services
from .forms import (
    AssessmentForm,
    AuthoriseForm,
    ClosureForm,
    DecisionForm,
    ExemptionForm,
    ReferralForm,
)
from .models import Assessment, CINEpisode


def add_problems(form, problems) -> None:
    for p in problems:
        form.add_error(p.field if p.field in form.fields and p.field != "version" else None, p.message)


class ServiceFormMixin(FormPageMixin):
    """``form_valid`` hands the cleaned data to ``perform`` (a service call). A refusal comes back
    as GOV.UK field errors with nothing saved; a stale edit keeps the user's input and says who
    changed the record."""

    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            obj = self.perform(form)
        except services.Refused as refused:
            add_problems(form, refused.problems)
            return self.form_invalid(form)
        except StaleEdit as stale:
            when = f" at {timezone.localtime(stale.changed_at):%H:%M on %d/%m/%Y}" if stale.changed_at else ""
            form.add_error(None, f"{stale.changed_by or 'Another user'} changed this record{when}, after you opened it. "
                                 "Your changes have not been saved. Check the record, then save again to keep your changes.")
            data = form.data.copy()
            data["version"] = stale.obj.version
            form.data = data
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.success_url_for(obj))

    def success_url_for(self, obj) -> str:
        return obj.get_absolute_url()


class ServiceCreateView(ServiceFormMixin, ParentMixin, CapabilityRequiredMixin, generic.FormView):
    """A record created under a parent (fetched in ``change`` scope: outside it, 404)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("object", None)
        return context


class ServiceUpdateView(ServiceFormMixin, RecordMixin, generic.FormView):
    """A change to one record (fetched in ``change`` scope), with its version."""

    action = "change"

    def get_record(self):
        if not hasattr(self, "object"):
            self.object = self.get_object()
        return self.object

    def get_initial(self):
        return {**self.initial_for(self.get_record()), "version": self.get_record().version}

    def initial_for(self, obj) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_record()
        return context

    def expected_version(self, form) -> int:
        return form.cleaned_data.get("version") or self.get_record().version


# --- referrals --------------------------------------------------------------------------------

class EpisodeCreate(ServiceCreateView):
    parent_model = Person
    parent_kwarg = "person_pk"
    capability = "assessments.record"
    form_class = ReferralForm
    template_name = "assessments/referral_form.html"
    title = "Record a referral"
    submit_label = "Save referral"
    success_message = "Referral recorded"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        del form.fields["version"]
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_episodes"] = CINEpisode.objects.visible_to(self.request.user).filter(
            person=self.get_parent(), closure_date__isnull=True, referral_nfa=False)
        return context

    def perform(self, form):
        return services.open_episode(actor=self.request.user, person=self.get_parent(), request=self.request,
                                     **form.cleaned_data)


def deadline_rows(deadlines) -> list[dict]:
    """What the episode page says about each clock: read from ``Deadline``, never recomputed."""
    today = timezone.localdate()
    rows = []
    for d in deadlines:
        due = timezone.localtime(d.due_at).date()
        row = {"deadline": d, "label": d.label, "due": due, "rule": d.rule, "exemptible": bool(d.rule_obj and d.rule_obj.exemptible),
               "extended": d.exemption_reason.startswith("Extended:"), "reason": d.exemption_reason}
        if d.met_at is not None:
            met = timezone.localtime(d.met_at).date()
            row.update(status=f"Met on {census.fmt(met)}" if d.met_in_time else f"Met late, on {census.fmt(met)}",
                       colour="green" if d.met_in_time else "orange", open=False)
        elif d.exempt:
            row.update(status="Clock stopped", colour="grey", open=False)
        elif d.is_overdue:
            late = working_days_between(due, today)
            row.update(status=f"Overdue by {late} working day{'s' if late != 1 else ''}", colour="red", open=True)
        else:
            left = working_days_between(today, due)
            row.update(status="Due today" if due == today else f"{left} working day{'s' if left != 1 else ''} left",
                       colour="blue", open=True)
        rows.append(row)
    return rows


class EpisodeDetail(RecordDetailView):
    model = CINEpisode
    capability = "assessments.view"
    template_name = "assessments/episode_detail.html"
    context_object_name = "episode"

    def get_context_data(self, **kwargs):
        from haven.work.models import Deadline, TimescaleExemption

        context = super().get_context_data(**kwargs)
        episode, user = self.object, self.request.user
        ct = ContentType.objects.get_for_model(CINEpisode)
        deadlines = Deadline.objects.visible_to(user).filter(content_type=ct, object_id=episode.pk).order_by("due_at", "rule")
        context.update(
            person=episode.person,
            assessments=Assessment.objects.visible_to(user).filter(episode=episode).prefetch_related("factors")
            .select_related("authorised_by"),
            deadlines=deadline_rows(deadlines),
            exemptions=TimescaleExemption.objects.visible_to(user).filter(content_type=ct, object_id=episode.pk)
            .select_related("decided_by").order_by("-created_at"),
            problems=services.episode_problems(episode),
            contact=self._contact(episode),
            contact_url=self._contact_url(),
        )
        context["can_add_assessment"] = (episode.is_open and not episode.referral_nfa
                                         and not any(a.authorised_date is None for a in context["assessments"]))
        return context

    def _contact(self, episode):
        if not episode.contact_id:
            return None
        from haven.front_door.models import Contact

        self._visible_contact = Contact.objects.visible_to(self.request.user).filter(pk=episode.contact_id).first()
        return self._visible_contact

    def _contact_url(self) -> str:
        from django.urls import NoReverseMatch

        contact = getattr(self, "_visible_contact", None)
        try:
            return contact.get_absolute_url() if contact else ""
        except NoReverseMatch:  # the front door's pages are not there yet
            return ""


class EpisodeEdit(ServiceUpdateView):
    model = CINEpisode
    capability = "assessments.record"
    form_class = ReferralForm
    template_name = "assessments/referral_form.html"
    title = "Change the referral"
    success_message = "Referral changed"

    def initial_for(self, obj):
        return {"referral_date": obj.referral_date, "source": obj.source, "primary_need": obj.primary_need}

    def perform(self, form):
        data = {k: form.cleaned_data[k] for k in ("referral_date", "source", "primary_need")}
        return services.update_referral(actor=self.request.user, episode=self.get_record(),
                                        expected_version=self.expected_version(form), request=self.request, **data)


class EpisodeDecision(ServiceUpdateView):
    model = CINEpisode
    capability = "assessments.record"
    form_class = DecisionForm
    template_name = "assessments/decision_form.html"
    title = "Decision on the referral"
    submit_label = "Save decision"
    success_message = "Decision recorded"

    def initial_for(self, obj):
        initial = {"decision_date": obj.decision_date}
        if obj.decision_date:
            initial["decision"] = DecisionForm.NFA if obj.referral_nfa else DecisionForm.FURTHER
        return initial

    def perform(self, form):
        return services.record_decision(actor=self.request.user, episode=self.get_record(),
                                        expected_version=self.expected_version(form),
                                        decision_date=form.cleaned_data["decision_date"],
                                        nfa=form.cleaned_data["decision"] == DecisionForm.NFA, request=self.request)


class EpisodeClose(ServiceUpdateView):
    model = CINEpisode
    capability = "assessments.close"
    form_class = ClosureForm
    template_name = "assessments/closure_form.html"
    submit_label = "Close the referral"
    success_message = "Referral closed"

    def get_title(self):
        return "Change the closure" if self.get_record().closure_date else "Close the referral"

    def initial_for(self, obj):
        return {"closure_date": obj.closure_date, "closure_reason": obj.closure_reason,
                "stepped_down_to_early_help": obj.stepped_down_to_early_help}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_plans"] = [p for p in services.episode_facts(self.get_record()).activities
                                 if p.kind in ("cp_plan", "cin_plan") and p.end is None]
        return context

    def perform(self, form):
        data = form.cleaned_data
        return services.close_episode(actor=self.request.user, episode=self.get_record(),
                                      expected_version=self.expected_version(form), closure_date=data["closure_date"],
                                      closure_reason=data["closure_reason"],
                                      stepped_down_to_early_help=data["stepped_down_to_early_help"], request=self.request)


class ExemptionCreate(ServiceUpdateView):
    """A manager stops the assessment clock or extends it (``timescales.exempt``)."""

    model = CINEpisode
    capability = "timescales.exempt"
    form_class = ExemptionForm
    template_name = "assessments/exemption_form.html"
    title = "Stop the clock or extend the deadline"
    submit_label = "Save decision"
    success_message = "Timescale decision recorded"

    def get_initial(self):
        return {}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rules"] = services.exemptible_rules(self.get_record())
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rules = services.exemptible_rules(self.get_record())
        context["clocks"] = [(r, services.open_deadline(self.get_record(), r.code)) for r in rules]
        return context

    def perform(self, form):
        data = form.cleaned_data
        services.record_exemption(actor=self.request.user, episode=self.get_record(), rule=data["rule"],
                                  kind=data["kind"], reason=data["reason"], extended_to=data.get("extended_to"),
                                  request=self.request)
        return self.get_record()


# --- single assessments -----------------------------------------------------------------------

class AssessmentCreate(ServiceCreateView):
    parent_model = CINEpisode
    parent_kwarg = "episode_pk"
    capability = "assessments.record"
    form_class = AssessmentForm
    template_name = "assessments/assessment_form.html"
    title = "Start a single assessment"
    submit_label = "Save assessment"
    success_message = "Single assessment started"

    def get_initial(self):
        return {"start_date": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["episode"] = self.get_parent()
        return context

    def perform(self, form):
        return services.create_assessment(actor=self.request.user, episode=self.get_parent(), request=self.request,
                                          **form.cleaned_data)


class AssessmentDetail(RecordDetailView):
    model = Assessment
    capability = "assessments.view"
    template_name = "assessments/assessment_detail.html"
    context_object_name = "assessment"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        a = self.object
        context.update(episode=a.episode, person=a.person, factors=sorted(a.factors.all(), key=lambda f: f.code))
        return context


class AssessmentEdit(ServiceUpdateView):
    model = Assessment
    capability = "assessments.record"
    form_class = AssessmentForm
    template_name = "assessments/assessment_form.html"
    title = "Update the single assessment"
    success_message = "Assessment saved"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "editing": True}

    def initial_for(self, obj):
        values = {k: getattr(obj, k) for k in services.ASSESSMENT_FIELDS}
        values["factors"] = [f.code for f in obj.factors.all()]
        return values

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["episode"] = self.get_record().episode
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("version", None)
        factors = data.pop("factors")
        return services.update_assessment(actor=self.request.user, assessment=self.get_record(),
                                          expected_version=self.expected_version(form), factors=factors,
                                          request=self.request, **data)


class AssessmentAuthorise(ServiceUpdateView):
    model = Assessment
    capability = "assessments.authorise"
    form_class = AuthoriseForm
    template_name = "assessments/authorise_form.html"
    title = "Authorise the single assessment"
    submit_label = "Authorise"
    success_message = "Assessment authorised"

    def initial_for(self, obj):
        return {"authorised_date": obj.authorised_date or timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        a = self.get_record()
        context.update(assessment=a, factors=sorted(a.factors.all(), key=lambda f: f.code))
        return context

    def perform(self, form):
        return services.authorise_assessment(actor=self.request.user, assessment=self.get_record(),
                                             expected_version=self.expected_version(form),
                                             authorised_date=form.cleaned_data["authorised_date"], request=self.request)

