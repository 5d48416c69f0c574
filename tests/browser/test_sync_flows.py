"""Work done offline reaches the server exactly once; the server's word reaches the device.

Each test stops the server process to go offline (and, for the caseworker,
also switches the browser's network off), then restarts it on the same port
and database.
"""

import re

import pytest
from sqlalchemy import func, select

from tests.browser.world import (
    open_app,
    seed,
    sign_in,
    status,
    sync_now,
    unlock_if_locked,
    wait_for_round,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


def _count(server, model, **where) -> int:
    """How many rows of model match, on the server's database."""

    def work():
        from prog_tracker.extensions import db

        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)

    return server.query(work)


def _log_contact(page, server, person_id: str, summary: str) -> None:
    """Log a phone call about a person from the app."""
    open_app(page, f"{server.url}/app/people/{person_id}/contact")
    page.get_by_text("Phone call").click()
    page.get_by_label("What happened (optional)").fill(summary)
    page.get_by_role("button", name="Save the contact").click()
    page.get_by_text("Saved on this device").wait_for()


def _take_roll(page, server, world) -> None:
    """Mark Madina absent and Timur late; Ayan stays present."""
    open_app(page, f"{server.url}/app/sessions/{world.session_id}")
    page.get_by_role("group", name=re.compile("Nurova")).get_by_text("Absent").click()
    page.get_by_role("group", name=re.compile("Ospanov")).get_by_text("Late").click()
    page.get_by_role("button", name="Save the roll").click()
    page.get_by_text("The roll is saved on this device").wait_for()


def _lose_first_push_answer(page) -> list:
    """Let the first push reach the server but drop its answer, as a dead network would."""
    lost = []

    def handle(route):
        if lost:
            return route.continue_()
        route.fetch()  # the server applies the batch...
        lost.append(True)
        route.abort("connectionreset")  # ...and the device never hears back

    page.route("**/api/v1/sync/push", handle)
    return lost


def test_offline_attendance_and_contacts_reach_the_server_exactly_once(
    live_server, browser_context
):
    from prog_tracker.aftercare.models import Contact
    from prog_tracker.workshops.models import Attendance

    world = seed(live_server)
    live_server.start()
    tablet = browser_context("tablet").new_page()
    phone_context = browser_context("phone")
    phone = phone_context.new_page()
    sign_in(tablet, live_server, "teacher")
    sign_in(phone, live_server, "fieldworker")

    live_server.stop()
    phone_context.set_offline(True)
    _take_roll(tablet, live_server, world)
    _log_contact(phone, live_server, world.client_ids[0], "Met at the bus station")
    _log_contact(phone, live_server, world.client_ids[1], "Called about the job interview")
    for page, waiting in ((tablet, "3"), (phone, "2")):
        page.reload()
        unlock_if_locked(page)
        page.locator("#fa-status[data-rounds]").wait_for(state="attached")
        assert status(page, "pending") == waiting
    open_app(phone, f"{live_server.url}/app/people/{world.client_ids[0]}")
    phone.get_by_text("Met at the bus station").wait_for()

    live_server.start()
    lost = _lose_first_push_answer(phone)
    before = int(phone.get_attribute("#fa-status", "data-rounds"))
    phone_context.set_offline(False)  # the `online` event starts a sync by itself
    # The lost answer looks like a dead network: the app retries after a short pause.
    phone.wait_for_function(
        "() => document.getElementById('fa-status').dataset.pending === '0'", timeout=40_000
    )
    assert lost, "the first push went through the lossy route"
    wait_for_round(phone, before)
    sync_now(tablet)
    assert status(tablet, "pending") == "0" and status(tablet, "attention") == "0"

    for summary in ("Met at the bus station", "Called about the job interview"):
        assert _count(live_server, Contact, summary=summary) == 1
    assert _count(live_server, Attendance, session_id=world.session_id) == 3
    for person, mark in zip(world.learner_ids, ("present", "absent", "late"), strict=True):
        assert _count(live_server, Attendance, participant_id=person, status=mark) == 1
    sync_now(phone)
    assert _count(live_server, Contact) == 3  # the seeded visit and the two calls, nothing twice


