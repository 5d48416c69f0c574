"""A lost phone reveals nothing (SPEC §11, issue 21), checked in Chromium.

Each test reads what the device keeps the way a thief with the browser profile
would: every IndexedDB database, object store and row, raw (bytes read as
text), the Cache Storage and Web Storage, and looks for the names, prison
numbers and contact summaries it synced or was given offline.
"""

import re

import pytest
from sqlalchemy import select

from tests.browser.world import (
    PIN,
    choose_pin,
    is_locked,
    open_app,
    seed,
    sign_in,
    status,
    unlock,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.own_database]

OFFLINE_SUMMARY = "Met her at the bus station in Almaty"
# Everything the device can read, as text: IndexedDB rows (bytes decoded as UTF-8),
# Cache Storage bodies and Web Storage.
RAW_DUMP = """async () => {
  const decoder = new TextDecoder('utf-8');
  const asText = (key, value) =>
    (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) ? decoder.decode(value) : value;
  const open = (name) => new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const all = (db, name) => new Promise((resolve, reject) => {
    const request = db.transaction(name).objectStore(name).getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const stores = {};
  let rows = '';
  for (const info of await indexedDB.databases()) {
    const db = await open(info.name);
    for (const name of db.objectStoreNames) {
      const found = await all(db, name);
      stores[`${info.name}/${name}`] = found.length;
      rows += JSON.stringify(found, asText);
    }
    db.close();
  }
  let cached = '';
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      cached += request.url + (await (await cache.match(request)).text());
    }
  }
  const storage = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage });
  return { stores, text: rows + cached + storage };
}"""


def _personal(server, world) -> list[str]:
    """What must never be readable on the device: the caseload's names and prison
    numbers, and the contact summaries (the seeded one and the one typed offline)."""

    def work():
        from prog_tracker.extensions import db
        from prog_tracker.participants.models import Participant

        people = db.session.scalars(
            select(Participant).where(Participant.id.in_(world.client_ids))
        ).all()
        found = [OFFLINE_SUMMARY, "First visit at home"]
        for person in people:
            found += [person.given_name, person.family_name, person.prison_number]
        return found

    return server.query(work)


def _dump(page) -> dict:
    """The device's storage, read raw."""
    return page.evaluate(RAW_DUMP)


def _assert_nothing_in_clear(page, secrets: list[str]) -> dict:
    """No secret anywhere in the device's storage; returns the dump."""
    dump = _dump(page)
    leaked = [secret for secret in secrets if secret in dump["text"]]
    assert leaked == [], leaked
    return dump


def _user_rows(dump: dict, store: str) -> int:
    """Rows in one object store of the users' encrypted databases."""
    pattern = re.compile(rf"prog-tracker-u-.*/{store}$")
    return sum(n for name, n in dump["stores"].items() if pattern.match(name))


def _log_contact(page, server, person_id: str, summary: str) -> None:
    """Log a phone call about a person from the app."""
    open_app(page, f"{server.url}/app/people/{person_id}/contact")
    page.get_by_text("Phone call").click()
    page.get_by_label("What happened (optional)").fill(summary)
    page.get_by_role("button", name="Save the contact").click()
    page.get_by_text("Saved on this device").wait_for()


def _contacts(server, summary: str) -> int:
    """How many contacts with this summary the server holds."""

    def work():
        from sqlalchemy import func

        from prog_tracker.aftercare.models import Contact
        from prog_tracker.extensions import db

        return db.session.scalar(select(func.count()).where(Contact.summary == summary))

    return server.query(work)


def _device_row(server, username: str) -> dict:
    """The registry's row for the user's (one) device."""

    def work():
        from prog_tracker.auth.models import User
        from prog_tracker.devices.models import Device
        from prog_tracker.extensions import db

        user = db.session.scalars(select(User).where(User.username == username)).one()
        row = db.session.scalars(select(Device).where(Device.user_id == user.id)).one()
        return {"id": row.id, "wiped_at": row.wiped_at, "pending_count": row.pending_count}

    return server.query(work)


def _revoke(server, device_id: str) -> None:
    """An administrator revokes the device (through the service, as the admin page does)."""

    def work():
        from prog_tracker.auth.models import User
        from prog_tracker.devices import services
        from prog_tracker.devices.models import Device
        from prog_tracker.extensions import db
        from tests.factories import Factory

        admin = db.session.scalars(select(User).where(User.role == "admin")).first()
        admin = admin or Factory().user("admin", username="admin.devices")
        services.revoke_device(admin, db.session.get(Device, device_id))
        db.session.commit()

    server.query(work)


