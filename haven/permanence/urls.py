"""/permanence/: a child's permanence page and its forms, proceedings updates, adoption measures."""

from django.urls import path

from . import views

app_name = "permanence"
urlpatterns = [
    path("children/<int:person_pk>/", views.ChildPermanence.as_view(), name="child"),
    path("children/<int:person_pk>/plan/add/", views.PlanCreate.as_view(), name="plan-create"),
    path("children/<int:person_pk>/meetings/add/", views.MeetingCreate.as_view(), name="meeting-create"),
    path("children/<int:person_pk>/pre-proceedings/add/", views.PreProceedingsCreate.as_view(),
         name="pre-proceedings-create"),
    path("children/<int:person_pk>/proceedings/add/", views.ProceedingsCreate.as_view(), name="proceedings-create"),
    path("children/<int:person_pk>/adoption/add/", views.AdoptionStepCreate.as_view(), name="adoption-create"),
    path("children/<int:person_pk>/sgo/add/", views.SGOCreate.as_view(), name="sgo-create"),
    path("pre-proceedings/<int:pk>/edit/", views.PreProceedingsEdit.as_view(), name="pre-proceedings-edit"),
    path("proceedings/<int:pk>/edit/", views.ProceedingsEdit.as_view(), name="proceedings-edit"),
    path("proceedings/<int:pk>/extension/", views.ExtensionCreate.as_view(), name="proceedings-extension"),
    path("adoption-measures/", views.AdoptionMeasures.as_view(), name="measures"),
]
