"""HTML to PDF with WeasyPrint (Debian needs its pango libraries: ``libpango-1.0-0``,
``libpangoft2-1.0-0``, ``libharfbuzz0b``; fonts from ``fonts-liberation`` or ``fonts-dejavu``)."""

from __future__ import annotations


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render a self-contained HTML document (inline CSS, no external fetches) to PDF bytes."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
