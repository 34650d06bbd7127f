from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("add/<int:person_pk>/", views.EpisodeCreate.as_view(), name="episode-create"),
    path("<int:pk>/", views.EpisodeDetail.as_view(), name="episode-detail"),
    path("<int:pk>/edit/", views.EpisodeEdit.as_view(), name="episode-edit"),
    path("<int:pk>/decision/", views.EpisodeDecision.as_view(), name="episode-decision"),
    path("<int:pk>/close/", views.EpisodeClose.as_view(), name="episode-close"),
    path("<int:pk>/timescales/", views.ExemptionCreate.as_view(), name="exemption-create"),
    path("<int:episode_pk>/assessments/add/", views.AssessmentCreate.as_view(), name="assessment-create"),
    path("assessments/<int:pk>/", views.AssessmentDetail.as_view(), name="assessment-detail"),
    path("assessments/<int:pk>/edit/", views.AssessmentEdit.as_view(), name="assessment-edit"),
    path("assessments/<int:pk>/authorise/", views.AssessmentAuthorise.as_view(), name="assessment-authorise"),
]
