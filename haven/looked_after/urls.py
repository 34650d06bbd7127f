"""Pages of children looked after (mounted at /looked-after/; the care_planning app shares the
prefix and owns team/, iro/, reviews/, care-plans/ and visits/)."""

from django.urls import path

from . import views

app_name = "looked_after"
urlpatterns = [
    path("child/<int:person_pk>/start/", views.PeriodStart.as_view(), name="period-start"),
    path("periods/<int:pk>/", views.PeriodDetail.as_view(), name="period-detail"),
    path("periods/<int:pk>/placement/", views.PlacementChange.as_view(), name="placement-change"),
    path("periods/<int:pk>/legal-status/", views.LegalStatusChange.as_view(), name="legal-status-change"),
    path("periods/<int:pk>/end/", views.PeriodEnd.as_view(), name="period-end"),
    path("episodes/<int:pk>/correct/", views.EpisodeCorrect.as_view(), name="episode-correct"),
    path("providers/", views.ProviderList.as_view(), name="provider-list"),
    path("providers/add/", views.ProviderCreate.as_view(), name="provider-create"),
    path("providers/<int:provider_pk>/edit/", views.ProviderEdit.as_view(), name="provider-edit"),
]
