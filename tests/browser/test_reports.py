"""The supervisors' dashboard in a real browser (issue 20): a filter left over from
another country is dropped with a notice and the figures still show; the report period
reads From/To in Russian, not "Previous date/New date"; an export with names asks why,
downloads, and the definitions page is one link away. No inline script anywhere."""

from urllib.parse import urlsplit

import pyotp
import pytest
from sqlalchemy import select

from tests.browser.axe import describe, small_targets, violations
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.browser.languages_world import ACCOUNTS, seed_languages, set_locale

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A running server with the demo's data (KZ, TN, UG): (server, world, a TN partner)."""
    server = LiveServer(tmp_path_factory.mktemp("reports-pages") / "instance")
    server.migrate()
    world = seed_languages(server)
    server.start()
    yield server, world, server.query(_tunisian_partner)
    server.stop()


def _tunisian_partner() -> str:
    """The name of a Tunisian partner organisation of the demo."""
    from prog_tracker.directory.models import Organisation
    from prog_tracker.extensions import db

    query = select(Organisation.name).where(Organisation.country == "TN")
    return db.session.scalars(query.order_by(Organisation.name)).first()


@pytest.fixture
def admin_page(demo, playwright_driver):
    """A signed-in admin's page, and the CSP errors the console reported."""
    server, world, _partner = demo
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    context = browser.new_context(
        locale="en", timezone_id="UTC", service_workers="block", accept_downloads=True
    )
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None
    )
    _sign_in(context, server, world)
    try:
        yield page, csp_errors
    finally:
        context.close()
        browser.close()


def _sign_in(context, server, world, locale=None) -> None:
    """Sign the demo admin in (its language set; the TOTP step freed for another sign-in)."""
    username = ACCOUNTS["admin"]
    set_locale(server, username, locale)
    body = {"username": username, "password": world.password}
    body["totp"] = pyotp.TOTP(world.totp_secrets[username]).now()
    assert context.request.post(server.url + "/api/v1/auth/login", data=body).ok


def _problems(page) -> list[str]:
    """axe's serious and critical findings and small controls on the page."""
    found = [line for rule in violations(page) for line in describe(rule)]
    return found + small_targets(page)


def test_a_partner_of_another_country_is_dropped_and_the_figures_still_show(demo, admin_page):
    server, _world, tunisian = demo
    page, csp_errors = admin_page
    page.goto(f"{server.url}/reports")
    # Every country: every partner is offered. Pick a Tunisian one, then Kazakhstan.
    page.get_by_label("Partner organisation").select_option(label=f"{tunisian} (Tunisia)")
    page.get_by_label("Country").select_option("KZ")
    # The click only starts the navigation: wait for the new page before reading it.
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    notice = page.locator("#dropped-filters")
    notice.wait_for()
    assert f"{tunisian} (Tunisia) is not in Kazakhstan" in notice.inner_text()
    assert page.locator("#figure-completion_rate").is_visible()
    # The lists now follow Kazakhstan: the Tunisian partner is not offered any more.
    offered = page.get_by_label("Partner organisation").locator("option").all_inner_texts()
    assert f"{tunisian} (TN)" not in offered
    assert _problems(page) == []
    assert csp_errors == []


def test_the_report_period_reads_from_and_to_in_russian(demo, playwright_driver):
    server, world, _partner = demo
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    try:
        context = browser.new_context(locale="ru", timezone_id="UTC", service_workers="block")
        _sign_in(context, server, world, locale="ru")
        page = context.new_page()
        page.goto(f"{server.url}/reports")
        assert page.locator('label[for="f-from"]').inner_text().strip() == "С"
        assert page.locator('label[for="f-to"]').inner_text().strip() == "По"
        assert "Прежняя дата" not in page.locator("form.report-filters").inner_text()
    finally:
        browser.close()
        set_locale(server, ACCOUNTS["admin"], None)


def test_an_export_with_names_asks_why_then_downloads(demo, admin_page):
    server, _world, _partner = demo
    page, csp_errors = admin_page
    page.goto(f"{server.url}/reports?country=KZ")
    row = page.locator("#exports-caption").locator("xpath=..").locator("tr", has_text="Contacts")
    row.locator("td").nth(1).get_by_role("link", name="CSV").click()
    assert urlsplit(page.url).path == "/reports/export-identified"
    assert page.locator("h1").inner_text() == "Why do you need the names?"
    assert _problems(page) == []
    page.locator("label", has_text="Data quality check").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download with names").click()
    assert "identified" in download.value.suggested_filename
    page.goto(f"{server.url}/audit?reason_code=data_quality")
    assert "report.export_identified" in page.locator("table.audit-log").inner_text()
    assert csp_errors == []


def test_the_definitions_are_one_link_away(demo, admin_page):
    server, _world, _partner = demo
    page, csp_errors = admin_page
    page.goto(f"{server.url}/reports")
    with page.expect_navigation():
        page.get_by_role("link", name="How the figures are counted").click()
    assert urlsplit(page.url).path == "/reports/definitions"
    page.locator("#completion_rate").wait_for()
    assert _problems(page) == []
    assert csp_errors == []
