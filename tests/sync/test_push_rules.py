"""Sync is not a back door: every mutation meets the same rules, scope and audit as the API."""

import datetime as dt

from sqlalchemy import func, select

from prog_tracker.aftercare.models import Contact
from prog_tracker.certification.models import Assessment
from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Attendance, AttendanceHistory, WorkshopSession
from tests.partners.conftest import events_since, last_event_id
from tests.sync.conftest import (
    attendance_create,
    contact_create,
    moment,
    new_id,
    results,
    statuses,
    update,
)


def test_a_contact_for_someone_out_of_scope_is_rejected_and_audited_denied(api_as, make, field):
    stranger = make.participant(facility=field.facility)
    start = last_event_id()
    mutation = contact_create(stranger)
    [result] = results(api_as(field.caseworker), [mutation])
    assert result["status"] == "rejected" and result["errors"]["code"] == "not_found"
    denied = [e for e in events_since(start) if e.outcome == "denied"]
    assert [(e.action, e.entity_ids) for e in denied] == [("contact.record", [stranger.id])]
    assert db.session.get(Contact, mutation["id"]) is None


def test_a_contact_after_consent_withdrawal_is_rejected(api_as, make, field):
    from prog_tracker.partners.models import Consent

    consent = db.session.scalar(
        select(Consent).where(Consent.participant_id == field.clients[0].id)
    )
    consent.withdrawn_on = field.today
    db.session.commit()
    [result] = results(api_as(field.caseworker), [contact_create(field.clients[0])])
    assert result["errors"]["code"] == "not_found"


def test_another_organisations_contact_cannot_be_edited(api_as, make, field):
    other_ngo = make.organisation()
    other = make.user("caseworker", organisation=other_ngo)
    make.client_of(other, participant=field.clients[0])
    theirs = make.contact(field.clients[0], other, summary="Theirs")
    [result] = results(api_as(field.caseworker), [update("contact", theirs.id, 1, summary="Mine")])
    assert result["errors"]["code"] == "not_found"
    db.session.refresh(theirs)
    assert theirs.summary == "Theirs"


def test_an_instructor_records_attendance_offline(api_as, field):
    api = api_as(field.instructor)
    marks = [attendance_create(field.session, person) for person in field.learners]
    found = results(api, marks)
    assert statuses(found) == ["applied", "applied"]
    assert [r["id"] for r in found] == [m["id"] for m in marks]
    row = db.session.get(Attendance, marks[0]["id"])
    assert (row.status, row.recorded_by_id) == ("present", field.instructor.id)
    assert row.recorded_at.isoformat().startswith(marks[0]["data"]["recorded_at"][:19])


def test_a_later_recording_of_the_same_pair_replaces_it_into_history(api_as, field):
    api = api_as(field.instructor)
    person = field.learners[0]
    first = attendance_create(field.session, person, "absent", recorded_at=moment(minutes=-30))
    [applied] = results(api, [first])
    later = attendance_create(field.session, person, "late", recorded_at=moment(minutes=-10))
    [replaced] = results(api, [later])
    # The pair's record keeps its id; the device learns it from the result.
    assert (replaced["status"], replaced["id"], replaced["version"]) == (
        "applied",
        applied["id"],
        2,
    )
    history = db.session.scalars(select(AttendanceHistory)).all()
    assert [(h.attendance_id, h.status) for h in history] == [(applied["id"], "absent")]
    assert db.session.get(Attendance, applied["id"]).status == "late"


def test_an_older_recording_of_the_pair_is_a_conflict_not_an_overwrite(api_as, field):
    api = api_as(field.instructor)
    person = field.learners[0]
    results(api, [attendance_create(field.session, person, "late", recorded_at=moment(minutes=-5))])
    stale = attendance_create(field.session, person, "absent", recorded_at=moment(minutes=-50))
    [result] = results(api, [stale])
    assert result["status"] == "conflict" and result["current"]["status"] == "late"
    assert db.session.scalar(select(func.count()).select_from(AttendanceHistory)) == 0


def test_an_identical_recording_under_a_new_mutation_is_a_duplicate(api_as, field):
    api = api_as(field.instructor)
    mark = attendance_create(field.session, field.learners[0])
    results(api, [mark])
    [again] = results(api, [{**mark, "mutation_id": new_id()}])
    assert again["status"] == "duplicate"
    assert db.session.scalar(select(func.count()).select_from(AttendanceHistory)) == 0


