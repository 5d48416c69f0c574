"""GET /sync/pull (SPEC §5): the caller's scope, what changed since, what left it."""

import datetime as dt

from sqlalchemy import select, update

from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.partners.models import Consent, Referral
from prog_tracker.sync.models import SyncCursor
from prog_tracker.workshops.models import Enrolment
from tests.partners.conftest import events_since, last_event_id
from tests.sync.conftest import (
    attendance_create,
    by_entity,
    contact_create,
    pull,
    pull_all,
    results,
)
from tests.sync.conftest import update as change

CASEWORKER_NEVER = {"cohort", "session", "enrolment", "attendance"}
INSTRUCTOR_NEVER = {"contact", "outcome", "follow_up", "referral", "release_plan_item"}


def _caseload(make, field):
    """The first client's contact, outcome and plan item owned by the caseworker's
    organisation (the factories wrote the rest); an item nobody owns stays with the
    facility (a caseworker receives their organisation's items only)."""
    person = field.clients[0]
    make.plan_item(person, kind="health")
    return {
        "contact": make.contact(person, field.caseworker),
        "outcome": make.outcome(person, field.caseworker),
        "item": make.plan_item(
            person, kind="housing", owner_organisation_id=field.caseworker.organisation_id
        ),
    }


def test_a_caseworkers_first_pull_is_their_whole_scope(api_as, make, field):
    records = _caseload(make, field)
    make.participant(facility=field.facility)  # in custody: not theirs
    _cursor, changes, removed, _pages = pull_all(api_as(field.caseworker))
    found = by_entity(changes)
    assert removed == []
    assert found["participant"] == {p.id for p in field.clients}
    assert len(found["referral"]) == 2 and len(found["follow_up"]) == 10
    assert found["contact"] == {records["contact"].id}
    assert found["outcome"] == {records["outcome"].id}
    assert found["release_plan_item"] == {records["item"].id}
    assert not CASEWORKER_NEVER & set(found)
    people = [c["data"] for c in changes if c["entity"] == "participant"]
    assert all("prison_number" not in p and "facility_id" not in p for p in people)


def test_an_instructors_first_pull_is_their_cohorts(api_as, make, field):
    skill = make.skill(field.cohort.trade)
    make.assessment(field.cohort, field.learners[0], skill, field.instructor)
    other_cohort = make.cohort(field.facility)
    make.session(other_cohort)
    _cursor, changes, _removed, _pages = pull_all(api_as(field.instructor))
    found = by_entity(changes)
    assert found["cohort"] == {field.cohort.id}
    assert found["session"] == {field.session.id}
    assert found["participant"] == {p.id for p in field.learners}
    assert len(found["enrolment"]) == 2 and skill.id in found["skill"]
    assert len(found["assessment"]) == 1
    assert not INSTRUCTOR_NEVER & set(found)
    cohort = next(c for c in changes if c["entity"] == "cohort")
    assert cohort["data"]["enrolled_count"] == 2
    assert cohort["data"]["instructor_ids"] == [field.instructor.id]


def test_changes_carry_the_apis_representation(api_as, make, field):
    contact = _caseload(make, field)["contact"]
    api = api_as(field.caseworker)
    _cursor, changes, _removed, _pages = pull_all(api)
    pulled = next(c for c in changes if c["id"] == contact.id)
    shown = api.get(f"/contacts/{contact.id}").get_json()
    shown.pop("versions")
    assert pulled["data"] == shown and pulled["version"] == shown["version"]
    person = field.clients[0]
    pulled = next(c for c in changes if c["id"] == person.id)
    assert pulled["data"] == api.get(f"/participants/{person.id}").get_json()
    follow_up = next(c for c in changes if c["entity"] == "follow_up")
    listed = api.get(f"/participants/{follow_up['data']['participant_id']}/follow-ups")
    assert follow_up["data"] in listed.get_json()["items"]


def test_an_incremental_pull_sends_only_what_changed(api_as, make, field):
    api = api_as(field.caseworker)
    cursor, _changes, _removed, _pages = pull_all(api)
    assert pull(api, cursor).get_json()["changes"] == []
    contact = make.contact(field.clients[1], field.caseworker, summary="New")
    [edited] = results(api, [change("contact", contact.id, 1, summary="Edited")])
    body = pull(api, cursor).get_json()
    assert [(c["entity"], c["id"], c["version"]) for c in body["changes"]] == [
        ("contact", contact.id, edited["version"])
    ]
    assert body["changes"][0]["data"]["summary"] == "Edited"
    assert body["removed"] == [] and body["has_more"] is False


