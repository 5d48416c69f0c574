"""`send-reminders` end to end: the real adapter posting to the fake push service (issue 6)."""

import datetime as dt

from sqlalchemy import func, select

from prog_tracker.extensions import db
from prog_tracker.notifications.keys import public_key
from prog_tracker.notifications.models import Notification, PushSubscription
from prog_tracker.notifications.sending import send_reminders, topic
from prog_tracker.notifications.subscriptions import vapid
from tests.notifications.push_service import Answer
from tests.notifications.world import WEEK, at, build


def _device(service, user, *answers):
    """A browser of the user subscribed on the fake service (stored as the API would)."""
    browser = service.subscribe(*answers)
    db.session.add(
        PushSubscription(
            user_id=user.id, endpoint=browser.endpoint, p256dh=browser.p256dh, auth=browser.auth
        )
    )
    db.session.commit()
    return browser


def _statuses(user=None) -> dict:
    """(kind, status) -> how many notifications (of one user, if given)."""
    query = select(Notification.kind, Notification.status, func.count()).group_by(
        Notification.kind, Notification.status
    )
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    rows = db.session.execute(query)
    return {(kind, status): count for kind, status, count in rows}


def test_a_week_of_runs_delivers_each_reminder_once_in_the_users_language(app, make, push_service):
    push_service.expected_public_key = public_key(vapid())
    world = build(make)
    world.officer.locale = "en"
    db.session.commit()
    worker = _device(push_service, world.caseworker)
    officer = _device(push_service, world.officer)
    for day in WEEK:
        for hour in (9, 13):  # cron runs all day long: nothing goes twice
            send_reminders(at(world, day, hour))
    received = push_service.received
    assert all(message.accepted for message in received), [m.error for m in received]
    to_worker = [m.payload for m in push_service.for_subscription(worker)]
    to_officer = [m.payload for m in push_service.for_subscription(officer)]
    assert sorted(p["kind"] for p in to_worker) == [
        "follow_up_due",
        "follow_up_overdue",
        "referral_waiting",
        "release_soon",
        "release_soon",
    ]
    assert sorted(p["kind"] for p in to_officer) == [
        "certificate_issued",
        "release_soon",
        "release_soon",
    ]
    # Each in its user's language: French for the caseworker, English for the officer.
    due = next(p for p in to_worker if p["kind"] == "follow_up_due")
    assert due["lang"] == "fr" and due["dir"] == "ltr"
    assert due["title"] == "Suivi à faire demain"
    assert "9 nov. 2026" in due["body"] and "Family" not in due["body"]
    assert due["url"] == f"{app.config['PUBLIC_URL']}/app/people/{world.released.id}"
    release = next(p for p in to_officer if p["kind"] == "release_soon")
    assert release["title"] == "Release on Nov 16, 2026"
    assert release["body"] == "2 release plan items are still open."
    assert release["url"].endswith(f"/participants/{world.leaving.id}/release-plan")
    # The colleague has no device: their referral reminder is kept as such, not sent.
    assert _statuses()[("referral_waiting", "no_device")] == 1


def test_headers_collapse_repeats_and_mark_overdue_urgent(app, make, push_service):
    world = build(make)
    worker = _device(push_service, world.caseworker)
    send_reminders(at(world, WEEK[4]))  # Tuesday: the follow-up is overdue
    [overdue] = [
        m for m in push_service.for_subscription(worker) if m.payload["kind"] == "follow_up_overdue"
    ]
    assert overdue.urgency == "high"
    key = db.session.scalar(
        select(Notification.key).where(Notification.kind == "follow_up_overdue")
    )
    assert overdue.topic == topic(key) == overdue.payload["tag"]
    # Stale when the window closes on the 12th (end of that day at the facility).
    assert 2 * 86400 < int(overdue.ttl) <= 3 * 86400
    assert overdue.claims["aud"] == push_service.origin


