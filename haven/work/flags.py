from django.utils import timezone

from haven.people.flags import Flag, flag_source


@flag_source
def overdue(person):
    from .models import Deadline

    late = list(Deadline.objects.overdue().filter(person=person).order_by("due_at")[:5])
    if late:
        labels = ", ".join(d.label for d in late)
        days = (timezone.now() - late[0].due_at).days
        yield Flag("overdue", f"{len(late)} overdue", "red", f"{labels} (oldest {days} days overdue)")
