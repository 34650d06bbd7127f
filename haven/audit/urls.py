from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.LogList.as_view(), name="log"),
    path("export.csv", views.LogExport.as_view(), name="export"),
    path("break-glass/", views.BreakGlassReport.as_view(), name="break-glass"),
    path("break-glass/<int:pk>/review/", views.BreakGlassReview.as_view(), name="break-glass-review"),
]
