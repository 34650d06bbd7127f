"""Header flags: "Missing now" (red) while a missing episode is open, and "Exploitation risk"
when the child's latest exploitation risk assessment is medium or high."""

from django.utils import timezone

from haven.people.flags import Flag, flag_source


@flag_source
def missing_now(person):
    from .models import MissingEpisode

    episode = MissingEpisode.objects.filter(person=person, ended_at__isnull=True).order_by("-started_at").first()
    if episode is not None:
        since = timezone.localtime(episode.started_at)
        yield Flag("missing_now", "Missing now", "red",
                   f"{episode.get_kind_display()} since {since:%H:%M} on {since.day} {since:%B %Y}")


@flag_source
def exploitation_risk(person):
    from .models import ExploitationRiskAssessment

    latest = ExploitationRiskAssessment.objects.filter(person=person).order_by("-assessed_on", "-pk").first()
    if latest is not None and latest.raises_flag:
        yield Flag("exploitation_risk", "Exploitation risk", "red" if latest.risk_level == "high" else "orange",
                   f"{latest.get_risk_level_display()} risk: {latest.get_kind_display().lower()} "
                   f"(assessed {latest.assessed_on.day} {latest.assessed_on:%B %Y})")
