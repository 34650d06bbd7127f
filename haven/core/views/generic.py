"""Generic record views. A module's view is a few declarations:

    class AddressCreate(RecordCreateView):
        model = Address
        form_class = AddressForm
        capability = "people.edit"
        parent_model = Person          # created under /people/<person_pk>/…
        parent_field = "person"

Every view here checks the capability, applies scope *before* fetching (out of scope: 404;
restricted without a grant: 403 with the break-glass route), audits views and changes, carries
the version on edits (a stale save is refused and the user's input kept), renders GOV.UK error
summaries and answers htmx requests with a partial.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.views import generic

from haven.audit.log import Action, record
from haven.core.versioning import StaleEdit, save_versioned

ANY_SIGNED_IN = "__any_signed_in__"


class RestrictedRecord(Exception):
    def __init__(self, person_id):
        self.person_id = person_id


class CapabilityRequiredMixin:
    """Refuses (403) a user without ``capability``. Every view must say what it needs:
    ``ANY_SIGNED_IN`` is a deliberate choice, never a default."""

    capability: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not self.capability:
            raise ImproperlyConfigured(f"{type(self).__name__} must set capability")
        if self.capability != ANY_SIGNED_IN and not request.user.has_capability(self.capability):
            raise PermissionDenied(f"You need the '{self.capability}' capability")
        try:
            return super().dispatch(request, *args, **kwargs)
        except RestrictedRecord as exc:
            from haven.people.models import Person

            authority_id = Person.objects.filter(pk=exc.person_id).values_list("authority_id", flat=True).first()
            record(request, Action.DENIED, person_id=exc.person_id, authority_id=authority_id,
                   summary="Restricted record: access refused")
            return render(request, "core/restricted.html", {"person_id": exc.person_id}, status=403)


class HtmxMixin:
    """On an htmx request, render ``partial_template_name`` instead of the whole page."""

    partial_template_name: str | None = None

    def get_template_names(self):
        if self.partial_template_name and getattr(self.request, "htmx", False):
            return [self.partial_template_name]
        return super().get_template_names()


def fetch_in_scope(model, user, pk, action: str = "view"):
    """The one way a view fetches a case record: scope first, 404 outside it, RestrictedRecord
    (→ 403 with break-glass) when in scope but restricted."""
    try:
        return model.objects.visible_to(user, action).get(pk=pk)
    except model.DoesNotExist:
        pass
    except (ValueError, TypeError):
        raise Http404 from None
    hidden = model.objects.visible_to(user, "discover").filter(pk=pk).first()
    if hidden is not None:
        raise RestrictedRecord(hidden.audit_person_id())
    raise Http404(f"No {model._meta.verbose_name} found")


class RecordMixin(CapabilityRequiredMixin):
    model = None
    action = "view"

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user, self.action)

    def get_object(self, queryset=None):
        return fetch_in_scope(self.model, self.request.user, self.kwargs.get("pk"), self.action)


class ParentMixin:
    """For records created under a parent record (usually a person): the parent is fetched in
    ``change`` scope, so a user cannot attach records to people outside it."""

    parent_model = None
    parent_field: str | None = None
    parent_kwarg = "person_pk"
    parent_action = "change"

    def get_parent(self):
        if not hasattr(self, "_parent"):
            self._parent = None
            if self.parent_model is not None:
                self._parent = fetch_in_scope(
                    self.parent_model, self.request.user, self.kwargs[self.parent_kwarg], self.parent_action
                )
        return self._parent

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["parent"] = self.get_parent()
        return context


class RecordListView(HtmxMixin, CapabilityRequiredMixin, generic.ListView):
    """A scoped, filterable, paginated list. ``filter_form`` is a form with ``filter(qs)``."""

    filter_form = None
    paginate_by = 50
    action = "view"

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user, self.action)
        self.filters = None
        if self.filter_form is not None:
            self.filters = self.filter_form(self.request.GET or None)
            if self.filters.is_valid():
                qs = self.filters.filter(qs)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filters"] = self.filters
        return context


class RecordDetailView(HtmxMixin, RecordMixin, generic.DetailView):
    """Shows one record and writes a ``view`` entry to the access log."""

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        record(request, Action.VIEW, obj=self.object, summary=self.audit_summary())
        return self.render_to_response(self.get_context_data(object=self.object))

    def audit_summary(self) -> str:
        return f"{self.model._meta.verbose_name.capitalize()}: {self.object}"


class FormPageMixin:
    template_name = "core/form.html"
    title = ""
    submit_label = "Save"
    success_message = ""

    def get_title(self) -> str:
        return self.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.get_title())
        context.setdefault("submit_label", self.submit_label)
        context.setdefault("cancel_url", self.get_cancel_url())
        return context

    def get_cancel_url(self) -> str:
        obj = getattr(self, "object", None)
        if obj is not None and getattr(obj, "pk", None):
            return obj.get_absolute_url()
        parent = self.get_parent() if hasattr(self, "get_parent") else None
        return parent.get_absolute_url() if parent is not None else "/"


class RecordCreateView(HtmxMixin, FormPageMixin, ParentMixin, CapabilityRequiredMixin, generic.CreateView):
    """Creates a record in one transaction, sets its authority (from the parent, or
    ``get_authority``), checks the result is in the user's scope, and audits it."""

    def get_authority(self, obj, form):
        parent = self.get_parent()
        if parent is not None:
            return parent.authority
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_authority()")

    def before_save(self, obj, form) -> None:
        """Hook: set derived fields before the first save."""

    def after_save(self, obj, form) -> None:
        """Hook: create related records in the same transaction."""

    def form_valid(self, form):
        user = self.request.user
        with transaction.atomic():
            obj = form.save(commit=False)
            parent = self.get_parent()
            if parent is not None and self.parent_field:
                setattr(obj, self.parent_field, parent)
            if not obj.authority_id:
                obj.authority = self.get_authority(obj, form)
            obj.created_by = obj.updated_by = user
            self.before_save(obj, form)
            obj.save()
            form.save_m2m()
            self.after_save(obj, form)
            # NetBox's rule: re-check scope after saving, inside the transaction.
            if not type(obj).objects.visible_to(user, "change").filter(pk=obj.pk).exists():
                raise PermissionDenied("The record would be outside your scope")
            record(self.request, Action.CREATE, obj=obj)
        self.object = obj
        if self.success_message:
            messages.success(self.request, self.success_message.format(obj=obj))
        return self.redirect_after(obj)

    def redirect_after(self, obj):
        from django.shortcuts import redirect

        return redirect(self.get_success_url())


class RecordUpdateView(HtmxMixin, FormPageMixin, RecordMixin, generic.UpdateView):
    """Edits a record. The form must be a ``VersionedModelForm``: if someone saved the record
    since the form was opened, the save is refused, the user's input is kept, and the message
    names who changed it."""

    action = "change"

    def form_valid(self, form):
        obj = form.save(commit=False)
        expected = form.cleaned_data.get("version") or obj.version
        try:
            with transaction.atomic():
                save_versioned(obj, expected_version=expected, actor=self.request.user)
                form.save_m2m()
                self.after_save(obj, form)
                record(self.request, Action.UPDATE, obj=obj, detail={"changed": form.changed_data})
        except StaleEdit as stale:
            form.add_error(None, stale.message())
            data = form.data.copy()
            data["version"] = stale.obj.version
            form.data = data
            return self.form_invalid(form)
        self.object = obj
        if self.success_message:
            messages.success(self.request, self.success_message.format(obj=obj))
        from django.shortcuts import redirect

        return redirect(self.get_success_url())

    def after_save(self, obj, form) -> None:
        """Hook: update related records in the same transaction."""


def paginate(request, items, per_page: int = 50):
    return Paginator(items, per_page).get_page(request.GET.get("page"))
