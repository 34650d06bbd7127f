from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from haven.audit.models import AccessLog
from haven.core.decorators import public
from haven.people.models import Allocation, Person


@public
@never_cache
def healthz(request):
    """200 with a database round trip, 503 if the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure is unhealthy
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def home(request):
    """Any signed-in user: their allocated people and the records they opened recently."""
    user = request.user
    allocations = []
    recent = []
    if user.has_capability("people.view"):
        allocations = (Allocation.objects.current().filter(worker=user)
                       .select_related("person").order_by("person__last_name")[:50])
        ids = []
        for pid in AccessLog.objects.filter(user=user, action="view", person_id__isnull=False).values_list(
                "person_id", flat=True)[:200]:
            if pid not in ids:
                ids.append(pid)
            if len(ids) == 10:
                break
        found = {p.pk: p for p in Person.objects.filter(pk__in=ids).visible_to(user)}
        recent = [found[i] for i in ids if i in found]
    return render(request, "core/home.html", {"allocations": allocations, "recent": recent})
