"""Who may do what: the expected status of every endpoint, per method, role and object.

Columns, in order: anonymous, council_member, desk_officer, station_commander, pao_coordinator, admin.
For /api and /open311 the columns are the caller's token or api_key of a user with that role
(anonymous: none); the browser session alone always gets the anonymous column there.
A value is one status for every role ("200"), or six ("302 200 403 403 403 403"). An endpoint
whose URL names an object has {"own": ..., "other": ...}: "own" is the caller's PAO's, station's or
account's object, "other" one of another PAO and station (admins may reach both).
"""
ROLES = ("anonymous", "council_member", "desk_officer", "station_commander", "pao_coordinator", "admin")

EXPECTED = {
    # Accounts: sign-in, two-factor, password; the admin's user pages.
    "accounts.login": {"GET": "200 302 302 302 302 302", "POST": "400 302 302 302 302 302"},
    "accounts.logout": {"POST": "302"},
    "accounts.password": {"GET": "302 200 200 200 200 200", "POST": "302 400 400 400 400 400"},
    "accounts.recovery_codes": {"GET": "302 302 200 200 200 200", "POST": "302 302 400 400 400 400"},
    "accounts.reset_2fa": {"POST": "302 403 403 403 403 302"},
    "accounts.two_factor": {"GET": "302", "POST": "302"},
    "accounts.two_factor_setup": {"GET": "302", "POST": "302"},
    "accounts.unlock": {"POST": "302 403 403 403 403 302"},
    "accounts.sessions": {"GET": "302 200 200 200 200 200"},
    "accounts.end_session": {"POST": "302"},
    "accounts.end_other_sessions": {"POST": "302"},
    "accounts.end_account_sessions": {"POST": "302 403 403 403 403 302"},
    "accounts.disable": {"POST": "302 403 403 403 403 302"},
    "accounts.enable": {"POST": "302 403 403 403 403 302"},
    "accounts.user_detail": {"GET": "302 403 403 403 403 200"},
    "accounts.users": {"GET": "302 403 403 403 403 200"},
    "accounts.invitations": {"GET": "302 403 403 403 403 200"},
    "accounts.create_invitation": {"POST": "302 403 403 403 403 400"},
    "accounts.invite_csv": {"POST": "302 403 403 403 403 400"},
    "accounts.accept_invitation": {"GET": "404", "POST": "404"},
    # Notifications and LINE: every signed-in role picks its channels; only a commander unlinks the station's
    # group; the webhook answers only LINE's signature (none here: 400, whoever is signed in).
    "delivery.notifications": {"GET": "302 200 200 200 200 200"},
    "delivery.save_notifications": {"POST": "302"},
    "delivery.unlink_line": {"POST": "302"},
    # Answering a LINE claim of one's own code: without an answer, the page again with 400 (the claim's owner
    # and expiry in tests/delivery/test_line_linking.py).
    "delivery.answer_line_claim": {"POST": "302 400 400 400 400 400"},
    "delivery.unlink_station_group": {"POST": "302 403 403 302 403 403"},
    "line.webhook": {"POST": "400"},
    # JSON API: a Bearer token of a user with the role (the session alone: 401).
    "api.categories": {"GET": "401 200 200 200 200 200"},
    "api.create_report": {"POST": "401 400 403 403 403 403"},
    "api.get_report": {"GET": {"own": "401 200 200 200 200 200", "other": "401 404 404 404 404 200"}},
    "api.list_reports": {"GET": "401 200 200 200 200 200"},
    "api.me": {"GET": "401 200 200 200 200 200"},
    "api.openapi_document": {"GET": "200"},
    "api.post_update": {"POST": {"own": "401 422 422 422 422 422", "other": "401 404 404 404 404 422"}},
    "api.report_events": {"GET": {"own": "401 200 200 200 200 200", "other": "401 404 404 404 404 200"}},
    "api.report_photo": {"GET": {"own": "401 200 200 200 200 200", "other": "401 404 404 404 404 200"}},
    "api.stations": {"GET": "401 200 200 200 200 200"},
    "api.unknown": {
        "DELETE": "401 404 404 404 404 404",
        "GET": "401 404 404 404 404 404",
        "PATCH": "401 404 404 404 404 404",
        "POST": "401 404 404 404 404 404",
        "PUT": "401 404 404 404 404 404",
    },
    "api.unknown_root": {
        "DELETE": "401 404 404 404 404 404",
        "GET": "401 404 404 404 404 404",
        "PATCH": "401 404 404 404 404 404",
        "POST": "401 404 404 404 404 404",
        "PUT": "401 404 404 404 404 404",
    },
    # Home, language, health.
    "home.health": {"GET": "200"},
    "home.guessed_login": {"GET": "301"},
    "home.guessed_signin": {"GET": "301"},
    "home.guessed_admin": {"GET": "301"},
    "home.guessed_dashboard": {"GET": "301"},
    "home.guessed_report": {"GET": "301"},
    "home.guessed_track": {"GET": "301"},
    "home.home": {"GET": "302 200 200 200 200 200"},
    "home.index": {"GET": "302"},
    "home.set_language": {"GET": "302"},
    # Failed notifications: admins only.
    "delivery.failures": {"GET": "302 403 403 403 403 200"},
    "delivery.retry": {"POST": "302 403 403 403 403 302"},
    "delivery.retry_dead": {"POST": "302 403 403 403 403 302"},
    # Offline support: public files and who is signed in (no data).
    "offline.manifest": {"GET": "200"},
    "offline.page": {"GET": "200"},
    "offline.service_worker": {"GET": "200"},
    "offline.session_info": {"GET": "200"},
    # Open311: public published fields without an api_key; with one, the key's report scope.
    "open311.create_request": {"POST": "403 400 403 403 403 403"},
    "open311.discovery": {"GET": "200"},
    "open311.get_request": {"GET": {"own": "200", "other": "200 404 404 404 404 200"}},
    "open311.list_requests": {"GET": "200"},
    "open311.list_services": {"GET": "200"},
    "open311.request_updates": {"GET": "200"},
    "open311.root": {"GET": "200"},
    "open311.service": {"GET": "200"},
    "open311.token": {"GET": "200"},
    "open311.unknown": {"DELETE": "404", "GET": "404", "PATCH": "404", "POST": "404", "PUT": "404"},
    # Oversight: dashboards for members (their own reports), coordinators (their PAO), admins; MOUs.
    "oversight.dashboard": {"GET": "302 200 403 403 200 200"},
    "oversight.edit": {"POST": {"own": "302 403 403 403 400 400", "other": "302 403 403 403 404 400"}},
    "oversight.end": {"POST": {"own": "302 403 403 403 400 400", "other": "302 403 403 403 404 400"}},
    "oversight.export_reports": {"GET": "302 200 403 403 200 200"},
    "oversight.export_stations": {"GET": "302 200 403 403 200 200"},
    "oversight.exports": {"GET": "302 200 403 403 200 200"},
    "oversight.new_export": {"POST": "302 302 403 403 302 302"},
    "oversight.download_export": {"GET": "302 404 403 403 404 404"},
    "oversight.hotspots": {"GET": "302 200 403 403 200 200"},
    "oversight.hotspots_data": {"GET": "302 200 403 403 200 200"},
    "oversight.mou": {"GET": {"own": "302 403 403 403 200 200", "other": "302 403 403 403 404 200"}},
    "oversight.mou_document": {"GET": {"own": "302 403 200 200 200 200", "other": "302 403 404 404 404 200"}},
    "oversight.mous": {"GET": "302 403 403 403 200 200"},
    "oversight.new_mou": {"GET": "302 403 403 403 200 200", "POST": "302 403 403 403 400 400"},
    "oversight.renew": {"POST": {"own": "302 403 403 403 400 400", "other": "302 403 403 403 404 400"}},
    "oversight.summary": {"GET": "302 200 403 403 200 200"},
    "oversight.upload_document": {"POST": {"own": "302 403 403 403 400 400", "other": "302 403 403 403 404 400"}},
    # Intake and follow-up by council members; photos; resident tracking; the PDPA export.
    "reports.add_information": {"POST": {"own": "302 302 403 403 403 403", "other": "302 404 403 403 403 403"}},
    "reports.answer": {"POST": {"own": "302 302 403 403 403 403", "other": "302 404 403 403 403 403"}},
    "reports.api_check_text": {"POST": "302 200 403 403 403 403"},
    "reports.api_duplicates": {"GET": "302 400 403 403 403 403"},
    "reports.api_geocode": {"GET": "302 400 403 403 403 403"},
    "reports.api_photo_location": {"POST": "302 400 403 403 403 403"},
    "reports.api_preview": {"GET": "302 400 403 403 403 403"},
    "reports.confirm": {"POST": {"own": "302 302 403 403 403 403", "other": "302 404 403 403 403 403"}},
    "reports.detail": {"GET": {"own": "302 200 200 200 200 200", "other": "302 404 404 404 404 200"}},
    "reports.mine": {"GET": "302 200 403 403 403 403"},
    "reports.staged_photo": {"GET": "302 404 403 403 403 403"},
    "reports.new": {"GET": "302 200 403 403 403 403", "POST": "302 400 403 403 403 403"},
    "reports.photo_file": {"GET": {"own": "302 200 200 200 200 200", "other": "302 404 404 404 404 200"}},
    "reports.photo_original": {"GET": {"own": "302 403 200 200 403 403", "other": "302 404 404 404 404 403"}},
    "reports.privacy_export": {"GET": "302 403 403 403 200 403", "POST": "302 403 403 403 400 403"},
    "reports.receipt": {"GET": {"own": "302 200 403 403 403 403", "other": "302 404 403 403 403 403"}},
    "reports.reopen": {"POST": {"own": "302 302 403 403 403 403", "other": "302 404 403 403 403 403"}},
    "reports.support": {"POST": {"own": "302 404 403 403 403 403", "other": "302 404 403 403 403 403"}},
    "reports.track": {"GET": "200"},
    # The resident's writes need the report's secret in the form: without it every role gets the same 404.
    "reports.resident_message": {"POST": "404"},
    "reports.resident_stop": {"POST": "404"},
    "reports.resident_feedback": {"POST": "404"},
    "reports.member_feedback": {"POST": {"own": "302 302 403 403 403 403", "other": "302 404 403 403 403 403"}},
    "reports.track_report": {"GET": "200"},
    # The resident's own photos need the report's secret code, which the matrix does not send: 404 for all
    # (the code, and photos that are not the resident's, in tests/triage/test_resident_voice.py).
    "reports.track_photo": {"GET": "404"},
    # API tokens and keys of the signed-in user.
    "settings.create": {"POST": "302 400 400 400 400 400"},
    "settings.revoke": {"POST": {"own": "302", "other": "302 404 404 404 404 404"}},
    "settings.tokens": {"GET": "302 200 200 200 200 200"},
    # Static files.
    "static": {"GET": "200"},
    # Stations, areas, PAOs: admins; coverage and re-routing also coordinators (their PAO).
    "stations.admin": {"GET": "302 403 403 403 403 200"},
    "stations.base_layer_data": {"GET": "302 200 200 200 200 200"},
    "stations.coverage": {"GET": "302 403 403 403 200 200"},
    "stations.rollout": {"GET": "302 403 403 403 200 200"},
    # The jurisdiction editor: the PAO's coordinator (only their own PAO: another's ?pao= is 404) and admins.
    "stations.jurisdiction": {"GET": "302 403 403 403 200 200"},
    "stations.jurisdiction_data": {"GET": "302 403 403 403 200 200"},
    "stations.jurisdiction_assign": {"POST": "302 403 403 403 400 400"},
    "stations.jurisdiction_publish": {"POST": "302 403 403 403 400 400"},
    "stations.jurisdiction_compare": {"GET": "302 403 403 403 404 404"},
    # Its map tools: parts of tambon, box select, placing stations (404 for a PAO without a province, as here).
    "stations.jurisdiction_add_part": {"POST": "302 403 403 403 404 404"},
    "stations.jurisdiction_import_parts": {"POST": "302 403 403 403 404 404"},
    "stations.jurisdiction_remove_part": {"POST": "302 403 403 403 404 404"},
    "stations.jurisdiction_box": {"GET": "302 403 403 403 400 400"},
    "stations.jurisdiction_place_station": {"POST": "302 403 403 403 404 404"},
    "stations.coverage_data": {"GET": "302 403 403 403 200 200"},
    "stations.import_areas_page": {"GET": "302 403 403 403 403 200", "POST": "302 403 403 403 403 400"},
    "stations.import_mous_page": {"GET": "302 403 403 403 403 200", "POST": "302 403 403 403 403 400"},
    "stations.import_stations_page": {"GET": "302 403 403 403 403 200", "POST": "302 403 403 403 403 400"},
    "stations.paos": {"GET": "302 403 403 403 403 200", "POST": "302 403 403 403 403 400"},
    "reports.reroute": {"POST": "302 403 403 403 302 302"},
    "stations.set_pao_coordinator": {"POST": "302 403 403 403 403 302"},
    "stations.static": {"GET": "200"},
    # The police desk (their station), commanders' templates and audit, the coordinator queue.
    "triage.act": {"POST": {"own": "302 403 302 302 403 403", "other": "302 403 404 404 403 403"}},
    "triage.assign": {"POST": {"own": "302 403 403 302 403 403", "other": "302 403 404 404 403 403"}},
    "triage.audit": {"GET": {"own": "302 403 403 200 200 403", "other": "302 403 403 404 404 403"}},
    "triage.contact": {"POST": {"own": "302 403 400 400 403 403", "other": "302 403 404 404 403 403"}},
    "triage.coordinator": {"GET": "302 403 200 200 200 403"},
    "triage.create_template": {"POST": "302 403 403 400 403 403"},
    "triage.delete_template": {"POST": {"own": "302 403 403 302 403 403", "other": "302 403 403 404 403 403"}},
    "triage.edit_template": {
        "GET": {"own": "302 403 403 200 403 403", "other": "302 403 403 404 403 403"},
        "POST": {"own": "302 403 403 400 403 403", "other": "302 403 403 404 403 403"},
    },
    "triage.forward": {"POST": {"own": "302 403 400 400 400 403", "other": "302 403 404 404 404 403"}},
    "triage.note": {"POST": {"own": "302 403 400 400 403 403", "other": "302 403 404 404 403 403"}},
    "triage.queue": {"GET": "302 403 200 200 403 403"},
    "triage.queue_map": {"GET": "302 403 200 200 403 403"},
    "triage.queue_map_data": {"GET": "302 403 200 200 403 403"},
    "triage.report": {"GET": {"own": "302 403 200 200 403 403", "other": "302 403 404 404 403 403"}},
    "triage.templates": {"GET": "302 403 403 200 403 403"},
}

def expected_status(endpoint, method, side, role):
    """Return the expected status of one request from the table."""
    spec = EXPECTED[endpoint][method]
    if isinstance(spec, dict):
        spec = spec[side]
    codes = spec.split()
    if len(codes) == 1:
        return int(codes[0])
    assert len(codes) == len(ROLES), f"{endpoint} {method}: give one status or {len(ROLES)}"
    return int(codes[ROLES.index(role)])
