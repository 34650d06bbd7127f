"""Front door pages: the MASH queue, recording a contact (with the person search as you type),
the contact page and its actions (rating, agency checks, consent, decision, feedback).
Declarations over the kernel's generic views; every change goes through ``services`` (the API
calls the same functions)."""

from __future__ import annotations

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.shortcuts import redirect
from django.utils import timezone
from django.views import generic

from haven.assessments.models import CINEpisode
from haven.audit.log import Action, record
from haven.core.versioning import StaleEdit
from haven.core.views.generic import (
    CapabilityRequiredMixin,
    FormPageMixin,
    RecordDetailView,
    RecordListView,
    RecordMixin,
)
from haven.people import search
from haven.people.models import Person

from . import clock, services
from .forms import (
    MAX_NEW_PEOPLE,
    CheckRequestForm,
    CheckResultForm,
    ConsentForm,
    ContactForm,
    DecisionForm,
    ErrorSummary,
    FeedbackForm,
    NewSubjectFormSet,
    QueueFilterForm,
    RateForm,
)
from .models import AgencyCheck, Contact, ContactSubject
from .queries import open_contacts, queue_rows

SEARCH_LIMIT = 20
MIN_SEARCH = 2


# --- the MASH queue -------------------------------------------------------------------------------

class ContactQueue(RecordListView):
    """Every open contact in the user's scope, most urgent first (see ``queries.open_contacts``)."""

    model = Contact
    capability = "front_door.view"
    template_name = "front_door/queue.html"
    partial_template_name = "front_door/_queue_table.html"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        self.filters = QueueFilterForm(self.request.GET or None, authorities=user.authorities)
        qs = open_contacts(user)
        if self.filters.is_bound and self.filters.is_valid():
            qs = self.filters.filter(qs)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not self.filters.is_bound:
            self.filters = QueueFilterForm(authorities=self.request.user.authorities)
        context["filters"] = self.filters
        context["rows"] = queue_rows(list(context["page_obj"].object_list), self.request.user)
        context["many_authorities"] = len(self.request.user.authorities) > 1
        return context


# --- recording a contact --------------------------------------------------------------------------

def picker_context(request, data) -> dict:
    """The people chosen so far (ticked) and the people found for ``q`` (in the user's scope,
    with possible duplicates flagged), for the people picker. Searches are audited."""
    user = request.user
    ids = []
    for value in data.getlist("person"):
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    chosen = list(Person.objects.visible_to(user, "change").filter(pk__in=ids).select_related("authority"))
    q = (data.get("q") or "").strip()
    results, truncated = [], False
    if len(q) >= MIN_SEARCH:
        found, truncated = search.search_people(user, name=q, limit=SEARCH_LIMIT)
        record(request, Action.SEARCH, summary=f"New contact: {len(found)} results", detail={"name": q})
        picked = {p.pk for p in chosen}
        results = [r for r in found if r.person.pk not in picked]
    return {"chosen": chosen, "q": q, "results": results, "truncated": truncated,
            "searched": len(q) >= MIN_SEARCH, "too_short": 0 < len(q) < MIN_SEARCH}


class PeopleSearch(CapabilityRequiredMixin, generic.TemplateView):
    """The person search as you type (htmx): GOV.UK checkboxes of the people chosen so far and
    of the people found. Without JavaScript the same list comes back with the whole form."""

    capability = "front_door.record"
    template_name = "front_door/_people_picker.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(picker_context(self.request, self.request.GET))
        return context


def _hide_errors(*forms) -> None:
    """Re-show a form while it is being filled in (a search, another person) without errors."""
    for form in forms:
        form._errors = ErrorDict()


