"""Care plans, IRO allocation, looked-after reviews, statutory visits and the team and IRO views
(under /looked-after/, which this app shares with ``haven.looked_after``)."""

from django.urls import path

from . import views

app_name = "care_planning"
urlpatterns = [
    path("team/", views.TeamView.as_view(), name="team"),
    path("iro/", views.IROView.as_view(), name="iro"),
    path("iro/allocate/<int:person_pk>/", views.IROAllocate.as_view(), name="iro-allocate"),
    path("care-plans/child/<int:person_pk>/", views.ChildCarePlanning.as_view(), name="child"),
    path("care-plans/add/<int:person_pk>/", views.CarePlanCreate.as_view(), name="care-plan-create"),
    path("care-plans/<int:pk>/", views.CarePlanDetail.as_view(), name="care-plan-detail"),
    path("reviews/add/<int:person_pk>/", views.ReviewCreate.as_view(), name="review-create"),
    path("reviews/<int:pk>/", views.ReviewDetail.as_view(), name="review-detail"),
    path("reviews/<int:pk>/recommendations/add/", views.RecommendationCreate.as_view(), name="recommendation-create"),
    path("reviews/recommendations/<int:pk>/progress/", views.RecommendationProgress.as_view(),
         name="recommendation-progress"),
    path("visits/add/<int:person_pk>/", views.VisitCreate.as_view(), name="visit-create"),
]
