"""What is due to whom, day by day through a scripted week (issue 6)."""

import datetime as dt

from prog_tracker.extensions import db
from prog_tracker.notifications.reminders import due_reminders
from prog_tracker.notifications.sending import claim
from tests.notifications.world import WEEK, at, build


def _claimed_on(world, moment) -> set:
    """(username, kind, record) of the reminders first claimed at moment."""
    due = due_reminders(moment)
    names = {u.id: u.username for u in (world.officer, world.caseworker, world.colleague)}
    new = set()
    for reminder in due:
        if claim([reminder], moment):
            new.add((names[reminder.user_id], reminder.kind, reminder.entity_id))
    db.session.commit()
    return new


def test_a_scripted_week_sends_the_right_reminders_each_day_once(app, make):
    world = build(make)
    officer, worker, colleague = (
        u.username for u in (world.officer, world.caseworker, world.colleague)
    )
    leaving = world.leaving.id
    follow_up = _first_follow_up(world.released)
    expected = {
        # Release on the 16th, 10 days ahead, plan open: officer and assigned caseworker
        # (the colleague switched release reminders off, and is not assigned anyway).
        WEEK[0]: {(officer, "release_soon", leaving), (worker, "release_soon", leaving)},
        WEEK[1]: set(),
        # Sunday: the 7-day follow-up is due tomorrow (not for the person whose
        # consent was withdrawn).
        WEEK[2]: {(worker, "follow_up_due", follow_up)},
        # Monday: 7 days to release (second stage); the referral has waited 3 days:
        # every caseworker of the organisation.
        WEEK[3]: {
            (officer, "release_soon", leaving),
            (worker, "release_soon", leaving),
            (worker, "referral_waiting", world.referral_id),
            (colleague, "referral_waiting", world.referral_id),
        },
        # Tuesday: the follow-up is overdue; a certificate was issued at the facility.
        WEEK[4]: {
            (worker, "follow_up_overdue", follow_up),
            (officer, "certificate_issued", world.certificate.id),
        },
        WEEK[5]: set(),
        WEEK[6]: set(),
        WEEK[7]: set(),
    }
    for day in WEEK:
        assert _claimed_on(world, at(world, day)) == expected[day], day


def test_nothing_goes_out_before_the_reminder_hour_local_time(app, make):
    world = build(make)
    sunday = WEEK[2]
    early = {kind for _, kind, _ in _claimed_on(world, at(world, sunday, hour=7))}
    assert "follow_up_due" not in early
    later = {kind for _, kind, _ in _claimed_on(world, at(world, sunday, hour=8))}
    assert "follow_up_due" in later


def test_a_contact_inside_the_window_stops_the_overdue_reminder(app, make):
    world = build(make)
    monday = WEEK[3]
    make.contact(
        world.released,
        world.caseworker,
        occurred_at=dt.datetime.combine(monday, dt.time(6), tzinfo=dt.UTC),
    )
    kinds = {kind for _, kind, _ in _claimed_on(world, at(world, WEEK[4]))}
    assert "follow_up_overdue" not in kinds


def test_a_finished_plan_means_no_release_reminder(app, make):
    world = build(make)
    from sqlalchemy import update

    from prog_tracker.release.models import ReleasePlanItem

    db.session.execute(
        update(ReleasePlanItem)
        .where(ReleasePlanItem.participant_id == world.leaving.id)
        .values(status="done")
    )
    db.session.commit()
    kinds = {kind for _, kind, _ in _claimed_on(world, at(world, WEEK[0]))}
    assert "release_soon" not in kinds


def test_deactivated_users_get_nothing(app, make):
    world = build(make)
    world.officer.active = False
    db.session.commit()
    users = {user for user, _, _ in _claimed_on(world, at(world, WEEK[0]))}
    assert world.officer.username not in users
    assert world.caseworker.username in users


def _first_follow_up(person) -> str:
    """The id of the person's 7-day follow-up."""
    from sqlalchemy import select

    from prog_tracker.release.models import FollowUp

    return db.session.scalar(
        select(FollowUp.id).where(FollowUp.participant_id == person.id, FollowUp.sequence == 1)
    )