class ContactCreate(CapabilityRequiredMixin, generic.TemplateView):
    """One page for the contact and everyone it is about. Buttons say what the post is for:
    ``search`` and ``add-person`` show the page again with what was typed (so it works without
    JavaScript); ``save`` records everything through ``services.record_contact``."""

    capability = "front_door.record"
    template_name = "front_door/contact_form.html"

    def get_forms(self, data=None):
        user = self.request.user
        authorities = user.authorities
        form = ContactForm(data, authorities=authorities, managers=services.consent_managers(authorities))
        if data is not None and data.get("action") == "add-person":
            data = data.copy()
            total = int(data.get("new-TOTAL_FORMS") or 0) if (data.get("new-TOTAL_FORMS") or "").isdigit() else 0
            data["new-TOTAL_FORMS"] = str(min(total + 1, MAX_NEW_PEOPLE))
        formset = NewSubjectFormSet(data, prefix="new")
        return form, formset

    def render_page(self, form, formset, picker, people_errors=()):
        summary = ErrorSummary(form, *formset.forms, extra=[("people", e) for e in people_errors])
        if formset.is_bound and formset._non_form_errors:
            summary.extra.extend(("new", str(e)) for e in formset._non_form_errors)
        context = self.get_context_data(form=form, formset=formset, people_errors=people_errors,
                                        summary=summary, form_errors=bool(summary), **picker)
        return self.render_to_response(context)

    def get(self, request, *args, **kwargs):
        form, formset = self.get_forms()
        return self.render_page(form, formset, picker_context(request, request.GET))

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action") or "save"
        form, formset = self.get_forms(request.POST)
        picker = picker_context(request, request.POST)
        if action != "save":
            formset.forms  # noqa: B018 - build the forms before hiding their errors
            _hide_errors(form, *formset.forms)
            formset._errors, formset._non_form_errors = [], formset.error_class()
            return self.render_page(form, formset, picker)
        valid = form.is_valid()
        valid = formset.is_valid() and valid
        people_errors = []
        if valid:
            data = form.cleaned_data
            details = services.ContactDetails(
                received_at=data["received_at"], source=data["source"], reason=data["reason"],
                consent=data["consent"], consent_reason=data.get("consent_reason", ""),
                consent_overridden_by=data.get("consent_overridden_by"),
                referrer_name=data.get("referrer_name", ""), referrer_organisation=data.get("referrer_organisation", ""),
                referrer_phone=data.get("referrer_phone", ""), referrer_email=data.get("referrer_email", ""))
            new_forms = [f for f in formset.forms if f.has_changed()]
            try:
                contact = services.record_contact(
                    actor=request.user, authority=data["authority"], details=details,
                    people=[p.pk for p in picker["chosen"]], new_people=[f.to_new_person() for f in new_forms],
                    request=request)
            except services.Refused as refused:
                people_errors = self.show_problems(refused, form, new_forms)
            else:
                messages.success(request, "Contact recorded")
                return redirect(contact.get_absolute_url())
        return self.render_page(form, formset, picker, people_errors)

    @staticmethod
    def show_problems(refused, form, new_forms) -> list[str]:
        people_errors = []
        for index, found in refused.candidates.items():
            new_forms[index].candidates = found
        for p in refused.problems:
            if p.field.startswith("new-"):
                _, index, *name = p.field.split("-", 2)
                target = new_forms[int(index)]
                name = name[0] if name else None
                target.add_error(name if name in target.fields else None, p.message)
            elif p.field == "people":
                people_errors.append(p.message)
            else:
                form.add_error(p.field if p.field in form.fields else None, p.message)
        return people_errors


# --- the contact page -----------------------------------------------------------------------------

class ContactDetail(RecordDetailView):
    model = Contact
    capability = "front_door.view"
    template_name = "front_door/contact_detail.html"
    context_object_name = "contact"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contact, user = self.object, self.request.user
        subjects = list(ContactSubject.objects.filter(contact=contact).select_related("person", "person__authority")
                        .order_by("role", "person__last_name", "person__first_name"))
        openable = set(Person.objects.filter(pk__in=[s.person_id for s in subjects]).visible_to(user, "view")
                       .values_list("pk", flat=True))
        context.update(
            subjects=[(s, s.person_id in openable) for s in subjects],
            clock=clock.clock_for(contact),
            checks=list(contact.checks.all()),
            referrals=list(CINEpisode.objects.visible_to(user).filter(contact=contact).select_related("person")),
        )
        return context


class ContactActionView(FormPageMixin, RecordMixin, generic.FormView):
    """A change to a contact (fetched in ``change`` scope, with its version) through a service.
    A refusal comes back as GOV.UK field errors with nothing saved; a stale edit keeps the
    user's input and says who changed the record."""

    model = Contact
    action = "change"
    template_name = "front_door/action_form.html"
    success_message = ""

    def get_record(self):
        if not hasattr(self, "object"):
            self.object = self.get_object()
        return self.object

    def contact(self) -> Contact:
        return self.get_record()

    def get_initial(self):
        return {"version": self.get_record().version, **self.initial_for(self.get_record())}

    def initial_for(self, obj) -> dict:
        return {}

    def get_form_kwargs(self):
        self.get_record()
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contact = self.contact()
        context.update(object=self.get_record(), contact=contact, clock=clock.clock_for(contact),
                       children=[s.person for s in contact.subjects.filter(role=ContactSubject.Role.CHILD)
                                 .select_related("person")],
                       form_errors=bool(context["form"].errors))
        return context

    def get_cancel_url(self) -> str:
        return self.contact().get_absolute_url()

    def expected_version(self, form) -> int:
        return form.cleaned_data.get("version") or self.get_record().version

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except services.Refused as refused:
            for p in refused.problems:
                form.add_error(p.field if p.field in form.fields else None, p.message)
            self.refresh()
            return self.form_invalid(form)
        except StaleEdit as stale:
            when = f" at {timezone.localtime(stale.changed_at):%H:%M on %d/%m/%Y}" if stale.changed_at else ""
            form.add_error(None, f"{stale.changed_by or 'Another user'} changed this record{when}, after you opened "
                                 "it. Your changes have not been saved. Check the record, then save again to keep "
                                 "your changes.")
            data = form.data.copy()
            data["version"] = stale.obj.version
            form.data = data
            self.refresh()
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.contact().get_absolute_url())

    def refresh(self) -> None:
        """The service may have changed the object in memory before refusing: read it again."""
        self.object = type(self.object)._base_manager.get(pk=self.object.pk)


