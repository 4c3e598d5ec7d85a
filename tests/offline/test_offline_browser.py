"""A council member's phone without a signal: the form opens, drafts stay, reports wait and go once."""
import re
import time

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.reports.models import Report
from tests.factories import make_user
from tests.live import BROWSER_ARGS, PHONE, block_outside_network, type_place
from tests.offline.conftest import eventually, sign_in, wait_until_offline_ready
from tests.reports.factories_reports import jpeg_bytes

pytestmark = pytest.mark.browser


def reports_with(narrative):
    db.session.rollback()  # see what the server committed since
    return db.session.scalars(db.select(Report).where(Report.narrative == narrative)).all()


def fill_report(page, live, narrative, *, lat, lon="100.5400", category=True):
    # Each test files at its own spot (>250 m apart), or the duplicate check would ask to confirm.
    if category:
        page.select_option("#category_id", str(live.world.category.id))
    page.fill("#narrative", narrative)
    if lat:
        type_place(page, lat, lon)


def test_the_worker_serves_the_form_and_the_members_pages_without_a_signal(phone, live):
    sign_in(phone, live.world.member)
    wait_until_offline_ready(phone)
    phone.context.set_offline(True)
    phone.goto("/reports/new")
    assert phone.locator("#report-form").is_visible()
    assert phone.locator("#submit-report").inner_text() == "Send report"
    phone.goto("/reports/mine")
    assert phone.locator("h1").inner_text() == "My reports"
    phone.goto("/accounts/password")  # never kept: the offline page instead of the browser's error
    assert phone.locator("#offline-page").is_visible()
    assert phone.errors == []


def test_a_report_sent_without_a_signal_waits_and_arrives_exactly_once_with_its_photo(phone, live, camera_photos):
    narrative = "Without a signal: motorbikes taken from the temple car park every night."
    sign_in(phone, live.world.member)
    wait_until_offline_ready(phone)
    phone.goto("/reports/new")
    phone.context.set_offline(True)
    fill_report(phone, live, narrative, lat="7.2100")
    phone.set_input_files("#photos", files=[str(camera_photos[0])])
    phone.locator("#offline-photos", has_text="Photos ready: 1").wait_for()
    phone.locator("#submit-report").tap()
    phone.locator("#offline-notice", has_text="No signal: the report is kept on this phone").wait_for()
    queued = phone.locator("#offline-draft-list .offline-queued")
    queued.wait_for()
    assert narrative[:40] in queued.inner_text()
    expect(phone.locator("#narrative")).to_have_value("")  # the form is ready for the next report
    assert reports_with(narrative) == []

    phone.reload()  # still offline: the worker serves the form, the report still waits
    expect(phone.locator("#offline-draft-list .offline-queued")).to_contain_text("Waiting to send")
    assert reports_with(narrative) == []

    phone.context.set_offline(False)
    sent = phone.locator("#offline-draft-list .offline-sent")
    sent.wait_for(timeout=15000)
    reference = re.search(r"SKO-\d{4}-\d{6}", sent.inner_text()).group(0)
    phone.locator("#offline-notice", has_text=f"Report {reference} was sent.").wait_for()

    # Sending again (another page, the worker's Background Sync) changes nothing.
    phone.evaluate("window.RuamkanOffline.sendNow()")
    phone.reload()
    phone.locator("#offline-draft-list .offline-sent").wait_for()
    reports = reports_with(narrative)
    assert len(reports) == 1
    report = reports[0]
    assert report.reference_number == reference
    # Once filed, the phone keeps only the reference: no narrative, no resident's contact, no photos.
    kept = phone.evaluate("""async () => {
        const rows = await RuamkanStore.list(RuamkanOffline.user);
        return {rows: rows.map(r => [r.status, 'fields' in r]), photos: (await RuamkanStore.photos(rows[0].id)).length};
    }""")
    assert kept == {"rows": [["sent", False]], "photos": 0}
    assert len(report.photos) == 1
    # Made smaller on the phone before it went: the server's "original" is the phone's 1600 px copy.
    assert report.photos[0].original_size < camera_photos[0].stat().st_size / 4
    assert (report.photos[0].width, report.photos[0].height) == (1600, 1200)
    assert phone.errors == []


