"""The audit trail: events for reads and writes, in a verifiable HMAC chain."""

import json

from sqlalchemy import select, text

from prog_tracker.core.audit import AuditEvent, verify_chain
from prog_tracker.extensions import db


def _events(action=None):
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def _make_some_events(api_as, make, count=3):
    facility = make.facility()
    people = [make.participant(facility=facility) for _ in range(count)]
    officer = api_as("officer", facility=facility)
    for person in people:
        assert officer.get(f"/participants/{person.id}").status_code == 200
    return people


def test_detail_reads_list_reads_and_writes_are_audited(api_as, make):
    facility = make.facility()
    people = [make.participant(facility=facility) for _ in range(2)]
    officer = api_as("officer", facility=facility)
    officer.get(f"/participants/{people[0].id}")
    officer.get("/participants")
    created = officer.post(
        "/participants", json={"prison_number": "A-1", "given_name": "Ali", "family_name": "Omar"}
    ).get_json()
    (read,) = _events("participant.read")
    assert read.entity_ids == [people[0].id] and read.outcome == "allowed"
    (listed,) = _events("participant.list")
    assert sorted(listed.entity_ids) == sorted(p.id for p in people)
    (write,) = _events("participant.create")
    assert write.entity_ids == [created["id"]]


def test_access_reason_header_is_recorded_when_it_is_a_known_code(api_as, make):
    person = make.participant()
    admin = api_as("admin")
    admin.get(f"/participants/{person.id}", headers={"X-Access-Reason": "case_review"})
    # An unknown code (here free text) is refused, and nothing of it is stored.
    refused = admin.get(
        f"/participants/{person.id}", headers={"X-Access-Reason": "Name of someone"}
    )
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "reason_required"
    (event,) = _events("participant.read")
    assert event.reason_code == "case_review" and event.participant_id == person.id


def test_audit_rows_hold_no_names(api_as, make):
    facility = make.facility()
    make.participant(facility=facility, given_name="Zhanar", family_name="Bekova")
    officer = api_as("officer", facility=facility)
    officer.get("/participants?q=zhanar")
    dump = json.dumps(
        [[getattr(e, c.name) for c in AuditEvent.__table__.columns] for e in _events()], default=str
    )
    assert "Zhanar" not in dump and "Bekova" not in dump and "zhanar" not in dump


def test_chain_verifies_when_untouched(app, api_as, make):
    _make_some_events(api_as, make)
    checked, broken = verify_chain(app.config["AUDIT_KEY"])
    assert broken is None and checked == len(_events())


def test_an_edited_row_breaks_the_chain_at_that_row(app, api_as, make):
    _make_some_events(api_as, make)
    target = _events("participant.read")[1]
    db.session.execute(
        text("UPDATE audit_events SET outcome = 'denied' WHERE id = :id"), {"id": target.id}
    )
    db.session.commit()
    assert verify_chain(app.config["AUDIT_KEY"])[1] == target.id


def test_a_deleted_row_breaks_the_chain(app, api_as, make):
    _make_some_events(api_as, make)
    target_id = _events("participant.read")[1].id
    db.session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": target_id})
    db.session.commit()
    assert verify_chain(app.config["AUDIT_KEY"])[1] == target_id + 1


def test_reordered_rows_break_the_chain(app, api_as, make):
    _make_some_events(api_as, make)
    first, second = _events("participant.read")[:2]
    # Swap the two rows' contents (keeping their ids), as a reordering would.
    columns = ["at", "actor_id", "action", "entity", "entity_ids", "outcome", "prev_hash", "hash"]
    rows = {e.id: {c: getattr(e, c) for c in columns} for e in (first, second)}
    db.session.expunge_all()
    for target, source in ((first.id, second.id), (second.id, first.id)):
        event = db.session.get(AuditEvent, target)
        for column, value in rows[source].items():
            setattr(event, column, value)
    db.session.commit()
    assert verify_chain(app.config["AUDIT_KEY"])[1] == first.id


def test_a_different_key_cannot_verify_the_chain(api_as, make):
    _make_some_events(api_as, make)
    assert verify_chain("another-key-" + "x" * 40)[1] == _events()[0].id


def test_denied_access_is_audited(api_as, make):
    other = make.participant()
    officer = api_as("officer")
    assert officer.get(f"/participants/{other.id}").status_code == 404
    (denied,) = [e for e in _events() if e.outcome == "denied"]
    assert denied.entity_ids == [other.id] and denied.entity == "participant"
