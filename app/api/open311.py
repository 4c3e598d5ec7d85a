"""Open311 GeoReport v2 endpoints (/open311/v2); the format is the path's extension, .json or .xml."""
from flask import current_app, request, url_for

from app.api import open311_bp as bp
from app.api.auth import clear_request_user, forget_session_user, open311_idempotency_key, open311_user
from app.api.errors import Open311Error, register_open311_errors
from app.api.open311_data import (
    find_jurisdiction,
    find_request,
    find_requests,
    find_service,
    find_updates,
    request_data,
    service_definition,
    services,
)
from app.api.open311_format import render
from app.api.open311_intake import file_request, request_token, token_reference
from app.api.routing import unknown_route
from app.extensions import db
from app.reports.limits import submission_limit
from app.security.access import Role

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00+07:00"  # when this endpoint's behaviour last changed
FMT = "<any(json, xml):fmt>"

bp.before_request(forget_session_user)
bp.teardown_request(clear_request_user)
register_open311_errors(bp)


@bp.get("/")
def root():
    """Answer the bare prefix with the discovery document."""
    return discovery("json")


@bp.get(f"/discovery.{FMT}")
def discovery(fmt):
    """Describe this endpoint: the specification, its address, formats and where keys come from."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")
    data = {"changeset": CHANGESET, "contact": current_app.config.get("OPEN311_CONTACT", ""),
            "key_service": base + url_for("settings.tokens"),
            "endpoints": [{"specification": SPECIFICATION,
                           "url": base + url_for("open311.list_services", fmt="json").rsplit("/", 1)[0],
                           "changeset": CHANGESET, "type": "production", "formats": ["text/xml", "application/json"]}],
            # not a field of the specification; clients that do not know it ignore it
            "notes": ("POST requests needs an api_key of a council member. A request with first_name, last_name or "
                      "phone must answer the required attribute consent (attribute[consent]=yes) of the service "
                      "definition; without personal data it may be left out.")}
    return render("discovery", data, fmt)


@bp.get(f"/services.{FMT}")
def list_services(fmt):
    """List the services (our sub-categories), grouped by top-level category."""
    find_jurisdiction(request.args.get("jurisdiction_id"))
    return render("services", services(), fmt)


@bp.get(f"/services/<code>.{FMT}")
def service(code, fmt):
    """Describe a service's extra questions as attributes."""
    find_jurisdiction(request.args.get("jurisdiction_id"))
    return render("service_definition", service_definition(find_service(code)), fmt)


@bp.post(f"/requests.{FMT}")
@submission_limit(open311_idempotency_key)
def create_request(fmt):
    """File a service request with an api_key of a council-member account."""
    user = open311_user(required=True)
    if user.role != Role.COUNCIL_MEMBER or user.pao is None:
        raise Open311Error(403, "Only council-member accounts can submit service requests.")
    jurisdiction = request.values.get("jurisdiction_id")
    if jurisdiction and find_jurisdiction(jurisdiction).id != user.pao_id:
        raise Open311Error(403, "This api_key belongs to another jurisdiction.")
    report, _created = file_request(user, request.values, request.headers.get("Idempotency-Key"))
    db.session.commit()
    return render("requests", [{"service_request_id": report.reference_number, "token": request_token(report),
                                "service_notice": request_data(report, user)["service_notice"],
                                "account_id": None}], fmt)


@bp.get(f"/requests.{FMT}")
def list_requests(fmt):
    """List requests with the spec's filters; only published fields without an api_key."""
    user = open311_user()
    pao = find_jurisdiction(request.args.get("jurisdiction_id"))
    return render("requests", [request_data(r, user) for r in find_requests(pao, user, request.args)], fmt)


@bp.get(f"/requests/<request_id>.{FMT}")
def get_request(request_id, fmt):
    """Return one request, in a list as the spec has it."""
    user = open311_user()
    pao = find_jurisdiction(request.args.get("jurisdiction_id"))
    return render("requests", [request_data(find_request(pao, user, request_id), user)], fmt)


@bp.get(f"/tokens/<token>.{FMT}")
def token(token, fmt):
    """Return the service_request_id of a token (requests are created at once, so it is always known)."""
    pao = find_jurisdiction(request.args.get("jurisdiction_id"))
    report = find_request(pao, None, token_reference(token))
    return render("requests", [{"service_request_id": report.reference_number, "token": token}], fmt)


@bp.get(f"/servicerequestupdates.{FMT}")
def request_updates(fmt):
    """List status changes (the servicerequestupdates extension) so outside systems can follow them."""
    user = open311_user()
    pao = find_jurisdiction(request.args.get("jurisdiction_id"))
    return render("updates", find_updates(pao, user, request.args), fmt)


bp.add_url_rule("/<path:unknown>", "unknown", unknown_route, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