def test_the_caseload_is_not_readable_at_rest_synced_offline_reopened_or_locked(
    live_server, browser_context
):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    page.get_by_text("Aigerim Sadykova").wait_for()  # synced: the names are on the device
    secrets = _personal(live_server, world)

    live_server.stop()
    page.context.set_offline(True)
    _log_contact(page, live_server, world.client_ids[0], OFFLINE_SUMMARY)
    dump = _assert_nothing_in_clear(page, secrets)
    assert _user_rows(dump, "records") >= 6 and _user_rows(dump, "outbox") == 1  # not vacuous

    page.reload()  # reopened: it starts locked, and still nothing in clear
    page.locator("form.fa-lock input[name=pin]").wait_for()
    assert page.get_by_text("Sadykova").count() == 0
    _assert_nothing_in_clear(page, secrets)
    unlock(page)
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[0]}")
    page.get_by_text(OFFLINE_SUMMARY).wait_for()  # unlocked, it reads as before

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Lock now").click()
    page.locator("form.fa-lock input[name=pin]").wait_for()
    assert page.get_by_text(OFFLINE_SUMMARY).count() == 0
    assert page.evaluate("() => document.getElementById('fa-nav').textContent.trim()") == ""
    _assert_nothing_in_clear(page, secrets)


def test_five_wrong_pins_erase_the_key_and_the_outbox_waits_encrypted_for_the_password(
    live_server, browser_context
):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    secrets = _personal(live_server, world)
    live_server.stop()
    page.context.set_offline(True)
    _log_contact(page, live_server, world.client_ids[0], OFFLINE_SUMMARY)

    page.reload()
    for left in (4, 3, 2, 1):
        page.locator("form.fa-lock input[name=pin]").fill("999000")
        page.locator("form.fa-lock button[type=submit]").click()
        page.get_by_text(f"Wrong PIN. {left} tries left before the PIN is erased.").wait_for()
    page.locator("form.fa-lock input[name=pin]").fill("999000")
    page.locator("form.fa-lock button[type=submit]").click()
    page.get_by_text("5 wrong PINs: the PIN is erased from this device.").wait_for()
    page.reload()  # erased for good, not only on this screen
    page.get_by_role("heading", name="Sign in to unlock").wait_for()
    assert not is_locked(page)
    dump = _assert_nothing_in_clear(page, secrets)
    assert _user_rows(dump, "outbox") == 1
    wrapped = page.evaluate(
        """async () => {
          const { getAccount } = await import('/static/app/accounts.js');
          const account = await getAccount('fieldworker');
          return [account.pin, Boolean(account.escrow)];
        }"""
    )
    assert wrapped == [None, True]  # the PIN's wrapping is gone; only the server's key opens it

    live_server.start()
    page.context.set_offline(False)
    page.get_by_role("link", name="Sign in with your password").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    choose_pin(page, "305714")
    page.wait_for_url(re.compile("/app/caseload$"))
    page.wait_for_function("() => document.getElementById('fa-status').dataset.pending === '0'")
    assert _contacts(live_server, OFFLINE_SUMMARY) == 1  # sent once, after the password


def test_the_offline_lease_locks_an_idle_device_until_a_password_sign_in(
    live_server, browser_context
):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    page.clock.install()
    sign_in(page, live_server, "fieldworker")
    live_server.stop()
    page.context.set_offline(True)
    _log_contact(page, live_server, world.client_ids[0], OFFLINE_SUMMARY)
    page.clock.fast_forward("50:00:00")  # 22 hours left: the status bar says so
    if is_locked(page):  # idle for 50 hours: the idle lock came first
        unlock(page)
    page.locator("#fa-status .fa-lease-warning").wait_for()
    assert "Connect within 22 h" in page.inner_text("#fa-status")

    page.clock.fast_forward("23:00:00")  # 73 hours without the server
    page.get_by_role("heading", name="Sign in to unlock").wait_for()
    assert page.get_by_text("has not reached the server for 72 hours").count() == 1
    assert page.locator("form.fa-lock input[name=pin]").count() == 0
    page.reload()
    page.get_by_role("heading", name="Sign in to unlock").wait_for()
    assert status(page, "pending") == "1"  # nothing unsent is lost to a lease

    live_server.start()
    page.context.set_offline(False)
    page.get_by_role("link", name="Sign in with your password").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile("/app/caseload$"))  # the PIN still holds: no new one
    page.wait_for_function("() => document.getElementById('fa-status').dataset.pending === '0'")


