"""Care leaver pages: the young person's leaving care page (category with its reasons and
confirm/override, personal adviser, pathway plan and clocks, contacts, accommodation, activity,
custody, staying put, health), forms for each, the pathway plan, the team list (filters and an
audited CSV export) and the managers' custody contact list. Declarations over
``haven.core.views.generic``; rules in ``checks``; use-cases in ``services``."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views import generic

from haven.audit.log import Action, record
from haven.core.versioning import StaleEdit, save_versioned
from haven.core.views.generic import (
    CapabilityRequiredMixin,
    FormPageMixin,
    ParentMixin,
    RecordDetailView,
    RecordUpdateView,
    fetch_in_scope,
)
from haven.people.models import Person

from . import queries, services
from .eligibility import eligibility_for
from .forms import (
    AccommodationForm,
    ActionForm,
    ActivityForm,
    AdviserForm,
    ContactForm,
    CustodyForm,
    EndPlanForm,
    HealthForm,
    PathwayPlanForm,
    ReviewForm,
    StatusForm,
    StayingPutForm,
    TeamFilterForm,
)
from .models import (
    Accommodation,
    Activity,
    Custody,
    LeaverContact,
    LeaverHealth,
    LeaverStatus,
    PathwayPlan,
    PathwayPlanAction,
    PathwayPlanReview,
    StayingPut,
)


def apply_errors(form, error: services.LeaverError) -> None:
    for field, message in error.errors:
        form.add_error(field if field in form.fields else None, message)


def can_change(user, obj) -> bool:
    return type(obj).objects.visible_to(user, "change").filter(pk=obj.pk).exists()


class LeaverPage(CapabilityRequiredMixin, generic.TemplateView):
    """/care-leavers/children/<person_pk>/: everything about one young person's leaving care."""

    capability = "care_leavers.view"
    template_name = "care_leavers/leaver.html"
    url_models = {"person_pk": Person}

    def get(self, request, *args, **kwargs):
        self.person = fetch_in_scope(Person, request.user, kwargs["person_pk"])
        record(request, Action.VIEW, obj=self.person, summary=f"Leaving care: {self.person.full_name}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, person = self.request.user, self.person
        leaver = queries.leaver_for(person, user)
        context.update(
            person=person, leaver=leaver, today=timezone.localdate(),
            contacts=list(LeaverContact.objects.visible_to(user).filter(person=person).select_related("by")[:20]),
            accommodation=list(Accommodation.objects.visible_to(user).filter(person=person)),
            activities=list(Activity.objects.visible_to(user).filter(person=person)),
            custody=list(Custody.objects.visible_to(user).filter(person=person)),
            staying_put=list(StayingPut.objects.visible_to(user).filter(person=person)),
            plans=list(PathwayPlan.objects.visible_to(user).filter(person=person)),
            can_record=user.has_capability("care_leavers.record") and can_change(user, person),
            can_allocate=user.has_capability("people.allocate") and user.has_capability("care_leavers.record")
            and can_change(user, person),
        )
        return context


class PersonFormView(FormPageMixin, ParentMixin, CapabilityRequiredMixin, generic.FormView):
    """A form about a young person (/care-leavers/children/<person_pk>/…): the instance is
    built by the model form and saved by ``services.save_record`` (checks, scope, audit)."""

    capability = "care_leavers.record"
    parent_model = Person
    parent_kwarg = "person_pk"
    success_message = "Saved"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["person"] = self.get_parent()
        return kwargs

    def get_success_url(self):
        return queries_url(self.get_parent())

    def get_cancel_url(self):
        return queries_url(self.get_parent())

    def before_save(self, obj) -> None:
        pass

    def form_valid(self, form):
        obj = form.save(commit=False)
        self.before_save(obj)
        try:
            services.save_record(actor=self.request.user, obj=obj, request=self.request)
        except services.LeaverError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


def queries_url(person) -> str:
    from django.urls import reverse

    return reverse("care_leavers:leaver", args=[person.pk])


class ContactCreate(PersonFormView):
    form_class = ContactForm
    title = "Record a contact"
    success_message = "Contact recorded"

    def before_save(self, obj) -> None:
        obj.by = self.request.user


class AccommodationCreate(PersonFormView):
    form_class = AccommodationForm
    title = "Record accommodation"
    success_message = "Accommodation recorded"


class ActivityCreate(PersonFormView):
    form_class = ActivityForm
    title = "Record an activity"
    success_message = "Activity recorded"


class CustodyCreate(PersonFormView):
    form_class = CustodyForm
    title = "Record a spell in custody"
    success_message = "Custody recorded"


class StayingPutCreate(PersonFormView):
    form_class = StayingPutForm
    title = "Record a staying put arrangement"
    success_message = "Staying put recorded"


class HealthEdit(PersonFormView):
    """The leaver's health facts: one record per young person, created on first save."""

    form_class = HealthForm
    title = "Final health assessment and health history"
    success_message = "Health saved"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        existing = LeaverHealth.objects.visible_to(self.request.user, "change").filter(person=self.get_parent()).first()
        if existing is not None:
            kwargs["instance"] = existing
        return kwargs

    def form_valid(self, form):
        obj = form.instance
        if obj.pk is None:
            return super().form_valid(form)
        expected = form.cleaned_data.get("version") or obj.version
        try:
            save_versioned(form.save(commit=False), expected_version=expected, actor=self.request.user)
        except StaleEdit:
            form.add_error(None, "Someone changed this record after you opened it. Check it, then save again")
            return self.form_invalid(form)
        record(self.request, Action.UPDATE, obj=obj, detail={"changed": form.changed_data})
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


class StatusConfirm(PersonFormView):
    """Confirm the computed category, or override it with a reason."""

    form_class = StatusForm
    template_name = "care_leavers/status_form.html"
    title = "Confirm the leaving care category"
    submit_label = "Confirm"

    def computed(self):
        if not hasattr(self, "_computed"):
            self._computed = eligibility_for(self.get_parent())
        return self._computed

    def get_form_kwargs(self):
        kwargs = super(PersonFormView, self).get_form_kwargs()
        kwargs["computed"] = self.computed()
        current = LeaverStatus.objects.filter(person=self.get_parent()).first()
        kwargs.setdefault("initial", {})["category"] = current.category if current else self.computed().category
        if current is not None:
            kwargs["initial"]["override_reason"] = current.override_reason
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["computed"] = self.computed()
        context["person"] = self.get_parent()
        return context

    def form_valid(self, form):
        try:
            status = services.confirm_status(actor=self.request.user, person=self.get_parent(),
                                             category=form.cleaned_data["category"],
                                             override_reason=form.cleaned_data.get("override_reason", ""),
                                             request=self.request)
        except services.LeaverError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Category confirmed: {status.get_category_display()}"
                                       + (" (override)" if status.is_override else ""))
        return redirect(self.get_success_url())