def test_drafts_are_kept_while_typing_survive_a_reload_and_several_wait_side_by_side(phone, live):
    sign_in(phone, live.world.member)
    phone.goto("/reports/new")
    # Saved before any place was set: a draft does not need to be complete.
    fill_report(phone, live, "First draft: lights broken on the school road.", lat=None)
    phone.set_input_files("#photos", files=[{"name": "road.jpg", "mimeType": "image/jpeg",
                                             "buffer": jpeg_bytes(size=(800, 600))}])
    phone.locator("#offline-saved", has_text="Saved on this phone").wait_for()
    phone.locator("#offline-photos", has_text="Photos ready: 1").wait_for()

    phone.reload()
    expect(phone.locator("#narrative")).to_have_value("First draft: lights broken on the school road.")
    assert phone.locator("#category_id").input_value() == str(live.world.category.id)
    assert phone.locator("#lat").input_value() == ""
    eventually(phone, "document.getElementById('photos').files.length === 1")
    expect(phone.locator("#offline-draft-list")).to_contain_text("Photos: 1")

    phone.locator("#offline-new").tap()
    expect(phone.locator("#narrative")).to_have_value("")
    phone.fill("#narrative", "Second draft: a stranger watches the children at the bus stop.")
    second = phone.locator("#offline-draft-list li", has_text="Second draft")
    second.wait_for()
    assert phone.locator("#offline-draft-list li").count() == 2

    first = phone.locator("#offline-draft-list li", has_text="First draft")
    first.get_by_role("button", name="Open").tap()
    expect(phone.locator("#narrative")).to_have_value("First draft: lights broken on the school road.")
    eventually(phone, "document.getElementById('photos').files.length === 1")
    phone.reload()  # the tab keeps the draft it was editing
    expect(phone.locator("#narrative")).to_have_value("First draft: lights broken on the school road.")
    assert phone.errors == []


def test_the_thai_page_gives_the_scripts_their_thai_words(phone, live):
    sign_in(phone, live.world.member, "th")
    phone.goto("/reports/new")
    words = phone.evaluate("JSON.parse(document.getElementById('offline-js').dataset.i18n)")
    assert words["sending"] == "กำลังส่ง…"
    phone.fill("#narrative", "ร่างภาษาไทย: มีการแข่งรถบนถนนสายหลักทุกคืน")
    expect(phone.locator("#offline-draft-list")).to_contain_text("ร่างภาษาไทย")
    assert phone.errors == []


def test_a_queued_report_the_server_refuses_comes_back_with_the_errors_beside_the_fields(phone, live):
    sign_in(phone, live.world.member)
    wait_until_offline_ready(phone)
    phone.goto("/reports/new")
    phone.context.set_offline(True)
    fill_report(phone, live, "Too short", lat="7.2700", lon="100.5600", category=False)
    phone.locator("#submit-report").tap()
    phone.locator("#offline-draft-list .offline-queued").wait_for()

    phone.context.set_offline(False)
    rejected = phone.locator("#offline-draft-list .offline-rejected")
    rejected.wait_for(timeout=15000)
    assert "Needs changes" in rejected.inner_text()
    rejected.get_by_role("button", name="Open").tap()
    phone.locator("#narrative-err").wait_for()
    assert "between 10 and 5000 characters" in phone.locator("#narrative-err").inner_text()
    assert "Choose what the concern is about." in phone.locator("#category_id-err").inner_text()
    assert phone.locator("#narrative").get_attribute("aria-invalid") == "true"
    expect(phone.locator("#offline-notice")).to_contain_text("Correct the fields marked below")
    assert reports_with("Too short") == []

    # Corrected and sent with a signal: the ordinary form post, and the draft is done.
    phone.select_option("#category_id", str(live.world.category.id))
    phone.fill("#narrative", "Too short before, now a full description of the fights at the market.")
    phone.locator("#submit-report").tap()
    phone.wait_for_url(re.compile(r"/reports/\d+/receipt$"))
    reference = phone.locator("#reference").inner_text()
    phone.goto("/reports/new")
    expect(phone.locator("#offline-draft-list .offline-sent")).to_contain_text(reference)
    assert len(reports_with("Too short before, now a full description of the fights at the market.")) == 1
    assert phone.errors == []