def _caseworker_elsewhere(server) -> None:
    """A caseworker of another NGO with a client of her own: none of the world's people."""

    def work():
        from prog_tracker.extensions import db
        from tests.factories import Factory

        make = Factory()
        facility = make.facility(country="KZ", timezone="UTC")
        organisation = make.organisation(country="KZ", name="New Start")
        worker = make.user("caseworker", organisation=organisation, username="elsewhere")
        client = make.participant(facility=facility, given_name="Gulnar", family_name="Abenova")
        make.client_of(worker, client)
        db.session.commit()

    server.query(work)


def test_another_person_on_the_same_tablet_sees_none_of_the_first_ones_records(
    live_server, browser_context
):
    world = seed(live_server)
    _caseworker_elsewhere(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    page.get_by_text("Aigerim Sadykova").wait_for()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/app/signin$"))

    sign_in(page, live_server, "elsewhere")
    page.get_by_text("Gulnar Abenova").wait_for()  # her own caseload…
    assert page.get_by_text("Sadykova").count() == 0  # …and nothing of the first one's
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[0]}")
    page.get_by_role("heading", name="Person not on this device").wait_for()
    stores = _dump(page)["stores"]
    # Two people, two stores: the first one's stays, encrypted, for her next sign-in.
    assert len({name.split("/")[0] for name in stores if name.startswith("prog-tracker-u-")}) == 2

    # She signs in again on the same tablet and finds her records where she left them.
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/app/signin$"))
    sign_in(page, live_server, "fieldworker")
    page.get_by_text("Aigerim Sadykova").wait_for()


def test_a_revoked_device_erases_its_data_before_drawing_anything_and_reports_back(
    live_server, browser_context
):
    world = seed(live_server)
    live_server.start()
    context = browser_context()
    page = context.new_page()
    sign_in(page, live_server, "fieldworker")
    live_server.stop()
    context.set_offline(True)
    _log_contact(page, live_server, world.client_ids[0], OFFLINE_SUMMARY)
    page.close()

    device = _device_row(live_server, "fieldworker")
    _revoke(live_server, device["id"])
    live_server.start()
    context.set_offline(False)

    page = context.new_page()
    # Whatever the app draws is recorded from the first frame on.
    page.add_init_script(
        """new MutationObserver(() => {
             const text = document.getElementById('main')?.textContent || '';
             if (document.querySelector('form.fa-lock') || /Sadykova|bus station/.test(text)) {
               window.__drawn = true;
             }
           }).observe(document, { childList: true, subtree: true, characterData: true });"""
    )
    page.goto(f"{live_server.url}/app/caseload")
    page.get_by_text("This device was removed from your account").wait_for()
    assert page.evaluate("() => window.__drawn || false") is False
    dump = _dump(page)
    assert not any(name.startswith("prog-tracker-u-") for name in dump["stores"])
    assert OFFLINE_SUMMARY not in dump["text"]

    page.wait_for_timeout(500)  # the receipt goes right after the erasing
    row = _device_row(live_server, "fieldworker")
    assert row["wiped_at"] is not None and row["pending_count"] == 1


def test_a_device_revoked_while_in_use_is_erased_at_its_next_sync(live_server, browser_context):
    seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    page.get_by_text("Aigerim Sadykova").wait_for()
    _revoke(live_server, _device_row(live_server, "fieldworker")["id"])
    page.locator(".fa-sync-now").click()
    page.wait_for_url(re.compile("/app/signin$"))
    page.get_by_text("This device was removed from your account").wait_for()
    assert not any(name.startswith("prog-tracker-u-") for name in _dump(page)["stores"])
    assert _device_row(live_server, "fieldworker")["wiped_at"] is not None


def test_the_idle_lock_keeps_what_was_being_typed(live_server, browser_context):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    page.clock.install()
    sign_in(page, live_server, "fieldworker")
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[0]}/contact")
    page.get_by_label("What happened (optional)").fill("Half a sentence")
    page.clock.fast_forward("06:00")
    page.locator("form.fa-lock input[name=pin]").wait_for()
    assert page.get_by_label("What happened (optional)").count() == 0  # hidden while locked
    unlock(page, PIN)
    assert page.get_by_label("What happened (optional)").input_value() == "Half a sentence"
