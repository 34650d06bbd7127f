"""The figures a KPI needs that are not in the case record."""

from django.db import models


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
