"""What a dashboard, a KPI page or a drill-through shows: the unit (a partnership or an authority),
optionally a team or a worker within it, the period and the as-at date, chosen on a GOV.UK form
and limited to what the user may see.

- Managers, analysts and auditors (``kpis.all``) choose any authority they serve, any partnership
  all of whose authorities they serve, any team serving it and any worker.
- Everyone else with ``kpis.view`` sees their own figures only: their caseload (the rows that
  count for them) in their authority, or their partnership when their teams serve several.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from haven.core.forms import GovukDateField, GovukForm

from . import store


def allowed_units(user) -> list[store.Unit]:
    """The partnerships all of whose authorities the user serves, then those authorities."""
    served = set(user.authority_wide_ids)
    every = store.units()
    return ([u for u in every if u.partnership is not None and set(u.authority_ids) <= served]
            + [u for u in every if u.authority is not None and u.authority.pk in served])


def own_unit(user) -> store.Unit | None:
    """A practitioner's own: their authority, or the partnership when their teams serve several."""
    authorities = sorted(user.authorities, key=lambda a: a.pk)
    if not authorities:
        return None
    if len(authorities) == 1:
        return store.Unit.of_authority(authorities[0])
    if user.shared_partnership is not None:
        return store.Unit.of_partnership(user.shared_partnership)
    return store.Unit.of_authority(user.home_authority or authorities[0])


def unit_key(unit: store.Unit) -> str:
    return f"la-{unit.authority.pk}" if unit.authority is not None else f"p-{unit.partnership.pk}"


class SelectionForm(GovukForm):
    unit = forms.ChoiceField(label="Authority or partnership", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    worker = forms.ChoiceField(label="Worker", required=False)
    period = forms.ChoiceField(label="Period", required=False, choices=list(store.PERIODS.items()),
                               widget=forms.RadioSelect)
    as_of = GovukDateField(label="As at", required=False, not_future=True, min_year=2000,
                           help_text="Leave blank for today. For example, 31 3 2026")

    def __init__(self, *args, units, teams, workers, everything: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit_key(u), u.name) for u in units]
        self.fields["team"].choices = [("", "All teams"), *((str(t.pk), t.name) for t in teams), ("none", "Not allocated")]
        self.fields["worker"].choices = [("", "All workers"), *((str(w.pk), str(w)) for w in workers)]
        if not everything:   # a practitioner's own figures: nothing else to choose
            for name in ("unit", "team", "worker"):
                del self.fields[name]


@dataclass
class Selection:
    unit: store.Unit
    kind: str
    as_of: dt.date
    start: dt.date
    end: dt.date
    team: object | None = None          # a Team, or "none" (rows that count for no team)
    worker: object | None = None        # a User
    own: bool = False                   # a practitioner's own figures

    @property
    def team_key(self) -> str | None:
        if self.team is None:
            return None
        return "none" if self.team == "none" else str(self.team.pk)

    @property
    def worker_key(self) -> str | None:
        return None if self.worker is None else str(self.worker.pk)

    @property
    def title(self) -> str:
        if self.worker is not None:
            return f"{self.worker}: {'my' if self.own else 'their'} figures, {self.unit.name}"
        if self.team == "none":
            return f"{self.unit.name}: children not allocated to a team"
        if self.team is not None:
            return f"{self.team.name}, {self.unit.name}"
        return self.unit.name

    @property
    def period_label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def query(self, **extra) -> str:
        params = {"unit": unit_key(self.unit), "period": self.kind, "as_of_0": self.as_of.day,
                  "as_of_1": self.as_of.month, "as_of_2": self.as_of.year}
        if self.team_key:
            params["team"] = self.team_key
        if self.worker_key and not self.own:
            params["worker"] = self.worker_key
        params.update({k: v for k, v in extra.items() if v is not None})
        return urlencode(params)


def _teams_for(unit: store.Unit):
    from haven.accounts.models import Team

    return Team.objects.filter(serves__in=unit.authority_ids).distinct().order_by("name")


def _workers_for(unit: store.Unit, team=None):
    from haven.accounts.models import User

    # One filter() call, so that the active membership is the one in the team (or serving the unit).
    if team is not None and team != "none":
        qs = User.objects.filter(is_active=True, memberships__active=True, memberships__team=team)
    else:
        qs = User.objects.filter(is_active=True, memberships__active=True,
                                 memberships__team__serves__in=unit.authority_ids)
    from django.db.models import Exists, OuterRef

    from haven.people.models import Allocation

    holds = Allocation.objects.filter(worker_id=OuterRef("pk"), authority_id__in=unit.authority_ids)
    return qs.filter(Exists(holds)).distinct().order_by("last_name", "first_name")


def choose(request) -> tuple[SelectionForm, Selection | None]:
    """The form and the selection it makes (None when the form has errors, or nothing may be
    shown: the form says why)."""
    user = request.user
    data = request.GET if any(k in request.GET for k in ("unit", "period", "as_of_0", "team", "worker")) else None
    everything = user.has_capability("kpis.all")
    if everything:
        units = allowed_units(user)
    else:
        mine = own_unit(user)
        units = [mine] if mine else []
    by_key = {unit_key(u): u for u in units}
    wanted = by_key.get((data or {}).get("unit", "")) or (units[0] if units else None)
    teams = list(_teams_for(wanted)) if wanted and everything else []
    team_by_key = {str(t.pk): t for t in teams}
    chosen_team = team_by_key.get((data or {}).get("team", "")) if data else None
    workers = list(_workers_for(wanted, chosen_team)) if wanted and everything else []
    form = SelectionForm(data, units=units, teams=teams, workers=workers, everything=everything,
                         initial={"period": "12m", "unit": unit_key(wanted) if wanted else ""})
    if wanted is None:
        form.is_valid()
        form.add_error(None, "You do not serve any authority, so there are no figures to show")
        return form, None
    if data is not None and not form.is_valid():
        return form, None
    clean = form.cleaned_data if data is not None else {}
    kind = clean.get("period") or "12m"
    as_of = clean.get("as_of") or timezone.localdate()
    start, end = store.period(kind, as_of)
    selection = Selection(unit=wanted, kind=kind, as_of=as_of, start=start, end=end)
    if everything:
        team = clean.get("team") or ""
        selection.team = "none" if team == "none" else team_by_key.get(team)
        worker = clean.get("worker") or ""
        selection.worker = next((w for w in workers if str(w.pk) == worker), None)
    else:
        selection.worker, selection.own = user, True
    return form, selection
