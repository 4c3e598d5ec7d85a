"""Publishing a jurisdiction version with its open reports: which would move (a dry run), then re-route them.

The dry run indexes the would-be areas in memory (the stored ones, those the version replaces closed on its
effective day, its new ones from that day) and routes the PAO's open reports at the moment it takes
effect. Publishing writes the version (app/stations/jurisdiction), which bumps the routing version so every
process rebuilds its index; when it is in force today the open reports are re-routed by the existing
reroute path. A version dated later takes effect by itself for new reports (the index knows every
area's days); its open reports are moved on that day by the periodic job versions_taking_effect_job.
"""
import dataclasses
from datetime import datetime, time

from app.core.timeutil import to_bangkok, to_utc_naive, utcnow
from app.extensions import db
from app.reports.routing_service import area_inputs, build_index, open_report_moves, reroute_open_reports
from app.routing import AreaInput
from app.stations.jurisdiction import bangkok_today, plan_publish, publish
from app.stations.jurisdiction_models import PUBLISHED, JurisdictionVersion

JOB_EVERY_SECONDS = 900


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
    """Publish the draft; when it is in force today, re-route the open reports it moves. Return the version
    (moved_reports stays None for a later day, until the job has moved them on that day)."""
    plan = plan_publish(draft, effective_from)
    version = publish(draft, plan, actor=actor, note=note)
    if plan.effective_from <= bangkok_today():
        version.moved_reports = reroute_open_reports(pao=version.pao, actor=actor)
    return version


def versions_taking_effect_job(now):
    """Re-route the open reports of every version whose day has come and whose reports were not moved yet;
    a second run moves nothing. Return how many reports moved."""
    today = to_bangkok(now).date()
    due = db.session.scalars(db.select(JurisdictionVersion).where(
        JurisdictionVersion.status == PUBLISHED, JurisdictionVersion.moved_reports.is_(None),
        JurisdictionVersion.effective_from <= today).order_by(JurisdictionVersion.effective_from)).all()
    moved = 0
    for version in due:
        version.moved_reports = reroute_open_reports(pao=version.pao, at=now)
        moved += version.moved_reports
    db.session.flush()
    return moved
