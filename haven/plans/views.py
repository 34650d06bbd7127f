"""Plan pages: the plan (objectives, SMART actions, reviews, clocks, child-friendly version
beside it), starting a child in need plan, editing text/objectives/actions, ending, CIN reviews,
and the child-friendly version to print or download as a PDF. Declarations over
``haven.core.views.generic``; use-cases in ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.text import slugify
from django.views import generic as django_generic

from haven.audit.log import Action, record
from haven.core.views.generic import (
    RecordCreateView,
    RecordDetailView,
    RecordMixin,
    RecordUpdateView,
)
from haven.people.models import Person

from . import checks, services
from .deadlines import clocks_for
from .forms import (
    ActionForm,
    ActionStatusForm,
    ChildFriendlyForm,
    CINPlanForm,
    EndPlanForm,
    ObjectiveForm,
    PlanForm,
    ReviewForm,
)
from .models import ACTION_ORDER, Plan, PlanAction, PlanObjective, PlanReview
from .pdf import html_to_pdf


def _apply(form, error: services.PlanError) -> None:
    for field, message in error.errors:
        form.add_error(field if field in form.fields else None, message)


def plan_context(plan: Plan, user) -> dict:
    """What the plan page (and the child-friendly editor beside it) shows."""
    objectives = list(PlanObjective.objects.visible_to(user).filter(plan=plan))
    actions = list(PlanAction.objects.visible_to(user).filter(plan=plan).select_related("objective")
                   .order_by(*ACTION_ORDER))
    by_objective = {o.pk: [] for o in objectives}
    loose = []
    for a in actions:
        (by_objective[a.objective_id] if a.objective_id in by_objective else loose).append(a)
    incomplete = [a for a in actions if not a.is_smart]
    return {
        "plan": plan,
        "person": plan.person,
        "objectives": [(o, by_objective[o.pk]) for o in objectives],
        "loose_actions": loose,
        "actions": actions,
        "incomplete": incomplete,
        "reviews": list(PlanReview.objects.visible_to(user).filter(plan=plan)),
        "today": timezone.localdate(),
        "helpers": sorted({a.owner for a in actions if a.owner and a.status not in ("done", "not_done")}),
    }


def _url(obj) -> str:
    """The record's page, if its module has one yet."""
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


def protection_meetings(plan: Plan, user) -> list[dict]:
    """A CP plan's core groups and conferences (recorded in the protection module), newest first."""
    from haven.protection.models import ConferenceChild, CoreGroupMeeting

    rows = [{"date": m.held_on, "what": "Core group meeting", "url": ""}
            for m in CoreGroupMeeting.objects.visible_to(user).filter(plan=plan)]
    for c in ConferenceChild.objects.visible_to(user).filter(plan=plan).select_related("conference"):
        rows.append({"date": c.conference.held_on, "what": c.conference.get_kind_display(), "url": _url(c.conference)})
    return sorted(rows, key=lambda r: r["date"], reverse=True)


class PlanDetail(RecordDetailView):
    model = Plan
    capability = "plans.view"
    template_name = "plans/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "episode")

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(plan_context(self.object, user))
        context["clocks"] = clocks_for(self.object, user)
        if self.object.kind == Plan.Kind.CP:
            context["meetings"] = protection_meetings(self.object, user)
        context["can_record"] = (user.has_capability("plans.record")
                                 and Plan.objects.visible_to(user, "change").filter(pk=self.object.pk).exists())
        return context


class PlanCreate(RecordCreateView):
    """Start a child in need plan (``?kind=cin``). Child protection plans start at the initial
    child protection conference, not here."""

    form_class = CINPlanForm
    capability = "plans.record"
    parent_model = Person
    parent_field = "person"
    parent_kwarg = "person_pk"
    template_name = "plans/plan_create.html"
    title = "Start a child in need plan"
    submit_label = "Start the plan"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        person = self.get_parent()
        kwargs.update(person=person, episode=checks.open_episode_for(person))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_parent()
        context["kind"] = self.request.GET.get("kind", "cin")
        context["episode"] = checks.open_episode_for(person)
        context["person"] = person
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            plan = services.create_cin_plan(actor=self.request.user, person=self.get_parent(),
                                            start_date=data["start_date"], summary=data.get("summary", ""),
                                            child_friendly=data.get("child_friendly", ""), request=self.request)
        except services.PlanError as error:
            _apply(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Child in need plan started. Add its objectives and actions")
        return redirect(plan.get_absolute_url())


class PlanEdit(RecordUpdateView):
    model = Plan
    form_class = PlanForm
    capability = "plans.record"
    success_message = "Plan saved"

    def get_title(self):
        return f"Change the {self.object.get_kind_display().lower()}"


class ChildFriendlyEdit(RecordUpdateView):
    """The child-friendly version, written beside the plan it explains."""

    model = Plan
    form_class = ChildFriendlyForm
    capability = "plans.record"
    template_name = "plans/child_friendly_form.html"
    success_message = "Child-friendly version saved"
    title = "The plan in words the child understands"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan_context(self.object, self.request.user))
        return context