class AdviserAllocate(PersonFormView):
    """Allocate a personal adviser: a team manager's decision (``people.allocate``) for care
    leaver records (``care_leavers.record``)."""

    capability = "people.allocate"
    form_class = AdviserForm
    title = "Allocate a personal adviser"
    submit_label = "Allocate"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_capability("care_leavers.record"):
            raise PermissionDenied("You need the 'care_leavers.record' capability")
        return super().dispatch(request, *args, **kwargs)

    def workers(self):
        person = self.get_parent()
        return (get_user_model().objects.filter(is_active=True, memberships__active=True,
                                                memberships__role="personal_adviser",
                                                memberships__team__serves=person.authority)
                .distinct().order_by("first_name", "last_name"))

    def get_form_kwargs(self):
        kwargs = super(PersonFormView, self).get_form_kwargs()
        kwargs["workers"] = self.workers()
        kwargs.setdefault("initial", {})["start_date"] = timezone.localdate()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parent"] = self.get_parent()
        return context

    def form_valid(self, form):
        person, worker = self.get_parent(), form.cleaned_data["worker"]
        membership = worker.memberships.filter(active=True, team__serves=person.authority).select_related("team").first()
        try:
            services.allocate_adviser(actor=self.request.user, person=person, worker=worker,
                                      team=membership.team if membership else None,
                                      start_date=form.cleaned_data["start_date"], request=self.request)
        except services.LeaverError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Personal adviser allocated")
        return redirect(self.get_success_url())


