from haven.people.flags import Flag, flag_source


@flag_source
def child_in_need(person):
    from .models import CINEpisode

    if CINEpisode.objects.filter(person=person, closure_date__isnull=True).exists():
        yield Flag("cin", "Child in need", "blue", "Open child in need episode")
