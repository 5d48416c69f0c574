"""On the server pages: accepting a referral marks the release plan's referral item done,
and the item links to the referral (issue 20, friction 4)."""

import re
from datetime import timedelta

import pytest

from tests.factories import PASSWORD, Factory

pytestmark = [pytest.mark.browser, pytest.mark.own_database]


def _world(server) -> dict:
    """A prison in KZ with an officer, a partner NGO with a caseworker, and a person with a
    release plan; an NGO abroad that the referral form must not offer."""

    def work():
        from prog_tracker.core.dates import today_at
        from prog_tracker.extensions import db
        from prog_tracker.release import plans

        make = Factory()
        facility = make.facility(country="KZ", timezone="UTC")
        ngo = make.organisation(country="KZ", name="Road Home")
        abroad = make.organisation(country="UG", name="Kampala Aid")
        officer = make.user("officer", facility=facility, username="officer")
        make.user("caseworker", organisation=ngo, username="fieldworker")
        person = make.participant(
            facility=facility,
            given_name="Dana",
            family_name="Ermek",
            expected_release_date=today_at(facility) + timedelta(days=120),
        )
        plans.release_date_set(officer, person, None)
        db.session.commit()
        return {"person": person.id, "ngo": ngo.id, "abroad": abroad.id}

    return server.query(work)


def _signed_in(browser_context, server, username: str):
    """A page of a browser signed in as username (through the JSON sign-in)."""
    context = browser_context(name=username)
    body = {"username": username, "password": PASSWORD}
    answer = context.request.post(server.url + "/api/v1/auth/login", data=body)
    assert answer.ok, answer.text()
    return context.new_page()


def test_accepting_a_referral_marks_the_plan_item_done_with_a_link(live_server, browser_context):
    world = _world(live_server)
    live_server.start()
    person = world["person"]

    officer = _signed_in(browser_context, live_server, "officer")
    officer.goto(f"{live_server.url}/participants/{person}/referrals")
    officer.get_by_text("Refer to an organisation…").click()
    picker = officer.locator("#refer-organisation_id")
    offered = picker.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert world["ngo"] in offered and world["abroad"] not in offered
    picker.select_option(world["ngo"])
    officer.get_by_role("button", name="Send the referral").click()
    officer.get_by_text("The referral is sent.").wait_for()

    caseworker = _signed_in(browser_context, live_server, "fieldworker")
    caseworker.goto(f"{live_server.url}/referrals/inbox")
    caseworker.get_by_role("button", name=re.compile("^Accept")).click()
    caseworker.get_by_text("The referral is accepted.").wait_for()

    officer.goto(f"{live_server.url}/participants/{person}/release-plan")
    item = officer.locator(".rl-item").filter(has_text="Referral to a partner organisation")
    assert item.locator(".rl-plan-status").inner_text() == "Done"
    item.get_by_role("link", name="See the referral").click()
    officer.wait_for_url(re.compile(rf"/participants/{person}/referrals#referral-"))
    anchor = officer.url.split("#")[1]
    assert "Accepted" in officer.locator(f"#{anchor}").inner_text()
