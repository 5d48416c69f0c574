"""Sessions within the cohort's dates; attendance only for the cohort's people."""

from datetime import date, timedelta

from sqlalchemy import select

from prog_tracker.extensions import db
from prog_tracker.workshops.models import Attendance, AttendanceHistory


def _code(response):
    return response.get_json()["error"]["code"]


def test_sessions_only_within_the_cohort_dates(shop):
    cohort = shop.cohort
    inside = shop.instructor_api.post(
        f"/cohorts/{cohort.id}/sessions", json={"date": cohort.start_date.isoformat()}
    )
    assert inside.status_code == 201 and inside.get_json()["cohort_id"] == cohort.id
    for day in (cohort.start_date - timedelta(days=1), cohort.end_date + timedelta(days=1)):
        response = shop.instructor_api.post(
            f"/cohorts/{cohort.id}/sessions", json={"date": day.isoformat(), "topic": "Joints"}
        )
        assert response.status_code == 422 and _code(response) == "outside_cohort_dates"


def test_client_generated_session_ids_are_kept_and_not_reused(shop):
    session_id = "6f1c2b1e-3a7d-4c55-9b6e-0a1b2c3d4e5f"
    body = {"id": session_id, "date": date.today().isoformat()}
    first = shop.instructor_api.post(f"/cohorts/{shop.cohort.id}/sessions", json=body)
    assert first.status_code == 201 and first.get_json()["id"] == session_id
    again = shop.instructor_api.post(f"/cohorts/{shop.cohort.id}/sessions", json=body)
    assert again.status_code == 201 and again.get_json()["id"] == session_id  # a replay
    other = {**body, "topic": "Another session"}
    clash = shop.instructor_api.post(f"/cohorts/{shop.cohort.id}/sessions", json=other)
    assert clash.status_code == 409


def _roll(api, session, records):
    return api.put(f"/sessions/{session.id}/attendance", json={"records": records})


def test_a_roll_is_saved_and_re_recording_keeps_history(shop, make):
    people = [make.participant(facility=shop.facility) for _ in range(2)]
    for person in people:
        make.enrolment(shop.cohort, person)
    session = make.session(shop.cohort)
    first = _roll(
        shop.instructor_api,
        session,
        [
            {"participant_id": people[0].id, "status": "present"},
            {"participant_id": people[1].id, "status": "sick", "note": "clinic"},
        ],
    )
    assert first.status_code == 200 and len(first.get_json()["items"]) == 2
    again = _roll(
        shop.instructor_api, session, [{"participant_id": people[0].id, "status": "late"}]
    )
    assert again.status_code == 200
    rows = {
        r["participant_id"]: r
        for r in shop.officer_api.get(f"/sessions/{session.id}/attendance").get_json()["items"]
    }
    assert rows[people[0].id]["status"] == "late" and rows[people[0].id]["version"] == 2
    assert rows[people[1].id]["status"] == "sick"
    history = db.session.scalars(select(AttendanceHistory)).all()
    assert [(h.status, h.version) for h in history] == [("present", 1)]


def test_no_attendance_for_waitlisted_withdrawn_earlier_or_unenrolled_people(shop, make):
    session = make.session(shop.cohort, date=date.today() - timedelta(days=2))
    enrolled = make.participant(facility=shop.facility)
    make.enrolment(shop.cohort, enrolled)
    waitlisted = make.participant(facility=shop.facility)
    make.enrolment(shop.cohort, waitlisted, status="waitlisted")
    left_before = make.participant(facility=shop.facility)
    make.enrolment(
        shop.cohort,
        left_before,
        status="withdrawn",
        status_reason="health",
        ended_on=date.today() - timedelta(days=3),
    )
    left_that_day = make.participant(facility=shop.facility)
    make.enrolment(
        shop.cohort,
        left_that_day,
        status="withdrawn",
        status_reason="released",
        ended_on=session.date,
    )
    stranger = make.participant(facility=shop.facility)
    for refused in (waitlisted, left_before, stranger):
        response = _roll(
            shop.instructor_api,
            session,
            [
                {"participant_id": enrolled.id, "status": "present"},
                {"participant_id": refused.id, "status": "present"},
            ],
        )
        assert response.status_code == 422 and _code(response) == "not_enrolled"
        assert list(response.get_json()["error"]["fields"]["records"]) == ["1"]
    assert db.session.scalar(select(Attendance.id)) is None  # nothing half-saved
    ok = _roll(
        shop.instructor_api,
        session,
        [{"participant_id": left_that_day.id, "status": "present"}],
    )
    assert ok.status_code == 200


def test_the_same_person_twice_in_one_roll_is_refused(shop, make):
    person = make.participant(facility=shop.facility)
    make.enrolment(shop.cohort, person)
    session = make.session(shop.cohort)
    line = {"participant_id": person.id, "status": "present"}
    response = _roll(shop.instructor_api, session, [line, line])
    assert response.status_code == 422


def test_no_attendance_for_a_session_still_to_come(shop, make):
    person = make.participant(facility=shop.facility)
    make.enrolment(shop.cohort, person)
    session = make.session(shop.cohort, date=date.today() + timedelta(days=3))
    response = _roll(
        shop.instructor_api, session, [{"participant_id": person.id, "status": "present"}]
    )
    assert response.status_code == 422 and _code(response) == "session_in_future"


def test_only_the_cohorts_instructors_take_the_roll(shop, make, api_as):
    person = make.participant(facility=shop.facility)
    make.enrolment(shop.cohort, person)
    session = make.session(shop.cohort)
    line = [{"participant_id": person.id, "status": "present"}]
    colleague = api_as("instructor", facility=shop.facility)
    assert _roll(colleague, session, line).status_code == 404
    assert _roll(shop.officer_api, session, line).status_code == 403


def test_cohort_creation_checks_dates_trade_and_instructors(shop, make):
    trade = make.trade()
    body = {
        "trade_id": trade.id,
        "title": "Welding, spring",
        "start_date": "2027-03-01",
        "end_date": "2027-06-30",
        "capacity": 12,
        "instructor_ids": [shop.instructor.id],
    }
    created = shop.officer_api.post("/cohorts", json=body)
    assert created.status_code == 201
    assert created.get_json()["facility_id"] == shop.facility.id
    assert created.get_json()["instructor_ids"] == [shop.instructor.id]
    elsewhere = make.user("instructor", facility=make.facility())
    bad = shop.officer_api.post(
        "/cohorts",
        json={
            **body,
            "end_date": "2027-02-01",
            "instructor_ids": [elsewhere.id],
            "qualification_id": make.qualification().id,
        },
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {
        "end_date",
        "instructor_ids",
        "qualification_id",
    }
    other_facility = shop.officer_api.post(
        "/cohorts", json={**body, "facility_id": make.facility().id}
    )
    assert other_facility.status_code == 422


def test_instructors_list_only_the_cohorts_they_teach(shop, make):
    make.cohort(shop.facility)
    listed = shop.instructor_api.get("/cohorts").get_json()["items"]
    assert [c["id"] for c in listed] == [shop.cohort.id]
    assert len(shop.officer_api.get("/cohorts").get_json()["items"]) == 2
