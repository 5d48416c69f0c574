"""The settings page's notifications section: the kinds a user receives."""

from sqlalchemy import select

from prog_tracker.extensions import db
from prog_tracker.notifications.models import ReminderOptOut
from prog_tracker.notifications.reminders import due_reminders
from tests.notifications.world import WEEK, at, build


def _page_csrf(client) -> str:
    """The CSRF token of the signed-in page session."""
    page = client.get("/settings").get_data(as_text=True)
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def _signed_in(app, user, signin):
    client = app.test_client()
    signin(client, user)
    return client


def test_a_caseworker_sees_their_kinds_and_the_device_switch(app, make, signin):
    client = _signed_in(app, make.user("caseworker"), signin)
    page = client.get("/settings").get_data(as_text=True)
    for kind in ("follow_up_due", "follow_up_overdue", "release_soon", "referral_waiting"):
        assert f'value="{kind}" checked' in page
    assert "certificate_issued" not in page  # officers only
    assert "data-push-switch" in page and "/static/js/push-settings.js" in page


def test_an_instructor_is_told_their_role_gets_none(app, make, signin):
    page = _signed_in(app, make.user("instructor"), signin).get("/settings").get_data(as_text=True)
    assert "Your role receives no reminders." in page


def test_unticking_a_kind_stops_those_reminders(app, make, signin):
    world = build(make)
    client = _signed_in(app, world.officer, signin)
    answer = client.post(
        "/settings/notifications",
        data={"csrf_token": _page_csrf(client), "kinds": ["certificate_issued"]},
    )
    assert answer.status_code == 302
    off = set(
        db.session.scalars(
            select(ReminderOptOut.kind).where(ReminderOptOut.user_id == world.officer.id)
        )
    )
    assert off == {"release_soon"}
    kinds = {r.kind for r in due_reminders(at(world, WEEK[0])) if r.user_id == world.officer.id}
    assert kinds == set()  # the release reminder of that day is switched off
    page = client.get("/settings").get_data(as_text=True)
    assert 'value="release_soon">' in page and 'value="certificate_issued" checked' in page


def test_a_kind_of_another_role_is_refused(app, make, signin):
    user = make.user("officer")
    client = _signed_in(app, user, signin)
    client.post(
        "/settings/notifications",
        data={"csrf_token": _page_csrf(client), "kinds": ["follow_up_due"]},
    )
    assert (
        db.session.scalars(select(ReminderOptOut).where(ReminderOptOut.user_id == user.id)).all()
        == []
    )


def test_saving_needs_the_csrf_token(app, make, signin):
    client = _signed_in(app, make.user("officer"), signin)
    assert client.post("/settings/notifications", data={"kinds": []}).status_code == 400