def test_attendance_updates_check_the_base_version(api_as, field):
    api = api_as(field.instructor)
    [mark] = results(api, [attendance_create(field.session, field.learners[0], "absent")])
    found = results(
        api,
        [
            update("attendance", mark["id"], 1, status="sick", note="Fever"),
            update("attendance", mark["id"], 1, status="present"),
        ],
    )
    assert statuses(found) == ["applied", "conflict"]
    assert found[1]["current"]["status"] == "sick" and found[1]["current"]["note"] == "Fever"


def test_attendance_for_another_facility_is_rejected_and_audited(api_as, make, field):
    elsewhere = make.cohort(make.facility())
    their_session = make.session(elsewhere, date=field.today)
    person = make.participant(facility=elsewhere.facility)
    make.enrolment(elsewhere, person)
    start = last_event_id()
    [result] = results(api_as(field.instructor), [attendance_create(their_session, person)])
    assert result["status"] == "rejected" and result["errors"]["code"] == "not_found"
    denied = [(e.action, e.entity) for e in events_since(start) if e.outcome == "denied"]
    assert denied == [("attendance.record", "session")]
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_attendance_for_someone_not_enrolled_breaks_the_rule(api_as, make, field):
    outsider = make.participant(facility=field.facility)
    [result] = results(api_as(field.instructor), [attendance_create(field.session, outsider)])
    assert result["errors"]["code"] == "not_enrolled"


def test_attendance_recorded_in_the_future_is_refused(api_as, field):
    mark = attendance_create(field.session, field.learners[0], recorded_at=moment(hours=2))
    [result] = results(api_as(field.instructor), [mark])
    assert "recorded_at" in result["errors"]["fields"]


def test_a_caseworker_cannot_take_attendance(api_as, field):
    [result] = results(
        api_as(field.caseworker), [attendance_create(field.session, field.learners[0])]
    )
    assert result["errors"]["code"] == "not_found"


def test_sessions_and_assessments_planned_offline(api_as, make, field):
    skill = make.skill(field.cohort.trade)
    session = {
        "mutation_id": new_id(),
        "entity": "session",
        "op": "create",
        "id": new_id(),
        "data": {"cohort_id": field.cohort.id, "date": field.today.isoformat(), "topic": "Joints"},
    }
    outside = {**session, "mutation_id": new_id(), "id": new_id()}
    outside["data"] = {**session["data"], "date": (field.cohort.end_date + dt.timedelta(days=3))}
    outside["data"]["date"] = outside["data"]["date"].isoformat()
    assessment = {
        "mutation_id": new_id(),
        "entity": "assessment",
        "op": "create",
        "id": new_id(),
        "data": {
            "participant_id": field.learners[0].id,
            "skill_id": skill.id,
            "cohort_id": field.cohort.id,
            "result": "competent",
            "assessed_on": field.today.isoformat(),
        },
    }
    found = results(api_as(field.instructor), [session, outside, assessment])
    assert statuses(found) == ["applied", "rejected", "applied"]
    assert found[1]["errors"]["code"] == "outside_cohort_dates"
    assert db.session.get(WorkshopSession, session["id"]).topic == "Joints"
    assert db.session.get(Assessment, assessment["id"]).assessor_id == field.instructor.id


def test_an_instructor_of_another_cohort_cannot_plan_sessions(api_as, make, field):
    other = make.user("instructor", facility=field.facility)
    session = {
        "mutation_id": new_id(),
        "entity": "session",
        "op": "create",
        "id": new_id(),
        "data": {"cohort_id": field.cohort.id, "date": field.today.isoformat()},
    }
    [result] = results(api_as(other), [session])
    assert result["errors"]["code"] == "not_found"


def test_every_applied_write_is_audited_like_the_api(api_as, field):
    start = last_event_id()
    results(api_as(field.caseworker), [contact_create(p) for p in field.clients])
    actions = [e.action for e in events_since(start)]
    assert actions.count("contact.create") == 2
    names = {p.family_name for p in field.clients}
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.id > start)).all()
    assert not any(name in str(row.entity_ids) for row in rows for name in names)


def test_a_denial_met_inside_the_service_is_still_audited(api_as, make, field, monkeypatch):
    """Scope lost after the push began: the service refuses, and the denial stays."""
    from prog_tracker.sync.mutations import Context

    stranger = make.participant(facility=field.facility)
    monkeypatch.setattr(Context, "sees", lambda self, participant_id: True)
    start = last_event_id()
    mutation = contact_create(stranger)
    [result] = results(api_as(field.caseworker), [mutation])
    assert result["errors"]["code"] == "not_found"
    denied = [(e.action, e.entity_ids) for e in events_since(start) if e.outcome == "denied"]
    assert denied == [("contact.create", [mutation["id"]])]
    assert db.session.get(Contact, mutation["id"]) is None
