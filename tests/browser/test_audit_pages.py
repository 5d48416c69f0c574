"""The reason picker and the audit log in a real browser (issue 9): a supervisor opens a
person's page, is asked why, answers with the keyboard-reachable toggles, lands on the
page, and finds the read with its reason in /audit. Both pages pass axe (serious and
critical), have no control under 44 × 44 px and run no inline script."""

from urllib.parse import urlsplit

import pyotp
import pytest

from tests.browser.axe import describe, small_targets, violations
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.browser.languages_world import ACCOUNTS, seed_languages

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A running server with the demo's data: (server, world)."""
    server = LiveServer(tmp_path_factory.mktemp("audit-pages") / "instance")
    server.migrate()
    world = seed_languages(server)
    server.start()
    yield server, world
    server.stop()


def _problems(page) -> list[str]:
    """axe's serious and critical findings and small controls on the page."""
    found = [line for rule in violations(page) for line in describe(rule)]
    return found + small_targets(page)


def test_a_supervisor_gives_a_reason_then_finds_it_in_the_audit_log(demo, playwright_driver):
    server, world = demo
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    context = browser.new_context(locale="en", timezone_id="UTC", service_workers="block")
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None
    )
    try:
        username = ACCOUNTS["supervisor"]
        body = {"username": username, "password": world.password}
        body["totp"] = pyotp.TOTP(world.totp_secrets[username]).now()
        assert context.request.post(server.url + "/api/v1/auth/login", data=body).ok
        person = world.ids["certified"]
        page.goto(f"{server.url}/participants/{person}")
        assert urlsplit(page.url).path == f"/access-reason/{person}"
        assert page.locator("h1").inner_text() == "Why are you opening this record?"
        assert _problems(page) == []
        page.locator("label", has_text="Safeguarding concern").click()  # as people do
        assert page.get_by_label("Safeguarding concern").is_checked()
        page.get_by_role("button", name="Open the record").click()
        assert urlsplit(page.url).path == f"/participants/{person}"
        page.goto(f"{server.url}/audit?reason_code=safeguarding")
        table = page.locator("table.audit-log")
        assert "participant.read" in table.inner_text()
        assert "Safeguarding concern" in table.inner_text()
        assert _problems(page) == []
        assert csp_errors == []
    finally:
        context.close()
        browser.close()
