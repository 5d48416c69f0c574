"""Follow-up statuses on each day around every window edge, across two release episodes."""

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from prog_tracker.aftercare.models import Contact
from prog_tracker.extensions import db
from prog_tracker.release import followups
from prog_tracker.release.models import FollowUp
from tests.release.conftest import code, open_case

DAY = dt.timedelta(days=1)
TOKYO = ZoneInfo("Asia/Tokyo")  # the prison fixture's zone: UTC+9, no daylight saving
EDGES = ("open-1", "open", "due", "due+1", "close", "close+1")
# Without a successful contact in the window.
UNMET = dict(zip(EDGES, ("upcoming", "due", "due", "overdue", "overdue", "missed"), strict=True))


def _edges(follow_up) -> dict:
    """The days around a follow-up's window edges."""
    opens, closes = followups.window_of(follow_up)
    days = (opens - DAY, opens, follow_up.due_on, follow_up.due_on + DAY, closes, closes + DAY)
    return dict(zip(EDGES, days, strict=True))


def _contact(make, person, caseworker, day, mode="phone", hour=12):
    """A contact at hour o'clock on day, Tokyo time (stored in UTC)."""
    local = dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)
    return make._save(
        Contact(
            participant_id=person.id,
            organisation_id=caseworker.organisation_id,
            caseworker_id=caseworker.id,
            occurred_at=local.astimezone(dt.UTC),
            mode=mode,
            needs=[],
        )
    )


def _statuses(follow_up, contacts) -> dict:
    """edge name -> (status, met_by_contact_id) on that day."""
    return {
        edge: followups.status_on(follow_up, contacts, day)
        for edge, day in _edges(follow_up).items()
    }


def _schedule(episode) -> list:
    """An episode's follow-ups in order."""
    return db.session.scalars(
        select(FollowUp).where(FollowUp.episode_id == episode.id).order_by(FollowUp.sequence)
    ).all()


def _plant(make, person, caseworker, schedule):
    """Contacts that exercise each follow-up differently; returns seq -> meeting contact or None.

    1: none. 2: failed attempts only (on the opening and the due day), and a
    visit early on the day after the window (still its last day in UTC). 3: met on
    the opening day at 1 a.m. local time (the day before in UTC). 4: a failed
    attempt at the opening, met the day after the due day. 5: a successful contact
    the evening before the window opens (too early), met on its last day.
    """
    meeting = {1: None, 2: None}
    f = {fu.sequence: _edges(fu) for fu in schedule}
    for day in (f[2]["open"], f[2]["due"]):
        _contact(make, person, caseworker, day, mode="attempt_failed")
    _contact(make, person, caseworker, f[2]["close+1"], mode="visit", hour=5)
    meeting[3] = _contact(make, person, caseworker, f[3]["open"], hour=1)
    _contact(make, person, caseworker, f[4]["open"], mode="attempt_failed")
    meeting[4] = _contact(make, person, caseworker, f[4]["due+1"], mode="visit")
    _contact(make, person, caseworker, f[5]["open-1"], mode="office", hour=23)
    meeting[5] = _contact(make, person, caseworker, f[5]["close"], hour=0)
    return meeting


def _expected(sequence, contact) -> dict:
    """What each edge day shows for the contacts _plant gave this follow-up."""
    met_from = {3: "open", 4: "due+1", 5: "close"}.get(sequence)
    expected = {edge: (status, None) for edge, status in UNMET.items()}
    if met_from:
        for edge in EDGES[EDGES.index(met_from) :]:
            expected[edge] = ("met", contact.id)
    return expected


def test_status_around_every_window_edge_across_two_episodes(make, prison):
    person = make.participant(facility=prison.facility)
    caseworker = make.user("caseworker", organisation=prison.ngo)
    first_out = prison.today - 1200 * DAY
    first = make.episode(person, first_out, returned_on=first_out + 420 * DAY)
    second = make.episode(person, first_out + 500 * DAY)
    wrong = {}
    for episode in (first, second):
        schedule = _schedule(episode)
        assert [(f.offset_days, f.window_days) for f in schedule] == [
            (7, 3),
            (30, 7),
            (90, 14),
            (180, 14),
            (365, 30),
        ]
        meeting = _plant(make, person, caseworker, schedule)
        contacts = followups.contacts_of(person)
        for follow_up in schedule:
            got = _statuses(follow_up, contacts)
            want = _expected(follow_up.sequence, meeting[follow_up.sequence])
            if got != want:
                wrong[(episode.released_on.isoformat(), follow_up.sequence)] = (got, want)
    assert not wrong


