"""Web Push in the browser: the service worker shows what the server pushes, the
Notifications switch subscribes and unsubscribes the device, and the Reminders
screen lists what is due from the device's own records.

Headless Chromium cannot reach a browser push service here (no internet), so the
switch tests put a stand-in for PushManager into the page; the push itself is
delivered to the real service worker over the DevTools protocol.
"""

import json
import re
import time
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from prog_tracker.notifications.keys import b64url
from tests.browser.world import SERVICE_WORKER_READY, go_by_menu, open_app, seed, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.own_database]

ALLOWED_ENDPOINT = "http://127.0.0.1:9/push/abc"  # on PROG_TRACKER_PUSH_ENDPOINTS (conftest)
REFUSED_ENDPOINT = "https://push.example.net/send/abc"
SWITCH = "Reminders on this device"

# Replaces the browser's push service in the page: subscribe() hands out a subscription
# at ENDPOINT with real-looking keys, and keeps the application server key it was given
# (base64url, in localStorage) so that it lasts across page loads, like a real one.
FAKE_PUSH = """
(() => {
  const ENDPOINT = %(endpoint)s;
  const KEYS = { p256dh: %(p256dh)s, auth: %(auth)s };
  const STORE = 'fake-push-server-key';
  const toText = (bytes) => btoa(String.fromCharCode(...bytes))
    .replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, '');
  const toBytes = (text) => Uint8Array.from(
    atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const make = (key) => ({
    endpoint: ENDPOINT,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: toBytes(key).buffer },
    toJSON() { return { endpoint: ENDPOINT, expirationTime: null, keys: KEYS }; },
    async unsubscribe() { localStorage.removeItem(STORE); return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    if (options?.userVisibleOnly !== true) throw new DOMException('silent', 'NotAllowedError');
    localStorage.setItem(STORE, toText(new Uint8Array(options.applicationServerKey)));
    return make(localStorage.getItem(STORE));
  };
  PushManager.prototype.getSubscription = async function () {
    const key = localStorage.getItem(STORE);
    return key ? make(key) : null;
  };
})();
"""


def _fake_push(endpoint: str) -> str:
    """The stand-in for PushManager, with a valid P-256 point and a 16-byte secret."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    values = {"endpoint": endpoint, "p256dh": b64url(point), "auth": b64url(bytes(range(16)))}
    return FAKE_PUSH % {name: json.dumps(value) for name, value in values.items()}


def _stored_endpoints(server) -> list[tuple[str, str]]:
    """(username, endpoint) of every push subscription the server holds."""

    def work():
        from sqlalchemy import select

        from prog_tracker.auth.models import User
        from prog_tracker.extensions import db
        from prog_tracker.notifications.models import PushSubscription

        query = select(User.username, PushSubscription.endpoint).join(
            User, PushSubscription.user_id == User.id
        )
        return [tuple(row) for row in db.session.execute(query)]

    return server.query(work)


def _device_subscribed(page) -> bool:
    """True when the page's PushManager holds a subscription."""
    return page.evaluate(
        "async () => Boolean(await (await navigator.serviceWorker.ready)"
        ".pushManager.getSubscription())"
    )


def _field_app_with_fake_push(live_server, browser_context, endpoint):
    """A caseworker signed in to the field app, notifications allowed, on the Reminders screen."""
    seed(live_server)
    live_server.start()
    context = browser_context()
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    page.add_init_script(_fake_push(endpoint))
    sign_in(page, live_server, "fieldworker")
    go_by_menu(page, "Reminders")
    page.get_by_role("heading", name="Reminders", exact=True).wait_for()
    return page


def _notifications(page, count: int) -> list[dict]:
    """The notifications the service worker shows, once there are count of them.

    Chromium's list can lag a moment behind showNotification(): read until it is whole.
    """
    deadline = time.monotonic() + 10
    while True:
        shown = page.evaluate(
            """async () => (await (await navigator.serviceWorker.ready).getNotifications())
                 .map((n) => ({ title: n.title, body: n.body, tag: n.tag, lang: n.lang,
                                dir: n.dir, icon: n.icon, url: n.data && n.data.url }))"""
        )
        if len(shown) == count or time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(100)


