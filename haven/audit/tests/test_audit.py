import csv
import io

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from haven.audit.log import record
from haven.audit.models import AccessLog, AppendOnlyError


def test_viewing_a_record_is_logged_and_shown_on_the_record(world, as_user):
    client = as_user(world.alice)
    client.get(f"/people/{world.child.pk}/", REMOTE_ADDR="10.1.2.3")
    entry = AccessLog.objects.get(action="view", person_id=world.child.pk)
    assert (entry.username, entry.ip_address, entry.path) == ("alice", "10.1.2.3", f"/people/{world.child.pk}/")
    page = as_user(world.bob).get(f"/people/{world.child.pk}/seen-by/").content.decode()
    assert ">alice<" in page and ">bob<" in page


def test_every_tab_of_a_record_is_a_logged_view(world, as_user):
    client = as_user(world.alice)
    for tab in ("relationships/", "chronology/", "changes/"):
        client.get(f"/people/{world.child.pk}/{tab}")
    assert AccessLog.objects.filter(action="view", person_id=world.child.pk).count() == 3


def test_api_reads_are_logged(world, as_user):
    as_user(world.alice).get(f"/api/v1/people/{world.child.pk}")
    assert AccessLog.objects.filter(action="view", person_id=world.child.pk, summary__startswith="API").exists()


def test_changes_are_logged(world, as_user):
    as_user(world.alice).post(f"/people/{world.child.pk}/addresses/add/", {
        "line_1": "9 Kilburn Lane", "town": "London", "postcode": "W10 4AA"})
    entry = AccessLog.objects.get(action="create", object_type="people.address")
    assert entry.person_id == world.child.pk and entry.username == "alice"


def test_the_log_can_be_queried_and_exported_by_administrators_and_the_export_is_logged(world, as_user):
    as_user(world.alice).get(f"/people/{world.child.pk}/")
    client = as_user(world.sid)
    page = client.get("/audit/", {"username": "alice", "action": "view"}).content.decode()
    assert "alice" in page and "Record of Lily O&#x27;Brien" in page
    response = client.get("/audit/export.csv", {"username": "alice"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["at", "username", "action"]
    assert any(r[1] == "alice" and r[2] == "view" for r in rows[1:])
    assert AccessLog.objects.filter(action="export", username="sid").exists()


def test_practitioners_cannot_read_the_log(world, as_user):
    assert as_user(world.alice).get("/audit/").status_code == 403
    assert as_user(world.alice).get("/audit/export.csv").status_code == 403


def test_the_log_refuses_changes_in_the_application(world):
    entry = record(world.alice, AccessLog.Action.VIEW, obj=world.child)
    entry.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=entry.pk).update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()


def test_the_database_itself_refuses_changes_to_the_log(world):
    entry = record(world.alice, AccessLog.Action.VIEW, obj=world.child)
    table = AccessLog._meta.db_table
    for sql in (f"UPDATE {table} SET summary = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AccessLog.objects.get(pk=entry.pk).summary == entry.summary


def test_administrators_only_see_the_log_of_authorities_they_serve(world, as_user):
    as_user(world.alice).get(f"/people/{world.child.pk}/")
    as_user(world.charlie).get(f"/people/{world.outsider.pk}/")
    page = as_user(world.sid).get("/audit/", {"action": "view"}).content.decode()
    assert "Lily O&#x27;Brien" in page and "Ruby Smith-Jones" not in page


def test_a_refused_restricted_record_is_logged(world, as_user):
    as_user(world.alice).get(f"/people/{world.restricted.pk}/")
    assert AccessLog.objects.filter(action="denied", person_id=world.restricted.pk, username="alice").exists()


def test_a_manager_reviews_break_glass_access(world, as_user):
    from haven.accounts.models import BreakGlassAccess

    access = BreakGlassAccess.objects.get(person=world.restricted)
    client = as_user(world.bob)
    assert "Review" in client.get("/audit/break-glass/").content.decode()
    response = client.post(f"/audit/break-glass/{access.pk}/review/", {"note": "Justified: police request"})
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.reviewed_by == world.bob and access.review_note == "Justified: police request"
    # another authority's break-glass cannot be reviewed from here
    other = BreakGlassAccess.objects.get(person=world.outsider)
    assert client.post(f"/audit/break-glass/{other.pk}/review/", {"note": "x"}).status_code == 404
