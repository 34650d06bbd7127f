from haven.people.flags import Flag, flag_source


@flag_source
def on_plan(person):
    from .models import Plan

    for plan in Plan.objects.filter(person=person, end_date__isnull=True):
        if plan.kind == Plan.Kind.CP:
            yield Flag("cp_plan", "Child protection plan", "red",
                       f"Since {plan.start_date:%d/%m/%Y}, {plan.get_latest_category_display() or plan.get_initial_category_display()}")
        else:
            yield Flag("cin_plan", "Child in need plan", "blue", f"Since {plan.start_date:%d/%m/%Y}")
