"""The meeting contact kept on each follow-up agrees with its status after every change."""

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from prog_tracker.aftercare import contacts
from prog_tracker.directory import services as directory
from prog_tracker.extensions import db
from prog_tracker.release import followups
from prog_tracker.release import services as release
from prog_tracker.release.models import FollowUp
from tests.release.conftest import open_case

DAY = dt.timedelta(days=1)
TOKYO = ZoneInfo("Asia/Tokyo")


def _at(day, hour=12, zone=TOKYO) -> dt.datetime:
    """hour o'clock on day in zone, in UTC."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def _kept(follow_up) -> str | None:
    """The meeting contact stored on a follow-up, read afresh."""
    db.session.expire_all()
    return db.session.get(FollowUp, follow_up.id).met_contact_id


def _released(make, prison, days_ago=60):
    """A person released days_ago through the release service, seen by the NGO."""
    person = make.participant(facility=prison.facility)
    release.release_participant(
        make.user("admin"), person, {"released_on": prison.today - days_ago * DAY}
    )
    db.session.commit()
    open_case(make, person, prison.ngo, prison.officer)
    return person


def _first_follow_up(person) -> FollowUp:
    """The person's first scheduled follow-up (7 days after release, ± 3)."""
    return followups.follow_ups_of(person)[0]


def _record(caseworker, person, moment, mode="phone"):
    """A contact recorded through the contact service."""
    return contacts.record_contact(
        caseworker, {"participant_id": person.id, "occurred_at": moment, "mode": mode}
    )


def test_recording_and_correcting_contacts_keep_the_meeting_contact(make, prison):
    person = _released(make, prison)
    caseworker = make.user("caseworker", organisation=prison.ngo)
    follow_up = _first_follow_up(person)
    assert _kept(follow_up) is None
    failed = _record(caseworker, person, _at(follow_up.due_on), mode="attempt_failed")
    assert _kept(follow_up) is None  # a failed attempt never meets a follow-up
    contact = _record(caseworker, person, _at(follow_up.due_on + DAY))
    assert _kept(follow_up) == contact.id
    moved = {"occurred_at": _at(follow_up.due_on + 10 * DAY), "version": contact.version}
    contacts.edit_contact(caseworker, contact, moved)
    assert _kept(follow_up) is None  # corrected to a day outside the window
    contacts.edit_contact(caseworker, failed, {"mode": "visit", "version": failed.version})
    assert _kept(follow_up) == failed.id  # the attempt was a visit after all


def test_a_return_to_custody_drops_contacts_after_it(make, prison):
    person = _released(make, prison, days_ago=20)
    caseworker = make.user("caseworker", organisation=prison.ngo)
    follow_up = _first_follow_up(person)
    late = _record(caseworker, person, _at(follow_up.due_on + 2 * DAY))
    assert _kept(follow_up) == late.id
    returned = {"on": follow_up.due_on + DAY}
    release.return_to_custody(make.user("admin"), person, returned)
    db.session.commit()
    assert _kept(follow_up) is None  # the contact came after the return


def test_a_facility_time_zone_change_judges_contacts_on_its_new_calendar(make, prison):
    person = _released(make, prison)
    caseworker = make.user("caseworker", organisation=prison.ngo)
    follow_up = _first_follow_up(person)
    closes = followups.window_of(follow_up)[1]
    # 00:30 on the day after the window in Tokyo is 15:30 on its last day in UTC.
    contact = _record(caseworker, person, _at(closes + DAY, hour=0) + dt.timedelta(minutes=30))
    assert _kept(follow_up) is None
    facility = prison.facility
    directory.update_entry(make.user("admin"), facility, {"timezone": "UTC"})
    assert _kept(follow_up) == contact.id


def test_the_bulk_refresh_agrees_with_the_services(make, prison):
    people = [_released(make, prison, days_ago=40 + n) for n in range(3)]
    caseworker = make.user("caseworker", organisation=prison.ngo)
    for n, person in enumerate(people):
        follow_up = _first_follow_up(person)
        _record(caseworker, person, _at(follow_up.due_on + (n - 1) * 2 * DAY))
    ids = [p.id for p in people]
    rows = select(FollowUp.id, FollowUp.met_contact_id).where(FollowUp.participant_id.in_(ids))
    kept = set(db.session.execute(rows).all())
    assert any(met for _, met in kept)
    db.session.execute(update(FollowUp).values(met_contact_id=None))
    changed = followups.refresh_met_everywhere(db.session.connection(), batch=2)
    assert changed == sum(1 for _, met in kept if met)
    assert set(db.session.execute(rows).all()) == kept
