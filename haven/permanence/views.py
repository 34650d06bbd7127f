"""Permanence pages: a child's permanence page (plan and its history, meetings, pre-proceedings,
care proceedings with the 26-week clock, adoption timeline, special guardianship), a form for
each record, and the adoption scorecard measures with the children behind them. Every change
goes through ``services`` (the API calls the same functions)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from haven.audit.log import Action, record
from haven.core.forms import GovukDateField, GovukForm
from haven.core.versioning import StaleEdit
from haven.core.views.generic import (
    CapabilityRequiredMixin,
    FormPageMixin,
    ParentMixin,
    RecordMixin,
    fetch_in_scope,
)
from haven.people.models import Person

from . import forms, measures, queries, services
from .models import AdoptionDecision, CareProceedings, PreProceedings


def child_url(person) -> str:
    return reverse("permanence:child", args=[person.pk])


class ChildPermanence(CapabilityRequiredMixin, generic.TemplateView):
    """/permanence/children/<person_pk>/: everything about the child's permanence."""

    capability = "permanence.view"
    template_name = "permanence/child.html"
    parent_model = Person
    parent_kwarg = "person_pk"

    def get(self, request, *args, **kwargs):
        person = fetch_in_scope(Person, request.user, kwargs["person_pk"])
        record(request, Action.VIEW, obj=person, summary=f"Permanence of {person.full_name}")
        user = request.user
        context = queries.summary(person, user)
        can_change = Person.objects.visible_to(user, "change").filter(pk=person.pk).exists()
        context.update(
            title=f"Permanence – {person.full_name}",
            can_record=user.has_capability("permanence.record") and can_change and person.kind == person.Kind.CHILD,
            can_decide=user.has_capability("permanence.decide"),
            period=queries.looked_after_now(person),
            today=timezone.localdate(),
        )
        return render(request, self.template_name, context)


class ChildFormView(FormPageMixin, ParentMixin, CapabilityRequiredMixin, generic.FormView):
    """A form about one child (/permanence/children/<person_pk>/…/add/) whose valid input goes to
    a service; the service's refusals are shown beside the fields."""

    capability = "permanence.record"
    parent_model = Person
    parent_kwarg = "person_pk"
    success_message = ""

    def get_cancel_url(self):
        return child_url(self.get_parent())

    def perform(self, person, data):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def form_valid(self, form):
        person = self.get_parent()
        try:
            self.perform(person, form.cleaned_data)
        except services.Refused as refused:
            forms.add_problems(form, refused.problems)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(child_url(person) + getattr(self, "anchor", ""))


class PlanCreate(ChildFormView):
    form_class = forms.PlanForm
    title = "Record the permanence plan"
    submit_label = "Save plan"
    success_message = "Permanence plan saved"
    anchor = "#plan"

    def get_initial(self):
        current = services.current_plan(self.get_parent())
        return {"plan": current.plan} if current else {}

    def perform(self, person, data):
        services.set_plan(actor=self.request.user, request=self.request, person=person, plan=data["plan"],
                          decided_on=data["decided_on"], reason=data["reason"])


class MeetingCreate(ChildFormView):
    form_class = forms.MeetingForm
    title = "Record a permanence planning meeting"
    submit_label = "Save meeting"
    success_message = "Permanence planning meeting recorded"
    anchor = "#meetings"

    def perform(self, person, data):
        services.record_meeting(actor=self.request.user, request=self.request, person=person, held_on=data["held_on"],
                                attendees=data.get("attendees", ""), decisions=data["decisions"],
                                next_meeting_on=data.get("next_meeting_on"))


class PreProceedingsCreate(ChildFormView):
    form_class = forms.PreProceedingsForm
    title = "Record pre-proceedings"
    submit_label = "Save pre-proceedings"
    success_message = "Pre-proceedings recorded"
    anchor = "#proceedings"

    def perform(self, person, data):
        services.record_pre_proceedings(actor=self.request.user, request=self.request, person=person,
                                        pla_meeting_on=data["pla_meeting_on"],
                                        letter_before_proceedings_on=data.get("letter_before_proceedings_on"),
                                        outcome=data["outcome"], ended_on=data.get("ended_on"))


