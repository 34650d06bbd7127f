"""Worklists: "My work" for a worker, "Team work" for a manager (with reallocation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from haven.core.views.generic import CapabilityRequiredMixin, fetch_in_scope
from haven.people.models import Allocation

from . import services, worklists
from .forms import ReallocateForm


def _group(request) -> str | None:
    group = request.GET.get("group") or None
    return group if group in worklists.GROUP_LABELS else None


class MyWork(CapabilityRequiredMixin, generic.TemplateView):
    """The signed-in worker's open deadlines for the children allocated to them."""

    capability = "work.view"
    template_name = "work/my_work.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        worklist = worklists.my_work(self.request.user, now)
        group = _group(self.request)
        context.update(worklist=worklist, sections=worklist.sections(group), group=group, groups=worklists.GROUPS,
                       children=worklists.my_allocations(self.request.user).values("person_id").distinct().count(), now=now,
                       row_limit=worklists.ROW_LIMIT)
        return context


class TeamWork(CapabilityRequiredMixin, generic.TemplateView):
    """A manager's view of every open deadline in their teams, with counts per worker."""

    capability = "work.team"
    template_name = "work/team_work.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        team = worklists.team_work(self.request.user, worker=self.request.GET.get("worker") or None, now=now)
        group = _group(self.request)
        context.update(team=team, sections=team.worklist.sections(group), group=group, groups=worklists.GROUPS,
                       now=now, row_limit=worklists.ROW_LIMIT)
        return context


class Reallocate(CapabilityRequiredMixin, generic.FormView):
    """Move a child's allocation to another worker in the same team (ends the old allocation
    today, starts the new one today; audited)."""

    capability = "work.team"
    model = Allocation
    template_name = "work/reallocate.html"
    form_class = ReallocateForm

    def get_allocation(self):
        if not hasattr(self, "_allocation"):
            self._allocation = fetch_in_scope(Allocation, self.request.user, self.kwargs["pk"], "change")
        return self._allocation

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        allocation = self.get_allocation()
        kwargs.update(workers=services.workers_for(allocation), version=allocation.version)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allocation = self.get_allocation()
        problem = services.can_reallocate(self.request.user, allocation)
        workers = list(services.workers_for(allocation)) if not problem else []
        if not problem and not workers:
            problem = f"There is no one else in {allocation.team} to move this child to"
        context.update(allocation=allocation, person=allocation.person, problem=problem,
                       title=f"Reallocate {allocation.person.full_name}",
                       cancel_url=reverse("work:team") + (f"?worker={allocation.worker_id}" if allocation.worker_id else ""))
        return context

    def post(self, request, *args, **kwargs):
        allocation = self.get_allocation()
        problem = services.can_reallocate(request.user, allocation)
        if problem:
            raise PermissionDenied(problem)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        allocation = self.get_allocation()
        try:
            new = services.reallocate(actor=self.request.user, allocation=allocation,
                                      to_worker=form.cleaned_data["worker"],
                                      expected_version=form.cleaned_data.get("version"), request=self.request)
        except services.ReallocationError as exc:
            form.add_error(exc.field, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, f"{new.person.full_name} is now allocated to {new.worker}")
        return redirect(reverse("work:team") + f"?worker={new.worker_id}")