class PlanCreate(PersonFormView):
    form_class = PathwayPlanForm
    title = "Start a pathway plan"
    submit_label = "Save the plan"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["eligibility"] = eligibility_for(self.get_parent())
        return kwargs

    def form_valid(self, form):
        fields = {f: form.cleaned_data.get(f) for f in form.Meta.fields}
        try:
            plan = services.create_pathway_plan(actor=self.request.user, person=self.get_parent(),
                                                request=self.request, **fields)
        except services.LeaverError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Pathway plan saved. Add its actions")
        return redirect(plan.get_absolute_url())


class PlanDetail(RecordDetailView):
    model = PathwayPlan
    capability = "care_leavers.view"
    template_name = "care_leavers/plan_detail.html"
    context_object_name = "plan"

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, plan = self.request.user, self.object
        actions = list(PathwayPlanAction.objects.visible_to(user).filter(plan=plan))
        context.update(
            person=plan.person, actions=actions, today=timezone.localdate(), incomplete=[a for a in actions if not a.is_smart],
            reviews=list(PathwayPlanReview.objects.visible_to(user).filter(plan=plan)),
            review_clock=queries.clocks(plan, user, "leaver_pathway_review"),
            can_record=user.has_capability("care_leavers.record") and can_change(user, plan),
        )
        return context


class PlanEdit(RecordUpdateView):
    model = PathwayPlan
    form_class = PathwayPlanForm
    capability = "care_leavers.record"
    title = "Change the pathway plan"
    success_message = "Pathway plan saved"


class PlanEnd(RecordUpdateView):
    model = PathwayPlan
    form_class = EndPlanForm
    capability = "care_leavers.record"
    title = "End the pathway plan"
    submit_label = "End the plan"
    success_message = "Pathway plan ended"


class PlanChildView(FormPageMixin, ParentMixin, CapabilityRequiredMixin, generic.FormView):
    """A record added under a pathway plan: /care-leavers/pathway-plans/<pk>/…/add/."""

    capability = "care_leavers.record"
    parent_model = PathwayPlan
    parent_kwarg = "pk"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["plan"] = self.get_parent()
        return kwargs

    def get_success_url(self):
        return self.get_parent().get_absolute_url()

    def get_cancel_url(self):
        return self.get_parent().get_absolute_url()


class ReviewCreate(PlanChildView):
    form_class = ReviewForm
    title = "Record a pathway plan review"
    submit_label = "Save the review"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.record_review(actor=self.request.user, plan=self.get_parent(), held_on=data["held_on"],
                                   notes=data.get("notes", ""),
                                   young_person_took_part=bool(data.get("young_person_took_part")), request=self.request)
        except services.LeaverError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Review recorded")
        return redirect(self.get_success_url())


class ActionFormMixin:
    template_name = "care_leavers/action_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["smart_missing"] = getattr(context.get("form"), "smart_missing", [])
        return context


class ActionCreate(ActionFormMixin, PlanChildView):
    form_class = ActionForm
    title = "Add an action"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            action = services.add_action(
                actor=self.request.user, plan=self.get_parent(), action=data["action"], owner=data.get("owner", ""),
                measurable_outcome=data.get("measurable_outcome", ""), due_date=data.get("due_date"),
                section=data.get("section", ""), save_incomplete=bool(data.get("save_incomplete")),
                request=self.request)
        except services.LeaverError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        if action.missing:
            messages.success(self.request, f"Action added. It does not have {services.checks.join_missing(action.missing)} yet")
        else:
            messages.success(self.request, "Action added")
        return redirect(self.get_success_url())


class ActionEdit(ActionFormMixin, RecordUpdateView):
    model = PathwayPlanAction
    form_class = ActionForm
    capability = "care_leavers.record"
    title = "Change an action"
    success_message = "Action saved"

    def get_success_url(self):
        return self.object.plan.get_absolute_url()


class SpellEdit(RecordUpdateView):
    """Change (or end) a dated record; back to the leaver page."""

    capability = "care_leavers.record"
    success_message = "Saved"

    def get_success_url(self):
        return self.object.get_absolute_url()


class AccommodationEdit(SpellEdit):
    model = Accommodation
    form_class = AccommodationForm
    title = "Change accommodation"


