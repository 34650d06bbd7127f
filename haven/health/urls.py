"""/health/: a child's health tab, and add / see / change each health record."""

from django.urls import path

from . import views
from .models import RECORDS

app_name = "health"
urlpatterns = [path("child/<int:pk>/", views.ChildHealth.as_view(), name="child")]
for _model, _slug, _label in RECORDS:
    _create, _detail, _edit = views.VIEWS[_slug]
    urlpatterns += [
        path(f"{_slug}/add/<int:person_pk>/", _create.as_view(), name=f"{_slug}-create"),
        path(f"{_slug}/<int:pk>/", _detail.as_view(), name=f"{_slug}-detail"),
        path(f"{_slug}/<int:pk>/edit/", _edit.as_view(), name=f"{_slug}-edit"),
    ]