def _registration_id(page, cdp, scope: str) -> str:
    """The service worker registration's id, as DevTools reports it."""
    found = {}

    def note(event):
        for registration in event["registrations"]:
            if registration["scopeURL"] == scope and not registration["isDeleted"]:
                found["id"] = registration["registrationId"]

    cdp.on("ServiceWorker.workerRegistrationUpdated", note)
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while "id" not in found and time.monotonic() < deadline:
        page.wait_for_timeout(50)  # lets Playwright dispatch the protocol's events
    assert "id" in found, "DevTools reported no service worker registration"
    return found["id"]


def test_a_push_shows_its_reminder_and_a_broken_one_still_shows(live_server, browser_context):
    live_server.start()
    context = browser_context()
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + "/app")
    page.wait_for_function(SERVICE_WORKER_READY)
    cdp = context.new_cdp_session(page)
    registration = _registration_id(page, cdp, live_server.url + "/")
    person = "4b7f0a52-7c1f-4c55-9a4f-2f7c5f1d2e3a"
    pushes = [
        {
            "title": "Follow-up overdue",
            "body": "The follow-up 7 days after release was due on 3 May 2026. Tap to see who.",
            "url": f"{live_server.url}/app/people/{person}",
            "tag": "follow_up_overdue:1",
            "lang": "en",
            "dir": "ltr",
            "kind": "follow_up_overdue",
        },
        # Another site's address is never opened: the app's start instead.
        {"title": "Elsewhere", "body": "", "url": "https://example.org/phish", "tag": "x:2"},
    ]
    for push in pushes:
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server.url, "registrationId": registration, "data": json.dumps(push)},
        )
    # Not JSON: still a notification (a silent push is penalised, a lost reminder worse).
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration, "data": "not json"},
    )
    shown = {n["title"]: n for n in _notifications(page, count=3)}
    overdue = shown["Follow-up overdue"]
    assert overdue["body"] == pushes[0]["body"]
    assert overdue["url"] == f"{live_server.url}/app/people/{person}"
    assert overdue["tag"] == "follow_up_overdue:1"
    assert (overdue["lang"], overdue["dir"]) == ("en", "ltr")
    assert overdue["icon"] == f"{live_server.url}/static/icons/icon-192.png"
    assert shown["Elsewhere"]["url"] == f"{live_server.url}/app"
    assert shown["Reminders"]["url"] == f"{live_server.url}/app/reminders"
    assert shown["Reminders"]["body"] == ""


def test_the_switch_subscribes_the_device_and_sign_out_forgets_it(live_server, browser_context):
    page = _field_app_with_fake_push(live_server, browser_context, ALLOWED_ENDPOINT)
    switch = page.get_by_role("switch", name=SWITCH)
    page.get_by_text("Off: no reminders on this device.").wait_for()
    assert switch.get_attribute("aria-checked") == "false"

    switch.click()
    page.get_by_text("On: reminders arrive on this device.").wait_for()
    assert switch.get_attribute("aria-checked") == "true"
    assert _stored_endpoints(live_server) == [("fieldworker", ALLOWED_ENDPOINT)]
    # Subscribed with the server's own key (VAPID): its pushes are the only ones accepted.
    server_key = page.evaluate(
        "async () => (await (await fetch('/api/v1/push/public-key')).json()).public_key"
    )
    assert page.evaluate("() => localStorage.getItem('fake-push-server-key')") == server_key

    switch.click()
    page.get_by_text("Off: no reminders on this device.").wait_for()
    assert _stored_endpoints(live_server) == []
    assert not _device_subscribed(page)

    # On again, then sign out: the next person on this device gets none of these reminders.
    switch.click()
    page.get_by_text("On: reminders arrive on this device.").wait_for()
    assert _stored_endpoints(live_server) == [("fieldworker", ALLOWED_ENDPOINT)]
    go_by_menu(page, "Sign out")
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/app/signin$"))
    assert _stored_endpoints(live_server) == []
    assert not _device_subscribed(page)


def test_a_push_service_the_server_refuses_is_explained_and_not_kept(live_server, browser_context):
    page = _field_app_with_fake_push(live_server, browser_context, REFUSED_ENDPOINT)
    switch = page.get_by_role("switch", name=SWITCH)
    page.get_by_text("Off: no reminders on this device.").wait_for()
    switch.click()
    page.get_by_role("alert").filter(has_text="push service is not allowed").wait_for()
    assert switch.get_attribute("aria-checked") == "false"
    assert _stored_endpoints(live_server) == []
    assert not _device_subscribed(page)

    page.context.set_offline(True)
    switch.click()
    page.get_by_role("alert").filter(has_text="needs a connection").wait_for()
    assert switch.get_attribute("aria-checked") == "false"


