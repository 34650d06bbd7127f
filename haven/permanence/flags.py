"""Header flag: the child is in care proceedings (issued, not concluded)."""

from haven.people.flags import Flag, flag_source


@flag_source
def in_proceedings(person):
    from .models import CareProceedings

    if CareProceedings.objects.filter(person=person, concluded_on__isnull=True).exists():
        yield Flag("care_proceedings", "Care proceedings", "purple", "Care proceedings are in progress")
