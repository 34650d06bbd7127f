"""People pages: search, the person's record (summary, relationships, chronology, who has seen
it, changes), and the forms that edit it. Declarations over ``haven.core.views.generic``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import generic as django_generic

from haven.accounts.models import RestrictedAccessGrant, Team, User
from haven.audit.log import Action, record
from haven.audit.models import AccessLog
from haven.chronology.registry import categories as chronology_categories
from haven.chronology.registry import chronology_for
from haven.core.versioning import save_versioned
from haven.core.views.generic import (
    CapabilityRequiredMixin,
    RecordCreateView,
    RecordDetailView,
    RecordMixin,
    RecordUpdateView,
    fetch_in_scope,
    paginate,
)

from . import search, services
from .flags import flags_for
from .forms import (
    AddressForm,
    AliasForm,
    AllocationForm,
    BreakGlassForm,
    FlagForm,
    GrantForm,
    HouseholdForm,
    HouseholdMemberForm,
    NewPersonForm,
    PersonForm,
    RelationshipForm,
    RestrictForm,
    SearchForm,
)
from .matching import PersonFacts
from .models import (
    Address,
    Allocation,
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    PersonFlag,
    Relationship,
)
from .panels import panels_for


class SearchView(CapabilityRequiredMixin, django_generic.TemplateView):
    capability = "people.search"
    template_name = "people/search.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.request.GET.get("partial"):
            return ["people/_search_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        context["form"] = form
        if self.request.GET and form.has_criteria():
            data = form.cleaned_data
            results, truncated = search.search_people(
                self.request.user, name=data["name"], date_of_birth=data["date_of_birth"],
                nhs_number=data["nhs_number"], local_id=data["local_id"],
            )
            record(self.request, Action.SEARCH, summary=f"{len(results)} results",
                   detail={k: str(v) for k, v in data.items() if v})
            context.update(results=results, truncated=truncated, searched=True)
        return context


class PersonTabMixin:
    """The record header (flags, key facts) and the tab navigation for every tab."""

    tab = "summary"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = context.get("person") or self.object
        context.update(person=person, flags=flags_for(person), tab=self.tab)
        return context


class PersonDetail(PersonTabMixin, RecordDetailView):
    model = Person
    capability = "people.view"
    template_name = "people/person_summary.html"
    context_object_name = "person"

    def audit_summary(self) -> str:
        return f"Record of {self.object.full_name} ({self.object.local_id}): {self.tab}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["addresses"] = Address.objects.visible_to(self.request.user).filter(person=person)
        context["allocations"] = Allocation.objects.current().filter(person=person).select_related("worker", "team")
        context["memberships"] = HouseholdMember.objects.filter(person=person).select_related("household")
        if self.tab == "summary":
            context["panels"] = panels_for(person, self.request.user)
        return context


class PersonRelationships(PersonDetail):
    template_name = "people/person_relationships.html"
    tab = "relationships"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["relationships"] = services.relationships_for(self.object, self.request.user)
        return context


class PersonChronology(PersonDetail):
    template_name = "people/person_chronology.html"
    partial_template_name = "people/_chronology_entries.html"
    tab = "chronology"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = [c for c in self.request.GET.getlist("category") if c]
        significant = self.request.GET.get("significant") == "1"
        context["entries"] = chronology_for(self.object, self.request.user, categories=chosen or None,
                                            significant_only=significant)
        context["categories"] = chronology_categories()
        context["chosen"] = chosen
        context["significant"] = significant
        return context


class PersonSeenBy(PersonDetail):
    capability = "people.seen_by"
    template_name = "people/person_seen_by.html"
    tab = "seen-by"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = paginate(self.request, AccessLog.objects.filter(person_id=self.object.pk).exclude(
            action__in=[AccessLog.Action.SEARCH]), 50)
        return context


class PersonChanges(PersonDetail):
    template_name = "people/person_changes.html"
    tab = "changes"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(self.object.history.select_related("history_user").order_by("-history_date", "-history_id")[:100])
        rows = []
        for newer, older in zip(versions, [*versions[1:], None], strict=False):
            changes = []
            if older is not None:
                delta = newer.diff_against(older, excluded_fields=["version", "updated_by", "updated_at"])
                changes = [(c.field, c.old, c.new) for c in delta.changes]
            rows.append((newer, changes))
        context["versions"] = rows
        return context


class PersonCreate(RecordCreateView):
    model = Person
    form_class = NewPersonForm
    capability = "people.create"
    template_name = "people/person_form.html"
    title = "Add a person"
    submit_label = "Save person"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["authorities"] = user.authorities_queryset()
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        new = PersonFacts(first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
                          date_of_birth=data.get("date_of_birth"), nhs_number=data.get("nhs_number", ""),
                          sex=data.get("sex") or "U")
        candidates = search.candidates_for(self.request.user, new)
        if candidates and not data.get("confirm_new"):
            form.candidates = candidates
            form.add_error("confirm_new", "There may already be a record for this person. Open it, or confirm that none of these is the person")
            return self.form_invalid(form)
        person = services.create_person(actor=self.request.user, form=form, request=self.request)
        messages.success(self.request, f"{person.full_name} added ({person.local_id})")
        return redirect(person.get_absolute_url())


class PersonEdit(RecordUpdateView):
    model = Person
    form_class = PersonForm
    capability = "people.edit"
    template_name = "people/person_form.html"
    success_message = "Changes to {obj} saved"

    def get_title(self):
        return f"Edit {self.object.full_name}"

    def after_save(self, obj, form):
        form.save_disabilities(obj, self.request.user)


class PersonSubRecordCreate(RecordCreateView):
    """Add a record under a person (address, alias, relationship, flag…)."""

    parent_model = Person
    parent_field = "person"
    capability = "people.edit"

    def get_success_url(self):
        return self.get_parent().get_absolute_url()


class AliasCreate(PersonSubRecordCreate):
    model = PersonAlias
    form_class = AliasForm
    title = "Add a name"
    success_message = "Name added"


class AddressCreate(PersonSubRecordCreate):
    model = Address
    form_class = AddressForm
    title = "Add an address"
    success_message = "Address added"

    def after_save(self, obj, form):
        # Moving in ends the previous open-ended address the day the new one starts.
        if obj.start_date:
            for old in Address.objects.filter(person=obj.person, end_date__isnull=True).exclude(pk=obj.pk):
                if old.start_date is None or old.start_date < obj.start_date:
                    old.end_date = obj.start_date
                    old.updated_by = self.request.user
                    old.version += 1
                    old.save()


class AddressEdit(RecordUpdateView):
    model = Address
    form_class = AddressForm
    capability = "people.edit"
    title = "Change an address"
    success_message = "Address saved"


class FlagCreate(PersonSubRecordCreate):
    model = PersonFlag
    form_class = FlagForm
    title = "Add a flag"
    success_message = "Flag added"


class AllocationCreate(PersonSubRecordCreate):
    model = Allocation
    form_class = AllocationForm
    capability = "people.allocate"
    title = "Allocate a worker"
    success_message = "Allocated"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        person = self.get_parent()
        teams = Team.objects.filter(serves=person.authority).distinct()
        kwargs["teams"] = teams
        kwargs["workers"] = User.objects.filter(memberships__team__in=teams, is_active=True).distinct()
        return kwargs


class RelationshipCreate(PersonSubRecordCreate):
    model = Relationship
    form_class = RelationshipForm
    template_name = "people/relationship_form.html"
    title = "Add a relationship"
    success_message = "Relationship added"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        person = self.get_parent()
        q = self.request.GET.get("q") or self.request.POST.get("q") or ""
        people = Person.objects.visible_to(self.request.user, "view").exclude(pk=person.pk)
        if q.strip():
            people = search.name_filter(people, q)
        elif self.request.method == "GET":
            people = people.none()
        kwargs.update(person=person, candidates=people[:50] if self.request.method == "GET" else people)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["q"] = self.request.GET.get("q", "")
        return context

    def get_success_url(self):
        return reverse("people:person-relationships", args=[self.get_parent().pk])


class RelationshipEdit(RecordUpdateView):
    model = Relationship
    form_class = RelationshipForm
    capability = "people.edit"
    title = "Change a relationship"
    success_message = "Relationship saved"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["person"] = self.object.person
        return kwargs

    def get_success_url(self):
        return reverse("people:person-relationships", args=[self.object.person_id])


class HouseholdCreate(RecordCreateView):
    model = Household
    form_class = HouseholdForm
    capability = "people.edit"
    title = "Add a household"
    success_message = "Household added"
    parent_model = Person
    parent_kwarg = "person_pk"

    def after_save(self, obj, form):
        person = self.get_parent()
        HouseholdMember.objects.create(household=obj, person=person, authority=obj.authority,
                                       created_by=self.request.user, updated_by=self.request.user)


class HouseholdDetail(RecordDetailView):
    model = Household
    capability = "people.view"
    template_name = "people/household_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = HouseholdMember.objects.filter(household=self.object).select_related("person")
        visible = set(Person.objects.filter(pk__in=[m.person_id for m in members]).visible_to(
            self.request.user).values_list("pk", flat=True))
        context["members"] = [(m, m.person_id in visible) for m in members]
        return context


class HouseholdEdit(RecordUpdateView):
    model = Household
    form_class = HouseholdForm
    capability = "people.edit"
    title = "Change a household"


class HouseholdMemberCreate(RecordCreateView):
    model = HouseholdMember
    form_class = HouseholdMemberForm
    capability = "people.edit"
    parent_model = Household
    parent_field = "household"
    parent_kwarg = "household_pk"
    title = "Add someone to the household"
    success_message = "Added to the household"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        household = self.get_parent()
        people = Person.objects.visible_to(self.request.user, "change").filter(authority=household.authority)
        q = self.request.GET.get("q", "")
        if q:
            people = search.name_filter(people, q)
        kwargs["people"] = people
        return kwargs

    def get_success_url(self):
        return self.get_parent().get_absolute_url()


class RestrictRecord(RecordMixin, django_generic.FormView):
    model = Person
    capability = "people.restrict"
    action = "discover"  # managers manage a restriction without being granted the record
    template_name = "people/restrict.html"
    form_class = RestrictForm

    def get_initial(self):
        person = self.get_object()
        return {"restricted": person.restricted, "restricted_reason": person.restricted_reason}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.get_object()
        context["grants"] = context["person"].access_grants.filter(revoked_at__isnull=True).select_related("user")
        return context

    def form_valid(self, form):
        person = self.get_object()
        person.restricted = form.cleaned_data["restricted"]
        person.restricted_reason = form.cleaned_data["restricted_reason"]
        save_versioned(person, expected_version=person.version, actor=self.request.user,
                       reason="Restriction changed")
        if person.restricted and not person.access_grants.filter(user=self.request.user, revoked_at__isnull=True).exists():
            services.grant_access(actor=self.request.user, person=person, user=self.request.user,
                                  reason="Restricted the record", request=self.request)
        record(self.request, Action.UPDATE, obj=person, detail={"restricted": person.restricted})
        messages.success(self.request, "Record restricted" if person.restricted else "Restriction removed")
        return redirect(person.get_absolute_url())


class GrantAccess(RecordMixin, django_generic.FormView):
    model = Person
    capability = "people.restrict"
    action = "discover"  # managers manage a restriction without being granted the record
    template_name = "core/form.html"
    form_class = GrantForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        person = self.get_object()
        kwargs["users"] = User.objects.filter(is_active=True, memberships__team__serves=person.authority).distinct()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title="Give someone access to this restricted record", submit_label="Give access",
                       cancel_url=self.get_object().get_absolute_url())
        return context

    def form_valid(self, form):
        person = self.get_object()
        services.grant_access(actor=self.request.user, person=person, user=form.cleaned_data["user"],
                              reason=form.cleaned_data["reason"], request=self.request)
        messages.success(self.request, f"{form.cleaned_data['user']} can now open this record")
        return redirect(person.get_absolute_url())


class RevokeAccess(RecordMixin, django_generic.View):
    """End a restricted-record grant (POST only)."""

    model = Person
    url_models = {"grant_pk": RestrictedAccessGrant}
    capability = "people.restrict"
    action = "discover"  # managers manage a restriction without being granted the record
    http_method_names = ["post"]

    def post(self, request, pk, grant_pk):
        from django.utils import timezone

        person = self.get_object()
        grant = person.access_grants.filter(pk=grant_pk, revoked_at__isnull=True).first()
        if grant is None:
            raise Http404
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        record(request, Action.GRANT, obj=person, summary=f"Access revoked for {grant.user}",
               detail={"revoked_from": grant.user.get_username()})
        messages.success(request, f"{grant.user} can no longer open this record")
        return redirect("people:person-restrict", pk=person.pk)


class BreakGlass(CapabilityRequiredMixin, django_generic.FormView):
    """Emergency access to a restricted record in the user's scope: a reason, a time limit, a
    report. Records outside the user's scope stay 404."""

    capability = "people.break_glass"
    template_name = "people/break_glass.html"
    form_class = BreakGlassForm

    def get_person(self):
        return fetch_in_scope(Person, self.request.user, self.kwargs["pk"], "discover")

    def get_context_data(self, **kwargs):
        from django.conf import settings

        context = super().get_context_data(**kwargs)
        context["person_id"] = self.get_person().pk
        context["minutes"] = settings.HAVEN_BREAK_GLASS_MINUTES
        return context

    def form_valid(self, form):
        person = self.get_person()
        if not person.restricted:
            raise PermissionDenied("Break-glass is only for restricted records")
        services.break_glass(actor=self.request.user, person=person, reason=form.cleaned_data["reason"],
                             request=self.request)
        return redirect(person.get_absolute_url())


def restricted_notice(request, person_id):
    return render(request, "core/restricted.html", {"person_id": person_id}, status=403)