def test_a_consent_withdrawn_on_the_server_removes_the_person_from_the_device(
    live_server, browser_context, playwright_driver
):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    page.get_by_text("Dana Ermek").wait_for()

    officer = playwright_driver.request.new_context(base_url=live_server.url)
    login = officer.post("/api/v1/auth/login", data={"username": "officer", "password": PASSWORD})
    csrf = login.json()["csrf_token"]
    answer = officer.post(
        f"/api/v1/consents/{world.consent_ids[1]}/withdraw", data={}, headers={"X-CSRF-Token": csrf}
    )
    assert answer.ok, answer.text()
    officer.dispose()

    sync_now(page)
    page.get_by_text("Aigerim Sadykova").wait_for()
    assert page.get_by_text("Dana Ermek").count() == 0
    held = page.evaluate(
        """async (id) => {
          const { listRecords } = await import('/static/app/store.js');
          const kinds = ['participant', 'follow_up', 'contact', 'referral'];
          const all = await Promise.all(kinds.map(listRecords));
          return all.flat().filter((r) => r.id === id || r.participant_id === id).length;
        }""",
        world.client_ids[1],
    )
    assert held == 0
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[1]}")
    page.get_by_role("heading", name="Person not on this device").wait_for()


def test_a_401_during_sync_pauses_the_outbox_and_keeps_it(live_server, browser_context):
    from prog_tracker.aftercare.models import Contact

    world = seed(live_server)
    live_server.start()
    context = browser_context()
    page = context.new_page()
    sign_in(page, live_server, "fieldworker")
    live_server.stop()
    _log_contact(page, live_server, world.client_ids[0], "Visit while the session ran out")

    live_server.start()
    context.clear_cookies()  # the server no longer knows this device's session
    sync_now(page)
    assert status(page, "pending") == "1"
    page.get_by_role("link", name="Sign in again to send your changes").click()
    page.get_by_label("Username").fill("fieldworker")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile("/app/caseload$"))
    page.wait_for_function("() => document.getElementById('fa-status').dataset.pending === '0'")
    assert _count(live_server, Contact, summary="Visit while the session ran out") == 1


def test_a_conflicting_offline_edit_is_shown_not_overwritten(live_server, browser_context):
    from prog_tracker.aftercare.models import Contact

    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    live_server.stop()

    open_app(page, f"{live_server.url}/app/contacts/{world.contact_id}/edit")
    page.get_by_label("What happened (optional)").fill("Mine: met at home, brother present")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text("Saved on this device").wait_for()

    def colleague_corrects_it():
        from prog_tracker.aftercare.contacts import edit_contact
        from prog_tracker.auth.models import User
        from prog_tracker.extensions import db

        colleague = db.session.scalars(select(User).where(User.username == "colleague")).one()
        edit_contact(
            colleague,
            db.session.get(Contact, world.contact_id),
            {"summary": "Theirs: met at the office"},
        )

    live_server.query(colleague_corrects_it)
    live_server.start()
    sync_now(page)
    assert status(page, "attention") == "1" and status(page, "pending") == "0"
    assert _count(live_server, Contact, summary="Theirs: met at the office") == 1

    page.get_by_role("link", name=re.compile("Needs attention")).click()
    page.get_by_role("link", name=re.compile("Changed on the server too")).click()
    table = page.get_by_role("table", name="Both versions")
    table.get_by_text("Mine: met at home, brother present").wait_for()
    table.get_by_text("Theirs: met at the office").wait_for()

    page.get_by_role("button", name="Keep mine and send again").click()
    page.wait_for_function("() => document.getElementById('fa-status').dataset.pending === '0'")
    sync_now(page)
    assert status(page, "attention") == "0"
    assert _count(live_server, Contact, summary="Mine: met at home, brother present") == 1


def _dispatch_background_sync(page, server) -> None:
    """Fire the service worker's `sync` event as the browser does when the network returns."""
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(200)
    live = [r for r in registrations if not r["isDeleted"]]
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": server.url,
            "registrationId": live[0]["registrationId"],
            "tag": "outbox",
            "lastChance": False,
        },
    )


def test_background_sync_wakes_the_app_to_send_its_outbox(live_server, browser_context):
    from prog_tracker.aftercare.models import Contact

    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    live_server.stop()
    _log_contact(page, live_server, world.client_ids[1], "Sent by Background Sync")
    live_server.start()
    page.evaluate(
        """() => {
          window.wakes = 0;
          navigator.serviceWorker.addEventListener('message', (e) => {
            if (e.data && e.data.type === 'sync') window.wakes += 1;
          });
        }"""
    )
    _dispatch_background_sync(page, live_server)
    page.wait_for_function("() => window.wakes > 0")
    page.wait_for_function("() => document.getElementById('fa-status').dataset.pending === '0'")
    assert _count(live_server, Contact, summary="Sent by Background Sync") == 1
