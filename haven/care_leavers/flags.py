"""The "Care leaver" flag on the record header: the young person's leaving care category
(confirmed, or computed from the care history) is eligible, relevant, former relevant or
qualifying."""

from haven.people.flags import Flag, flag_source


@flag_source
def care_leaver(person):
    if not person.date_of_birth:   # a care leaver of 18 or over may be recorded as an adult
        return
    from django.utils import timezone

    from .eligibility import age_on, eligibility_for
    from .models import LeaverStatus

    if age_on(person.date_of_birth, timezone.localdate()) < 16:
        return
    status = LeaverStatus.objects.filter(person=person).first()
    computed = eligibility_for(person)
    category = status.category if status else computed.category
    if category != "not_eligible":
        from haven.core.codes.looked_after import LeaverEligibility

        yield Flag("care_leaver", "Care leaver", "turquoise", LeaverEligibility(category).label)
