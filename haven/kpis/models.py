"""Performance management's own records: the figures a KPI needs that are not in the case record
(child population, targets, published comparators), the store of computed figures that keeps
dashboards instant (runs, figures, change marks), and the monthly scorecard."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ChildPopulation(models.Model):
    """An authority's population aged 0-17 in a year (ONS mid-year estimate), maintained by an
    analyst: the denominator of every rate per 10,000 children. The latest year on or before
    the as-at year is used."""

    authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    children = models.PositiveIntegerField("children aged 0-17")
    source = models.CharField(max_length=200, blank=True, help_text="e.g. ONS mid-2024 population estimates")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority", "year"], name="one_population_per_year")]
        ordering = ["authority", "year"]

    def __str__(self) -> str:
        return f"{self.authority}: {self.children:,} children in {self.year}"


class KpiTarget(models.Model):
    """A local target for one KPI, set by an analyst or a senior manager: for one authority, or
    (``authority`` empty) for every authority that has no target of its own. RAG against it
    follows the KPI's polarity: green when the value meets the target, amber when it misses by
    no more than ``amber_within`` (in the KPI's unit), red beyond that."""

    kpi = models.CharField(max_length=64)
    authority = models.ForeignKey("accounts.LocalAuthority", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="kpi_targets")
    target = models.FloatField()
    amber_within = models.FloatField(default=0, help_text="How far from the target is still amber, in the KPI's unit")
    note = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kpi", "authority"], name="one_target_per_kpi_authority"),
            models.UniqueConstraint(fields=["kpi"], condition=Q(authority__isnull=True), name="one_default_target_per_kpi"),
        ]
        ordering = ["kpi", "authority"]

    def __str__(self) -> str:
        return f"{self.kpi}: target {self.target:g} ({self.authority or 'every authority'})"


class Benchmark(models.Model):
    """A published comparator for one KPI: England, statistical neighbours, a region, or an
    authority's own published figure, for a year (the year a return's period ends in: 2015 for
    2014-15, or a date's year for "at 31 March 2015"). Loaded from the reference CSV an analyst
    maintains (``haven kpi benchmarks --load``; format in docs/performance.md)."""

    class Area(models.TextChoices):
        ENGLAND = "england", "England"
        STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"
        REGION = "region", "Region"
        AUTHORITY = "authority", "Authority (published)"
        THRESHOLD = "threshold", "National threshold"

    kpi = models.CharField(max_length=64)
    area = models.CharField(max_length=32, choices=Area.choices)
    area_name = models.CharField(max_length=120, blank=True, help_text="e.g. Inner London; the authority for 'authority'")
    authority = models.ForeignKey("accounts.LocalAuthority", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="benchmarks", help_text="Only for an authority's own published figure")
    year = models.PositiveSmallIntegerField(help_text="The year the period ends in (2015 for 2014-15)")
    period = models.CharField(max_length=40, help_text="As published, e.g. 2014-15, at 31 March 2015, 2011-14")
    value = models.FloatField()
    source = models.CharField(max_length=300)
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kpi", "area", "area_name", "year"], name="one_benchmark")]
        ordering = ["kpi", "-year", "area"]

    def __str__(self) -> str:
        return f"{self.kpi} {self.get_area_display()} {self.period}: {self.value:g}"


# --- the store of computed figures -------------------------------------------------------------

