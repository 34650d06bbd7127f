"""Care leaver pages under /care-leavers/."""

from django.urls import path

from . import views

app_name = "care_leavers"
urlpatterns = [
    path("", views.TeamList.as_view(), name="team"),
    path("export.csv", views.TeamExport.as_view(), name="team-export"),
    path("custody/", views.CustodyList.as_view(), name="custody-list"),
    path("children/<int:person_pk>/", views.LeaverPage.as_view(), name="leaver"),
    path("children/<int:person_pk>/category/", views.StatusConfirm.as_view(), name="status"),
    path("children/<int:person_pk>/adviser/", views.AdviserAllocate.as_view(), name="adviser"),
    path("children/<int:person_pk>/contacts/add/", views.ContactCreate.as_view(), name="contact-create"),
    path("children/<int:person_pk>/accommodation/add/", views.AccommodationCreate.as_view(), name="accommodation-create"),
    path("children/<int:person_pk>/activity/add/", views.ActivityCreate.as_view(), name="activity-create"),
    path("children/<int:person_pk>/custody/add/", views.CustodyCreate.as_view(), name="custody-create"),
    path("children/<int:person_pk>/staying-put/add/", views.StayingPutCreate.as_view(), name="staying-put-create"),
    path("children/<int:person_pk>/health/", views.HealthEdit.as_view(), name="health"),
    path("children/<int:person_pk>/pathway-plan/add/", views.PlanCreate.as_view(), name="plan-create"),
    path("accommodation/<int:pk>/edit/", views.AccommodationEdit.as_view(), name="accommodation-edit"),
    path("activity/<int:pk>/edit/", views.ActivityEdit.as_view(), name="activity-edit"),
    path("custody/<int:pk>/edit/", views.CustodyEdit.as_view(), name="custody-edit"),
    path("staying-put/<int:pk>/edit/", views.StayingPutEdit.as_view(), name="staying-put-edit"),
    path("pathway-plans/<int:pk>/", views.PlanDetail.as_view(), name="plan-detail"),
    path("pathway-plans/<int:pk>/edit/", views.PlanEdit.as_view(), name="plan-edit"),
    path("pathway-plans/<int:pk>/end/", views.PlanEnd.as_view(), name="plan-end"),
    path("pathway-plans/<int:pk>/actions/add/", views.ActionCreate.as_view(), name="action-create"),
    path("pathway-plans/actions/<int:pk>/edit/", views.ActionEdit.as_view(), name="action-edit"),
    path("pathway-plans/<int:pk>/reviews/add/", views.ReviewCreate.as_view(), name="review-create"),
]
