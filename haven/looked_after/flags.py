"""The "Looked after" flag on a child's header while a period of care is open."""

from haven.people.flags import Flag, flag_source


@flag_source
def looked_after(person):
    from .models import Episode, PeriodOfCare

    period = PeriodOfCare.objects.filter(person=person, end_date__isnull=True).first()
    if period is None:
        return
    episode = Episode.objects.filter(period=period).order_by("-start_date", "-pk").first()
    detail = f"Since {period.start_date:%d/%m/%Y}"
    if episode is not None:
        detail += f", {episode.legal_status} ({episode.get_legal_status_display()})"
    yield Flag("looked_after", "Looked after", "purple", detail)
