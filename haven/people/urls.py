from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("add/", views.PersonCreate.as_view(), name="person-create"),
    path("<int:pk>/", views.PersonDetail.as_view(), name="person-detail"),
    path("<int:pk>/relationships/", views.PersonRelationships.as_view(), name="person-relationships"),
    path("<int:pk>/chronology/", views.PersonChronology.as_view(), name="person-chronology"),
    path("<int:pk>/seen-by/", views.PersonSeenBy.as_view(), name="person-seen-by"),
    path("<int:pk>/changes/", views.PersonChanges.as_view(), name="person-changes"),
    path("<int:pk>/edit/", views.PersonEdit.as_view(), name="person-edit"),
    path("<int:pk>/restrict/", views.RestrictRecord.as_view(), name="person-restrict"),
    path("<int:pk>/grant/", views.GrantAccess.as_view(), name="person-grant"),
    path("<int:pk>/grant/<int:grant_pk>/revoke/", views.RevokeAccess.as_view(), name="person-revoke"),
    path("<int:pk>/break-glass/", views.BreakGlass.as_view(), name="break-glass"),
    path("<int:person_pk>/names/add/", views.AliasCreate.as_view(), name="alias-create"),
    path("<int:person_pk>/addresses/add/", views.AddressCreate.as_view(), name="address-create"),
    path("addresses/<int:pk>/edit/", views.AddressEdit.as_view(), name="address-edit"),
    path("<int:person_pk>/flags/add/", views.FlagCreate.as_view(), name="flag-create"),
    path("<int:person_pk>/allocations/add/", views.AllocationCreate.as_view(), name="allocation-create"),
    path("<int:person_pk>/relationships/add/", views.RelationshipCreate.as_view(), name="relationship-create"),
    path("relationships/<int:pk>/edit/", views.RelationshipEdit.as_view(), name="relationship-edit"),
    path("<int:person_pk>/households/add/", views.HouseholdCreate.as_view(), name="household-create"),
    path("households/<int:pk>/", views.HouseholdDetail.as_view(), name="household-detail"),
    path("households/<int:pk>/edit/", views.HouseholdEdit.as_view(), name="household-edit"),
    path("households/<int:household_pk>/members/add/", views.HouseholdMemberCreate.as_view(), name="household-member-create"),
]