class ChildFriendlyPrint(RecordDetailView):
    """A page to print and give to the child."""

    model = Plan
    capability = "plans.view"
    template_name = "plans/child_friendly_print.html"
    context_object_name = "plan"

    def audit_summary(self) -> str:
        return f"Child-friendly version of {self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan_context(self.object, self.request.user), pdf=False)
        return context


class ChildFriendlyPDF(RecordMixin, django_generic.View):
    """The child-friendly version as a PDF (WeasyPrint). A download is an export: audited."""

    model = Plan
    capability = "plans.view"

    def get(self, request, *args, **kwargs):
        plan = self.get_object()
        context = plan_context(plan, request.user)
        context["pdf"] = True
        html = render_to_string("plans/child_friendly_print.html", context, request=request)
        pdf = html_to_pdf(html)
        record(request, Action.EXPORT, obj=plan,
               summary=f"PDF of the child-friendly {plan.get_kind_display().lower()} for {plan.person.full_name}",
               detail={"format": "pdf", "document": "child_friendly_plan"})
        filename = f"{slugify(plan.person.first_name)}-plan-{plan.start_date:%Y-%m-%d}.pdf"
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response


class PlanEnd(RecordUpdateView):
    model = Plan
    form_class = EndPlanForm
    capability = "plans.record"
    template_name = "plans/plan_end.html"
    submit_label = "End the plan"
    success_message = "Plan ended"

    def get_title(self):
        return f"End the {self.object.get_kind_display().lower()}"


class PlanChildCreate(RecordCreateView):
    """A record added under a plan: /plans/<pk>/…/add/ (``pk`` is the plan, so no ``model``)."""

    parent_model = Plan
    parent_field = "plan"
    parent_kwarg = "pk"
    capability = "plans.record"

    def get_success_url(self):
        return self.get_parent().get_absolute_url()


class ObjectiveCreate(PlanChildCreate):
    form_class = ObjectiveForm
    title = "Add an objective"
    success_message = "Objective added"


class ObjectiveEdit(RecordUpdateView):
    model = PlanObjective
    form_class = ObjectiveForm
    capability = "plans.record"
    title = "Change an objective"
    success_message = "Objective saved"

    def get_success_url(self):
        return self.object.plan.get_absolute_url()

    def get_cancel_url(self):
        return self.object.plan.get_absolute_url()


class ActionFormMixin:
    template_name = "plans/action_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["smart_missing"] = getattr(form, "smart_missing", [])
        return context


class ActionCreate(ActionFormMixin, PlanChildCreate):
    form_class = ActionForm
    title = "Add an action"
    success_message = "Action added"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["plan"] = self.get_parent()
        objective = self.request.GET.get("objective")
        if objective and objective.isdigit():
            kwargs.setdefault("initial", {})["objective"] = int(objective)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan=self.get_parent(), adding=True)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            action = services.add_action(
                actor=self.request.user, plan=self.get_parent(), action=data["action"], owner=data.get("owner", ""),
                measurable_outcome=data.get("measurable_outcome", ""), due_date=data.get("due_date"),
                objective=data.get("objective"), save_incomplete=bool(data.get("save_incomplete")),
                request=self.request)
        except services.PlanError as error:
            _apply(form, error)
            return self.form_invalid(form)
        if action.missing:
            messages.success(self.request, f"Action added. It does not have {checks.join_missing(action.missing)} yet")
        else:
            messages.success(self.request, "Action added")
        return redirect(self.get_success_url())


class ActionEdit(ActionFormMixin, RecordUpdateView):
    model = PlanAction
    form_class = ActionForm
    capability = "plans.record"
    title = "Change an action"
    success_message = "Action saved"

    def get_success_url(self):
        return self.object.plan.get_absolute_url()

    def get_cancel_url(self):
        return self.object.plan.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.object.plan
        return context


class ActionStatusEdit(RecordUpdateView):
    model = PlanAction
    form_class = ActionStatusForm
    capability = "plans.record"
    template_name = "plans/action_status.html"
    success_message = "Progress saved"

    def get_title(self):
        return "Update progress"

    def get_success_url(self):
        return self.object.plan.get_absolute_url()

    def get_cancel_url(self):
        return self.object.plan.get_absolute_url()


class ReviewCreate(PlanChildCreate):
    """Review of a child in need plan: meets the plan's ``cin_review_3m`` clock."""

    form_class = ReviewForm
    template_name = "plans/review_form.html"
    title = "Record a child in need plan review"
    submit_label = "Save the review"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["plan"] = self.get_parent()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.get_parent()
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.record_review(actor=self.request.user, plan=self.get_parent(), held_on=data["held_on"],
                                   notes=data.get("notes", ""), request=self.request)
        except services.PlanError as error:
            _apply(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Review recorded")
        return redirect(self.get_success_url())
