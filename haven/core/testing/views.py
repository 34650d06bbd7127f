"""Inherited view tests (after NetBox's ViewTestCases): a module's test of a record it adds under
a person is a class with a few attributes.

    class TestAddressCreate(RecordCreateViewTests):
        url_name = "people:address-create"
        model = Address
        form_data = {"line_1": "1 High Street", "postcode": "W2 1AA"}
"""

from __future__ import annotations

from django.urls import reverse

from haven.audit.models import AccessLog


class RecordCreateViewTests:
    url_name: str = ""
    model = None
    form_data: dict = {}
    invalid_data: dict | None = {}
    parent: str = "child"  # the World attribute the record is created under

    def url(self, world, parent=None):
        return reverse(self.url_name, args=[(parent or getattr(world, self.parent)).pk])

    def test_it_sends_anonymous_users_to_sign_in(self, world, client):
        assert client.get(self.url(world))["Location"].startswith("/sign-in/")

    def test_it_refuses_users_without_the_capability(self, world, as_user):
        client = as_user(world.petra)
        assert client.get(self.url(world)).status_code in (403, 404)
        assert client.post(self.url(world), self.form_data).status_code in (403, 404)
        assert not self.model.objects.exists() or self.model.objects.filter(created_by=world.petra).count() == 0

    def test_it_hides_parents_outside_the_users_scope(self, world, as_user):
        client = as_user(world.charlie)
        before = self.model.objects.count()
        assert client.post(self.url(world), self.form_data).status_code == 404
        assert self.model.objects.count() == before

    def test_it_creates_and_audits_with_the_capability(self, world, as_user):
        client = as_user(world.alice)
        assert client.get(self.url(world)).status_code == 200
        before = self.model.objects.count()
        response = client.post(self.url(world), self.form_data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert self.model.objects.count() == before + 1
        obj = self.model.objects.latest("pk")
        assert obj.created_by == world.alice and obj.authority == getattr(world, self.parent).authority
        assert AccessLog.objects.filter(action="create", object_type=self.model._meta.label_lower,
                                        object_id=str(obj.pk), username="alice").exists()
        assert obj.history.filter(history_type="+").exists()

    def test_invalid_input_shows_the_error_summary_and_saves_nothing(self, world, as_user):
        if self.invalid_data is None:
            return
        client = as_user(world.alice)
        before = self.model.objects.count()
        response = client.post(self.url(world), self.invalid_data)
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
        assert self.model.objects.count() == before
