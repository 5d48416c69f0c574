"""The field app installs, and starts and works with its server stopped."""

import re
import time

import pytest

from tests.browser.world import (
    SERVICE_WORKER_READY,
    open_app,
    seed,
    sign_in,
    status,
    sync_now,
    unlock_if_locked,
    wait_for_status,
)

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


def test_chromium_finds_no_installability_error(live_server, browser_context):
    live_server.start()
    page = browser_context().new_page()
    page.goto(live_server.url + "/app")
    page.wait_for_function(SERVICE_WORKER_READY)
    page.reload()  # the first visit installed the worker; from now on it controls the app
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    errors = page.context.new_cdp_session(page).send("Page.getInstallabilityErrors")
    assert errors["installabilityErrors"] == []
    manifest = page.context.new_cdp_session(page).send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.json") and not manifest["errors"]


def test_the_app_reloads_and_works_with_the_server_stopped(live_server, browser_context):
    seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "teacher")
    page.get_by_text("Tailoring morning").wait_for()

    live_server.stop()
    page.reload()  # reopened: locked, and the PIN opens it offline
    unlock_if_locked(page)
    page.get_by_role("heading", name="Today's sessions").wait_for()
    page.get_by_text("Tailoring morning").wait_for()
    page.get_by_role("link", name="Take today's roll").click()
    page.get_by_role("heading", name="Attendance roll").wait_for()
    assert page.locator(".fa-roll-row").count() == 3
    # A deep link typed (or restored) while the server is down opens from the cache too.
    open_app(page, live_server.url + "/app/skills")
    page.get_by_role("heading", name="Skills checklist").wait_for()
    sync_now(page)
    assert status(page, "error") == "network", status(page, "error")
    assert page.locator(".fa-net").inner_text() == "Offline"


def test_another_person_cannot_sign_in_while_changes_wait(live_server, browser_context):
    world = seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    live_server.stop()
    open_app(page, f"{live_server.url}/app/people/{world.client_ids[1]}/contact")
    page.get_by_text("Phone call").click()
    page.get_by_role("button", name="Save the contact").click()
    page.get_by_text("Saved on this device").wait_for()
    wait_for_status(page, "pending", "1")

    # Signing out works offline too; the unsent contact stays, and so does its owner.
    open_app(page, live_server.url + "/app/signout")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/app/signin$"))
    live_server.start()
    page.get_by_label("Username").fill("other.worker")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("alert").filter(has_text="not sent yet").wait_for()
    assert page.url.endswith("/app/signin")
    wait_for_status(page, "pending", "1")


def test_the_app_speaks_the_users_language(live_server, browser_context):
    seed(live_server)

    def prefer_french():
        from sqlalchemy import update

        from prog_tracker.auth.models import User
        from prog_tracker.extensions import db

        db.session.execute(update(User).where(User.username == "fieldworker").values(locale="fr"))
        db.session.commit()

    live_server.query(prefer_french)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    assert page.get_attribute("html", "lang") == "fr"
    assert page.get_attribute("html", "dir") == "ltr"
    page.get_by_role("button", name="Synchroniser").wait_for()


def test_the_layout_mirrors_for_right_to_left_languages(live_server, browser_context):
    live_server.start()
    page = browser_context(viewport={"width": 1024, "height": 700}).new_page()
    page.goto(live_server.url + "/app")
    page.get_by_role("heading", name="Sign in").wait_for()
    form = page.locator("main form")  # the top bar holds the language switcher's form
    ltr = form.bounding_box()
    page.evaluate("() => { document.documentElement.dir = 'rtl'; }")
    rtl = form.bounding_box()
    # Logical properties only: the form hugs the start edge, left or right.
    assert ltr["x"] < 50
    assert 1024 - (rtl["x"] + rtl["width"]) < 50 and rtl["x"] > ltr["x"]


def _saved_locale(server, username: str):
    """The user's language setting in the server's database."""

    def work():
        from sqlalchemy import select

        from prog_tracker.auth.models import User
        from prog_tracker.extensions import db

        return db.session.scalar(select(User.locale).where(User.username == username))

    return server.query(work)


def test_the_language_switch_works_offline_and_reaches_the_server_later(
    live_server, browser_context
):
    from prog_tracker.fieldapp.catalogue import app_catalogue

    arabic = app_catalogue("ar")["messages"]
    seed(live_server)
    live_server.start()
    page = browser_context().new_page()
    sign_in(page, live_server, "fieldworker")
    live_server.stop()
    # In the menu of every screen; the Arabic strings come from the worker's cache.
    page.get_by_role("button", name="Menu").click()
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector('html[lang="ar"]', state="attached")
    unlock_if_locked(page)  # the app restarted in Arabic: locked, as every start
    assert page.get_attribute("html", "dir") == "rtl"
    page.get_by_role("button", name=arabic["Sync now"]).wait_for()
    assert _saved_locale(live_server, "fieldworker") == "en"  # still the account's old setting
    # Back online, the app saves the choice as the user's setting on the server.
    live_server.start()
    page.reload()
    unlock_if_locked(page)
    page.get_by_role("button", name=arabic["Sync now"]).wait_for()
    deadline = time.monotonic() + 20
    while _saved_locale(live_server, "fieldworker") != "ar" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _saved_locale(live_server, "fieldworker") == "ar"
