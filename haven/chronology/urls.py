from django.urls import path

from . import views

app_name = "chronology"
urlpatterns = [
    path("<int:person_pk>/pdf/", views.ChronologyPdf.as_view(), name="pdf"),
]
