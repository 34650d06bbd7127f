"""Children looked after: how many, and how well their care is going."""

from __future__ import annotations

from django.db.models import Q

from haven.kpis.catalogue import COUNT, PER_10K, Row, Scope, kpi

GROUP = "Children looked after"


def looked_after_on(scope: Scope):
    """Periods of care open at the end of the as-at day (a period that ended that day is over,
    as the SSDA903 counts "looked after at 31 March")."""
    from haven.looked_after.models import PeriodOfCare

    return (PeriodOfCare.objects.filter(authority_id__in=scope.authority_ids, start_date__lte=scope.as_of)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=scope.as_of)))


@kpi("cla_count", "Children looked after", kind=COUNT, unit="children", polarity=None,
     source="DfE SSDA903: children looked after at 31 March", group=GROUP)
def cla_count(scope: Scope):
    """Children looked after at the end of the as-at date: a period of care started on or before
    it and not ended by it (a child who ceased to be looked after that day is not counted)."""
    for period in looked_after_on(scope).order_by("person_id").distinct():
        yield Row(period.person_id, why={"looked after since": period.start_date, "UASC": period.uasc})


@kpi("cla_per_10k", "Children looked after per 10,000 children", kind=PER_10K, unit="per 10,000",
     polarity=None, source="DfE Children looked after in England (SSDA903): rate per 10,000 children aged under 18 at 31 March",
     group=GROUP)
def cla_per_10k(scope: Scope):
    """Children looked after at the as-at date (as ``cla_count``) per 10,000 children aged 0-17
    in the authority's population (ONS mid-year estimate, ``ChildPopulation``)."""
    yield from cla_count(scope)
