"""The field app names an anonymised person as the pages do (docs/retention.md)."""

import pytest

from tests.browser.world import open_app, seed, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


def test_the_roll_shows_the_neutral_label_first_and_no_number(live_server, browser_context):
    world = seed(live_server)
    madina = world.learner_ids[1]

    def anonymise():
        """What the retention schedule's identity step does to Madina Nurova."""
        from prog_tracker.core.models import utcnow
        from prog_tracker.extensions import db
        from prog_tracker.participants.models import Participant

        person = db.session.get(Participant, madina)
        person.given_name = person.family_name = ""
        person.prison_number, person.search_text = person.id, ""
        person.anonymised_at = utcnow()
        db.session.commit()

    live_server.query(anonymise)
    live_server.start()
    tablet = browser_context("tablet").new_page()
    sign_in(tablet, live_server, "teacher")
    open_app(tablet, f"{live_server.url}/app/sessions/{world.session_id}")
    names = tablet.locator(".fa-roll-row legend .fa-name")
    names.first.wait_for()
    # No name, so first, as the server's lists sort it; the others by family name.
    assert names.all_inner_texts() == ["Anonymised record", "Bekov, Ayan", "Ospanov, Timur"]
    row = tablet.locator(f'.fa-roll-row[data-person="{madina}"] > legend')
    assert row.locator(".fa-number").inner_text() == "—" and madina not in row.inner_text()
