from django.urls import path

from . import hotspot_views, reference_views, scorecard_views, views

app_name = "kpis"
urlpatterns = [
    path("", views.Dashboard.as_view(), name="dashboard"),
    path("kpi/<str:kpi>/", views.KpiDetail.as_view(), name="kpi"),
    path("kpi/<str:kpi>/children/", views.Children.as_view(), name="children"),
    path("hotspots/", hotspot_views.Hotspots.as_view(), name="hotspots"),
    path("targets/", reference_views.Targets.as_view(), name="targets"),
    path("targets/<str:kpi>/", reference_views.TargetEdit.as_view(), name="target-edit"),
    path("comparators/", reference_views.Benchmarks.as_view(), name="benchmarks"),
    path("comparators/upload/", reference_views.BenchmarkUpload.as_view(), name="benchmark-upload"),
    path("comparators.csv", reference_views.BenchmarkCsv.as_view(), name="benchmarks-csv"),
    path("scorecards/", scorecard_views.Scorecards.as_view(), name="scorecards"),
    path("scorecards/new/", scorecard_views.ScorecardCreate.as_view(), name="scorecard-new"),
    path("scorecards/<int:pk>/", scorecard_views.ScorecardDetail.as_view(), name="scorecard"),
    path("scorecards/<int:pk>/change/", scorecard_views.ScorecardEdit.as_view(), name="scorecard-edit"),
    path("scorecards/<int:pk>/<str:month>/", scorecard_views.EditionPage.as_view(), name="edition"),
    path("scorecards/<int:pk>/<str:month>/pdf/", scorecard_views.EditionPdf.as_view(), name="edition-pdf"),
]