class KpiRun(models.Model):
    """Every KPI of the catalogue computed once for one authority (or a whole partnership) and one
    period, with the figures for each team and worker read from the same rows. A run is current
    while no change to the record marked after it was computed (``KpiChange``) could alter its
    period, and it was computed with the catalogue as it is now (``catalogue``)."""

    authority = models.ForeignKey("accounts.LocalAuthority", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="kpi_runs")
    partnership = models.ForeignKey("accounts.Partnership", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="kpi_runs")
    start = models.DateField()
    end = models.DateField()
    computed_at = models.DateTimeField(null=True, help_text="When the computation started; empty: asked for, not computed yet")
    seconds = models.FloatField(default=0)
    catalogue = models.CharField(max_length=64, blank=True, help_text="Fingerprint of the KPI definitions it was computed with")
    viewed_at = models.DateTimeField(null=True, help_text="Last shown on a page: the worker keeps viewed runs current")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "start", "end"], condition=Q(authority__isnull=False),
                                    name="one_run_per_authority_period"),
            models.UniqueConstraint(fields=["partnership", "start", "end"], condition=Q(partnership__isnull=False),
                                    name="one_run_per_partnership_period"),
            models.CheckConstraint(condition=Q(authority__isnull=True) ^ Q(partnership__isnull=True),
                                   name="run_for_an_authority_or_a_partnership"),
        ]
        indexes = [models.Index(fields=["end"])]

    def __str__(self) -> str:
        return f"KPIs {self.authority or self.partnership} {self.start}..{self.end}"


class KpiFigure(models.Model):
    """One KPI's figure in a run: the whole scope's numerator, denominator and value, and the
    numerator and denominator of each team (``by_team``: ``{team id or "none": [n, d]}``) and each
    worker (``by_worker``: ``{user id or "none": [n, d]}``)."""

    run = models.ForeignKey(KpiRun, on_delete=models.CASCADE, related_name="figures")
    kpi = models.CharField(max_length=64)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    value = models.FloatField(null=True)
    note = models.CharField(max_length=300, blank=True)
    by_team = models.JSONField(default=dict)
    by_worker = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "kpi"], name="one_figure_per_run_kpi")]

    def __str__(self) -> str:
        return f"{self.kpi} = {self.value}"


class KpiChange(models.Model):
    """A change to an authority's case records that may alter its figures for periods ending on
    or after ``since`` (the earliest date the changed record holds, before and after the change).
    Written in the same transaction as the change (``haven.kpis.changes``); a run computed
    before ``at`` whose period ends on or after ``since`` is out of date. Deleted once no run
    it makes out of date is left (the store's refresh)."""

    authority_id = models.BigIntegerField()
    since = models.DateField()
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=80, blank=True)

    class Meta:
        indexes = [models.Index(fields=["authority_id", "at"])]

    def __str__(self) -> str:
        return f"{self.what} changed for authority {self.authority_id} since {self.since}"


# --- the monthly scorecard ---------------------------------------------------------------------

class Scorecard(models.Model):
    """A monthly scorecard for a scrutiny committee or leadership: the chosen KPIs for an
    authority (or a partnership), made into a PDF each month, with commentary."""

    title = models.CharField(max_length=150)
    authority = models.ForeignKey("accounts.LocalAuthority", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="scorecards")
    partnership = models.ForeignKey("accounts.Partnership", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="scorecards")
    kpis = models.JSONField(default=list, help_text="KPI ids, in the order shown")
    generate_on_day = models.PositiveSmallIntegerField(
        default=5, help_text="Day of the month on which last month's edition is made automatically (1-28)")
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Optimistic locking of the settings: a change from a page opened before someone else's is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True, auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["title"]
        constraints = [models.CheckConstraint(condition=Q(authority__isnull=True) ^ Q(partnership__isnull=True),
                                              name="scorecard_for_an_authority_or_a_partnership")]

    def __str__(self) -> str:
        return self.title


class ScorecardEdition(models.Model):
    """One month's scorecard: the month it reports (``month`` is its last day), the commentary
    on each KPI, and the PDF once made (by someone on demand, or by the scheduled task)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="editions")
    month = models.DateField(help_text="The last day of the month reported")
    commentary = models.JSONField(default=dict, help_text="{kpi id: text}")
    summary = models.TextField(blank=True, help_text="An overall commentary at the top")
    pdf = models.BinaryField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", help_text="Empty when the scheduled task made it")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scorecard", "month"], name="one_edition_per_month")]
        ordering = ["scorecard", "-month"]

    def __str__(self) -> str:
        return f"{self.scorecard} {self.month:%B %Y}"
