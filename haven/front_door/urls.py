from django.urls import path

from . import views

app_name = "front_door"
urlpatterns = [
    path("", views.ContactQueue.as_view(), name="queue"),
    path("contacts/add/", views.ContactCreate.as_view(), name="contact-create"),
    path("contacts/add/people/", views.PeopleSearch.as_view(), name="people-search"),
    path("contacts/<int:pk>/", views.ContactDetail.as_view(), name="contact-detail"),
    path("contacts/<int:pk>/rate/", views.ContactRate.as_view(), name="contact-rate"),
    path("contacts/<int:pk>/consent/", views.ContactConsent.as_view(), name="contact-consent"),
    path("contacts/<int:pk>/checks/add/", views.CheckCreate.as_view(), name="check-create"),
    path("contacts/<int:pk>/decision/", views.ContactDecision.as_view(), name="contact-decision"),
    path("contacts/<int:pk>/feedback/", views.ContactFeedback.as_view(), name="contact-feedback"),
    path("checks/<int:pk>/reply/", views.CheckResult.as_view(), name="check-result"),
]