class ContactRate(ContactActionView):
    capability = "front_door.decide"
    form_class = RateForm
    title = "Rate the contact"
    submit_label = "Save rating"
    success_message = "Rating saved"

    def initial_for(self, obj):
        return {"rag": obj.rag, "rag_reason": obj.rag_reason}

    def perform(self, form):
        d = form.cleaned_data
        return services.rate_contact(actor=self.request.user, contact=self.object, rag=d["rag"], reason=d["rag_reason"],
                                     expected_version=self.expected_version(form), request=self.request)


class ContactConsent(ContactActionView):
    capability = "front_door.record"
    form_class = ConsentForm
    title = "Consent to share information"
    submit_label = "Save consent"
    success_message = "Consent saved"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["managers"] = services.consent_managers([self.object.authority])
        return kwargs

    def initial_for(self, obj):
        return {"consent": obj.consent, "consent_reason": obj.consent_reason,
                "consent_overridden_by": obj.consent_overridden_by_id}

    def perform(self, form):
        d = form.cleaned_data
        return services.update_consent(actor=self.request.user, contact=self.object, consent=d["consent"],
                                       reason=d.get("consent_reason", ""), manager=d.get("consent_overridden_by"),
                                       expected_version=self.expected_version(form), request=self.request)


class CheckCreate(ContactActionView):
    capability = "front_door.record"
    form_class = CheckRequestForm
    title = "Ask an agency for a check"
    submit_label = "Save request"
    success_message = "Check requested"

    def get_initial(self):
        return {}

    def perform(self, form):
        d = form.cleaned_data
        return services.request_check(actor=self.request.user, contact=self.object, agency=d["agency"],
                                      requested_at=d["requested_at"], request=self.request)


class CheckResult(ContactActionView):
    model = AgencyCheck
    capability = "front_door.record"
    form_class = CheckResultForm
    submit_label = "Save reply"
    success_message = "Reply recorded"

    def get_title(self):
        return f"What the {self.get_record().get_agency_display().lower()} check found"

    def contact(self) -> Contact:
        return self.get_record().contact

    def initial_for(self, obj):
        return {"information": obj.information}

    def perform(self, form):
        d = form.cleaned_data
        return services.record_check_result(actor=self.request.user, check=self.object, returned_at=d["returned_at"],
                                            information=d["information"], expected_version=self.expected_version(form),
                                            request=self.request)


class ContactDecision(ContactActionView):
    capability = "front_door.decide"
    form_class = DecisionForm
    title = "Record the decision"
    submit_label = "Save decision"
    success_message = "Decision recorded"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contact = self.contact()
        context["outstanding"] = [c for c in contact.checks.all() if c.returned_at is None]
        context["not_rated"] = not contact.rag
        return context

    def perform(self, form):
        d = form.cleaned_data
        return services.decide_contact(actor=self.request.user, contact=self.object, decision=d["decision"],
                                       reason=d["decision_reason"], decided_at=d["decided_at"],
                                       primary_need=d.get("primary_need") or "N0",
                                       expected_version=self.expected_version(form), request=self.request)


class ContactFeedback(ContactActionView):
    capability = "front_door.record"
    form_class = FeedbackForm
    title = "Feedback to the referrer"
    submit_label = "Save feedback"
    success_message = "Feedback recorded"

    def initial_for(self, obj):
        return {"feedback": obj.feedback}

    def perform(self, form):
        d = form.cleaned_data
        return services.record_feedback(actor=self.request.user, contact=self.object, feedback=d["feedback"],
                                        given_at=d["given_at"], expected_version=self.expected_version(form),
                                        request=self.request)
