from django.urls import path  # noqa: F401

app_name = "looked_after"
urlpatterns: list = []