class ProceedingsCreate(ChildFormView):
    form_class = forms.ProceedingsForm
    title = "Record care proceedings"
    submit_label = "Save proceedings"
    success_message = "Care proceedings recorded: the 26-week clock has started"
    anchor = "#proceedings"

    def pre_choices(self):
        return list(PreProceedings.objects.visible_to(self.request.user, "change").filter(person=self.get_parent()))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pre_choices": self.pre_choices()}

    def perform(self, person, data):
        pre = None
        if data.get("pre_proceedings"):
            pre = fetch_in_scope(PreProceedings, self.request.user, data["pre_proceedings"], "change")
        services.issue_proceedings(actor=self.request.user, request=self.request, person=person, court=data["court"],
                                   case_number=data.get("case_number", ""), application=data["application"],
                                   issued_on=data["issued_on"], pre_proceedings=pre,
                                   interim_order_on=data.get("interim_order_on"),
                                   interim_renewed_on=data.get("interim_renewed_on"),
                                   final_hearing_on=data.get("final_hearing_on"), concluded_on=data.get("concluded_on"),
                                   outcome=data.get("outcome") or "")


class AdoptionStepCreate(ChildFormView):
    form_class = forms.AdoptionStepForm
    title = "Record a step of the adoption journey"
    submit_label = "Save"
    success_message = "Adoption step recorded"
    anchor = "#adoption"
    template_name = "permanence/adoption_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "can_decide": self.request.user.has_capability("permanence.decide")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_parent()
        steps = list(AdoptionDecision.objects.visible_to(self.request.user).filter(person=person))
        context.update(steps=steps, stage=queries.adoption_stage(steps))
        return context

    def perform(self, person, data):
        services.record_adoption_step(actor=self.request.user, request=self.request, person=person, kind=data["kind"],
                                      decided_on=data["decided_on"], notes=data.get("notes", ""),
                                      reason_ceased=data.get("reason_ceased") or "")


class SGOCreate(ChildFormView):
    form_class = forms.SGOForm
    title = "Record a special guardianship order"
    submit_label = "Save order"
    success_message = "Special guardianship order recorded"
    anchor = "#sgo"

    def get_form_kwargs(self):
        choices = list(CareProceedings.objects.visible_to(self.request.user, "change").filter(person=self.get_parent()))
        return {**super().get_form_kwargs(), "proceedings_choices": choices}

    def perform(self, person, data):
        proceedings = None
        if data.get("proceedings"):
            proceedings = fetch_in_scope(CareProceedings, self.request.user, data["proceedings"], "change")
        services.record_sgo(actor=self.request.user, request=self.request, person=person, granted_on=data["granted_on"],
                            guardians=data["guardians"], relationship=data["relationship"],
                            support_plan=data.get("support_plan", ""), proceedings=proceedings)


# --- edits of pre-proceedings and proceedings ---------------------------------------------------

class RecordFormView(FormPageMixin, RecordMixin, generic.FormView):
    """A form about one existing record (/permanence/…/<pk>/…)."""

    capability = "permanence.record"
    action = "change"
    anchor = "#proceedings"
    success_message = ""

    def get_record(self):
        if not hasattr(self, "object"):
            self.object = self.get_object()
        return self.object

    def get_cancel_url(self):
        return child_url(self.get_record().person)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parent"] = self.get_record().person
        return context

    def form_valid(self, form):
        obj = self.get_record()
        try:
            self.perform(obj, form.cleaned_data)
        except services.Refused as refused:
            forms.add_problems(form, refused.problems)
            return self.form_invalid(form)
        except StaleEdit as stale:
            form.add_error(None, stale.message())
            data = form.data.copy()
            data["version"] = stale.obj.version
            form.data = data
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(child_url(obj.person) + self.anchor)


def _initial_of(obj, names) -> dict:
    return {n: getattr(obj, n) for n in names}


class PreProceedingsEdit(RecordFormView):
    model = PreProceedings
    form_class = forms.PreProceedingsForm
    title = "Update pre-proceedings"
    success_message = "Pre-proceedings updated"

    def get_initial(self):
        pre = self.get_record()
        return {**_initial_of(pre, ["letter_before_proceedings_on", "pla_meeting_on", "outcome", "ended_on"]),
                "version": pre.version}

    def perform(self, pre, data):
        services.update_pre_proceedings(actor=self.request.user, request=self.request, pre=pre,
                                        expected_version=data.get("version") or pre.version,
                                        pla_meeting_on=data["pla_meeting_on"], outcome=data["outcome"],
                                        ended_on=data.get("ended_on"),
                                        letter_before_proceedings_on=data.get("letter_before_proceedings_on"))


