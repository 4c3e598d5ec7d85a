"""The dashboard's data: every figure for a scope and filters, with names, in one call (view and benchmark)."""
from dataclasses import dataclass, field

from app.categories.models import Category
from app.core.timeutil import utcnow
from app.extensions import db
from app.oversight.places import amphoe_names
from app.oversight.rollup import rollups_refreshed_at
from app.oversight.tables import (
    AMPHOE,
    CATEGORY,
    MONTH,
    STATION,
    Figures,
    amphoe_table,
    direct_table,
    member_table,
    rollup_table,
    zero_figures,
)
from app.stations.models import Station


@dataclass
class Dashboard:
    scope: object
    filters: object
    now: object
    source: str  # 'rollups' or 'direct'
    refreshed_at: object  # when the rollups were last brought up to date (None for 'direct')
    total: Figures
    by_month: list = field(default_factory=list)  # [(month, Figures)] for every month of the period
    by_category: list = field(default_factory=list)  # [{category, figures, children: [(category, Figures)]}]
    by_station: list = field(default_factory=list)  # [(station or None, Figures)], most reports first
    # [(code, name or None when unknown, Figures)], most reports first; only reports, open and overdue are kept
    by_amphoe: list = field(default_factory=list)

    @property
    def is_empty(self):
        return self.total.reports == 0 and self.total.overdue == 0


def dashboard_data(scope, filters, *, lang="th", now=None, source=None):
    """Return the Dashboard of a scope (PAO, member or all) and filters, from the rollups unless source="direct".

    Rollup figures are as of the last rollup refresh (`refreshed_at`); direct ones are judged at `now`.
    """
    now = now or utcnow()
    source = source or "rollups"
    if source == "direct":
        table = direct_table(scope, filters, now)
        amphoes = table.sum_by(AMPHOE)
    elif scope.is_member:  # their own rows only, by the index on member and month
        table = member_table(scope, filters)
        amphoes = table.sum_by(AMPHOE)
    else:
        table = rollup_table(scope, filters)
        amphoes = amphoe_table(scope, filters).sum_by(AMPHOE)
    months = table.sum_by(MONTH)
    stations = table.sum_by(STATION)
    return Dashboard(
        scope=scope, filters=filters, now=now, source=source,
        refreshed_at=rollups_refreshed_at() if source == "rollups" else None,
        total=Figures(table.total()),
        by_month=[(month, Figures(months[month]) if month in months else zero_figures())
                  for month in filters.months],
        by_category=_categories(table.sum_by(CATEGORY)),
        by_station=_stations(stations),
        by_amphoe=_amphoes(amphoes, lang),
    )


def _most_first(items):
    return sorted(items, key=lambda item: (-item[-1].reports, -item[-1].overdue))


def _stations(sums):
    loaded = {s.id: s for s in db.session.scalars(db.select(Station).where(Station.id.in_(
        [sid for sid in sums if sid is not None])))}
    return _most_first([(loaded.get(sid), Figures(vector)) for sid, vector in sums.items()])


def _amphoes(sums, lang):
    names = amphoe_names(lang) if sums else {}
    return _most_first([(code, names.get(code, code) if code else None, Figures(vector))
                        for code, vector in sums.items()])


def _categories(sums):
    """Group sub-categories under their top-level category, each with its summed figures."""
    categories = {c.id: c for c in db.session.scalars(db.select(Category))}
    tops = {}
    for category_id, vector in sums.items():
        category = categories[category_id]
        top = category.parent or category
        entry = tops.setdefault(top.id, {"category": top, "vector": 0, "children": []})
        entry["vector"] = entry["vector"] + vector
        if category.parent is not None:
            entry["children"].append((category, Figures(vector)))
    result = []
    for entry in tops.values():
        entry["children"] = _most_first(entry["children"])
        result.append({"category": entry["category"], "figures": Figures(entry["vector"]),
                       "children": entry["children"]})
    return sorted(result, key=lambda e: (e["category"].sort_order, e["category"].code))
