"""Monthly scorecards: the list, a scorecard's editions, its KPIs and schedule, and each month's
edition with its figures, the commentary on each KPI and the PDF (made on demand here, and by
the scheduled task in ``haven worker``). Reading needs ``kpis.scorecard``; choosing the KPIs,
writing commentary and making the PDF need ``kpis.scorecard_edit``. Scorecards are those of the
authorities (and partnerships) the user serves; any other is 404, whatever the capability.
Every page, change and download is audited (``scorecards.audit``).

Commentary carries the edition's version: a save from a page opened before someone else saved
is refused, the typed text is kept and what they saved is shown beside it; saving again then
keeps the typed text (a deliberate choice, never a silent overwrite). A scorecard's settings
(title, indicators, day, paused) carry a version in the same way."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic

from haven.audit.log import Action, record
from haven.core.forms import GovukForm
from haven.core.versioning import StaleEdit, save_versioned
from haven.core.views.generic import CapabilityRequiredMixin

from . import scorecards, store
from .catalogue import groups, load
from .models import Scorecard, ScorecardEdition
from .selection import allowed_units, unit_key
from .templatetags.kpis import RAG, kpi_value

MONTH = scorecards.MONTH
EDIT = "kpis.scorecard_edit"


def visible_scorecards(user):
    """The scorecards of the authorities the user serves, and of the partnerships all of whose
    authorities they serve."""
    units = allowed_units(user)
    authorities = [u.authority.pk for u in units if u.authority is not None]
    partnerships = [u.partnership.pk for u in units if u.partnership is not None]
    return Scorecard.objects.filter(Q(authority_id__in=authorities) | Q(partnership_id__in=partnerships))


def unit_name(scorecard) -> str:
    return (scorecard.authority or scorecard.partnership).name


class ScorecardForm(GovukForm):
    title = forms.CharField(label="Title", max_length=150,
                            help_text="For example, Children's services scorecard for the scrutiny committee")
    unit = forms.ChoiceField(label="Authority or partnership")
    kpis = forms.MultipleChoiceField(label="Indicators", widget=forms.CheckboxSelectMultiple,
                                     help_text="Select the indicators to report. They are shown in the catalogue's order")
    generate_on_day = forms.IntegerField(
        label="Day of the month to make last month's edition", min_value=1, max_value=28, initial=5,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric",
                                      "spellcheck": "false"}),
        help_text="A number between 1 and 28. On this day Haven makes last month's edition and its PDF")
    active = forms.BooleanField(label="Make an edition every month", required=False, initial=True,
                                help_text="Untick to stop making editions automatically; you can still make one by hand")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit_key(u): u for u in allowed_units(user)}
        self.catalogue = load()
        self.fields["unit"].choices = [(k, u.name) for k, u in self.units.items()]
        self.fields["kpis"].choices = [(k.id, k.name) for k in self.catalogue.values()]
        self.fields["kpis"].error_messages["required"] = "Select at least one indicator"
        self.fields["kpis"].error_messages["invalid_choice"] = "Select indicators from the list"
        self.fields["unit"].error_messages["invalid_choice"] = "Select an authority or partnership you serve"
        self.fields["generate_on_day"].error_messages.update(
            required="Enter the day of the month to make last month's edition",
            min_value="Day of the month must be between 1 and 28", max_value="Day of the month must be between 1 and 28",
            invalid="Day of the month must be a number, like 5")

    def clean_kpis(self):
        chosen = set(self.cleaned_data["kpis"])
        return [k for k in self.catalogue if k in chosen]

    def kpi_groups(self) -> list[tuple[str, list]]:
        """The indicator checkboxes by the catalogue's groups."""
        boxes = {str(box.data["value"]): box for box in self["kpis"]}
        return [(group, [boxes[k.id] for k in kpis]) for group, kpis in groups(self.catalogue.values())]


