"""Vega-Lite chart specifications for the KPI pages (pure: plain values in, a dict out). Every
chart is drawn beside a table of the same figures (the page's), so it adds nothing a screen
reader user or someone without JavaScript would miss."""

from __future__ import annotations

from .catalogue import COUNT, MEAN, PER_10K, PERCENT

BLUE, GREY, ORANGE = "#1d70b8", "#505a5f", "#f47738"   # GOV.UK colours


def axis_title(kpi) -> str:
    return {PERCENT: "%", PER_10K: "per 10,000 children", COUNT: kpi.unit, MEAN: kpi.unit}.get(kpi.kind, kpi.unit)


def direction(value, previous, polarity) -> str | None:
    """"better", "worse" or "same" against the previous value (None when either is missing;
    "up"/"down" for a KPI with no polarity)."""
    if value is None or previous is None:
        return None
    if round(value, 1) == round(previous, 1):
        return "same"
    up = value > previous
    if polarity is None:
        return "up" if up else "down"
    return "better" if up == (polarity == "higher") else "worse"


def trend(kpi, points, target=None, *, label: str, benchmarks=()) -> dict:
    """A line of the KPI's value at the end of each period, with the target as a dashed rule and
    any published comparators (England, statistical neighbours) as lines of their own."""
    values = [{"end": p["end"].isoformat(), "value": round(p["figure"].value, 2), "series": "This selection"}
              for p in points if p["figure"] is not None and p["figure"].value is not None]
    for b in benchmarks:
        if b.area in ("england", "statistical_neighbours"):
            values.append({"end": f"{b.year}-03-31", "value": b.value, "series": b.get_area_display()})
    layers = [{
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "end", "type": "temporal", "title": "Period ending",
                  "axis": {"format": "%b %Y" if len(points) > 6 else "%Y"}},
            "y": {"field": "value", "type": "quantitative", "title": axis_title(kpi)},
            "color": {"field": "series", "type": "nominal", "title": None,
                      "scale": {"range": [BLUE, GREY, ORANGE]}},
        },
    }]
    if target is not None:
        layers.append({"data": {"values": [{"target": target.target}]},
                       "mark": {"type": "rule", "strokeDash": [6, 4], "color": ORANGE},
                       "encoding": {"y": {"field": "target", "type": "quantitative"}}})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": f"{kpi.name}: {label}",
            "width": "container", "height": 220, "data": {"values": values}, "layer": layers}


def bars(kpi, rows, target=None) -> dict:
    """Team-by-team (or worker-by-worker) values as horizontal bars, in the table's order."""
    values = [{"name": r["name"], "value": round(r["value"], 2) if r["value"] is not None else None}
              for r in rows if r["value"] is not None]
    if kpi.kind == PER_10K:   # no population by team: compare the numbers of children
        values = [{"name": r["name"], "value": r["numerator"]} for r in rows]
    layers = [{"mark": {"type": "bar", "color": BLUE},
               "encoding": {"y": {"field": "name", "type": "nominal", "sort": None, "title": None},
                            "x": {"field": "value", "type": "quantitative",
                                  "title": "children" if kpi.kind == PER_10K else axis_title(kpi)}}}]
    if target is not None and kpi.kind != PER_10K:
        layers.append({"data": {"values": [{"target": target.target}]},
                       "mark": {"type": "rule", "strokeDash": [6, 4], "color": ORANGE},
                       "encoding": {"x": {"field": "target", "type": "quantitative"}}})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": f"{kpi.name} by team",
            "width": "container", "height": max(60, 22 * len(values)), "data": {"values": values}, "layer": layers}
