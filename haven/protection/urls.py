from django.urls import path

from . import views

app_name = "protection"
urlpatterns = [
    path("strategy/add/", views.StrategyCreate.as_view(), name="strategy-create"),
    path("strategy/<int:pk>/", views.StrategyDetail.as_view(), name="strategy-detail"),
    path("s47/<int:pk>/", views.S47Detail.as_view(), name="s47-detail"),
    path("s47/<int:pk>/outcome/", views.S47Outcome.as_view(), name="s47-outcome"),
    path("conferences/add/", views.ConferenceCreate.as_view(), name="conference-create"),
    path("conferences/<int:pk>/", views.ConferenceDetail.as_view(), name="conference-detail"),
    path("core-groups/add/<int:plan_pk>/", views.CoreGroupCreate.as_view(), name="core-group-create"),
]