def test_the_next_member_on_the_phone_sees_neither_the_pages_nor_the_drafts_of_the_last(phone, live):
    other = make_user(pao=live.world.pao)
    db.session.commit()
    sign_in(phone, live.world.member)
    wait_until_offline_ready(phone)
    phone.goto("/reports/new")
    phone.fill("#narrative", "A draft with a resident's story that the next member must not see.")
    phone.locator("#offline-saved", has_text="Saved on this phone").wait_for()
    asked = []
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    phone.get_by_role("button", name="Sign out").tap()
    phone.wait_for_url(re.compile(r"/accounts/login"))
    assert asked == ["1 report(s) on this phone are not sent yet. Signing out deletes them from this phone. "
                     "Sign out anyway? (Cancel to stay signed in and send them first.)"]
    kept = phone.evaluate("""async () => (await (await caches.open('ruamkan-pages')).keys()).length""")
    assert kept == 0
    assert stored_drafts(phone) == []  # deleted from the phone, not only hidden from the next member

    sign_in(phone, other)
    phone.goto("/reports/new")
    eventually(phone, "!!window.RuamkanOffline && window.RuamkanOffline.user !== ''")
    expect(phone.locator("#narrative")).to_have_value("")
    assert phone.locator("#offline-draft-list li").count() == 0
    assert phone.locator("#offline-drafts").is_hidden()
    assert phone.errors == []


def until(page, condition, timeout=10.0):
    """Let the page run (dialogs included) until condition() holds."""
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        page.wait_for_timeout(50)


def stored_drafts(page):
    """Every draft in the phone's IndexedDB, of any member, as [user, status, narrative]."""
    return page.evaluate("""() => new Promise((resolve, reject) => {
        const opening = indexedDB.open('ruamkan');
        opening.onerror = () => reject(opening.error);
        opening.onsuccess = () => {
            const db = opening.result;
            if (!db.objectStoreNames.contains('drafts')) { resolve([]); return; }
            const all = db.transaction('drafts').objectStore('drafts').getAll();
            all.onsuccess = () => resolve(all.result.map(d => [String(d.user), d.status,
                                                                (d.fields || {}).narrative || '']));
        };
    })""")


def test_signing_out_deletes_the_members_reports_from_the_phone_asking_first_for_unsent_ones(phone, live):
    narrative = "Unsent on purpose: the member is asked before it is deleted."
    sign_in(phone, live.world.member)
    wait_until_offline_ready(phone)
    phone.goto("/reports/new")
    phone.fill("#narrative", narrative)
    phone.locator("#offline-saved", has_text="Saved on this phone").wait_for()
    asked = []
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    phone.get_by_role("button", name="Sign out").tap()
    until(phone, lambda: len(asked) == 1)
    assert len(asked) == 1 and asked[0].startswith("1 report(s) on this phone are not sent yet.")
    phone.wait_for_timeout(500)  # had the sign-out gone on, the page would be leaving by now
    assert phone.url.endswith("/reports/new")
    assert stored_drafts(phone) == [[str(live.world.member.id), "editing", narrative]]

    phone.context.set_offline(True)
    phone.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    phone.get_by_role("button", name="Sign out").tap()
    until(phone, lambda: len(asked) == 2)
    phone.wait_for_timeout(500)
    assert asked[1] == "This needs a signal. Try again when you are online."
    assert phone.url.endswith("/reports/new") and len(stored_drafts(phone)) == 1

    # Sent, the phone keeps a copy for the member's list: signing out deletes it without asking.
    phone.context.set_offline(False)
    fill_report(phone, live, narrative, lat="7.1600", lon="100.5000")
    phone.locator("#submit-report").tap()
    phone.wait_for_url(re.compile(r"/reports/\d+/receipt$"))
    until(phone, lambda: [d[1] for d in stored_drafts(phone)] == ["sent"])
    assert [d[1] for d in stored_drafts(phone)] == ["sent"] and len(reports_with(narrative)) == 1
    phone.goto("/home")
    phone.get_by_role("button", name="Sign out").tap()
    phone.wait_for_url(re.compile(r"/accounts/login"))
    assert len(asked) == 2 and stored_drafts(phone) == []
    assert phone.errors == []


