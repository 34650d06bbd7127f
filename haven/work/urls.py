from django.urls import path

from . import views

app_name = "work"
urlpatterns = [
    path("", views.MyWork.as_view(), name="my-work"),
    path("team/", views.TeamWork.as_view(), name="team"),
    path("team/reallocate/<int:pk>/", views.Reallocate.as_view(), name="reallocate"),
]
