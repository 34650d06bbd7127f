from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("add/<int:person_pk>/", views.PlanCreate.as_view(), name="plan-create"),
    path("<int:pk>/", views.PlanDetail.as_view(), name="plan-detail"),
    path("<int:pk>/edit/", views.PlanEdit.as_view(), name="plan-edit"),
    path("<int:pk>/end/", views.PlanEnd.as_view(), name="plan-end"),
    path("<int:pk>/child-friendly/", views.ChildFriendlyPrint.as_view(), name="child-friendly"),
    path("<int:pk>/child-friendly/edit/", views.ChildFriendlyEdit.as_view(), name="child-friendly-edit"),
    path("<int:pk>/child-friendly/pdf/", views.ChildFriendlyPDF.as_view(), name="child-friendly-pdf"),
    path("<int:pk>/objectives/add/", views.ObjectiveCreate.as_view(), name="objective-create"),
    path("objectives/<int:pk>/edit/", views.ObjectiveEdit.as_view(), name="objective-edit"),
    path("<int:pk>/actions/add/", views.ActionCreate.as_view(), name="action-create"),
    path("actions/<int:pk>/edit/", views.ActionEdit.as_view(), name="action-edit"),
    path("actions/<int:pk>/status/", views.ActionStatusEdit.as_view(), name="action-status"),
    path("<int:pk>/reviews/add/", views.ReviewCreate.as_view(), name="review-create"),
]
