"""Child protection pages: strategy discussions, section 47 enquiries, conferences and core
groups. Declarations over the kernel's generic views; every change goes through ``services``
(the API calls the same functions)."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import generic

from haven.core.versioning import StaleEdit
from haven.core.views.generic import (
    CapabilityRequiredMixin,
    FormPageMixin,
    RecordDetailView,
    RecordMixin,
    fetch_in_scope,
)
from haven.people.models import Person
from haven.plans.models import Plan

from . import forms, queries, services
from .models import (
    Conference,
    ConferenceChild,
    CoreGroupMeeting,
    S47Enquiry,
    StrategyChild,
    StrategyDiscussion,
)


def _query_pk(request, name: str) -> int | None:
    value = request.POST.get(name) or request.GET.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404(f"No such {name}") from None


def error_items(*parts) -> list[tuple[str, str]]:
    """The GOV.UK error summary of a page made of several forms and formsets."""
    items: list[tuple[str, str]] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, (list, tuple)):
            items += error_items(*part)
        elif hasattr(part, "forms"):
            if part.is_bound:
                items += [("", str(e)) for e in part.non_form_errors()]
                items += error_items(*part.forms)
        elif part.is_bound:
            items += part.error_summary()
    return items


# --- strategy discussion ----------------------------------------------------------------------

class StrategyCreate(CapabilityRequiredMixin, generic.TemplateView):
    """/protection/strategy/add/?person=<pk>: one discussion about the child and any of their
    siblings; each attendee by agency; a decision per child; the actions agreed. Without a
    child, the page says where to start."""

    capability = "protection.record"
    template_name = "protection/strategy_form.html"

    def setup_person(self):
        from haven.front_door.models import Contact

        pk = _query_pk(self.request, "person")
        if pk is None:
            return None
        user = self.request.user
        person = fetch_in_scope(Person, user, pk, "change")
        self.family = queries.family_in_scope(person, user)
        # From the front door (``&contact=<pk>``): the contact's children are offered and chosen.
        contact_pk = _query_pk(self.request, "contact")
        self.contact = fetch_in_scope(Contact, user, contact_pk) if contact_pk is not None else None
        self.chosen = [person.pk]
        if self.contact is not None:
            subjects = list(Person.objects.children().visible_to(user, "change")
                            .filter(contact_subjects__contact=self.contact).order_by("date_of_birth", "pk"))
            self.family += [p for p in subjects if p not in self.family]
            self.chosen += [p.pk for p in subjects if p.pk != person.pk]
        self.needs_referral = [p for p in self.family if queries.open_episode(p) is None]
        return person

    def query(self) -> str:
        return f"?person={self.person.pk}" + (f"&contact={self.contact.pk}" if self.contact else "")

    def forms(self, data=None):
        form = forms.StrategyForm(data, family=self.family, needs_referral=self.needs_referral,
                                  initial={"children": [str(pk) for pk in self.chosen]})
        return form, forms.attendee_formset(data), forms.ActionFormSet(data, prefix="actions")

    def get(self, request, *args, **kwargs):
        self.person = self.setup_person()
        if self.person is None:
            return render(request, "protection/start.html", {"title": "Record a strategy discussion"})
        return self.render_page(*self.forms())

    def render_page(self, form, attendees, actions, missing=None):
        errors = error_items(form, attendees, actions)
        return render(self.request, self.template_name, {
            "errors": errors, "form_errors": bool(errors),
            "title": "Record a strategy discussion", "person": self.person, "form": form, "attendees": attendees,
            "actions": actions, "missing": missing or [], "needs_referral": self.needs_referral,
            "cancel_url": self.person.get_absolute_url(), "query": self.query(), "contact": self.contact,
        })

    def post(self, request, *args, **kwargs):
        self.person = self.setup_person()
        if self.person is None:
            raise Http404("Choose the child first")
        form, attendees, actions = self.forms(request.POST)
        attendee_rows, action_rows = [], []
        rows = forms.rows_of(attendees, attendee_rows) if attendees.is_valid() else []
        # Said plainly before anything is saved: which required agencies did not take part.
        missing = services.missing_agencies(rows)
        form.set_missing(missing)
        valid = all([form.is_valid(), attendees.is_valid(), actions.is_valid()])
        if not valid:
            return self.render_page(form, attendees, actions, missing)
        data = form.cleaned_data
        try:
            discussion = services.record_strategy_discussion(
                actor=request.user, request=request, held_at=data["held_at"], children=form.decisions(),
                attendees=rows, actions=forms.rows_of(actions, action_rows), summary=data.get("summary", ""),
                absence_confirmed=bool(data.get("absence_confirmed")), absence_reason=data.get("absence_reason", ""),
                referral_source=data.get("referral_source", ""), contact=self.contact)
        except services.Refused as refused:
            problems = forms.attach_row_problems(refused.problems, "attendees", attendee_rows, form)
            problems = forms.attach_row_problems(problems, "actions", action_rows, form)
            for p in problems:
                name = {"held_at": "held_on"}.get(p.field, p.field)
                if name == "children" and p.person_id and f"s47_{p.person_id}" in form.fields:
                    name = f"s47_{p.person_id}"  # beside the decision for that child
                form.add_error(name if name in form.fields else None, p.message)
            return self.render_page(form, attendees, actions, missing)
        messages.success(request, "Strategy discussion recorded")
        return redirect(discussion.get_absolute_url())


class StrategyDetail(RecordDetailView):
    model = StrategyDiscussion
    capability = "protection.view"
    template_name = "protection/strategy_detail.html"
    context_object_name = "discussion"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        d = self.object
        user = self.request.user
        visible = set(Person.objects.visible_to(user).filter(strategy_decisions__discussion=d).values_list("pk", flat=True))
        children = []
        for sc in StrategyChild.objects.filter(discussion=d).select_related("person", "episode").order_by("person__date_of_birth"):
            s47 = S47Enquiry.objects.filter(strategy_discussion=d, person_id=sc.person_id).first() if sc.s47_decided else None
            children.append({"decision": sc, "person": sc.person if sc.person_id in visible else None, "s47": s47})
        context.update(children=children, attendees=d.attendees.all().order_by("pk"), actions=d.actions.all().order_by("pk"),
                       missing=d.missing_agencies(), held_on=timezone.localtime(d.held_at).date())
        return context


# --- section 47 enquiry -----------------------------------------------------------------------

class S47Detail(RecordDetailView):
    model = S47Enquiry
    capability = "protection.view"
    template_name = "protection/s47_detail.html"
    context_object_name = "s47"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        s47 = self.object
        icpc = queries.initial_conference_for(s47)
        context.update(
            person=s47.person, discussion=s47.strategy_discussion, icpc=icpc, clock=queries.deadline_status(queries.icpc_deadline(s47)),
            can_record="protection.record" in self.request.user.capabilities,
            can_chair="protection.chair" in self.request.user.capabilities,
            form=kwargs.get("form") or forms.S47OutcomeForm(instance=s47),
        )
        return context


class S47Outcome(FormPageMixin, RecordMixin, generic.FormView):
    """Record (or correct) the outcome of the enquiry and the day it concluded."""

    model = S47Enquiry
    capability = "protection.record"
    action = "change"
    form_class = forms.S47OutcomeForm
    template_name = "protection/s47_outcome_form.html"
    title = "Record the outcome of the section 47 enquiry"
    submit_label = "Save outcome"

    def get_record(self):
        if not hasattr(self, "object"):
            self.object = self.get_object()
        return self.object

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = copy.copy(self.get_record())  # the form must not change the record it reads
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(object=self.get_record(), parent=self.get_record().person)
        return context

    def get_cancel_url(self):
        return self.get_record().get_absolute_url()

    def form_valid(self, form):
        s47 = self.get_record()
        data = form.cleaned_data
        try:
            services.record_s47_outcome(actor=self.request.user, request=self.request, s47=s47,
                                        expected_version=data.get("version") or s47.version, outcome=data["outcome"],
                                        completed_date=data["completed_date"])
        except services.Refused as refused:
            forms.add_problems(form, refused.problems)
            return self.form_invalid(form)
        except StaleEdit as stale:
            when = f" at {timezone.localtime(stale.changed_at):%H:%M on %d/%m/%Y}" if stale.changed_at else ""
            form.add_error(None, f"{stale.changed_by or 'Another user'} changed this record{when}, after you opened it. "
                                 "Your changes have not been saved. Check the record, then save again to keep your changes.")
            data = form.data.copy()
            data["version"] = stale.obj.version
            form.data = data
            return self.form_invalid(form)
        messages.success(self.request, "Outcome of the section 47 enquiry recorded")
        return redirect(s47.get_absolute_url())


# --- conferences ------------------------------------------------------------------------------

class ConferenceCreate(CapabilityRequiredMixin, generic.TemplateView):
    """/protection/conferences/add/?s47=<pk> (initial conference: the child and their siblings
    whose enquiries from the same discussion need one) or ?plan=<pk> (review conference: the
    child's plan and the siblings' current child protection plans)."""

    capability = "protection.chair"
    template_name = "protection/conference_form.html"

    kind = None

    def load(self):
        user = self.request.user
        s47_pk, plan_pk = _query_pk(self.request, "s47"), _query_pk(self.request, "plan")
        if s47_pk is not None:
            self.kind = Conference.Kind.INITIAL
            s47 = fetch_in_scope(S47Enquiry, user, s47_pk, "change")
            self.anchor, self.person = s47, s47.person
            others = (S47Enquiry.objects.visible_to(user, "change")
                      .filter(strategy_discussion=s47.strategy_discussion, outcome=S47Enquiry.Outcome.ICPC)
                      .exclude(pk=s47.pk).select_related("person").order_by("person__date_of_birth"))
            self.items = [s47, *[o for o in others if queries.initial_conference_for(o) is None]]
            self.authority = s47.authority
        elif plan_pk is not None:
            self.kind = Conference.Kind.REVIEW
            plan = fetch_in_scope(Plan, user, plan_pk, "change")
            self.anchor, self.person = plan, plan.person
            family = queries.family_in_scope(plan.person, user)[1:]
            others = [queries.current_cp_plan(p) for p in family]
            self.items = [plan, *[o for o in others if o is not None and o.pk != plan.pk]]
            self.authority = plan.authority
        return self.kind

    def child_forms(self, data=None):
        out = []
        for i, item in enumerate(self.items):
            person = item.person
            prefix = f"child-{person.pk}"
            initial = {"include": i == 0}
            if self.kind == Conference.Kind.INITIAL:
                label = f"{person.full_name}: section 47 enquiry from {queries.day(item.start_date)}"
                out.append(forms.InitialChildForm(data, s47=item, prefix=prefix, label=label, initial=initial))
            else:
                label = f"{person.full_name}: child protection plan from {queries.day(item.start_date)}"
                out.append(forms.ReviewChildForm(data, plan=item, prefix=prefix, label=label, initial=initial))
        return out

    def all_forms(self, data=None):
        form = forms.ConferenceForm(data, authority=self.authority, actor=self.request.user)
        return form, forms.attendee_formset(data), self.child_forms(data)

    def render_page(self, form, attendees, children):
        initial = self.kind == Conference.Kind.INITIAL
        title = "Record an initial child protection conference" if initial else "Record a review child protection conference"
        cancel = self.anchor.get_absolute_url() if initial else queries.plan_url(self.anchor)
        errors = error_items(form, children, attendees)
        context = {"errors": errors, "form_errors": bool(errors), "title": title, "kind": self.kind, "person": self.person, "anchor": self.anchor, "form": form,
                   "attendees": attendees, "children": children,
                   "cancel_url": cancel or self.person.get_absolute_url()}
        if initial:
            context["clock"] = queries.deadline_status(queries.icpc_deadline(self.anchor))
            context["awaiting_outcome"] = self.anchor.outcome != S47Enquiry.Outcome.ICPC
        return render(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        if self.load() is None:
            return render(request, "protection/start.html", {"title": "Record a child protection conference",
                                                             "conference": True})
        return self.render_page(*self.all_forms())

    def post(self, request, *args, **kwargs):
        if self.load() is None:
            raise Http404("Choose the enquiry or the plan first")
        form, attendees, children = self.all_forms(request.POST)
        valid = all([form.is_valid(), attendees.is_valid(), *[c.is_valid() for c in children]])
        if valid and not any(c.included for c in children):
            form.add_error(None, "Select the children the conference was about")
            valid = False
        if not valid:
            return self.render_page(form, attendees, children)
        attendee_rows: list = []
        rows = forms.rows_of(attendees, attendee_rows)
        chosen = [c for c in children if c.included]
        data = form.cleaned_data
        common = dict(actor=request.user, request=request, held_on=data["held_on"], chair=data["chair"],
                      parents_received_report=data["parents_received_report"] == "yes", summary=data.get("summary", ""),
                      attendees=rows, children=[c.as_input() for c in chosen])
        try:
            if self.kind == Conference.Kind.INITIAL:
                conference = services.record_initial_conference(**common)
            else:
                conference = services.record_review_conference(**common)
        except services.Refused as refused:
            problems = forms.attach_row_problems(refused.problems, "attendees", attendee_rows, form)
            forms.add_problems(form, problems, prefix_map={c.person.pk: c for c in children})
            return self.render_page(form, attendees, children)
        messages.success(request, "Conference recorded")
        return redirect(conference.get_absolute_url())


class ConferenceDetail(RecordDetailView):
    model = Conference
    capability = "protection.view"
    template_name = "protection/conference_detail.html"
    context_object_name = "conference"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        c = self.object
        user = self.request.user
        visible = set(Person.objects.visible_to(user).filter(conference_decisions__conference=c).values_list("pk", flat=True))
        rows = []
        for cc in (ConferenceChild.objects.filter(conference=c).select_related("person", "plan", "s47")
                   .order_by("person__date_of_birth")):
            rows.append({"decision": cc, "person": cc.person if cc.person_id in visible else None,
                         "plan_url": queries.plan_url(cc.plan) if cc.plan else ""})
        context.update(children=rows, attendees=c.attendees.all().order_by("pk"))
        return context


# --- core group -------------------------------------------------------------------------------

class CoreGroupCreate(FormPageMixin, CapabilityRequiredMixin, generic.FormView):
    """/protection/core-groups/add/<plan_pk>/: a core group meeting for a child protection plan."""

    capability = "protection.record"
    parent_model = Plan
    parent_kwarg = "plan_pk"
    form_class = forms.CoreGroupForm
    template_name = "protection/core_group_form.html"
    title = "Record a core group meeting"
    submit_label = "Save meeting"

    def get_parent(self):
        if not hasattr(self, "_plan"):
            self._plan = fetch_in_scope(Plan, self.request.user, self.kwargs["plan_pk"], "change")
        return self._plan

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.get_parent()}

    def get_cancel_url(self):
        plan = self.get_parent()
        return queries.plan_url(plan) or plan.person.get_absolute_url()

    def get_context_data(self, **kwargs):
        from django.contrib.contenttypes.models import ContentType

        from haven.work.models import Deadline

        context = super().get_context_data(**kwargs)
        plan = self.get_parent()
        ct = ContentType.objects.get_for_model(Plan)
        deadline = (Deadline.objects.filter(rule="core_group_10wd", content_type=ct, object_id=plan.pk)
                    .order_by("-sequence").first())
        context.update(parent=plan.person, plan=plan, clock=queries.deadline_status(deadline),
                       meetings=CoreGroupMeeting.objects.visible_to(self.request.user).filter(plan=plan))
        return context

    def form_valid(self, form):
        plan = self.get_parent()
        data = form.cleaned_data
        try:
            services.record_core_group(actor=self.request.user, request=self.request, plan=plan, held_on=data["held_on"],
                                       attendees=data.get("attendees", ""), notes=data.get("notes", ""))
        except services.Refused as refused:
            forms.add_problems(form, refused.problems)
            return self.form_invalid(form)
        messages.success(self.request, "Core group meeting recorded")
        return redirect(queries.plan_url(plan) or plan.person.get_absolute_url())
