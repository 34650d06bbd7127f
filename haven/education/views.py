"""Education pages: a child's education records and PEP clock (``/education/child/<pk>/``), and
for each record (school, personal education plan, attendance, exclusion, virtual school note)
pages to add, see and change it (versioned). Declarations over ``haven.core.views.generic``;
every view names its capability, scope is applied before fetching, and reads are audited. The
checks are ``services.problems`` (run by the forms)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from haven.core.views.generic import RecordCreateView, RecordDetailView, RecordUpdateView
from haven.people.models import Person

from . import queries, services
from .forms import FORMS
from .models import (
    RECORDS,
    Attendance,
    Exclusion,
    PersonalEducationPlan,
    SchoolPlacement,
    VirtualSchoolNote,
)


def child_url(person) -> str:
    return reverse("education:child", args=[person.pk])


def _can_record(user, person) -> bool:
    return user.has_capability("education.record") and Person.objects.visible_to(user, "change").filter(
        pk=person.pk).exists()


class ChildEducation(RecordDetailView):
    """The child's education tab: schools, PEPs, attendance, exclusions, virtual school notes."""

    model = Person
    capability = "education.view"
    template_name = "education/child.html"
    context_object_name = "person"

    def audit_summary(self) -> str:
        return f"Education records of {self.object.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, person = self.request.user, self.object
        context.update(
            schools=list(SchoolPlacement.objects.visible_to(user).filter(person=person)),
            peps=list(PersonalEducationPlan.objects.visible_to(user).filter(person=person).select_related("school")),
            attendance=list(Attendance.objects.visible_to(user).filter(person=person).select_related("school")),
            exclusions=list(Exclusion.objects.visible_to(user).filter(person=person).select_related("school")),
            notes=list(VirtualSchoolNote.objects.visible_to(user).filter(person=person)),
            clocks=queries.clocks(person, user),
            can_record=_can_record(user, person),
        )
        return context


class EducationCreate(RecordCreateView):
    capability = "education.record"
    parent_model = Person
    parent_field = "person"
    parent_kwarg = "person_pk"
    template_name = "education/record_form.html"
    label = ""

    def get_title(self):
        return f"Record {'an' if self.label[0] in 'aeiou' else 'a'} {self.label}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.get_parent()}

    def get_initial(self):
        initial = super().get_initial()
        if self.form_class.Meta.model is VirtualSchoolNote:
            user = self.request.user
            initial["author"] = user.get_full_name() or user.get_username()
        return initial

    def get_success_url(self):
        return child_url(self.get_parent())

    def get_cancel_url(self):
        return child_url(self.get_parent())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["looked_after_now"] = services.looked_after_on(self.get_parent(), timezone.localdate())
        return context


class EducationEdit(RecordUpdateView):
    capability = "education.record"
    template_name = "education/record_form.html"
    label = ""

    def get_title(self):
        return f"Change the {self.label}"

    def get_success_url(self):
        return self.object.get_absolute_url()


class EducationDetail(RecordDetailView):
    capability = "education.view"
    template_name = "education/record_detail.html"
    context_object_name = "record"
    label = ""
    slug = ""

    def audit_summary(self) -> str:
        return f"{self.object} for {self.object.person.full_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(person=self.object.person, label=self.label, rows=self.object.summary_rows(),
                       can_record=_can_record(self.request.user, self.object.person),
                       edit_url=reverse(f"education:{self.slug}-edit", args=[self.object.pk]),
                       child_url=child_url(self.object.person))
        return context


def views_for(model, slug: str, label: str):
    """The add, detail and change views of one record type."""
    name = model.__name__
    create = type(f"{name}Create", (EducationCreate,), {"form_class": FORMS[model], "label": label,
                                                       "success_message": f"{label.capitalize()} recorded"})
    detail = type(f"{name}Detail", (EducationDetail,), {"model": model, "label": label, "slug": slug})
    edit = type(f"{name}Edit", (EducationEdit,), {"model": model, "form_class": FORMS[model], "label": label,
                                                  "success_message": f"{label.capitalize()} saved"})
    return create, detail, edit


VIEWS = {slug: views_for(model, slug, label) for model, slug, label in RECORDS}
