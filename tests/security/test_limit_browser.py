"""On a real phone browser: a report refused by the submission limit is kept, waits as asked, and goes once."""
import re

import pytest

from app.extensions import db, limiter
from app.reports.models import Report
from tests.live import type_place
from tests.offline.conftest import eventually, sign_in, wait_until_offline_ready

pytestmark = pytest.mark.browser

DRAFTS = """async () => (await window.RuamkanStore.list(window.RuamkanOffline.user))
    .map(d => ({id: d.id, status: d.status, lastError: d.lastError || '', notBefore: d.notBefore || 0,
                attempts: d.attempts || 0, narrative: (d.fields || {}).narrative || ''}))"""


def reports_with(narrative):
    db.session.rollback()  # see what the server committed since
    return db.session.scalars(db.select(Report).where(Report.narrative == narrative)).all()


def file(phone, live, narrative, lat):
    phone.goto("/reports/new")
    phone.select_option("#category_id", str(live.world.category.id))
    phone.fill("#narrative", narrative)
    type_place(phone, lat, "100.5800")
    phone.locator("#submit-report").tap()


def test_a_report_over_the_limit_is_not_lost_and_is_sent_once_the_limit_allows(phone, live):
    live.app.config["SUBMIT_RATE_LIMIT"] = "1 per hour"
    limiter.reset()
    try:
        sign_in(phone, live.world.member)
        wait_until_offline_ready(phone)
        file(phone, live, "First report of the hour: a fight outside the night market.", "7.1500")
        phone.wait_for_url(re.compile(r"/reports/\d+/receipt$"))

        waiting = "Second report of the hour: motorbikes racing on the bypass road."
        file(phone, live, waiting, "7.1700")
        phone.locator("h1", has_text="Too many requests").wait_for()
        assert "Your report was NOT sent" in phone.locator(".lead").inner_text()
        assert phone.locator("a", has_text="Back to the report form").get_attribute("href") == "/reports/new"
        assert reports_with(waiting) == []
        [draft] = [d for d in phone.evaluate(DRAFTS) if d["narrative"] == waiting]
        assert draft["status"] == "sending"  # kept on the phone, to be sent again

        # The phone tries again later (here: at once) and the server says 429 with Retry-After.
        phone.evaluate("id => window.RuamkanStore.update(id, d => { d.sendingAt = 0; return d; })", draft["id"])
        phone.evaluate("window.RuamkanOffline.sendNow()")
        queued = eventually(phone, f"""async () => (await ({DRAFTS})()).find(
            d => d.id === '{draft["id"]}' && d.status === 'queued' && d.lastError === '429')""")
        assert queued["notBefore"] > 0  # it waits as long as the server asked
        phone.evaluate("window.RuamkanOffline.sendNow()")  # before that time: not sent again
        assert [d["attempts"] for d in phone.evaluate(DRAFTS) if d["id"] == draft["id"]] == [queued["attempts"]]
        assert reports_with(waiting) == []

        # The hour is over (here: the limit lifted and the wait cut short): it goes, once.
        live.app.config["SUBMIT_RATE_LIMIT"] = "100 per hour"
        phone.evaluate("id => window.RuamkanStore.update(id, d => { d.notBefore = 0; return d; })", draft["id"])
        phone.evaluate("window.RuamkanOffline.sendNow()")
        eventually(phone, f"""async () => (await ({DRAFTS})()).some(
            d => d.id === '{draft["id"]}' && d.status === 'sent')""", timeout=15.0)
        assert len(reports_with(waiting)) == 1
        assert phone.errors == []
    finally:
        live.app.config["SUBMIT_RATE_LIMIT"] = "60 per hour"
        limiter.reset()
