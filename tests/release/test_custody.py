"""Release, return to custody and transfer: enrolments, episodes, status history, refusals."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.release import services
from prog_tracker.release.models import FollowUp, ReleaseEpisode, StatusChange
from tests.release.conftest import code, open_case

DAY = timedelta(days=1)


def _fresh(record):
    """The record as stored now."""
    db.session.expire_all()
    return db.session.get(type(record), record.id)


def _enrolments(make, prison, person):
    """Enrol person in a full cohort (someone waits), waitlist them elsewhere, complete a third."""
    waiting = make.participant(facility=prison.facility)
    enrolled = make.enrolment(prison.cohort, person)
    queued = make.enrolment(prison.cohort, waiting, status="waitlisted")
    full = make.cohort(prison.facility, capacity=1)
    make.enrolment(full, make.participant(facility=prison.facility))
    waitlisted = make.enrolment(full, person, status="waitlisted")
    completed = make.enrolment(make.cohort(prison.facility), person, status="completed")
    return enrolled, queued, waitlisted, completed


def test_release_ends_open_enrolments_promotes_the_waitlist_and_opens_an_episode(
    make, api_as, prison
):
    person = make.participant(facility=prison.facility)
    enrolled, queued, waitlisted, completed = _enrolments(make, prison, person)
    day = prison.today - 2 * DAY
    response = api_as(prison.officer).post(
        f"/participants/{person.id}/release", json={"released_on": day.isoformat()}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["actual_release_date"]) == ("released", day.isoformat())
    for ended in (enrolled, waitlisted):
        ended = _fresh(ended)
        assert (ended.status, ended.status_reason, ended.ended_on) == ("withdrawn", "released", day)
    assert _fresh(completed).status == "completed"
    assert _fresh(queued).status == "enrolled"  # the freed seat went to the first waiting
    episode = services.open_episode(person)
    assert (episode.released_on, episode.returned_on) == (day, None)
    follow_ups = db.session.scalars(
        select(FollowUp).where(FollowUp.episode_id == episode.id).order_by(FollowUp.sequence)
    ).all()
    assert [(f.sequence, (f.due_on - day).days, f.window_days) for f in follow_ups] == [
        (1, 7, 3),
        (2, 30, 7),
        (3, 90, 14),
        (4, 180, 14),
        (5, 365, 30),
    ]
    (change,) = services.status_history(person)
    assert (change.kind, change.occurred_on, change.from_facility_id) == (
        "released",
        day,
        prison.facility.id,
    )


def test_every_write_of_a_release_is_audited_by_id(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    enrolled = make.enrolment(prison.cohort, person)
    api = api_as(prison.officer)
    api.post(f"/participants/{person.id}/release", json={"released_on": prison.today.isoformat()})
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == prison.officer.id))
    written = {(e.action, tuple(e.entity_ids)) for e in events}
    episode = services.open_episode(person)
    assert ("participant.release", (person.id,)) in written
    assert ("enrolment.update", (enrolled.id,)) in written
    assert ("release_episode.create", (episode.id,)) in written
    assert sum(1 for action, _ids in written if action == "follow_up.create") == 5


def test_transfer_ends_enrolments_as_transferred_and_moves_the_person(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    enrolled, queued, waitlisted, completed = _enrolments(make, prison, person)
    other = make.facility(name="Colony B")
    api = api_as(prison.officer)
    response = api.post(
        f"/participants/{person.id}/transfer",
        json={"facility_id": other.id, "on": prison.today.isoformat()},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["facility_id"] == other.id
    for ended in (enrolled, waitlisted):
        assert (_fresh(ended).status, _fresh(ended).status_reason) == ("withdrawn", "transferred")
    assert _fresh(completed).status == "completed" and _fresh(queued).status == "enrolled"
    (change,) = services.status_history(person)
    assert (change.kind, change.from_facility_id, change.to_facility_id) == (
        "transferred",
        prison.facility.id,
        other.id,
    )
    # The officer of the first facility no longer sees the person; the new one does.
    assert api.get(f"/participants/{person.id}").status_code == 404
    assert api_as("officer", facility=other).get(f"/participants/{person.id}").status_code == 200
    assert _fresh(person).status == "in_custody"


def test_transfer_refusals(make, api_as, prison):
    person = make.participant(facility=prison.facility, prison_number="A-1")
    other = make.facility()
    make.participant(facility=other, prison_number="A-1")
    api = api_as(prison.officer)
    today = prison.today.isoformat()

    def transfer(facility_id, on=today):
        return api.post(
            f"/participants/{person.id}/transfer", json={"facility_id": facility_id, "on": on}
        )

    unknown = transfer("00000000-0000-4000-8000-000000000000")
    assert unknown.status_code == 422 and "facility_id" in unknown.get_json()["error"]["fields"]
    assert code(transfer(prison.facility.id)) == "same_facility"
    clash = transfer(other.id)
    assert clash.status_code == 422 and code(clash) == "duplicate_prison_number"
    assert code(transfer(make.facility().id, (prison.today + DAY).isoformat())) == "date_in_future"
    assert transfer("not-a-uuid").status_code == 422
    released = make.participant(facility=prison.facility, status="released")
    refused = api.post(
        f"/participants/{released.id}/transfer",
        json={"facility_id": make.facility().id, "on": today},
    )
    assert refused.status_code == 422 and code(refused) == "not_in_custody"
    assert _fresh(person).facility_id == prison.facility.id
    assert services.status_history(person) == []


def test_release_refusals(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    api = api_as(prison.officer)

    def release(on):
        return api.post(f"/participants/{person.id}/release", json={"released_on": on.isoformat()})

    future = release(prison.today + DAY)
    assert future.status_code == 422 and code(future) == "date_in_future"
    assert "released_on" in future.get_json()["error"]["fields"]
    assert release(prison.today - 5 * DAY).status_code == 200
    twice = release(prison.today)
    assert twice.status_code == 422 and code(twice) == "not_in_custody"
    back = api.post(
        f"/participants/{person.id}/return-to-custody",
        json={"on": (prison.today - 6 * DAY).isoformat()},
    )
    assert back.status_code == 422 and code(back) == "before_last_change"
    assert len(services.participant_episodes(person)) == 1
    missing = api.post(f"/participants/{person.id}/release", json={})
    assert missing.status_code == 422 and code(missing) == "validation_error"


def test_return_when_not_released_is_refused(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    response = api_as(prison.officer).post(
        f"/participants/{person.id}/return-to-custody", json={"on": prison.today.isoformat()}
    )
    assert response.status_code == 422 and code(response) == "not_released"
    assert _fresh(person).status == "in_custody"


@pytest.mark.parametrize(
    ("who", "status"), [("supervisor", 403), ("instructor", 403), ("other_officer", 404)]
)
def test_who_may_release(make, api_as, prison, who, status):
    person = make.participant(facility=prison.facility)
    make.enrolment(prison.cohort, person)  # the instructor sees the person
    user = {
        "supervisor": lambda: make.user("supervisor", country="KZ"),
        "instructor": lambda: prison.instructor,
        "other_officer": lambda: make.user("officer"),
    }[who]()
    response = api_as(user).post(
        f"/participants/{person.id}/release", json={"released_on": prison.today.isoformat()}
    )
    assert response.status_code == status
    assert _fresh(person).status == "in_custody"


def test_a_caseworker_may_not_release_someone_on_their_caseload(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    open_case(make, person, prison.ngo, prison.officer)
    caseworker = make.user("caseworker", organisation=prison.ngo)
    response = api_as(caseworker).post(
        f"/participants/{person.id}/release", json={"released_on": prison.today.isoformat()}
    )
    assert response.status_code == 403


def test_the_release_day_is_the_facilitys_local_day(make, api_as):
    # Kiritimati is 14 hours ahead of UTC: its today is often the UTC tomorrow.
    far_east = make.facility(timezone="Pacific/Kiritimati")
    person = make.participant(facility=far_east)
    officer = make.user("officer", facility=far_east)
    local_today = today_at(far_east)
    api = api_as(officer)
    ahead = api.post(
        f"/participants/{person.id}/release",
        json={"released_on": (local_today + DAY).isoformat()},
    )
    assert code(ahead) == "date_in_future"
    ok = api.post(
        f"/participants/{person.id}/release", json={"released_on": local_today.isoformat()}
    )
    assert ok.status_code == 200


def test_two_release_episodes_and_the_status_history(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    api = api_as(prison.officer)
    first, back, second = (prison.today - d * DAY for d in (100, 50, 10))
    assert (
        api.post(
            f"/participants/{person.id}/release", json={"released_on": first.isoformat()}
        ).status_code
        == 200
    )
    returned = api.post(
        f"/participants/{person.id}/return-to-custody",
        json={"on": back.isoformat(), "note": "Recalled: breach of licence"},
    )
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned_to_custody"
    again = api.post(f"/participants/{person.id}/release", json={"released_on": second.isoformat()})
    assert (
        again.status_code == 200 and again.get_json()["actual_release_date"] == second.isoformat()
    )

    episodes = api.get(f"/participants/{person.id}/release-episodes").get_json()
    assert [(e["released_on"], e["returned_on"]) for e in episodes["items"]] == [
        (first.isoformat(), back.isoformat()),
        (second.isoformat(), None),
    ]
    assert episodes["next_cursor"] is None
    history = api.get(f"/participants/{person.id}/status-history").get_json()["items"]
    assert [(h["kind"], h["occurred_on"]) for h in history] == [
        ("released", first.isoformat()),
        ("returned_to_custody", back.isoformat()),
        ("released", second.isoformat()),
    ]
    assert history[1]["note"] == "Recalled: breach of licence"
    assert history[1]["to_facility_id"] == prison.facility.id
    # The first episode keeps the follow-ups whose window opened while out (+7, +30);
    # the ones planned after the return were dropped. The second has all five.
    kept = db.session.scalars(
        select(FollowUp.sequence)
        .where(FollowUp.participant_id == person.id)
        .order_by(FollowUp.due_on)
    ).all()
    assert kept == [1, 2, 1, 2, 3, 4, 5]
    # Audit rows hold ids and action names only, never the note.
    notes = db.session.scalars(select(AuditEvent)).all()
    assert not any("Recalled" in str(e.entity_ids) + e.action for e in notes)


def test_return_to_another_facility_moves_the_person(make, api_as, prison):
    person = make.participant(facility=prison.facility, prison_number="R-9")
    make.release(person, prison.today - 30 * DAY, actor=prison.officer)
    elsewhere = make.facility()
    taken = make.facility()
    make.participant(facility=taken, prison_number="R-9")
    api = api_as(prison.officer)
    path = f"/participants/{person.id}/return-to-custody"
    clash = api.post(path, json={"on": prison.today.isoformat(), "facility_id": taken.id})
    assert clash.status_code == 422 and code(clash) == "duplicate_prison_number"
    assert services.open_episode(person) is not None
    moved = api.post(path, json={"on": prison.today.isoformat(), "facility_id": elsewhere.id})
    assert moved.status_code == 200 and moved.get_json()["facility_id"] == elsewhere.id
    assert services.open_episode(person) is None
    change = services.status_history(person)[-1]
    assert (change.kind, change.to_facility_id) == ("returned_to_custody", elsewhere.id)


def test_release_records_are_404_for_instructors_and_hide_facilities_from_caseworkers(
    make, api_as, prison
):
    person = make.participant(facility=prison.facility)
    make.enrolment(prison.cohort, person, status="completed")
    make.release(person, prison.today - 3 * DAY, actor=prison.officer)
    instructor = api_as(prison.instructor)
    assert instructor.get(f"/participants/{person.id}").status_code == 200
    for route in ("status-history", "release-episodes", "release-plan", "follow-ups"):
        assert instructor.get(f"/participants/{person.id}/{route}").status_code == 404
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.outcome == "denied").order_by(AuditEvent.id.desc())
    ).first()
    assert denied.entity_ids == [person.id] and denied.actor_id == prison.instructor.id

    open_case(make, person, prison.ngo, prison.officer)
    caseworker = api_as(make.user("caseworker", organisation=prison.ngo))
    (change,) = caseworker.get(f"/participants/{person.id}/status-history").get_json()["items"]
    assert change["kind"] == "released" and change["from_facility_id"] is None
    assert (
        caseworker.get(f"/participants/{make.participant().id}/status-history").status_code == 404
    )


def test_status_history_reads_are_audited(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    make.release(person, prison.today, actor=prison.officer)
    api_as(prison.officer).get(f"/participants/{person.id}/status-history")
    event = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "status_history.read")
        .order_by(AuditEvent.id.desc())
    ).first()
    change = db.session.scalar(select(StatusChange).where(StatusChange.participant_id == person.id))
    assert event.entity_ids == [change.id] and event.actor_id == prison.officer.id


def test_episodes_are_listed_oldest_first(make, prison):
    person = make.participant(facility=prison.facility)
    later = make.episode(person, prison.today - 10 * DAY, schedule=False)
    earlier = make.episode(person, prison.today - 400 * DAY, prison.today - 300 * DAY, False)
    assert services.participant_episodes(person) == [earlier, later]
    assert services.open_episode(person) == later
    assert isinstance(later, ReleaseEpisode)


def test_each_action_changes_the_participants_version_once(make, api_as, prison):
    person = make.participant(facility=prison.facility)
    make.enrolment(prison.cohort, person)
    api = api_as(prison.officer)
    day = prison.today.isoformat()
    versions = [person.version]
    for path, body in (
        ("release", {"released_on": day}),
        (
            "return-to-custody",
            # Same clock as the prison: a facility a day behind would find `day` in the future.
            {"on": day, "facility_id": make.facility(timezone="Asia/Tokyo").id},
        ),
        ("transfer", {"facility_id": prison.facility.id, "on": day}),
    ):
        response = api_as("admin").post(f"/participants/{person.id}/{path}", json=body)
        assert response.status_code == 200, response.get_json()
        versions.append(response.get_json()["version"])
    assert versions == [1, 2, 3, 4]
    assert api.get(f"/participants/{person.id}").get_json()["facility_id"] == prison.facility.id