def test_the_switch_says_why_it_stays_off(live_server, browser_context):
    seed(live_server)
    del live_server.env["PROG_TRACKER_VAPID_PRIVATE_KEY"]  # a server never given a key
    live_server.start()
    context = browser_context()
    page = context.new_page()
    page.add_init_script(_fake_push(ALLOWED_ENDPOINT))
    sign_in(page, live_server, "fieldworker")
    open_app(page, live_server.url + "/app/reminders")
    switch = page.get_by_role("switch", name=SWITCH)
    page.get_by_text("Off: no reminders on this device.").wait_for()

    # Permission is asked only now, after the tap; the browser refuses it here.
    assert page.evaluate("() => Notification.permission") == "default"
    switch.click()
    page.get_by_role("alert").filter(has_text="Allow them in your browser").wait_for()

    context.grant_permissions(["notifications"], origin=live_server.url)
    switch.click()
    page.get_by_role("alert").filter(has_text="not set up on this server").wait_for()
    assert switch.get_attribute("aria-checked") == "false"
    assert not _device_subscribed(page)


def test_the_settings_page_switch_works_on_the_website(live_server, browser_context):
    seed(live_server)
    live_server.start()
    context = browser_context()
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    page.add_init_script(_fake_push(ALLOWED_ENDPOINT))
    _officer_settings(page, live_server)
    switch = page.get_by_role("switch", name=SWITCH)
    page.get_by_text("Off: no reminders on this device.").wait_for()

    switch.click()  # the first tap also installs the service worker the push needs
    page.get_by_text("On: reminders arrive on this device.").wait_for()
    assert _stored_endpoints(live_server) == [("officer", ALLOWED_ENDPOINT)]
    switch.click()
    page.get_by_text("Off: no reminders on this device.").wait_for()
    assert _stored_endpoints(live_server) == []


def test_the_reminders_screen_lists_what_is_due_from_the_device(live_server, browser_context):
    def world():
        from prog_tracker.core.dates import today_at
        from prog_tracker.extensions import db
        from tests.factories import Factory

        make = Factory()
        facility = make.facility(country="UG", timezone="UTC")
        organisation = make.organisation(country="UG")
        worker = make.user("caseworker", organisation=organisation, username="fieldworker")
        today = today_at(facility)
        # +7 days with a ±3-day window: due 3 days ago (overdue), and due tomorrow.
        for given, days_out in (("Okello", 10), ("Nakato", 6)):
            person = make.participant(facility=facility, given_name=given, family_name="Test")
            make.client_of(worker, person, released_on=today - timedelta(days=days_out))
        soon = make.participant(
            facility=facility,
            given_name="Achen",
            family_name="Test",
            expected_release_date=today + timedelta(days=12),
        )
        make.referral(soon, organisation, status="accepted", assigned_caseworker_id=worker.id)
        make.consent(soon, organisation)
        # A caseworker receives the plan items their organisation owns (SPEC §3).
        mine = {"owner_organisation_id": organisation.id}
        make.plan_item(soon, kind="housing", status="todo", **mine)
        make.plan_item(soon, kind="id_documents", status="done", **mine)
        make.plan_item(soon, kind="transport", status="todo")
        db.session.commit()

    live_server.query(world)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    go_by_menu(page, "Reminders")
    main = page.get_by_role("main")
    overdue = main.get_by_role("region", name="Overdue follow-ups")
    overdue.get_by_role("link", name=re.compile("Okello Test")).wait_for()
    soon = main.get_by_role("region", name="Follow-ups due today or tomorrow")
    assert "Due tomorrow" in soon.get_by_role("link", name=re.compile("Nakato Test")).inner_text()
    releases = main.get_by_role("region", name="Releases in the next 30 days")
    release = releases.get_by_role("link", name=re.compile("Achen Test"))
    assert "Release plan items still open: 1" in release.inner_text()
    assert "Housing" in release.inner_text() and "Identity documents" not in release.inner_text()

    release.click()  # the entry opens the person's card, with the release plan
    page.get_by_role("heading", name="Achen Test").wait_for()
    page.get_by_role("heading", name="Release plan").wait_for()


