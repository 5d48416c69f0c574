"""The field app's shell on a phone (issue 20): a compact app bar with a menu, the sync
status on one line in honest words, and the caseworker's referral inbox."""

import json
import re

import pytest
from sqlalchemy import select

from tests.browser.world import (
    open_app,
    seed,
    sign_in,
    status,
    sync_now,
    unlock_if_locked,
    wait_for_status,
)
from tests.factories import Factory

pytestmark = [pytest.mark.browser, pytest.mark.own_database]

PHONE_HEIGHT = 844
# Where the content starts: everything above #main is the header (bar, menu, status).
CONTENT_TOP = "() => document.getElementById('main').getBoundingClientRect().top"
STATUS_TEXT = "() => document.getElementById('fa-status').innerText"


def _content_share(page) -> float:
    """The part of the phone's screen left to the screen's content."""
    return (PHONE_HEIGHT - page.evaluate(CONTENT_TOP)) / PHONE_HEIGHT


def test_the_header_leaves_three_quarters_of_a_phone_screen_to_the_content(
    live_server, browser_context
):
    seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    page.goto(live_server.url + "/app/signin")
    page.get_by_role("heading", name="Sign in").wait_for()
    assert _content_share(page) >= 0.75, page.evaluate(CONTENT_TOP)
    sign_in(page, live_server, "fieldworker")
    page.get_by_role("heading", name="Caseload").wait_for()
    assert _content_share(page) >= 0.75, page.evaluate(CONTENT_TOP)
    # The language and the screens are in the menu, closed until asked for.
    assert not page.get_by_label("Language").is_visible()
    assert not page.get_by_role("link", name="Follow-ups due").is_visible()


def test_the_menu_works_with_the_keyboard_offline_and_right_to_left(live_server, browser_context):
    seed(live_server)
    live_server.start()
    context = browser_context()
    page = context.new_page()
    sign_in(page, live_server, "fieldworker")
    context.set_offline(True)
    button = page.get_by_role("button", name="Menu")
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Follow-ups due").wait_for()
    page.keyboard.press("Tab")  # the menu's entries follow the button
    assert page.evaluate("() => document.activeElement.closest('#fa-menu') !== null")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.id") == "fa-menu-button"
    assert not page.get_by_role("link", name="Follow-ups due").is_visible()
    # Offline, an entry opens its screen (from the service worker's cache) and closes the menu.
    button.click()
    page.get_by_role("link", name="Follow-ups due").click()
    page.get_by_role("heading", name="Follow-ups due").wait_for()
    assert button.get_attribute("aria-expanded") == "false"
    # The language is in the menu; in Arabic the bar mirrors: the menu at the left.
    button.click()
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector('html[dir="rtl"]', state="attached")
    page.locator("#fa-menu-button").wait_for()
    brand, menu = (page.locator(s).bounding_box() for s in (".brand", "#fa-menu-button"))
    assert menu["x"] < brand["x"]
    assert _content_share(page) >= 0.75


def test_offline_the_sync_status_is_one_line_with_details_on_tap(live_server, browser_context):
    world = seed(live_server)
    live_server.start()
    context = browser_context()
    page = context.new_page()
    sign_in(page, live_server, "fieldworker")
    live_server.stop()
    context.set_offline(True)
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[0]}/contact")
    page.get_by_text("Phone call").click()
    page.get_by_role("button", name="Save the contact").click()
    page.get_by_text("Saved on this device").wait_for()
    sync_now(page)
    wait_for_status(page, "error", "network")
    line = page.locator("#fa-status-toggle")
    assert line.inner_text().startswith("Offline")
    assert "Waiting to send: 1" in line.inner_text()
    # One line: the status takes no more height than its buttons.
    height = page.evaluate("() => document.getElementById('fa-status').offsetHeight")
    assert height <= 56, height
    # The reason, in full, one tap away.
    details = page.locator("#fa-status-details")
    assert not details.is_visible()
    line.click()
    details.get_by_text("The server could not be reached; trying again soon.").wait_for()
    page.keyboard.press("Escape")
    assert line.get_attribute("aria-expanded") == "false"


