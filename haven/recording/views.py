"""Recording pages: record a visit, meeting, phone call or case note once for a family, and read
it whole or as it appears on one child's record."""

from __future__ import annotations

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import generic as django_generic

from haven.core.views.generic import CapabilityRequiredMixin, RecordDetailView, fetch_in_scope
from haven.people.models import Person

from . import services
from .forms import PartFormSet, RecordingForm
from .models import Recording

FORM_FIELDS = {"kind", "date", "time", "title", "subjects", "seen", "seen_alone", "significant"}


def _quiet(form) -> None:
    """Show a bound form again without validating it (after "Add another part")."""
    form._errors = ErrorDict()
    form.cleaned_data = {}


class RecordingCreate(CapabilityRequiredMixin, django_generic.View):
    """/recording/add/?person=<pk>: record once for the child and the family members chosen."""

    capability = "recording.record"
    template_name = "recording/recording_form.html"

    def get_person(self):
        pk = self.request.GET.get("person")
        if not pk:
            return None
        return fetch_in_scope(Person, self.request.user, pk, "change")

    def render_form(self, person, people, form, parts, status=200):
        items = []
        if form.is_bound and form._errors is not None:
            items += form.error_summary()
        if parts.is_bound and parts._errors is not None:
            items += [("", str(e)) for e in parts.non_form_errors()]
            for f in parts.forms:
                items += f.error_summary()
        return render(self.request, self.template_name, {
            "person": person, "people": people, "form": form, "parts": parts, "error_items": items,
            "title": "Record a visit, meeting or note", "cancel_url": person.get_absolute_url(),
        }, status=status)

    def get(self, request, *args, **kwargs):
        person = self.get_person()
        if person is None:
            return render(request, "recording/choose_person.html", {"title": "Record a visit, meeting or note"})
        people = services.family_of(person, request.user)
        form = RecordingForm(people=people, initial={"subjects": [str(person.pk)]})
        parts = PartFormSet(prefix="parts", form_kwargs={"people": people})
        return self.render_form(person, people, form, parts)

    def post(self, request, *args, **kwargs):
        person = self.get_person()
        if person is None:
            raise Http404("Start from a child's record")
        people = services.family_of(person, request.user)
        data = request.POST
        if "add_part" in data:
            data = data.copy()
            total = data.get("parts-TOTAL_FORMS", "1")
            data["parts-TOTAL_FORMS"] = str(min(int(total) + 1 if total.isdigit() else 1, 20))
        form = RecordingForm(data, people=people)
        parts = PartFormSet(data, prefix="parts", form_kwargs={"people": people})
        if "add_part" in data:
            _quiet(form)
            for f in parts.forms:
                _quiet(f)
            parts._errors, parts._non_form_errors = [], parts.error_class()
            return self.render_form(person, people, form, parts)
        if not (form.is_valid() & parts.is_valid()):
            return self.render_form(person, people, form, parts)
        by_pk = {str(p.pk): p for p in people}
        d = form.cleaned_data
        seen, alone = set(d["seen"]), set(d["seen_alone"])
        subjects = [services.Subject(by_pk[pk], seen=pk in seen or pk in alone, seen_alone=pk in alone)
                    for pk in d["subjects"]]
        texts = [services.Part(f.cleaned_data.get("text", ""), [by_pk[pk] for pk in f.cleaned_data.get("hidden_from", [])])
                 for f in parts.forms]
        try:
            recording = services.record_family_event(
                actor=request.user, kind=d["kind"], occurred_at=d["occurred_at"], title=d["title"],
                significant=d["significant"], subjects=subjects, parts=texts, authority=person.authority,
                request=request)
        except services.RecordingError as error:
            for field, message in error.errors:
                form.add_error(field if field in FORM_FIELDS else None, message)
            return self.render_form(person, people, form, parts)
        names = [s.person.first_name for s in subjects]
        messages.success(request, f"{recording.get_kind_display()} recorded on the record of "
                                  f"{', '.join(names[:-1]) + ' and ' + names[-1] if len(names) > 1 else names[0]}")
        return redirect(f"{recording.get_absolute_url()}?person={person.pk}")


class RecordingDetail(RecordDetailView):
    """The recording whole, or as it appears on one child's record (``?person=<pk>``)."""

    model = Recording
    capability = "recording.view"
    template_name = "recording/recording_detail.html"
    context_object_name = "recording"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.viewer = self.get_viewer()  # before the view is audited: a wrong ?person= is 404
        return super().get(request, *args, **kwargs)

    def get_viewer(self):
        pk = self.request.GET.get("person")
        if not pk:
            return None
        if not pk.isdigit() or not self.object.subjects.filter(person_id=pk).exists():
            raise Http404("Not on this person's record")
        return fetch_in_scope(Person, self.request.user, pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        viewer = self.viewer
        subjects = services.subjects_for(self.object, user)
        context.update(
            viewer=viewer,
            parts=services.visible_parts(self.object, user, viewer),
            subjects=subjects,
            outside_scope=sum(1 for _s, p in subjects if p is None),
            is_visit=self.object.kind in services.VISITS,
        )
        return context
