"""Header flags: a looked-after review or a statutory visit overdue (read from the deadlines the
timescale rules derived)."""

from django.utils import timezone

from haven.people.flags import Flag, flag_source

FLAGGED = {"cla_review": "Looked-after review overdue", "cla_visit": "Statutory visit overdue"}


@flag_source
def overdue(person):
    from haven.work.models import Deadline

    now = timezone.now()
    seen = set()
    for d in Deadline.objects.overdue(now).filter(person=person, rule__in=list(FLAGGED)).order_by("due_at"):
        if d.rule in seen:
            continue
        seen.add(d.rule)
        yield Flag(f"{d.rule}_overdue", FLAGGED[d.rule], "red", f"Was due {timezone.localtime(d.due_at):%d/%m/%Y}")
