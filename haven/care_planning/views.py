"""Care planning pages: a looked-after child's care planning page (care plans, reviews, visits,
IRO), agreeing a care plan, recording a review and its recommendations (with the SMART warning)
and their progress, allocating the IRO, recording a statutory visit, and the team and IRO views
(filter, sort, paginate, export as CSV). Declarations over ``haven.core.views.generic``;
use-cases in ``services``; reads in ``queries``."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic as django_generic

from haven.audit.log import Action, record
from haven.core.views.generic import (
    CapabilityRequiredMixin,
    FormPageMixin,
    ParentMixin,
    RecordDetailView,
    RecordUpdateView,
)
from haven.people.models import Person

from . import queries, services
from .forms import (
    CarePlanForm,
    IROForm,
    RecommendationForm,
    RecommendationStatusForm,
    ReviewForm,
    TeamFilterForm,
    VisitForm,
)
from .models import CarePlan, LACReview, ReviewRecommendation


def _apply(form, error: services.CarePlanningError) -> None:
    for field, message in error.errors:
        form.add_error(field if field in form.fields else None, message)


class ChildFormView(FormPageMixin, ParentMixin, CapabilityRequiredMixin, django_generic.FormView):
    """A form about one child (``person_pk``, fetched in change scope). When the child cannot
    have the record now (not looked after), ``blocked`` says why and the form is not shown."""

    parent_model = Person
    parent_kwarg = "person_pk"
    template_name = "care_planning/child_form.html"

    def blocked(self) -> str:
        return ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["person"] = self.get_parent()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(person=self.get_parent(), blocked=self.blocked())
        return context

    def get_cancel_url(self) -> str:
        return reverse("care_planning:child", args=[self.get_parent().pk])

    def post(self, request, *args, **kwargs):
        if self.blocked():
            response = self.get(request, *args, **kwargs)
            response.status_code = 400
            return response
        return super().post(request, *args, **kwargs)


class ChildCarePlanning(CapabilityRequiredMixin, django_generic.TemplateView):
    """/looked-after/care-plans/child/<person_pk>/: the child's care plans, reviews, visits and
    IRO, with the clocks."""

    capability = "looked_after.view"
    template_name = "care_planning/child.html"

    def get(self, request, *args, **kwargs):
        from haven.core.views.generic import fetch_in_scope

        self.person = fetch_in_scope(Person, request.user, kwargs["person_pk"])
        record(request, Action.VIEW, obj=self.person, summary=f"Care planning of {self.person.full_name}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, person = self.request.user, self.person
        context.update(
            person=person,
            glance=queries.glance(person, user),
            plans=list(CarePlan.objects.visible_to(user).filter(person=person).select_related("period")),
            reviews=list(LACReview.objects.visible_to(user).filter(person=person).select_related("chair")
                         .prefetch_related("recommendations")),
            visits=services.visits_of(person, user),
            can_record=user.has_capability("looked_after.record"),
            can_review=user.has_capability("looked_after.review"),
            can_allocate=user.has_capability("people.allocate") and user.has_capability("looked_after.record"),
            can_see_visits=user.has_capability("recording.view"),
            today=timezone.localdate(),
        )
        return context


class CarePlanCreate(ChildFormView):
    form_class = CarePlanForm
    capability = "looked_after.record"
    title = "Record an agreed care plan"
    submit_label = "Save the care plan"

    def period(self):
        return services.current_period(self.get_parent())

    def blocked(self) -> str:
        person = self.get_parent()
        if services.latest_period(person) is None:
            return f"{person.first_name or 'The child'} has never been looked after. Record the period of care first."
        return ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["period"] = self.period() or services.latest_period(self.get_parent())
        latest = CarePlan.objects.filter(person=self.get_parent()).order_by("-agreed_on", "-pk").first()
        if latest is not None and not self.request.method == "POST":
            # A new version starts from the last one.
            kwargs["initial"] = {f: getattr(latest, f) for f in ("summary", "needs", "how_met", "contact",
                                                                   "permanence_aim", "permanence_detail")}
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        person = self.get_parent()
        period = self.period() or services.period_on(person, data["agreed_on"]) or services.latest_period(person)
        try:
            plan = services.agree_care_plan(
                actor=self.request.user, person=person, period=period, agreed_on=data["agreed_on"],
                summary=data["summary"], needs=data["needs"], how_met=data.get("how_met", ""),
                contact=data.get("contact", ""), permanence_aim=data["permanence_aim"],
                permanence_detail=data.get("permanence_detail", ""), child_views=data.get("child_views", ""),
                request=self.request)
        except services.CarePlanningError as error:
            _apply(form, error)
            return self.form_invalid(form)
        if plan.gaps:
            messages.success(self.request, f"Care plan saved. It does not say {services.join_missing(plan.gaps)} yet")
        else:
            messages.success(self.request, "Care plan saved")
        return redirect(plan.get_absolute_url())


class CarePlanDetail(RecordDetailView):
    model = CarePlan
    capability = "looked_after.view"
    template_name = "care_planning/care_plan_detail.html"
    context_object_name = "plan"

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        versions = list(CarePlan.objects.visible_to(self.request.user).filter(period=plan.period_id)
                        .order_by("-agreed_on", "-pk"))
        context.update(person=plan.person, versions=versions, is_current=bool(versions) and versions[0].pk == plan.pk,
                       can_record=self.request.user.has_capability("looked_after.record"))
        return context


class ReviewCreate(ChildFormView):
    form_class = ReviewForm
    capability = "looked_after.review"
    title = "Record a looked-after review"
    submit_label = "Save the review"

    def blocked(self) -> str:
        person = self.get_parent()
        if services.latest_period(person) is None:
            return f"{person.first_name or 'The child'} has never been looked after, so cannot have a looked-after review."
        return ""

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            review = services.record_review(
                actor=self.request.user, person=self.get_parent(), held_on=data["held_on"],
                participation=data["participation"], decisions=data["decisions"],
                child_views=data.get("child_views", ""), parents_views=data.get("parents_views", ""),
                next_review_on=data.get("next_review_on"), request=self.request)
        except services.CarePlanningError as error:
            _apply(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Review recorded. Add its recommendations")
        return redirect(review.get_absolute_url())


class ReviewDetail(RecordDetailView):
    model = LACReview
    capability = "looked_after.view"
    template_name = "care_planning/review_detail.html"
    context_object_name = "review"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "chair")

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        recs = list(ReviewRecommendation.objects.visible_to(user).filter(review=self.object)
                    .order_by("due_date", "pk"))
        context.update(person=self.object.person, recommendations=recs,
                       incomplete=[r for r in recs if not r.is_smart],
                       can_review=user.has_capability("looked_after.review"),
                       can_record=user.has_capability("looked_after.record"), today=timezone.localdate())
        return context


class RecommendationCreate(FormPageMixin, CapabilityRequiredMixin, django_generic.FormView):
    """/reviews/<pk>/recommendations/add/: a recommendation of the review ``pk``."""

    capability = "looked_after.review"
    form_class = RecommendationForm
    template_name = "care_planning/recommendation_form.html"
    title = "Add a recommendation"
    submit_label = "Save the recommendation"
    url_models = {"pk": LACReview}

    def get_review(self):
        from haven.core.views.generic import fetch_in_scope

        if not hasattr(self, "_review"):
            self._review = fetch_in_scope(LACReview, self.request.user, self.kwargs["pk"], "change")
        return self._review

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["review"] = self.get_review()
        kwargs["instance"] = ReviewRecommendation(review=self.get_review())
        return kwargs

    def get_cancel_url(self) -> str:
        return self.get_review().get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context.update(review=self.get_review(), parent=self.get_review(),
                       smart_missing=getattr(form, "smart_missing", []))
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            rec = services.add_recommendation(
                actor=self.request.user, review=self.get_review(), action=data["action"], owner=data.get("owner", ""),
                measurable_outcome=data.get("measurable_outcome", ""), due_date=data.get("due_date"),
                save_incomplete=bool(data.get("save_incomplete")), request=self.request)
        except services.CarePlanningError as error:
            _apply(form, error)
            return self.form_invalid(form)
        if rec.missing:
            messages.success(self.request, f"Recommendation added. It does not have "
                                           f"{services.join_missing(rec.missing)} yet")
        else:
            messages.success(self.request, "Recommendation added")
        return redirect(self.get_review().get_absolute_url())


class RecommendationProgress(RecordUpdateView):
    model = ReviewRecommendation
    form_class = RecommendationStatusForm
    capability = "looked_after.record"
    template_name = "care_planning/recommendation_progress.html"
    success_message = "Progress saved"
    title = "Update progress"

    def get_success_url(self):
        return self.object.review.get_absolute_url()

    def get_cancel_url(self):
        return self.object.review.get_absolute_url()


class IROAllocate(ChildFormView):
    """Allocate or change the child's IRO (team managers), showing the other allocations."""

    capability = "people.allocate"
    form_class = IROForm
    template_name = "care_planning/iro_form.html"
    title = "Allocate an independent reviewing officer"
    submit_label = "Allocate"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_capability("looked_after.record"):
            raise PermissionDenied("You need the 'looked_after.record' capability")
        return super().dispatch(request, *args, **kwargs)

    def blocked(self) -> str:
        person = self.get_parent()
        if services.current_period(person) is None:
            return f"{person.first_name or 'The child'} is not looked after now. An IRO is allocated to a looked-after child."
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.get_parent()
        context["allocations"] = [(label, services.current_allocation(person, role)) for role, label in (
            ("iro", "Independent reviewing officer"), ("social_worker", "Social worker"),
            ("personal_adviser", "Personal adviser"), ("virtual_school", "Virtual school"))]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            allocation = services.allocate_iro(actor=self.request.user, person=self.get_parent(),
                                               worker=data["worker"], start_date=data["start_date"],
                                               request=self.request)
        except services.CarePlanningError as error:
            _apply(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{allocation.worker.get_full_name() or allocation.worker} is now "
                                       f"{self.get_parent().first_name}'s IRO")
        return redirect(self.get_cancel_url())


