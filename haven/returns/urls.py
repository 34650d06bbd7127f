from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("", views.ReturnsPage.as_view(), name="index"),
    path("findings.csv", views.FindingsCsv.as_view(), name="findings-csv"),
    path("cin-census.xml", views.CinCensusXml.as_view(), name="cin-census-xml"),
    path("ssda903.zip", views.Ssda903Zip.as_view(), name="ssda903-zip"),
    path("annex-a.xlsx", views.AnnexAXlsx.as_view(), name="annex-a-xlsx"),
    path("ssd.zip", views.SsdZip.as_view(), name="ssd-zip"),
]