# Show a notification for url and hand the worker the event a tap on it fires
# (DevTools has no way to tap a notification).
TAP = """async (url) => {
  await self.registration.showNotification('Follow-up due tomorrow', { tag: url, data: { url } });
  let shown = [];
  for (let tries = 0; !shown.length && tries < 100; tries += 1) {
    // Chromium lists a notification a moment after showing it.
    shown = await self.registration.getNotifications({ tag: url });
    if (!shown.length) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  self.dispatchEvent(new NotificationEvent('notificationclick', { notification: shown[0] }));
}"""


def test_a_tapped_reminder_opens_its_screen_in_the_app_window(live_server, browser_context):
    world = seed(live_server)
    live_server.start()
    context = browser_context()
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    sign_in(page, live_server, "fieldworker")
    [worker] = context.service_workers
    target = f"{live_server.url}/app/people/{world.client_ids[1]}"
    worker.evaluate(TAP, target)
    page.wait_for_url(target)
    page.get_by_role("heading", name="Dana Ermek").wait_for()

    # A form with typed input is never navigated away: the worker opens another window.
    page.get_by_role("link", name="Log a contact").click()
    page.get_by_label("Where (optional)").fill("At the market")
    other = f"{live_server.url}/app/people/{world.client_ids[0]}"
    worker.evaluate(TAP, other)
    page.wait_for_timeout(1000)  # the window answers at once; a "yes" would have moved it
    assert page.url == f"{target}/contact"
    assert page.get_by_label("Where (optional)").input_value() == "At the market"


# A push service out of reach: subscribe() never answers until the page says it is back
# (a flag in localStorage), as Chromium's does when it cannot reach its push service.
UNREACHABLE_PUSH = """
(() => {
  const reachable = PushManager.prototype.subscribe;
  PushManager.prototype.subscribe = function (options) {
    if (localStorage.getItem('push-service-back')) return reachable.call(this, options);
    return new Promise(() => {});
  };
})();
"""


@pytest.mark.parametrize("where", ["field app", "settings page"])
def test_a_push_service_out_of_reach_times_out_with_a_retry(live_server, browser_context, where):
    seed(live_server)
    live_server.env["PROG_TRACKER_PUSH_SWITCH_TIMEOUT"] = "1.5"  # 15 s in real use
    live_server.start()
    context = browser_context()
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    page.add_init_script(_fake_push(ALLOWED_ENDPOINT))
    page.add_init_script(UNREACHABLE_PUSH)
    if where == "field app":
        sign_in(page, live_server, "fieldworker")
        open_app(page, live_server.url + "/app/reminders")
    else:
        _officer_settings(page, live_server)
    switch = page.get_by_role("switch", name=SWITCH)
    page.get_by_text("Off: no reminders on this device.").wait_for()

    switch.click()
    page.get_by_text("Turning reminders on…").wait_for()  # progress, while it waits
    assert switch.get_attribute("aria-busy") == "true"
    page.get_by_role("alert").filter(has_text="did not answer in time").wait_for()
    retry = page.get_by_role("button", name="Try again")
    assert retry.is_visible()
    # The switch says the device's real state: still off.
    assert switch.get_attribute("aria-checked") == "false"
    assert switch.get_attribute("aria-busy") is None
    page.get_by_text("Off: no reminders on this device.").wait_for()
    assert _stored_endpoints(live_server) == []

    page.evaluate("() => localStorage.setItem('push-service-back', '1')")
    retry.click()
    page.get_by_text("On: reminders arrive on this device.").wait_for()
    assert switch.get_attribute("aria-checked") == "true"
    assert not retry.is_visible()
    assert not page.get_by_role("alert").filter(has_text="did not answer").is_visible()
    user = "fieldworker" if where == "field app" else "officer"
    assert _stored_endpoints(live_server) == [(user, ALLOWED_ENDPOINT)]


def _officer_settings(page, live_server) -> None:
    """Sign the officer in on the server pages and open their settings."""
    page.goto(live_server.url + "/login")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/$"))
    page.goto(live_server.url + "/settings")