class VisitCreate(ChildFormView):
    form_class = VisitForm
    capability = "looked_after.record"
    title = "Record a statutory visit"
    submit_label = "Save the visit"

    def blocked(self) -> str:
        person = self.get_parent()
        if services.latest_period(person) is None:
            return f"{person.first_name or 'The child'} has never been looked after. A statutory visit is to a looked-after child."
        if not self.request.user.has_capability("recording.record"):
            return "You cannot record visits."
        return ""

    def form_valid(self, form):
        data = form.cleaned_data
        person = self.get_parent()
        try:
            recording = services.record_visit(actor=self.request.user, person=person,
                                              occurred_at=data["occurred_at"], notes=data["notes"],
                                              seen=data.get("seen", False), seen_alone=data.get("seen_alone", False),
                                              request=self.request)
        except services.CarePlanningError as error:
            for field, message in error.errors:
                form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Statutory visit recorded")
        return redirect(f"{recording.get_absolute_url()}?person={person.pk}"
                        if self.request.user.has_capability("recording.view") else self.get_cancel_url())


# -- team and IRO views ----------------------------------------------------------------------
class TeamView(CapabilityRequiredMixin, django_generic.TemplateView):
    """/looked-after/team/: every looked-after child in the user's scope with their next due items."""

    capability = "looked_after.team"
    template_name = "care_planning/team.html"
    paginate_by = 50
    title = "Looked-after children"
    export_name = "looked-after-children"

    def iro_user(self):
        return None

    def get(self, request, *args, **kwargs):
        user = request.user
        choices = queries.filter_choices(user)
        form = TeamFilterForm(request.GET or None, **choices)
        filters = queries.Filters.from_data(request.GET)
        iro = self.iro_user()
        export = request.GET.get("format") == "csv"
        qs, sort = queries.team_queryset(user, filters, request.GET.get("sort", self.default_sort()), iro_user=iro,
                                         full=export)
        if export:
            return self.export(qs, filters, sort)
        page = Paginator(qs, self.paginate_by).get_page(request.GET.get("page"))
        context = self.get_context_data(
            form=form, filters=filters, sort=sort, page=page, rows=queries.rows_for(page.object_list),
            sort_links=self.sort_links(sort), due_headers=self.due_headers(sort), iro=iro, title=self.get_title(iro), choices=choices)
        return self.render_to_response(context)

    def default_sort(self) -> str:
        return "name"

    def get_title(self, iro) -> str:
        return self.title

    def due_headers(self, sort: str) -> list[dict]:
        links = self.sort_links(sort)
        return [{"key": key, "label": label, "tracked": queries.tracked(rule), "link": links[key]}
                for rule, key, label in queries.DUE_COLUMNS]

    def sort_links(self, sort: str) -> dict:
        """{column: (sort value the heading links to, aria-sort)}: GOV.UK sortable headings
        without JavaScript."""
        out = {}
        for key in queries.SORT_LABELS:
            if sort == key:
                out[key] = (f"-{key}", "ascending")
            elif sort == f"-{key}":
                out[key] = (key, "descending")
            else:
                out[key] = (key, "none")
        return out

    def export(self, qs, filters, sort):
        rows = queries.rows_for(qs, annotated=True)
        record(self.request, Action.EXPORT, summary=f"{self.title}: CSV of {len(rows)} children",
               detail={"format": "csv", "filters": filters.as_dict(), "sort": sort, "rows": len(rows),
                       "view": self.export_name})

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        heads = ["Local ID", "Name", "Date of birth", "Looked after since", "Days in care", "Legal status",
                 "Placement type", "In or out of authority", "Social worker", "IRO"]
        for _rule, _key, label in queries.DUE_COLUMNS:
            heads += [f"{label} due", f"{label} status"]

        def lines():
            yield writer.writerow(heads)
            for r in rows:
                cells = [r.person.local_id, r.person.full_name, r.person.date_of_birth or "", r.period.start_date,
                         r.days, r.legal_status, r.place, r.location, r.social_worker, r.iro]
                for _rule, key, _label in queries.DUE_COLUMNS:
                    cells += [r.due[key]["due"] or "", r.due[key]["status"]]
                yield writer.writerow(cells)

        response = StreamingHttpResponse(lines(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{self.export_name}-{timezone.localdate():%Y-%m-%d}.csv"'
        response["Cache-Control"] = "no-store"
        return response


class IROView(TeamView):
    """/looked-after/iro/: the children the signed-in IRO is allocated to (``?iro=<id>`` for
    another IRO's), reviews first."""

    title = "Children I review"
    export_name = "iro-children"

    def default_sort(self) -> str:
        return "review"

    def iro_user(self):
        from haven.accounts.models import User

        pk = self.request.GET.get("iro", "")
        if pk.isdigit():
            return User.objects.filter(pk=int(pk)).first() or self.request.user
        return self.request.user

    def get_title(self, iro) -> str:
        if iro is None or iro.pk == self.request.user.pk:
            return "Children I review"
        return f"Children reviewed by {iro.get_full_name() or iro.get_username()}"
