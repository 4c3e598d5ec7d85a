"""Admin pages for station, area and MOU imports and PAOs; the coverage map for coordinators."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.i18n import current_lang
from app.extensions import db
from app.security.access import Role, role_required
from app.stations import bp
from app.stations.basemap import base_layer
from app.stations.coverage import STATUS_LABELS, coverage_geojson, coverage_rows
from app.stations.forms import (
    AreasImportForm,
    CoordinatorForm,
    MousImportForm,
    PaoForm,
    RerouteForm,
    StationsImportForm,
    pao_choices,
    station_choices,
)
from app.stations.importers import ImportFailed, import_areas, import_mous, import_stations
from app.stations.models import JurisdictionArea, Mou, Pao, Station
from app.stations.rollout import rollout_checklist
from app.stations.services import StationDataError, create_pao, find_pao, find_station, page_pao, set_coordinator


@bp.get("/")
@role_required("admin")
def admin():
    """Show the rollout tasks: imports, PAOs and the coverage map."""
    counts = {name: db.session.scalar(db.select(db.func.count()).select_from(model))
              for name, model in (("stations", Station), ("areas", JurisdictionArea), ("mous", Mou), ("paos", Pao))}
    return render_template("stations/admin.html", counts=counts)


@bp.route("/import/stations", methods=["GET", "POST"])
@role_required("admin")
def import_stations_page():
    """Import or update stations from an uploaded CSV file."""
    form = StationsImportForm()
    if form.validate_on_submit():
        result = _run_import(form.file, lambda: import_stations(form.file.data))
        if result is not None:
            return render_template("stations/import_result.html", kind="stations", result=result)
    return _import_page(form, "stations")


@bp.route("/import/areas", methods=["GET", "POST"])
@role_required("admin")
def import_areas_page():
    """Replace jurisdiction areas from an uploaded GeoJSON file and optional mapping CSV."""
    form = AreasImportForm()
    if form.validate_on_submit():
        result = _run_import(form.file, lambda: import_areas(form.file.data, key=form.key.data.strip(),
                                                             mapping_path=form.mapping.data or None))
        if result is not None:
            return render_template("stations/import_result.html", kind="areas", result=result)
    return _import_page(form, "areas")


@bp.route("/import/mous", methods=["GET", "POST"])
@role_required("admin")
def import_mous_page():
    """Import or update one PAO's MOUs from an uploaded CSV file."""
    form = MousImportForm()
    form.pao.choices = pao_choices(current_lang())
    if form.validate_on_submit():
        result = _run_import(form.file, lambda: import_mous(form.file.data, pao_code=form.pao.data))
        if result is not None:
            return render_template("stations/import_result.html", kind="mous", result=result)
    return _import_page(form, "mous")


def _run_import(file_field, work):
    """Run an import and commit; on bad data roll back and put every message beside the file field."""
    try:
        result = work()
    except (ImportFailed, StationDataError) as error:
        db.session.rollback()
        file_field.errors = list(file_field.errors) + getattr(error, "messages", [str(error)])
        return None
    db.session.commit()
    return result


def _import_page(form, kind):
    return render_template("stations/import.html", form=form, kind=kind), 400 if form.errors else 200


@bp.route("/paos", methods=["GET", "POST"])
@role_required("admin")
def paos():
    """List PAOs and create one."""
    form = PaoForm()
    form.coordinator.choices = station_choices(current_lang(), blank=_("None yet"))
    if form.validate_on_submit():
        try:
            pao = create_pao(code=form.code.data, name_th=form.name_th.data, name_en=form.name_en.data,
                             prefix=form.prefix.data, coordinator_code=form.coordinator.data or None)
        except StationDataError as error:
            db.session.rollback()
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("PAO %(code)s created.", code=pao.code), "success")
            return redirect(url_for("stations.paos"))
    rows = db.session.scalars(db.select(Pao).order_by(Pao.code)).all()
    coordinator_form = CoordinatorForm()
    coordinator_form.station.choices = station_choices(current_lang())
    return render_template("stations/paos.html", form=form, paos=rows, coordinator_form=coordinator_form), \
        400 if form.errors else 200


@bp.post("/paos/<code>/coordinator")
@role_required("admin")
def set_pao_coordinator(code):
    """Make a station the PAO's coordinating station."""
    form = CoordinatorForm()
    form.station.choices = station_choices(current_lang())
    if not form.validate_on_submit():
        flash(_("Choose a station."), "error")
        return redirect(url_for("stations.paos"))
    try:
        pao = find_pao(code)
        set_coordinator(pao, find_station(form.station.data))
    except StationDataError:
        abort(404)
    db.session.commit()
    flash(_("The coordinating station of %(pao)s is now %(station)s.", pao=pao.code, station=form.station.data),
          "success")
    return redirect(url_for("stations.paos"))


@bp.get("/coverage")
@role_required("admin", "pao_coordinator")
def coverage():
    """Show the coverage map and table of stations, areas and MOUs for the viewer's PAO."""
    pao = _viewer_pao()
    paos = db.session.scalars(db.select(Pao).order_by(Pao.code)).all() if current_user.role == Role.ADMIN else []
    return render_template("stations/coverage.html", rows=coverage_rows(pao), pao=pao, paos=paos,
                           statuses=STATUS_LABELS, reroute_form=RerouteForm())


@bp.get("/coverage.geojson")
@role_required("admin", "pao_coordinator")
def coverage_data():
    """Return the simplified station areas and points, coloured for the viewer's PAO, as GeoJSON."""
    return jsonify(coverage_geojson(_viewer_pao(), current_lang()))


@bp.get("/base-layer.geojson")
@login_required
def base_layer_data():
    """Return the amphoe and tambon outlines with names inside ?bbox=minlon,minlat,maxlon,maxlat (the maps' base)."""
    response = jsonify(base_layer(_bbox(request.args.get("bbox"))))
    response.cache_control.private = True
    response.cache_control.max_age = 86400  # boundaries change with an import, rarely
    return response


def _bbox(text):
    """Return a bounding box from 'minlon,minlat,maxlon,maxlat', or None when it is not one."""
    try:
        values = [float(v) for v in (text or "").split(",")]
    except ValueError:
        return None
    if len(values) != 4 or not all(-180 <= v <= 180 for v in values) or values[0] > values[2] or values[1] > values[3]:
        return None
    return tuple(values)


def _viewer_pao():
    """Return the PAO a page is about (see page_pao): 404 for an unknown ?pao=; None while no PAO exists."""
    code = request.values.get("pao")
    pao = page_pao(current_user, code)
    if pao is None and (code or current_user.role == Role.PAO_COORDINATOR):
        abort(404)
    return pao


@bp.get("/rollout")
@role_required("admin", "pao_coordinator")
def rollout():
    """Show the PAO's rollout checklist, each item linking to the page that fixes it."""
    pao = _viewer_pao()
    paos = db.session.scalars(db.select(Pao).order_by(Pao.code)).all() if current_user.role == Role.ADMIN else []
    return render_template("stations/rollout.html", pao=pao, paos=paos,
                           items=rollout_checklist(pao) if pao is not None else [])