def test_a_pushed_record_comes_back_once_with_the_servers_representation(api_as, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    mutation = contact_create(field.clients[0])
    results(api, [mutation])
    cursor, changes, _removed, _pages = pull_all(api, cursor)
    assert [c["id"] for c in changes if c["entity"] == "contact"] == [mutation["id"]]
    assert pull(api, cursor).get_json()["changes"] == []


def test_consent_withdrawal_removes_the_person_and_their_records(api_as, make, field):
    records = _caseload(make, field)
    person = field.clients[0]
    api = api_as(field.caseworker)
    cursor, changes, *_ = pull_all(api)
    held = {(c["entity"], c["id"]) for c in changes if _about(c, person.id)}
    officer = api_as(field.officer)
    consent = db.session.scalar(select(Consent).where(Consent.participant_id == person.id))
    assert officer.post(f"/consents/{consent.id}/withdraw", json={}).status_code == 200
    _cursor, changes, removed, _pages = pull_all(api, cursor)
    assert changes == []
    assert {(r["entity"], r["id"]) for r in removed} == held
    assert {r["reason"] for r in removed} == {"out_of_scope"}
    assert {"participant", "referral", "contact", "outcome", "release_plan_item", "follow_up"} == {
        r["entity"] for r in removed
    }
    assert records["contact"].id in {r["id"] for r in removed}


def test_records_pushed_but_never_pulled_are_removed_with_the_person(api_as, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    person = field.clients[0]
    logged = contact_create(person)
    results(api, [logged])  # logged offline, sent, not pulled back yet
    consent = db.session.scalar(select(Consent).where(Consent.participant_id == person.id))
    assert (
        api_as(field.officer).post(f"/consents/{consent.id}/withdraw", json={}).status_code == 200
    )
    cursor, changes, removed, _pages = pull_all(api, cursor)
    assert ("contact", logged["id"], "out_of_scope") in {
        (r["entity"], r["id"], r["reason"]) for r in removed
    }
    assert not [c for c in changes if _about(c, person.id)]


def _about(change: dict, participant_id: str) -> bool:
    """True when a change is the person or one of their records."""
    return change["id"] == participant_id or change["data"].get("participant_id") == participant_id


def test_an_expired_consent_removes_the_person_without_any_write(api_as, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    person = field.clients[1]
    db.session.execute(
        update(Consent)
        .where(Consent.participant_id == person.id)
        .values(
            given_on=field.today - dt.timedelta(days=30),
            expires_on=field.today - dt.timedelta(days=1),
        )
    )
    db.session.commit()
    _cursor, _changes, removed, _pages = pull_all(api, cursor)
    assert ("participant", person.id) in {(r["entity"], r["id"]) for r in removed}


def test_a_closed_referral_removes_the_person(api_as, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    person = field.clients[0]
    referral = db.session.scalar(select(Referral).where(Referral.participant_id == person.id))
    assert api.post(f"/referrals/{referral.id}/close").status_code == 200
    _cursor, _changes, removed, _pages = pull_all(api, cursor)
    gone = {(r["entity"], r["id"]) for r in removed}
    assert {("participant", person.id), ("referral", referral.id)} <= gone


def test_unenrolment_removes_the_learner_from_the_instructors_device(api_as, make, field):
    api = api_as(field.instructor)
    learner = field.learners[0]
    [mark] = results(api, [attendance_create(field.session, learner)])
    cursor, *_ = pull_all(api)
    enrolment = _enrolment(field, learner)
    body = {"status": "withdrawn", "status_reason": "health"}
    assert api.patch(f"/enrolments/{enrolment.id}", json=body).status_code == 200
    _cursor, changes, removed, _pages = pull_all(api, cursor)
    gone = {(r["entity"], r["id"], r["reason"]) for r in removed}
    assert gone == {
        ("participant", learner.id, "out_of_scope"),
        ("enrolment", enrolment.id, "out_of_scope"),
        ("attendance", mark["id"], "out_of_scope"),
    }
    # The cohort's seat count changed: the cohort comes again.
    assert [c["entity"] for c in changes] == ["cohort"]


def _enrolment(field, person):
    """The person's enrolment in the field's cohort."""
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.participant_id == person.id, Enrolment.cohort_id == field.cohort.id
        )
    )


def test_follow_ups_deleted_on_return_to_custody_are_removed_as_deleted(api_as, field):
    api = api_as(field.caseworker)
    cursor, changes, *_ = pull_all(api)
    person = field.clients[0]
    follow_ups = {c["id"] for c in changes if c["entity"] == "follow_up" and _about(c, person.id)}
    back = api_as(field.officer).post(
        f"/participants/{person.id}/return-to-custody", json={"on": field.today.isoformat()}
    )
    assert back.status_code == 200, back.get_json()
    _cursor, changes, removed, _pages = pull_all(api, cursor)
    deleted = {r["id"] for r in removed if r["reason"] == "deleted"}
    assert deleted and deleted < follow_ups  # the +7 follow-up's window had opened: kept
    assert {r["entity"] for r in removed} == {"follow_up"}
    assert ("participant", person.id) in {(c["entity"], c["id"]) for c in changes}
    # The kept follow-up comes again: the device judges it by the return day now.
    kept = [c for c in changes if c["entity"] == "follow_up" and c["id"] in follow_ups - deleted]
    assert kept and all(c["data"]["returned_on"] == field.today.isoformat() for c in kept)


def test_a_facilitys_new_timezone_sends_its_follow_ups_again(api_as, field):
    api = api_as(field.caseworker)
    cursor, changes, *_ = pull_all(api)
    held = {c["id"] for c in changes if c["entity"] == "follow_up"}
    assert held and all(c["data"]["timezone"] == "Asia/Almaty" for c in changes if c["id"] in held)
    moved = api_as(field.admin).patch(
        f"/facilities/{field.facility.id}",
        json={"timezone": "Asia/Aqtobe", "version": field.facility.version},
    )
    assert moved.status_code == 200, moved.get_json()
    _cursor, changes, _removed, _pages = pull_all(api, cursor)
    again = {c["id"]: c["data"] for c in changes if c["entity"] == "follow_up"}
    assert set(again) == held
    assert {data["timezone"] for data in again.values()} == {"Asia/Aqtobe"}


def test_pages_are_bounded_and_together_are_the_whole_scope(api_as, make, field):
    _caseload(make, field)
    api = api_as(field.caseworker)
    _c, everything, _r, one_page = pull_all(api)
    _c, paged, _r, pages = pull_all(api, limit=4)
    assert one_page == 1 and pages == -(-len(everything) // 4)
    assert sorted(c["id"] for c in paged) == sorted(c["id"] for c in everything)
    first = pull(api, limit=4).get_json()
    assert len(first["changes"]) == 4 and first["has_more"] is True


def test_a_lost_answer_is_asked_for_again_with_the_same_cursor(api_as, make, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    make.contact(field.clients[0], field.caseworker)
    first = pull(api, cursor).get_json()
    again = pull(api, cursor).get_json()
    assert first["changes"] == again["changes"] and len(first["changes"]) == 1
    assert first["cursor"] != again["cursor"]
    assert pull(api, again["cursor"]).get_json()["changes"] == []


def test_a_device_line_keeps_only_the_cursors_it_may_still_use(api_as, make, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    for _ in range(4):
        make.contact(field.clients[0], field.caseworker)
        cursor = pull(api, cursor).get_json()["cursor"]
    lineage = db.session.get(SyncCursor, cursor).lineage_id
    kept = db.session.scalars(select(SyncCursor.seq).where(SyncCursor.lineage_id == lineage))
    assert sorted(kept) == [4, 5]


def test_a_pull_with_nothing_new_keeps_and_renews_its_cursor(api_as, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    row = db.session.get(SyncCursor, cursor)
    row.issued_at -= dt.timedelta(days=10)
    db.session.commit()
    body = pull(api, cursor).get_json()
    assert (body["cursor"], body["changes"], body["removed"]) == (cursor, [], [])
    db.session.refresh(row)
    assert row.issued_at > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)


def test_one_audit_event_per_pull_names_the_people_sent(api_as, field):
    api = api_as(field.caseworker)
    start = last_event_id()
    pull_all(api)
    events = [e for e in events_since(start) if e.action == "sync.pull"]
    assert len(events) == 1 and events[0].entity == "participant"
    assert sorted(events[0].entity_ids) == sorted(p.id for p in field.clients)


def test_an_unknown_or_foreign_cursor_is_expired(api_as, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    unknown = pull(api, "A" * 43)
    assert unknown.status_code == 410
    assert unknown.get_json()["error"]["code"] == "cursor_expired"
    assert pull(api_as(field.colleague), cursor).status_code == 410
    assert pull(api, "not a cursor").status_code == 422


def test_a_cursor_older_than_the_server_keeps_is_expired(app, api_as, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    row = db.session.get(SyncCursor, cursor)
    row.issued_at = row.issued_at - dt.timedelta(days=app.config["SYNC_CURSOR_DAYS"] + 1)
    db.session.commit()
    assert pull(api, cursor).status_code == 410
    assert pull(api).status_code == 200


def test_a_cursor_issued_before_a_change_of_organisation_is_expired(api_as, make, field):
    api = api_as(field.caseworker)
    cursor, *_ = pull_all(api)
    field.caseworker.organisation_id = make.organisation().id
    db.session.commit()
    assert pull(api_as(field.caseworker), cursor).status_code == 410


def test_a_cursor_issued_before_a_change_of_facility_or_role_is_expired(api_as, make, field):
    api = api_as(field.instructor)
    cursor, *_ = pull_all(api)
    field.instructor.facility_id = make.facility().id
    db.session.commit()
    assert pull(api_as(field.instructor), cursor).status_code == 410
    cursor, *_ = pull_all(api_as(field.instructor))
    field.instructor.role = "caseworker"
    field.instructor.organisation_id = field.ngo.id
    db.session.commit()
    assert pull(api_as(field.instructor), cursor).status_code == 410


def test_without_a_session_pull_answers_401(client):
    response = client.get("/api/v1/sync/pull")
    assert response.status_code == 401


def test_roles_without_the_field_app_cannot_pull(api_as, field):
    assert pull(api_as(field.officer)).status_code == 403
    assert pull(api_as(field.admin)).status_code == 403


def test_a_pull_reads_no_audit_free_text(api_as, field):
    start = last_event_id()
    pull_all(api_as(field.caseworker))
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.id > start)).all()
    assert all(len(i) == 36 for row in rows for i in row.entity_ids)