class ScorecardMixin(CapabilityRequiredMixin):
    capability = "kpis.scorecard"
    model = Scorecard
    url_values = {"month": "2026-03"}   # for the URL permission walk: a month the test world has an edition of

    def scorecard(self) -> Scorecard:
        if not hasattr(self, "_scorecard"):
            found = visible_scorecards(self.request.user).filter(pk=self.kwargs["pk"]).select_related(
                "authority", "partnership", "created_by").first()
            if found is None:
                raise Http404("No such scorecard")
            self._scorecard = found
        return self._scorecard

    def month(self) -> dt.date:
        """The last day of the month in the URL: a month that has ended, from 2000 on."""
        try:
            first = dt.datetime.strptime(self.kwargs["month"], MONTH).date()
        except ValueError:
            raise Http404("No such month") from None
        end = store.month_end(first)
        if end < scorecards.EARLIEST or end >= timezone.localdate().replace(day=1):
            raise Http404("No edition for that month: it has not ended")
        return end


class Scorecards(ScorecardMixin, generic.TemplateView):
    template_name = "kpis/scorecards.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        editions = Prefetch("editions", queryset=ScorecardEdition.objects.defer("pdf").select_related("generated_by")
                            .order_by("-month"))
        cards = list(visible_scorecards(self.request.user).select_related("authority", "partnership")
                     .prefetch_related(editions))
        rows = []
        for card in cards:
            found = list(card.editions.all())
            made = next((e for e in found if e.generated_at), None)
            rows.append({"scorecard": card, "unit": unit_name(card), "kpis": len(card.kpis), "latest": made,
                         "latest_key": scorecards.month_key(made.month) if made else ""})
        record(self.request, Action.VIEW, summary=f"Monthly scorecards ({len(cards)})",
               detail={"scorecards": [c.pk for c in cards]})
        context.update(title="Monthly scorecards", rows=rows, can_edit=self.request.user.has_capability(EDIT))
        return context


class ScorecardCreate(CapabilityRequiredMixin, generic.FormView):
    capability = EDIT
    template_name = "kpis/scorecard_form.html"
    form_class = ScorecardForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        catalogue = load()
        return {"kpis": [k for k in scorecards.DEFAULT_KPIS if k in catalogue], "generate_on_day": 5, "active": True}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": "New scorecard", "cancel_url": reverse("kpis:scorecards")}

    def form_valid(self, form):
        unit = form.units[form.cleaned_data["unit"]]
        scorecard = Scorecard.objects.create(
            title=form.cleaned_data["title"], authority=unit.authority, partnership=unit.partnership,
            kpis=form.cleaned_data["kpis"], generate_on_day=form.cleaned_data["generate_on_day"],
            active=form.cleaned_data["active"], created_by=self.request.user)
        scorecards.audit(self.request, Action.CREATE, scorecard, f"Scorecard {scorecard.title} created",
                         kpis=scorecard.kpis)
        messages.success(self.request, f"Scorecard {scorecard.title} created.")
        return HttpResponseRedirect(reverse("kpis:scorecard", args=[scorecard.pk]))


