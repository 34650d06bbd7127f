"""The chronology exported to PDF: the same entries as the chronology tab, a header, audited."""

from __future__ import annotations

import pytest
from django.utils import timezone

from haven.audit.models import AccessLog
from haven.chronology import views
from haven.chronology.registry import chronology_for


def url(person, query=""):
    return f"/chronology/{person.pk}/pdf/{query}"


@pytest.fixture
def captured(monkeypatch):
    """The HTML handed to WeasyPrint, for reading what the PDF says."""
    seen = {}
    real = views.render_pdf

    def capture(html, base_url=None):
        seen["html"] = html
        return real(html, base_url)

    monkeypatch.setattr(views, "render_pdf", capture)
    return seen


def test_it_exports_a_pdf(world, as_user):
    response = as_user(world.alice).get(url(world.child))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="chronology-{world.child.local_id}-' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_export_is_audited_on_the_childs_record(world, as_user):
    as_user(world.alice).get(url(world.child, "?category=life_event&significant=1"))
    entry = AccessLog.objects.get(action="export", person_id=world.child.pk)
    assert entry.username == "alice" and entry.object_type == "people.person"
    assert entry.detail["format"] == "pdf" and entry.detail["categories"] == ["life_event"]
    assert entry.detail["significant_only"] is True
    assert entry.path.startswith(f"/chronology/{world.child.pk}/pdf/")


def test_it_has_the_header_and_the_same_entries_as_the_chronology_tab(world, as_user, captured):
    as_user(world.alice).get(url(world.child))
    html = captured["html"]
    assert "OFFICIAL-SENSITIVE" in html
    assert "Lily O&#x27;Brien" in html or "Lily O'Brien" in html
    assert world.child.local_id in html
    assert "Printed by</dt><dd>Alice Alice" in html
    today = timezone.localdate()
    assert f"{today.day} {today:%B %Y}" in html
    entries = chronology_for(world.child, world.alice)
    assert entries, "the test world gives Lily a chronology"
    assert html.count("<tr") - 1 == len(entries)  # one row each, plus the heading row
    for e in entries:
        assert e.category_label in html


def test_it_applies_the_same_filters(world, as_user, captured):
    client = as_user(world.alice)
    client.get(url(world.child, "?category=life_event&category=address"))
    html = captured["html"]
    entries = chronology_for(world.child, world.alice, categories=["life_event", "address"])
    assert html.count("<tr") - 1 == len(entries)
    assert "Life events, Addresses" in html
    client.get(url(world.child, "?significant=1"))
    significant = chronology_for(world.child, world.alice, significant_only=True)
    assert captured["html"].count("<tr") - 1 == max(len(significant), 1)
    assert "significant events only" in captured["html"]
    client.get(url(world.child, "?category=nonsense"))  # unknown categories are ignored: everything
    assert captured["html"].count("<tr") - 1 == len(chronology_for(world.child, world.alice))


def test_a_restricted_record_is_refused_with_break_glass(world, as_user):
    response = as_user(world.alice).get(url(world.restricted))
    assert response.status_code == 403
    assert f"/people/{world.restricted.pk}/break-glass/" in response.content.decode()
    assert not AccessLog.objects.filter(action="export", person_id=world.restricted.pk).exists()


def test_after_break_glass_the_export_is_allowed(world, as_user):
    client = as_user(world.alice)
    client.post(f"/people/{world.restricted.pk}/break-glass/", {"reason": "Police at the door, need the history"})
    response = client.get(url(world.restricted))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action="export", person_id=world.restricted.pk, username="alice").exists()


def test_a_record_outside_the_users_scope_is_not_found(world, as_user):
    assert as_user(world.charlie).get(url(world.child)).status_code == 404
    assert as_user(world.charlie).get("/chronology/999999/pdf/").status_code == 404
    assert not AccessLog.objects.filter(action="export").exists()
    assert as_user(world.charlie).get(url(world.outsider)).status_code == 200


def test_it_needs_the_capability(world, as_user, client):
    assert as_user(world.petra).get(url(world.allocated)).status_code == 403
    client.logout()
    response = client.get(url(world.child))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