def test_a_gone_subscription_is_deleted_and_not_tried_again(app, make, push_service):
    world = build(make)
    phone = _device(push_service, world.officer, Answer.gone())
    tablet = _device(push_service, world.officer)
    send_reminders(at(world, WEEK[0]))
    assert (
        db.session.scalar(
            select(PushSubscription).where(PushSubscription.endpoint == phone.endpoint)
        )
        is None
    )
    assert len(push_service.for_subscription(tablet)) == 1
    send_reminders(at(world, WEEK[3]))  # the next release reminder: the tablet only
    assert len(push_service.for_subscription(phone)) == 1
    assert len(push_service.for_subscription(tablet)) == 2


def test_too_many_requests_backs_off_then_sends_once(app, make, push_service):
    world = build(make)
    phone = _device(push_service, world.officer, Answer.too_many(600), Answer.created())
    monday = at(world, WEEK[0])
    send_reminders(monday)
    assert _statuses(world.officer) == {("release_soon", "retry"): 1}
    send_reminders(monday + dt.timedelta(minutes=5))  # Retry-After: 600 s not over yet
    assert len(push_service.for_subscription(phone)) == 1
    send_reminders(monday + dt.timedelta(minutes=11))
    assert _statuses(world.officer) == {("release_soon", "sent"): 1}
    send_reminders(monday + dt.timedelta(minutes=30))
    assert [m.status for m in push_service.for_subscription(phone)] == [429, 201]


def test_a_slow_push_service_is_given_up_on_and_retried_later(app, make, push_service, monkeypatch):
    monkeypatch.setitem(app.config, "PUSH_TIMEOUT", 0.5)
    world = build(make)
    _device(push_service, world.officer, Answer.slow(3), Answer.created())
    monday = at(world, WEEK[0])
    started = dt.datetime.now()
    send_reminders(monday)
    assert (dt.datetime.now() - started).total_seconds() < 2.5
    assert _statuses(world.officer) == {("release_soon", "retry"): 1}
    send_reminders(monday + dt.timedelta(minutes=6))
    assert _statuses(world.officer) == {("release_soon", "sent"): 1}


def test_switched_off_kinds_are_not_sent(app, make, push_service):
    from prog_tracker.notifications.preferences import set_reminder_kinds

    world = build(make)
    set_reminder_kinds(world.officer, {"certificate_issued"})
    device = _device(push_service, world.officer)
    send_reminders(at(world, WEEK[0]))
    assert push_service.for_subscription(device) == []
    send_reminders(at(world, WEEK[4]))
    assert [m.payload["kind"] for m in push_service.for_subscription(device)] == [
        "certificate_issued"
    ]


def test_endpoints_no_longer_allowed_are_not_posted_to(app, make, push_service, monkeypatch):
    from prog_tracker.notifications.endpoints import DEFAULT_PUSH_ENDPOINTS, compile_allow_list

    world = build(make)
    device = _device(push_service, world.officer)
    monkeypatch.setitem(
        app.config, "PUSH_ENDPOINT_PATTERNS", compile_allow_list(DEFAULT_PUSH_ENDPOINTS)
    )
    send_reminders(at(world, WEEK[0]))
    assert push_service.for_subscription(device) == []
    assert _statuses(world.officer) == {("release_soon", "no_device"): 1}


def test_the_language_falls_back_to_the_country_of_the_workplace(make):
    from prog_tracker.notifications.texts import user_locale

    assert user_locale(make.user("officer", locale="fr")) == "fr"
    french = make.organisation(country="FR")
    assert user_locale(make.user("caseworker", organisation_id=french.id, locale=None)) == "fr"
    # Kazakhstan works in Russian (its catalogue ships), Uganda in English.
    kazakh_office = make.facility(country="KZ")
    assert user_locale(make.user("officer", facility=kazakh_office, locale=None)) == "ru"
    ugandan_office = make.facility(country="UG")
    assert user_locale(make.user("officer", facility=ugandan_office, locale=None)) == "en"


def test_the_log_says_what_was_sent_with_ids_only(app, make, push_service, caplog):
    world = build(make)
    _device(push_service, world.officer)
    with caplog.at_level("INFO", logger="prog_tracker.reminders"):
        send_reminders(at(world, WEEK[0]))
    text = caplog.text
    assert "push kind=release_soon" in text and "status=201" in text
    assert f"user={world.officer.id}" in text
    assert "Reminders: 2 new, 1 sent" in text
    for name in (world.leaving.family_name, world.leaving.given_name, world.officer.username):
        assert name not in text
