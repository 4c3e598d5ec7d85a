"""Publishing a jurisdiction version with its open reports: which would move (a dry run), then re-route them.

The dry run indexes the would-be areas in memory (the stored ones, those the version replaces closed on its
effective day, its new ones from that day) and routes the PAO's open reports at the moment it takes
effect. Publishing writes the version (app/stations/jurisdiction), which bumps the routing version so every
process rebuilds its index; when it is in force today the open reports are re-routed by the existing
reroute path. A version dated later takes effect by itself for new reports; its open reports move with
`flask route reroute` (or the coverage page's button) on that day.
"""
import dataclasses
from datetime import datetime, time

from app.core.timeutil import to_utc_naive, utcnow
from app.reports.routing_service import area_inputs, build_index, open_report_moves, reroute_open_reports
from app.routing import AreaInput
from app.stations.jurisdiction import bangkok_today, plan_publish, publish


def effective_moment(day):
    """Return the UTC moment a version dated `day` takes effect, or now when that is past."""
    return max(utcnow(), to_utc_naive(datetime.combine(day, time.min)))


def preview_moves(draft, effective_from):
    """Return [(report, decision)]: the PAO's open reports publishing the draft would move (nothing written)."""
    plan = plan_publish(draft, effective_from)
    areas = [dataclasses.replace(a, valid_until=plan.effective_from) if a.id in plan.close_ids else a
             for a in area_inputs()]
    areas += [AreaInput(-n, station_id, geom, plan.effective_from, None)
              for n, (station_id, geom) in enumerate(plan.new_areas.items(), start=1)]
    index = build_index(-1, areas=areas)
    return open_report_moves(index, draft.pao, effective_moment(plan.effective_from))


def publish_version(draft, effective_from, *, actor, note=None):
    """Publish the draft; when it is in force today, re-route the open reports it moves. Return the version."""
    plan = plan_publish(draft, effective_from)
    version = publish(draft, plan, actor=actor, note=note)
    version.moved_reports = (reroute_open_reports(pao=version.pao, actor=actor)
                             if plan.effective_from <= bangkok_today() else 0)
    return version
