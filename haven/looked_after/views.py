"""Pages of children looked after: start a period of care (from the child's record), the period
(SSDA903 episode table, placements, legal status history), change placement, change legal
status, end the period, correct an episode; and placement providers. Every change goes
through ``services``; SSDA903 warnings are shown and must be acknowledged before saving."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from haven.audit.log import Action, record
from haven.core.views.generic import (
    CapabilityRequiredMixin,
    FormPageMixin,
    ParentMixin,
    RecordDetailView,
    fetch_in_scope,
)
from haven.people.models import Person

from . import postcodes, queries, services, validation
from .forms import (
    ChangePlacementForm,
    EndPeriodForm,
    EpisodeCorrectForm,
    LegalStatusForm,
    ProviderForm,
    StartPeriodForm,
)
from .models import Episode, PeriodOfCare, Provider


class ServiceFormView(FormPageMixin, CapabilityRequiredMixin, generic.FormView):
    """A form whose answers go to a service; refusals become field errors, SSDA903 warnings the
    acknowledgement box."""

    template_name = "looked_after/form.html"
    capability = "looked_after.record"
    success_message = ""

    def perform(self, form, data):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.perform(form, form.cleaned_data)
        except services.Unacknowledged as exc:
            form.show_warnings(exc.findings)
            return self.form_invalid(form)
        except services.Refused as exc:
            for field, message in exc.errors:
                form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(result.get_absolute_url())


def _placement_args(data) -> dict:
    return {k: data.get(k) or ("" if k != "provider" else None) for k in
            ("place", "provider_code", "provider", "carer", "address", "postcode")} | {
        "temporary_approval": bool(data.get("temporary_approval"))}


class PeriodStart(ParentMixin, ServiceFormView):
    parent_model = Person
    parent_kwarg = "person_pk"
    form_class = StartPeriodForm
    title = "Start a period of care"
    submit_label = "Start the period of care"
    success_message = "Period of care started"

    def get_initial(self):
        return {"home_postcode": queries.home_postcode(self.get_parent())}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_parent()
        context["current"] = PeriodOfCare.objects.filter(person=person, end_date__isnull=True).first()
        return context

    def perform(self, form, data):
        return services.start_period(
            self.get_parent(), start_date=data["start_date"], legal_status=data["legal_status"],
            category_of_need=data["category_of_need"], uasc=bool(data.get("uasc")),
            home_postcode=data.get("home_postcode", ""), user=self.request.user,
            acknowledge_warnings=form.acknowledged(), request=self.request, **_placement_args(data))


class PeriodMixin:
    """A form about one period of care (``pk``), fetched in ``change`` scope."""

    model = PeriodOfCare

    def get(self, request, *args, **kwargs):
        self.get_period()  # scope first: 404 outside it
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_period()
        return super().post(request, *args, **kwargs)

    def get_period(self):
        if not hasattr(self, "_period"):
            self._period = fetch_in_scope(PeriodOfCare, self.request.user, self.kwargs["pk"], "change")
        return self._period

    def get_parent(self):
        return self.get_period().person

    def get_cancel_url(self):
        return self.get_period().get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.get_period()
        context.update(parent=period.person, period=period, current=services.current_episode(period))
        return context


class PlacementChange(PeriodMixin, ServiceFormView):
    form_class = ChangePlacementForm
    title = "Change placement"
    submit_label = "Save the move"
    success_message = "Placement changed"

    def perform(self, form, data):
        episode = services.change_placement(
            self.get_period(), date=data["date"], reason_for_change=data.get("reason_for_change", ""),
            legal_status=data.get("legal_status") or None, same_carer=bool(data.get("same_carer")),
            user=self.request.user, acknowledge_warnings=form.acknowledged(), request=self.request,
            **_placement_args(data))
        return episode.period


class LegalStatusChange(PeriodMixin, ServiceFormView):
    form_class = LegalStatusForm
    title = "Change legal status"
    submit_label = "Save the legal status"
    success_message = "Legal status changed"

    def perform(self, form, data):
        episode = services.change_legal_status(self.get_period(), date=data["date"], legal_status=data["legal_status"],
                                               user=self.request.user, acknowledge_warnings=form.acknowledged(),
                                               request=self.request)
        return episode.period


class PeriodEnd(PeriodMixin, ServiceFormView):
    form_class = EndPeriodForm
    title = "End the period of care"
    submit_label = "End the period of care"
    success_message = "Period of care ended"

    def perform(self, form, data):
        return services.end_period(self.get_period(), date=data["date"], reason=data["reason"],
                                   user=self.request.user, acknowledge_warnings=form.acknowledged(),
                                   request=self.request)


class EpisodeCorrect(ServiceFormView):
    """Correct a recorded episode: a versioned edit, checked against the SSDA903 rules."""

    model = Episode
    form_class = EpisodeCorrectForm
    title = "Correct an episode"
    submit_label = "Save the correction"
    success_message = "Episode corrected"

    def get_episode(self):
        if not hasattr(self, "_episode"):
            self._episode = fetch_in_scope(Episode, self.request.user, self.kwargs["pk"], "change")
        return self._episode

    def get(self, request, *args, **kwargs):
        self.get_episode()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_episode()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.get_episode()}

    def get_cancel_url(self):
        return self.get_episode().get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parent"] = self.get_episode().person
        return context

    def perform(self, form, data):
        from haven.core.versioning import StaleEdit

        episode = self.get_episode()
        changes = {f: data.get(f) if data.get(f) is not None else ("" if f in ("end_reason",) else None)
                   for f in services.CORRECTABLE}
        changes["end_reason"] = data.get("end_reason") or ""
        try:
            services.correct_episode(episode, expected_version=data.get("version") or episode.version,
                                     user=self.request.user, acknowledge_warnings=form.acknowledged(),
                                     request=self.request, **changes)
        except StaleEdit as stale:
            raise services.Refused([(None, f"{stale.changed_by or 'Another user'} changed this episode after you "
                                           "opened it. Your changes have not been saved: check it, then save again")]) from None
        return episode.period


class PeriodDetail(RecordDetailView):
    model = PeriodOfCare
    capability = "looked_after.view"
    template_name = "looked_after/period_detail.html"
    context_object_name = "period"

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        period = self.object
        episodes = list(Episode.objects.visible_to(user).filter(period=period).select_related("placement")
                        .order_by("start_date", "pk"))
        placements = list(period.placements.all().select_related("provider").order_by("start_date", "pk"))
        for p in placements:
            p.note = "" if p.distance_miles is not None else postcodes.place(
                home_postcode=period.home_postcode, placement_postcode=p.postcode,
                authority_ons_code=period.person.authority.ons_code, uasc=period.uasc).note
        findings = validation.check_person(period.person)
        ids = {e.pk for e in episodes}
        from haven.plans.models import Plan

        # A child protection or child in need plan still open after the child came into care:
        # the plan usually ends (reason "became looked after"); say so where the worker is.
        open_plans = [] if period.end_date else list(
            Plan.objects.visible_to(user).filter(person=period.person, end_date__isnull=True,
                                                 start_date__lte=period.start_date))
        context.update(open_plans=open_plans)
        context.update(
            person=period.person, episodes=episodes, placements=placements,
            legal_statuses=queries.legal_status_history(episodes), current=episodes[-1] if episodes else None,
            findings=[f for f in findings if f.episode_id in ids], today=timezone.localdate(),
            can_record=(user.has_capability("looked_after.record")
                        and PeriodOfCare.objects.visible_to(user, "change").filter(pk=period.pk).exists()),
        )
        return context


# --- providers --------------------------------------------------------------------------------

class ProviderList(CapabilityRequiredMixin, generic.ListView):
    capability = "looked_after.view"
    model = Provider
    template_name = "looked_after/provider_list.html"
    context_object_name = "providers"
    paginate_by = 100

    def get_queryset(self):
        qs = Provider.objects.all()
        q = (self.request.GET.get("q") or "").strip()
        if q:
            qs = qs.filter(name__icontains=q) | qs.filter(urn__iexact=q)
        return qs.order_by("-active", "name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"q": self.request.GET.get("q", ""),
                                                     "can_record": self.request.user.has_capability("looked_after.record")}


class ProviderCreate(FormPageMixin, CapabilityRequiredMixin, generic.CreateView):
    capability = "looked_after.record"
    model = Provider
    form_class = ProviderForm
    title = "Add a provider"

    def get_cancel_url(self):
        return reverse("looked_after:provider-list")

    def form_valid(self, form):
        provider = form.save(commit=False)
        provider.authority = getattr(self.request.user, "home_authority", None)
        provider.save()
        record(self.request, Action.CREATE, summary=f"Provider added: {provider}", detail={"provider": provider.pk})
        messages.success(self.request, "Provider added")
        return redirect("looked_after:provider-list")


class ProviderEdit(FormPageMixin, CapabilityRequiredMixin, generic.UpdateView):
    capability = "looked_after.record"
    model = Provider
    form_class = ProviderForm
    pk_url_kwarg = "provider_pk"
    url_models = {"provider_pk": Provider}

    def get_title(self):
        return f"Change {self.object.name}"

    def get_cancel_url(self):
        return reverse("looked_after:provider-list")

    def form_valid(self, form):
        provider = form.save()
        record(self.request, Action.UPDATE, summary=f"Provider changed: {provider}",
               detail={"provider": provider.pk, "changed": form.changed_data})
        messages.success(self.request, "Provider saved")
        return redirect("looked_after:provider-list")
