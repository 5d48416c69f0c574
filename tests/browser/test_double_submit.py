"""A double click on "Save the contact" on the server page stores one contact (issue 20):
the button is disabled and the form marked busy while it is sent, and the form's
one-time id makes a second send of the same form answer like the first."""

import datetime as dt

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.factories import PASSWORD, Factory

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A running server with a caseworker and one released person they follow."""
    live = LiveServer(tmp_path_factory.mktemp("double-submit") / "instance")
    live.migrate()

    def work():
        make = Factory()
        facility = make.facility(country="KZ", timezone="UTC")
        ngo = make.organisation(country="KZ")
        caseworker = make.user("caseworker", organisation=ngo, username="double.clicker")
        person = make.client_of(
            caseworker, facility=facility, released_on=dt.date.today() - dt.timedelta(days=10)
        )
        return person.id

    live.person_id = live.query(work)
    live.start()
    yield live
    live.stop()


def _contacts(server) -> int:
    """How many contacts the person has in the server's database."""

    def work():
        from sqlalchemy import func, select

        from prog_tracker.aftercare.models import Contact
        from prog_tracker.extensions import db

        query = select(func.count()).where(Contact.participant_id == server.person_id)
        return db.session.scalar(query.select_from(Contact))

    return server.query(work)


@pytest.fixture
def page(server, playwright_driver):
    """A signed-in caseworker's page on the new-contact form."""
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    context = browser.new_context(locale="en", timezone_id="UTC", service_workers="block")
    context.set_default_timeout(30_000)
    body = {"username": "double.clicker", "password": PASSWORD}
    assert context.request.post(server.url + "/api/v1/auth/login", data=body).ok
    tab = context.new_page()
    tab.csp_errors = []
    tab.on(
        "console", lambda m: tab.csp_errors.append(m.text) if "Content Security" in m.text else None
    )
    yield tab
    context.close()
    browser.close()


def _open_form(page, server) -> None:
    """Open the new-contact form and choose how the contact happened."""
    page.goto(f"{server.url}/aftercare/participants/{server.person_id}/contacts/new")
    page.locator("label[for='mode-visit']").click()
    page.get_by_label("What happened (optional)").fill("Met at the bus station.")


def test_a_double_click_on_save_the_contact_stores_one_contact(server, page):
    before = _contacts(server)
    _open_form(page, server)
    # Two presses as a hurried thumb makes them: the second once the first has gone out.
    box = page.get_by_role("button", name="Save the contact").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with page.expect_request(lambda r: r.method == "POST"):
        page.mouse.click(x, y)
    page.mouse.click(x, y)
    page.wait_for_url(f"**/aftercare/participants/{server.person_id}")
    page.wait_for_load_state("networkidle")
    assert _contacts(server) == before + 1
    assert page.csp_errors == []


# Runs after the page's own submit handlers (window is the last stop of the event):
# what the form looks like once the send has started.
REPORT_SENDING = """() => window.addEventListener('submit', (event) => {
  const form = event.target;
  const button = form.querySelector('button[type=submit]');
  window.reportSending({ busy: form.getAttribute('aria-busy'), disabled: button.disabled });
})"""


def test_the_button_is_disabled_while_the_contact_is_sent(server, page):
    before = _contacts(server)
    seen = []
    page.expose_function("reportSending", lambda state: seen.append(state))
    _open_form(page, server)
    page.evaluate(REPORT_SENDING)
    page.get_by_role("button", name="Save the contact").click()
    page.wait_for_url(f"**/aftercare/participants/{server.person_id}")
    assert seen == [{"busy": "true", "disabled": True}]
    assert _contacts(server) == before + 1
    # Back to the form (kept in the page cache or loaded again): usable again.
    page.go_back()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Save the contact").is_enabled()
    assert page.locator("form.ac-form[aria-busy]").count() == 0
