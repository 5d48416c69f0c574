"""The consent wording is read in the participant's language, whatever the officer's
(issue 20): an officer whose interface is English opens a Kazakh speaker's referrals
page, finds the wording in Kazakh (the organisation named as Kazakh readers know it),
switches it to Russian without JavaScript's help and without losing what was typed,
and records the consent, which keeps the language it was read in."""

from urllib.parse import urlsplit

import pytest

from prog_tracker.partners import consents
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.factories import PASSWORD, Factory

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


def _seed(server) -> dict:
    """An English-speaking officer, a Kazakh speaker and a partner named in Kazakh."""

    def work():
        make = Factory()
        facility = make.facility(country="KZ", timezone="UTC")
        make.user("officer", facility=facility, username="officer", locale="en")
        make.organisation(country="KZ", name="Road Home", names={"kk": "Үйге жол"})
        person = make.participant(facility=facility, preferred_language="kk")
        return {"person": person.id}

    return server.query(work)


def _wording(server, locale: str) -> str:
    """The wording the server reads out in locale, for the organisation seeded."""

    def work():
        from prog_tracker.directory.models import Organisation
        from prog_tracker.extensions import db

        organisation = db.session.query(Organisation).one()
        with server.app.test_request_context():
            return consents.consent_wording(organisation, locale)

    return server.query(work)


def _recorded_locale(server) -> str:
    """The language the recorded consent's wording was read in."""

    def work():
        from prog_tracker.extensions import db
        from prog_tracker.partners.models import Consent

        return db.session.query(Consent).one().wording_locale

    return server.query(work)


def test_an_english_officer_reads_a_kazakh_speaker_the_kazakh_wording(tmp_path, playwright_driver):
    server = LiveServer(tmp_path / "instance")
    server.migrate()
    ids = _seed(server)
    server.start()
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    # No JavaScript at all: the language switch is a plain form button.
    context = browser.new_context(locale="en", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.url + "/login")
        page.get_by_label("Username").fill("officer")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{server.url}/participants/{ids['person']}/referrals")
        assert page.locator("html").get_attribute("lang") == "en"  # the officer's interface

        wording = page.locator("blockquote.pt-wording")
        assert wording.get_attribute("lang") == "kk"
        assert wording.inner_text().strip() == _wording(server, "kk").strip()
        assert "Үйге жол" in wording.inner_text()
        assert "Read this to the person (Kazakh · Қазақша)" in page.inner_text("#wording-title")

        # Typed first, then another language chosen: what was typed stays.
        page.get_by_label("How the person consented").select_option("thumbprint")
        page.get_by_label("Language of the wording").select_option("ru")
        page.get_by_role("button", name="Show wording in this language").click()
        assert wording.get_attribute("lang") == "ru"
        assert wording.inner_text().strip() == _wording(server, "ru").strip()
        assert page.get_by_label("How the person consented").input_value() == "thumbprint"
        assert page.get_by_label("Language of the wording").input_value() == "ru"

        page.get_by_role("button", name="Record the consent").click()
        assert urlsplit(page.url).path == f"/participants/{ids['person']}/referrals"
        assert "The consent is recorded." in page.inner_text("body")
        assert _recorded_locale(server) == "ru"
    finally:
        context.close()
        browser.close()
        server.stop()
