from django.urls import path

from . import views

app_name = "recording"
urlpatterns = [
    path("add/", views.RecordingCreate.as_view(), name="recording-create"),
    path("<int:pk>/", views.RecordingDetail.as_view(), name="recording-detail"),
]
