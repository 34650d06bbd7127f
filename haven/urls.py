from django.urls import include, path

from haven.api.urls import api
from haven.core.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("", include("haven.accounts.urls")),
    path("people/", include("haven.people.urls")),
    path("audit/", include("haven.audit.urls")),
    path("front-door/", include("haven.front_door.urls")),
    path("referrals/", include("haven.assessments.urls")),
    path("protection/", include("haven.protection.urls")),
    path("plans/", include("haven.plans.urls")),
    path("recording/", include("haven.recording.urls")),
    path("work/", include("haven.work.urls")),
    path("chronology/", include("haven.chronology.urls")),
    path("looked-after/", include("haven.looked_after.urls")),
    path("looked-after/", include("haven.care_planning.urls")),
    path("health/", include("haven.health.urls")),
    path("education/", include("haven.education.urls")),
    path("missing/", include("haven.missing.urls")),
    path("permanence/", include("haven.permanence.urls")),
    path("care-leavers/", include("haven.care_leavers.urls")),
    path("returns/", include("haven.returns.urls")),
    path("performance/", include("haven.kpis.urls")),
    path("api/v1/", api.urls),
]
