from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.ReturnsPage.as_view(), name="index"),
    path("ssda903.zip", views.ReturnsDownload.as_view(), name="ssda903-zip"),
]