class ProceedingsEdit(RecordFormView):
    """Hearings, the conclusion and the outcome (concluding meets the 26-week clock)."""

    model = CareProceedings
    form_class = forms.ProceedingsForm
    title = "Update care proceedings"
    success_message = "Care proceedings updated"

    def get_initial(self):
        p = self.get_record()
        return {**_initial_of(p, services.PROCEEDINGS_FIELDS), "version": p.version}

    def perform(self, proceedings, data):
        fields = {f: data.get(f) for f in services.PROCEEDINGS_FIELDS}
        services.update_proceedings(actor=self.request.user, request=self.request, proceedings=proceedings,
                                    expected_version=data.get("version") or proceedings.version, **fields)


class ExtensionCreate(RecordFormView):
    """The court extended the 26 weeks (up to 8 weeks at a time)."""

    model = CareProceedings
    form_class = forms.ExtensionForm
    title = "Record an extension granted by the court"
    submit_label = "Save extension"
    success_message = "Extension recorded: the 26-week clock now runs to the new date"
    template_name = "permanence/extension_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["clock"] = queries.deadline_status(services.clock(self.get_record()))
        context["proceedings"] = self.get_record()
        return context

    def perform(self, proceedings, data):
        services.record_extension(actor=self.request.user, request=self.request, proceedings=proceedings,
                                  extended_to=data["extended_to"], reason=data["reason"])


# --- adoption measures ------------------------------------------------------------------------

class RangeForm(GovukForm):
    start = GovukDateField(label="From", required=False)
    end = GovukDateField(label="To", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the range must be on or after its start")
        return data


def measures_authorities(user) -> list:
    """Authorities whose adoption measures ``user`` may see: managers (``permanence.decide``)
    and readers with an authority-wide role, for the authorities they see wholly."""
    from haven.accounts.models import LocalAuthority

    if not (user.has_capability("permanence.decide") or user.has_capability("permanence.view")):
        return []
    # A partner who sees only allocated children has no authority-wide scope: no measures.
    return list(LocalAuthority.objects.filter(pk__in=sorted(user.authority_wide_ids)).order_by("name"))


class AdoptionMeasures(CapabilityRequiredMixin, generic.TemplateView):
    """/permanence/adoption-measures/: A1, A2 and A10 for an authority over a range (3 years to
    the last 31 March by default), with the children behind each (drill-through)."""

    capability = "permanence.view"
    template_name = "permanence/measures.html"

    def get(self, request, *args, **kwargs):
        user = request.user
        authorities = measures_authorities(user)
        if not authorities:
            raise PermissionDenied("Adoption measures are for managers and authority-wide readers")
        chosen = authorities[0]
        wanted = request.GET.get("authority")
        if wanted:
            chosen = next((a for a in authorities if str(a.pk) == wanted), None)
            if chosen is None:
                raise Http404("No such authority")
        start, end = measures.default_range()
        form = RangeForm(request.GET if ("start_0" in request.GET or "end_0" in request.GET) else None,
                         initial={"start": start, "end": end})
        if form.is_bound and form.is_valid():
            start = form.cleaned_data.get("start") or start
            end = form.cleaned_data.get("end") or end
        results = measures.scorecard(chosen, start, end)
        visible = set(Person.objects.visible_to(user).filter(
            pk__in=[r.person.pk for m in results for r in m.rows] + [p.pk for m in results for p, _ in m.excluded])
            .values_list("pk", flat=True))
        record(request, Action.VIEW, authority_id=chosen.pk,
               summary=f"Adoption measures for {chosen.name}, {start:%d/%m/%Y} to {end:%d/%m/%Y}")
        return render(request, self.template_name, {
            "title": "Adoption measures", "authorities": authorities, "authority": chosen, "start": start, "end": end,
            "form": form, "measures": results, "visible": visible, "form_errors": bool(form.is_bound and form.errors),
        })