class ScorecardEdit(ScorecardMixin, generic.FormView):
    capability = EDIT
    template_name = "kpis/scorecard_form.html"
    form_class = ScorecardForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        s = self.scorecard()
        return {"title": s.title, "unit": f"la-{s.authority_id}" if s.authority_id else f"p-{s.partnership_id}",
                "kpis": s.kpis, "generate_on_day": s.generate_on_day, "active": s.active, "version": s.version}

    def get_context_data(self, **kwargs):
        s = self.scorecard()
        return {**super().get_context_data(**kwargs), "title": f"Change {s.title}", "scorecard": s,
                "removed": scorecards.removed_kpis(s), "cancel_url": reverse("kpis:scorecard", args=[s.pk])}

    def form_valid(self, form):
        s = self.scorecard()
        unit = form.units[form.cleaned_data["unit"]]
        before = {"title": s.title, "unit": f"la-{s.authority_id}" if s.authority_id else f"p-{s.partnership_id}",
                  "kpis": s.kpis, "generate_on_day": s.generate_on_day, "active": s.active}
        s.title, s.authority, s.partnership = form.cleaned_data["title"], unit.authority, unit.partnership
        s.kpis, s.generate_on_day = form.cleaned_data["kpis"], form.cleaned_data["generate_on_day"]
        s.active = form.cleaned_data["active"]
        try:
            save_versioned(s, expected_version=form.cleaned_data.get("version") or s.version, actor=self.request.user)
        except StaleEdit as stale:
            return self.stale(form, stale)
        changed = [k for k, v in before.items() if form.cleaned_data[k] != v]
        scorecards.audit(self.request, Action.UPDATE, s, f"Scorecard {s.title} changed", changed=changed)
        messages.success(self.request, "Scorecard saved.")
        return HttpResponseRedirect(reverse("kpis:scorecard", args=[s.pk]))

    def stale(self, form, stale):
        """Someone saved the scorecard after this page was opened: nothing is saved, the choices
        made here are kept, what is saved now is shown, and the form carries the version seen, so
        saving again keeps these choices (a deliberate choice, never a silent overwrite)."""
        form.add_error(None, stale.message("scorecard"))
        data = form.data.copy()
        data["version"] = stale.obj.version
        form.data = data
        current = Scorecard.objects.select_related("authority", "partnership", "updated_by").get(pk=stale.obj.pk)
        self._scorecard = current
        catalogue = load()
        names = [catalogue[k].name if k in catalogue else k for k in current.kpis]
        return self.render_to_response(self.get_context_data(form=form, saved_now=current, saved_now_kpis=names))


class ScorecardDetail(ScorecardMixin, generic.TemplateView):
    template_name = "kpis/scorecard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        s = self.scorecard()
        today = timezone.localdate()
        months = scorecards.recent_months(today)
        made = {e.month: e for e in s.editions.defer("pdf").select_related("generated_by", "updated_by")}
        catalogue = load()
        last_made = bool(made.get(months[0]) and made[months[0]].generated_at)
        due_on, due_month = scorecards.next_edition(s, today, made_last_month=last_made)
        scorecards.audit(self.request, Action.VIEW, s, f"Scorecard {s.title}")
        context.update(title=s.title, scorecard=s, unit=unit_name(s), kpis=[catalogue[k] for k in s.kpis if k in catalogue],
                       removed=scorecards.removed_kpis(s), can_edit=self.request.user.has_capability(EDIT),
                       months=[(m, scorecards.month_key(m), made.get(m)) for m in months],
                       due_on=due_on, due_month=due_month, due_now=due_on == today and not last_made)
        return context


# --- one month's edition -----------------------------------------------------------------------

def figures_hint(line) -> str:
    """The figures beside a KPI's commentary box, in words."""
    k = line.kpi
    parts = [f"This month: {kpi_value(line.month, k)}", f"12 months: {kpi_value(line.year, k)}",
             f"month before: {kpi_value(line.previous, k)}"]
    if line.target is not None:
        rating = RAG[line.rag][1].lower() if line.rag in RAG else "no rating"
        parts.append(f"target: {kpi_value(line.target.target, k)} ({rating})")
    if line.england is not None:
        parts.append(f"England: {kpi_value(line.england.value, k)} ({line.england.period})")
    return "; ".join(parts)


class EditionForm(GovukForm):
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              max_length=5000, help_text="An overall commentary, shown at the top of the scorecard")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, kpis, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        hints = {line.kpi.id: figures_hint(line) for line in lines or []}
        for k in kpis:
            self.fields[f"commentary_{k.id}"] = forms.CharField(
                label=f"Commentary on {k.name}", required=False, max_length=2000, help_text=hints.get(k.id, ""),
                widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}))
        self.fields["version"].error_messages.update(
            required="This page is out of date: open the scorecard again", invalid="This page is out of date: open the scorecard again")