def test_the_earliest_successful_contact_meets_it_and_later_ones_do_not_count_yet(make, prison):
    person = make.participant(facility=prison.facility)
    caseworker = make.user("caseworker", organisation=prison.ngo)
    episode = make.episode(person, prison.today - 100 * DAY, schedule=False)
    follow_up = make.follow_up(episode, offset_days=30, window_days=7)
    later = _contact(make, person, caseworker, follow_up.due_on + 2 * DAY)
    earlier = _contact(make, person, caseworker, follow_up.due_on - DAY, hour=9)
    contacts = followups.contacts_of(person)
    assert followups.status_on(follow_up, contacts, follow_up.due_on) == ("met", earlier.id)
    assert followups.status_on(follow_up, contacts, follow_up.due_on - 2 * DAY) == ("due", None)
    # Without the earlier one, the later contact only counts from its own day.
    assert followups.status_on(follow_up, [later], follow_up.due_on + DAY) == ("overdue", None)
    assert followups.status_on(follow_up, [later], follow_up.due_on + 2 * DAY) == ("met", later.id)


def test_only_contacts_within_the_episode_count(make, prison):
    person = make.participant(facility=prison.facility)
    caseworker = make.user("caseworker", organisation=prison.ngo)
    out = prison.today - 300 * DAY
    episode = make.episode(person, out, returned_on=out + 20 * DAY, schedule=False)
    # A window reaching before the release and past the return.
    follow_up = make.follow_up(episode, offset_days=10, window_days=15)
    before = _contact(make, person, caseworker, out - DAY)
    after = _contact(make, person, caseworker, out + 21 * DAY)
    assert followups.status_on(follow_up, [before, after], out + 40 * DAY) == ("missed", None)
    on_return_day = _contact(make, person, caseworker, out + 20 * DAY)
    assert followups.status_on(follow_up, [before, on_return_day], out + 40 * DAY) == (
        "met",
        on_return_day.id,
    )
    on_release_day = _contact(make, person, caseworker, out, hour=0)
    assert followups.status_on(follow_up, [on_release_day], out) == ("met", on_release_day.id)


def test_a_release_schedules_follow_ups_from_config(app, monkeypatch, make, prison):
    monkeypatch.setitem(app.config, "FOLLOW_UP_SCHEDULE", [(14, 2), (60, 10)])
    person = make.participant(facility=prison.facility)
    episode = make.release(person, prison.today - DAY, actor=prison.officer)
    assert [(f.sequence, f.due_on, f.window_days) for f in _schedule(episode)] == [
        (1, prison.today + 13 * DAY, 2),
        (2, prison.today + 59 * DAY, 10),
    ]


def test_participant_follow_ups_default_to_today_at_the_facility(make, prison):
    person = make.participant(facility=prison.facility)
    make.release(person, prison.today - 9 * DAY, actor=prison.officer)
    rows = followups.participant_follow_ups(person)
    assert [r["status"] for r in rows] == [
        "overdue",
        "upcoming",
        "upcoming",
        "upcoming",
        "upcoming",
    ]
    assert rows[0]["follow_up"].due_on == prison.today - 2 * DAY


def test_follow_ups_route_for_a_day_and_who_receives_it(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    make.enrolment(prison.cohort, person, status="completed")
    out = prison.today - 40 * DAY
    make.release(person, out, actor=prison.officer)
    open_case(make, person, prison.ngo, prison.officer)
    caseworker = make.user("caseworker", organisation=prison.ngo)
    contact = _contact(make, person, caseworker, out + 6 * DAY)
    api = api_as(caseworker)
    body = api.get(f"/participants/{person.id}/follow-ups?on={(out + 8 * DAY).isoformat()}")
    assert body.status_code == 200, body.get_json()
    items = body.get_json()["items"]
    assert body.get_json()["next_cursor"] is None
    first = items[0]
    assert {k: first[k] for k in ("sequence", "due_on", "window_days", "status")} == {
        "sequence": 1,
        "due_on": (out + 7 * DAY).isoformat(),
        "window_days": 3,
        "status": "met",
    }
    assert first["met_by_contact_id"] == contact.id and first["participant_id"] == person.id
    assert first["window_opens_on"] == (out + 4 * DAY).isoformat()
    assert first["window_closes_on"] == (out + 10 * DAY).isoformat()
    assert {"id", "episode_id", "version", "created_at"} <= set(first)
    assert [i["status"] for i in items[1:]] == ["upcoming"] * 4
    # Today (40 days out): the day-30 follow-up's window closed unmet.
    today = api.get(f"/participants/{person.id}/follow-ups").get_json()["items"]
    assert [i["status"] for i in today[:3]] == ["met", "missed", "upcoming"]
    bad = api.get(f"/participants/{person.id}/follow-ups?on=yesterday")
    assert bad.status_code == 422 and code(bad) == "validation_error"
    assert api_as(prison.instructor).get(f"/participants/{person.id}/follow-ups").status_code == 404
    assert api_as(prison.officer).get(f"/participants/{person.id}/follow-ups").status_code == 200
