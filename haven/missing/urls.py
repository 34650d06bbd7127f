"""Missing and exploitation pages, under /missing/."""

from django.urls import path

from . import views

app_name = "missing"
urlpatterns = [
    path("frequent/", views.FrequentReport.as_view(), name="frequent"),
    path("frequent/export/", views.FrequentExport.as_view(), name="frequent-export"),
    path("child/<int:person_pk>/", views.ChildMissing.as_view(), name="child"),
    path("child/<int:person_pk>/episodes/add/", views.EpisodeCreate.as_view(), name="episode-create"),
    path("episodes/<int:pk>/", views.EpisodeDetail.as_view(), name="episode-detail"),
    path("episodes/<int:pk>/edit/", views.EpisodeEdit.as_view(), name="episode-edit"),
    path("episodes/<int:pk>/return/", views.EpisodeReturn.as_view(), name="episode-return"),
    path("episodes/<int:pk>/interviews/add/", views.InterviewCreate.as_view(), name="interview-create"),
    path("interviews/<int:pk>/edit/", views.InterviewEdit.as_view(), name="interview-edit"),
    path("child/<int:person_pk>/risk/add/", views.RiskCreate.as_view(), name="risk-create"),
    path("risk/<int:pk>/", views.RiskDetail.as_view(), name="risk-detail"),
    path("risk/<int:pk>/edit/", views.RiskEdit.as_view(), name="risk-edit"),
    path("child/<int:person_pk>/panels/add/", views.PanelCreate.as_view(), name="panel-create"),
    path("panels/<int:pk>/", views.PanelDetail.as_view(), name="panel-detail"),
    path("panels/<int:pk>/edit/", views.PanelEdit.as_view(), name="panel-edit"),
    path("panels/<int:pk>/actions/add/", views.PanelActionCreate.as_view(), name="panel-action-create"),
    path("panel-actions/<int:pk>/edit/", views.PanelActionEdit.as_view(), name="panel-action-edit"),
]