class EditionPage(ScorecardMixin, generic.TemplateView):
    template_name = "kpis/edition.html"

    def kpis(self) -> list:
        catalogue = load()
        return [catalogue[k] for k in self.scorecard().kpis if k in catalogue]

    def context(self, edition, figures, form=None, stale=False):
        if form is None:
            initial = {"summary": edition.summary, "version": edition.version}
            initial.update({f"commentary_{line.kpi.id}": line.commentary for line in figures.lines})
            form = EditionForm(initial=initial, kpis=[line.kpi for line in figures.lines], lines=figures.lines)
        saved = edition.commentary or {}
        commented = [(line, form[f"commentary_{line.kpi.id}"], saved.get(line.kpi.id, "")) for line in figures.lines]
        s = edition.scorecard
        return self.get_context_data(
            title=f"{s.title}: {edition.month:%B %Y}", scorecard=s, unit=unit_name(s), edition=edition,
            figures=figures, lines=figures.lines, form=form, commented=commented, stale=stale,
            month_key=scorecards.month_key(edition.month), period=store.period("month", edition.month),
            year=store.period("12m", edition.month), can_edit=self.request.user.has_capability(EDIT),
            changed_since_made=bool(edition.generated_at and edition.updated_by_id
                                    and edition.updated_at > edition.generated_at))

    def get(self, request, *args, **kwargs):
        s, month = self.scorecard(), self.month()
        edition = scorecards.edition_or_new(s, month)
        figures = scorecards.figures(edition)
        scorecards.audit(request, Action.VIEW, s, f"Scorecard {s.title} {month:%B %Y}", month=month)
        return self.render_to_response(self.context(edition, figures))

    def post(self, request, *args, **kwargs):
        s, month = self.scorecard(), self.month()      # out of scope: 404 before anything else
        if not request.user.has_capability(EDIT):
            raise PermissionDenied("You need the 'kpis.scorecard_edit' capability")
        kpis = self.kpis()
        form = EditionForm(request.POST, kpis=kpis)
        if not form.is_valid():
            edition = scorecards.edition_or_new(s, month)
            figures = scorecards.figures(edition)
            form = EditionForm(request.POST, kpis=kpis, lines=figures.lines)
            form.is_valid()
            return self.render_to_response(self.context(edition, figures, form))
        edition = scorecards.edition_for(s, month)
        typed = {k.id: form.cleaned_data[f"commentary_{k.id}"] for k in kpis}
        saved = scorecards.save_commentary(edition, version=form.cleaned_data["version"],
                                           summary=form.cleaned_data["summary"], commentary=typed,
                                           shown=[k.id for k in kpis], actor=request.user)
        if not saved:
            edition.refresh_from_db()
            edition.scorecard = s
            figures = scorecards.figures(edition)
            data = request.POST.copy()
            data["version"] = edition.version      # saving again now keeps the typed text, deliberately
            form = EditionForm(data, kpis=kpis, lines=figures.lines)
            form.is_valid()
            who = edition.updated_by or "Someone"
            when = timezone.localtime(edition.updated_at)
            form.add_error(None, f"{who} saved the commentary at {when:%H:%M} on {when.day} {when:%B %Y}, after you "
                                 "opened this page. Your commentary has not been saved. Your text is below, with "
                                 "what they saved beside it: check it, then save again to keep your text.")
            return self.render_to_response(self.context(edition, figures, form, stale=True))
        scorecards.audit(request, Action.UPDATE, s, f"Scorecard {s.title} {month:%B %Y}: commentary", month=month,
                         version=edition.version)
        if "make" in request.POST:
            scorecards.make_pdf(edition, actor=request.user, request=request)
            messages.success(request, "Commentary saved and the PDF made.")
        else:
            messages.success(request, "Commentary saved.")
        return HttpResponseRedirect(reverse("kpis:edition", args=[s.pk, scorecards.month_key(month)]))


class EditionPdf(ScorecardMixin, generic.View):
    def get(self, request, *args, **kwargs):
        s, month = self.scorecard(), self.month()
        edition = ScorecardEdition.objects.filter(scorecard=s, month=month).first()
        if edition is None or not edition.pdf:
            raise Http404("This month's PDF has not been made yet")
        pdf = bytes(edition.pdf)
        scorecards.audit(request, Action.EXPORT, s, f"Scorecard {s.title} {month:%B %Y}: PDF downloaded", month=month,
                         format="pdf", bytes=len(pdf))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="scorecard-{s.pk}-{scorecards.month_key(month)}.pdf"'
        return response