def test_needs_attention_is_never_beside_everything_is_sent(live_server, browser_context):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")

    def refuse(route):
        """The server refuses each change (as it would a contact about someone now out of scope)."""
        sent = json.loads(route.request.post_data)["mutations"]
        results = [
            {"mutation_id": m["mutation_id"], "status": "rejected", "errors": {"id": ["No."]}}
            for m in sent
        ]
        route.fulfill(json={"results": results})

    page.route("**/api/v1/sync/push", refuse)
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[0]}/contact")
    page.get_by_text("Phone call").click()
    page.get_by_role("button", name="Save the contact").click()
    wait_for_status(page, "attention", "1")
    wait_for_status(page, "pending", "0")
    page.get_by_role("link", name="Needs attention: 1").wait_for()
    assert "Everything is sent" not in page.evaluate(STATUS_TEXT)
    page.locator("#fa-status-toggle").click()
    assert "Everything is sent" not in page.evaluate(STATUS_TEXT)


def test_before_signing_in_the_status_says_nothing_about_syncing(live_server, browser_context):
    live_server.start()
    page = browser_context().new_page()
    page.goto(live_server.url + "/app")
    page.get_by_role("heading", name="Sign in").wait_for()
    page.wait_for_selector("#fa-status[data-rounds]", state="attached")
    text = page.evaluate(STATUS_TEXT)
    assert "Online" in text
    for words in ("Not synced yet", "Everything is sent", "Last sync", "Sync now"):
        assert words not in text, text


def _pending_referral(server) -> str:
    """A released person, consent given to the fieldworker's organisation, referred there
    and waiting for an answer; returns the referral's id."""

    def work():
        from prog_tracker.directory.models import Facility, Organisation
        from prog_tracker.extensions import db

        make = Factory()
        organisation = db.session.scalars(
            select(Organisation).where(Organisation.name == "Road Home")
        ).one()
        facility = db.session.scalars(select(Facility)).first()
        person = make.participant(facility=facility, given_name="Bolat", family_name="Serikov")
        make.release(person)
        make.consent(person, organisation)
        return make.referral(person, organisation).id

    return server.query(work)


def test_a_caseworker_accepts_a_referral_in_the_app_and_the_person_comes(
    live_server, browser_context
):
    from prog_tracker.partners.models import Referral

    seed(live_server)
    referral_id = _pending_referral(live_server)
    live_server.start()
    context = browser_context()
    page = context.new_page()
    sign_in(page, live_server, "fieldworker")
    assert page.get_by_text("Bolat Serikov").count() == 0
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Referrals").click()
    page.get_by_role("heading", name="Referral inbox").wait_for()
    page.locator(".fa-referral .fa-row-title", has_text="Bolat Serikov").wait_for()
    # Offline, the answers cannot be given (nor kept to send later): the screen says so.
    context.set_offline(True)
    page.get_by_text("Answering a referral needs a connection").wait_for()
    accept = page.get_by_role("button", name="Accept — Bolat Serikov")
    assert accept.is_disabled()
    context.set_offline(False)
    rounds_before = int(status(page, "rounds"))
    accept.click()
    page.get_by_text("The referral is accepted.").wait_for()
    page.wait_for_function(
        "n => Number(document.getElementById('fa-status').dataset.rounds) > n", arg=rounds_before
    )

    def answered():
        from prog_tracker.extensions import db

        return db.session.get(Referral, referral_id).status

    assert live_server.query(answered) == "accepted"
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Caseload").click()
    page.get_by_role("link", name=re.compile("Bolat Serikov")).click()
    # The person's card in the app links to the same person on the website, and back.
    page.get_by_role("link", name="Open on the website").click()
    page.get_by_role("heading", name="Bolat Serikov").wait_for()
    page.get_by_role("link", name="Open in the field app").click()
    page.wait_for_url(re.compile(r"/app/people/[0-9a-f-]{36}$"))
    unlock_if_locked(page)  # a page load: the app opens locked, as on every start
    page.get_by_role("heading", name="Bolat Serikov").wait_for()
