"""After a 429 the field app waits as long as Retry-After says: changes, the network
coming back and the screen returning do not send again; only "Sync now" does."""

import json

import pytest
from sqlalchemy import func, select

from tests.browser.world import open_app, seed, sign_in, status, sync_now, wait_for_status

pytestmark = [pytest.mark.browser, pytest.mark.own_database]

LIMITED = json.dumps(
    {"error": {"code": "rate_limited", "message": "Too many attempts; try again later."}}
)


def _contacts(server, summary: str) -> int:
    """How many contacts with this summary the server holds."""

    def work():
        from prog_tracker.aftercare.models import Contact
        from prog_tracker.extensions import db

        query = select(func.count()).select_from(Contact).where(Contact.summary == summary)
        return db.session.scalar(query)

    return server.query(work)


def test_automatic_syncs_wait_for_retry_after(live_server, browser_context):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    pushes = []

    def limited(route):
        pushes.append(route.request.url)
        route.fulfill(
            status=429,
            headers={"Retry-After": "3600", "Content-Type": "application/json"},
            body=LIMITED,
        )

    page.route("**/api/v1/sync/push", limited)
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[0]}/contact")
    page.get_by_text("Phone call").click()
    page.get_by_label("What happened (optional)").fill("Call during the limit")
    page.get_by_role("button", name="Save the contact").click()
    page.get_by_text("Saved on this device").wait_for()
    wait_for_status(page, "error", "rate_limited")
    assert len(pushes) == 1

    # Every automatic trigger now holds back: the server asked for an hour.
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_timeout(2000)
    assert len(pushes) == 1
    assert status(page, "pending") == "1"

    # The person asking is another matter: "Sync now" tries at once.
    page.unroute("**/api/v1/sync/push")
    sync_now(page)
    wait_for_status(page, "pending", "0")
    assert _contacts(live_server, "Call during the limit") == 1
