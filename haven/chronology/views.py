"""The chronology as a PDF (WeasyPrint): the same entries as the chronology tab
(``haven.chronology.registry.chronology_for``, with the same filters), headed with the child, the
local ID, when and by whom it was printed, and the protective marking. Every export is written to
the access log."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views import generic

from haven.audit.log import Action, record
from haven.core.views.generic import CapabilityRequiredMixin, fetch_in_scope
from haven.people.models import Person

from .registry import categories as all_categories
from .registry import chronology_for

MARKING = "OFFICIAL-SENSITIVE"


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf()


class ChronologyPdf(CapabilityRequiredMixin, generic.View):
    capability = "chronology.export"
    parent_model = Person
    parent_kwarg = "person_pk"

    def get(self, request, person_pk):
        person = fetch_in_scope(Person, request.user, person_pk, "view")
        known = dict(all_categories())
        chosen = [c for c in request.GET.getlist("category") if c in known]
        significant = request.GET.get("significant") == "1"
        entries = chronology_for(person, request.user, categories=chosen or None, significant_only=significant)
        printed_at = timezone.localtime()
        shown = ", ".join(known[c] for c in chosen) if chosen else "All entries"
        if significant:
            shown += " (significant events only)"
        html = render_to_string("chronology/pdf.html", {
            "person": person, "entries": entries, "printed_at": printed_at, "printed_by": request.user,
            "marking": MARKING, "shown": shown,
        }, request=request)
        pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
        record(request, Action.EXPORT, obj=person, person_id=person.pk,
               summary=f"Chronology of {person.full_name} exported to PDF ({len(entries)} entries)",
               detail={"format": "pdf", "categories": chosen, "significant_only": significant,
                       "entries": len(entries)})
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"chronology-{person.local_id}-{printed_at:%Y-%m-%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