def test_a_report_whose_answer_is_lost_is_kept_and_sent_again_without_a_second_copy(phone, live):
    """The phone shows a signal, the report reaches the server, the answer never comes back."""
    narrative = "Answer lost on the way back: drug sales behind the football field."
    sign_in(phone, live.world.member)
    wait_until_offline_ready(phone)
    phone.goto("/reports/new")
    lost = []

    def lose_the_answer(route):
        if route.request.method == "POST" and not lost:
            lost.append(route.fetch(max_redirects=0))  # the server files the report...
            route.abort()  # ...and the phone never hears of it
        else:
            route.continue_()

    phone.context.route(re.compile(r".*/reports/new$"), lose_the_answer)
    fill_report(phone, live, narrative, lat="7.2300", lon="100.5200")
    phone.locator("#submit-report").tap()
    phone.wait_for_url(re.compile(r"/reports/new\?draft=.*queued=1"))
    expect(phone.locator("#offline-notice")).to_contain_text("No signal: the report is kept on this phone")
    assert lost and lost[0].status == 302
    assert len(reports_with(narrative)) == 1

    phone.evaluate("window.RuamkanOffline.sendNow()")  # the signal is back (or the worker's sync fires)
    sent = phone.locator("#offline-draft-list .offline-sent")
    sent.wait_for(timeout=15000)
    reports = reports_with(narrative)
    assert len(reports) == 1
    assert reports[0].reference_number in sent.inner_text()
    assert phone.errors == []


def test_background_sync_sends_the_report_with_no_page_open(phone, live):
    """The worker sends on its own: Chromium's sync event, fired here through the DevTools protocol
    (Playwright's contexts are incognito, where Chromium does not register Background Sync)."""
    narrative = "Sent by the worker alone: loud racing on the bypass road after midnight."
    sign_in(phone, live.world.member)
    wait_until_offline_ready(phone)
    phone.goto("/reports/new")
    phone.context.set_offline(True)
    fill_report(phone, live, narrative, lat="7.1200", lon="100.5800")
    phone.locator("#submit-report").tap()
    phone.locator("#offline-draft-list .offline-queued").wait_for()
    phone.goto("about:blank")  # the member leaves: none of our pages is open to send it
    phone.context.set_offline(False)

    cdp = phone.context.new_cdp_session(phone)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not any(r["scopeURL"] == live.url + "/" and not r["isDeleted"] for r in registrations):
        assert time.monotonic() < deadline, registrations
        phone.wait_for_timeout(100)
    registration = next(r for r in registrations if r["scopeURL"] == live.url + "/")
    assert reports_with(narrative) == []
    cdp.send("ServiceWorker.dispatchSyncEvent", {"origin": live.url, "registrationId": registration["registrationId"],
                                                 "tag": "ruamkan-send", "lastChance": False})
    while not reports_with(narrative):
        assert time.monotonic() < deadline + 10, "the worker did not send the queued report"
        phone.wait_for_timeout(100)

    phone.goto("/reports/new")
    sent = phone.locator("#offline-draft-list .offline-sent", has_text="Sent by the worker alone")
    expect(sent).to_contain_text(reports_with(narrative)[0].reference_number)
    assert len(reports_with(narrative)) == 1
    assert phone.errors == []


def test_chromium_finds_the_app_installable(browser, live, chromium_path, tmp_path):
    """Checked in a persistent profile: Chromium never offers to install from an incognito one."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=chromium_path, args=BROWSER_ARGS, headless=True,
        base_url=live.url, **PHONE)
    try:
        block_outside_network(context, live.url)
        page = context.new_page()
        sign_in(page, live.world.member)
        wait_until_offline_ready(page)
        cdp = context.new_cdp_session(page)
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"].endswith("/offline/manifest.webmanifest")
        assert manifest["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    finally:
        context.close()
