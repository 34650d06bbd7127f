"""Health pages: a child's health records and clocks (``/health/child/<pk>/``), and for each
record (health assessment, dental check, immunisations, SDQ score) pages to add, see and change
it (versioned). Declarations over ``haven.core.views.generic``; every view names its capability,
scope is applied before fetching, and reads are audited. The checks are ``services.problems``
(run by the forms)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from haven.core.views.generic import RecordCreateView, RecordDetailView, RecordUpdateView
from haven.people.models import Person

from . import queries, services
from .forms import FORMS
from .models import RECORDS, DentalCheck, HealthAssessment, Immunisations, SDQScore


def child_url(person) -> str:
    return reverse("health:child", args=[person.pk])


def _can_record(user, person) -> bool:
    return user.has_capability("health.record") and Person.objects.visible_to(user, "change").filter(
        pk=person.pk).exists()


class ChildHealth(RecordDetailView):
    """The child's health tab: every record, newest first, and the clocks."""

    model = Person
    capability = "health.view"
    template_name = "health/child.html"
    context_object_name = "person"

    def audit_summary(self) -> str:
        return f"Health records of {self.object.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, person = self.request.user, self.object
        context.update(
            assessments=list(HealthAssessment.objects.visible_to(user).filter(person=person)),
            dental=list(DentalCheck.objects.visible_to(user).filter(person=person)),
            immunisations=list(Immunisations.objects.visible_to(user).filter(person=person)),
            sdq=list(SDQScore.objects.visible_to(user).filter(person=person)),
            clocks=queries.clocks(person, user),
            can_record=_can_record(user, person),
        )
        return context


class HealthCreate(RecordCreateView):
    capability = "health.record"
    parent_model = Person
    parent_field = "person"
    parent_kwarg = "person_pk"
    template_name = "health/record_form.html"
    label = ""

    def get_title(self):
        article = "an" if self.label[0] in "aeiou" or self.label.startswith("SDQ") else "a"
        return f"Record {article} {self.label}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.get_parent()}

    def get_success_url(self):
        return child_url(self.get_parent())

    def get_cancel_url(self):
        return child_url(self.get_parent())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["looked_after_now"] = services.looked_after_on(self.get_parent(), timezone.localdate())
        return context


class HealthEdit(RecordUpdateView):
    capability = "health.record"
    template_name = "health/record_form.html"
    label = ""

    def get_title(self):
        return f"Change the {self.label}"

    def get_success_url(self):
        return self.object.get_absolute_url()


class HealthDetail(RecordDetailView):
    capability = "health.view"
    template_name = "health/record_detail.html"
    context_object_name = "record"
    label = ""
    slug = ""

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(person=self.object.person, label=self.label, rows=self.object.summary_rows(),
                       can_record=_can_record(self.request.user, self.object.person),
                       edit_url=reverse(f"health:{self.slug}-edit", args=[self.object.pk]),
                       child_url=child_url(self.object.person))
        return context


def views_for(model, slug: str, label: str):
    """The add, detail and change views of one record type."""
    name = model.__name__
    create = type(f"{name}Create", (HealthCreate,), {"form_class": FORMS[model], "label": label,
                                                    "success_message": f"{label.capitalize()} recorded"})
    detail = type(f"{name}Detail", (HealthDetail,), {"model": model, "label": label, "slug": slug})
    edit = type(f"{name}Edit", (HealthEdit,), {"model": model, "form_class": FORMS[model], "label": label,
                                               "success_message": f"{label.capitalize()} saved"})
    return create, detail, edit


VIEWS = {slug: views_for(model, slug, label) for model, slug, label in RECORDS}
