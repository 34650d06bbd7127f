from haven.people.flags import Flag, flag_source


@flag_source
def s47_open(person):
    from .models import S47Enquiry

    if S47Enquiry.objects.filter(person=person, completed_date__isnull=True).exists():
        yield Flag("s47", "Section 47 enquiry", "orange", "A section 47 enquiry is in progress")