class ActivityEdit(SpellEdit):
    model = Activity
    form_class = ActivityForm
    title = "Change an activity"


class CustodyEdit(SpellEdit):
    model = Custody
    form_class = CustodyForm
    title = "Change a spell in custody"


class StayingPutEdit(SpellEdit):
    model = StayingPut
    form_class = StayingPutForm
    title = "Change a staying put arrangement"


# -- lists -----------------------------------------------------------------------------------------
def kpis(rows) -> list[dict]:
    """In touch, in EET and in suitable accommodation at 17-18 and 19-21 (DfE definitions, read
    from the current records)."""
    out = []
    for band in ("17-18", "19-21"):
        group = [r for r in rows if r.age_band == band]
        n = len(group)

        def share(attr, group=group, n=n):
            k = sum(1 for r in group if getattr(r, attr) is True)
            return {"count": k, "percent": round(100 * k / n) if n else None}

        out.append({"band": band, "label": band.replace("-", " to "), "total": n, "in_touch": share("in_touch"), "in_eet": share("in_eet"),
                    "suitable": share("suitable")})
    return out


class TeamFilterMixin:
    def filtered(self):
        rows = queries.team_rows(self.request.user)
        advisers = {r.adviser.worker.pk: r.adviser.worker for r in rows if r.adviser and r.adviser.worker}
        form = TeamFilterForm(self.request.GET or None, advisers=sorted(advisers.values(), key=lambda u: u.get_full_name()))
        if form.is_bound and form.is_valid():
            rows = form.filter(rows)
        return form, rows


class TeamList(TeamFilterMixin, CapabilityRequiredMixin, generic.TemplateView):
    """/care-leavers/: every care leaver in scope, with the KPI counts, filterable."""

    capability = "care_leavers.team"
    template_name = "care_leavers/team.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, rows = self.filtered()
        record(self.request, Action.VIEW, summary=f"Care leavers list ({len(rows)})",
               detail={k: v for k, v in self.request.GET.items() if v})
        context.update(filters=form, rows=rows, kpis=kpis(rows), query=self.request.GET.urlencode())
        return context


class TeamExport(TeamFilterMixin, CapabilityRequiredMixin, generic.View):
    """The team list as CSV (an export: audited)."""

    capability = "care_leavers.team"
    columns = ["local_id", "name", "date_of_birth", "age", "category", "computed_category", "personal_adviser",
               "in_touch", "last_contact", "activity", "in_eet", "accommodation", "suitable", "in_custody",
               "pathway_review_due", "pathway_review_overdue"]

    def get(self, request, *args, **kwargs):
        _form, rows = self.filtered()
        record(request, Action.EXPORT, summary=f"Care leavers export ({len(rows)} rows)",
               detail={"format": "csv", **{k: v for k, v in request.GET.items() if v}})
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="care-leavers-{timezone.localdate():%Y-%m-%d}.csv"'
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(self.columns)

        def yn(v):
            return "" if v is None else ("yes" if v else "no")

        for r in rows:
            p = r.person
            writer.writerow([
                p.local_id, p.full_name, p.date_of_birth, r.age, r.category, r.eligibility.category,
                (r.adviser.worker.get_full_name() if r.adviser and r.adviser.worker else ""),
                yn(r.in_touch), r.last_contact.contact_on if r.last_contact else "",
                r.activity.code if r.activity else "", yn(r.in_eet), r.accommodation.code if r.accommodation else "",
                yn(r.suitable), yn(r.custody is not None),
                r.review_clock.due if r.review_clock and r.review_clock.due else "",
                yn(r.review_clock.overdue) if r.review_clock else "",
            ])
        return response


class CustodyList(CapabilityRequiredMixin, generic.TemplateView):
    """/care-leavers/custody/: every care leaver in custody in scope, last contact and whether
    contact is overdue at the expected frequency (visible to managers)."""

    capability = "care_leavers.team"
    template_name = "care_leavers/custody_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = queries.custody_rows(self.request.user)
        record(self.request, Action.VIEW, summary=f"Care leavers in custody ({len(rows)})")
        context.update(rows=rows, overdue=sum(1 for r in rows if r.overdue), today=timezone.localdate())
        return context
