"""The matcher through its entry points: GET /participants/<id>/duplicates, the create
answer's possible_duplicates, the register page's warning, keys and not-duplicates."""

from datetime import date

from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.participants import matching
from prog_tracker.participants.matching.models import ParticipantMatchKey
from prog_tracker.participants.models import Participant


def _kazakh(make, facility, **kwargs):
    """Aliya Seitkali at facility, written in Kazakh Cyrillic."""
    fields = {"given_name": "Әлия", "family_name": "Сейтқали", "date_of_birth": date(1992, 3, 14)}
    return make.participant(facility=facility, **{**fields, **kwargs})


def _body(facility, **extra) -> dict:
    """A create body for Aliya Seitkali in Latin letters."""
    return {"prison_number": "KZ-77", "given_name": "Aliya", "family_name": "Seitkali",
            "date_of_birth": "1992-03-14", "sex": "female", "facility_id": facility.id,
            **extra}  # fmt: skip


def test_duplicates_api_finds_the_same_person_in_another_script(make, api_as):
    facility = make.facility()
    first = _kazakh(make, facility)
    second = make.participant(
        facility=facility, given_name="Aliya", family_name="Seitkali",
        date_of_birth=date(1992, 3, 14),
    )  # fmt: skip
    make.participant(facility=facility, given_name="Marat", family_name="Omarov")
    api = api_as("officer", facility=facility)
    answer = api.get(f"/participants/{first.id}/duplicates")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["next_cursor"] is None
    assert [item["participant_id"] for item in body["items"]] == [second.id]
    item = body["items"][0]
    assert item["score"] >= matching.MATCH_THRESHOLD
    assert {"name_other_script", "date_of_birth", "sex"} <= set(item["reasons"])
    audited = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "participant.duplicates")
    )
    assert audited.entity_ids == [second.id]


def test_duplicates_stay_in_the_callers_scope(make, api_as):
    mine, theirs = make.facility(), make.facility()
    first = _kazakh(make, mine)
    _kazakh(make, theirs)
    api = api_as("officer", facility=mine)
    assert api.get(f"/participants/{first.id}/duplicates").get_json()["items"] == []


def test_duplicates_of_someone_out_of_scope_is_404_and_audited(make, api_as):
    other = _kazakh(make, make.facility())
    api = api_as("officer", facility=make.facility())
    assert api.get(f"/participants/{other.id}/duplicates").status_code == 404
    denied = db.session.scalar(select(AuditEvent).where(AuditEvent.outcome == "denied"))
    assert denied.entity_ids == [other.id]


def test_create_answers_possible_duplicates_and_is_never_refused(make, api_as):
    facility = make.facility()
    existing = _kazakh(make, facility, sex="female")
    api = api_as("officer", facility=facility)
    answer = api.post("/participants", json=_body(facility))
    assert answer.status_code == 201
    found = answer.get_json()["possible_duplicates"]
    assert [item["participant_id"] for item in found] == [existing.id]
    assert "name_other_script" in found[0]["reasons"]


def test_keys_follow_the_services_edits(make, api_as):
    facility = make.facility()
    api = api_as("officer", facility=facility)
    created = api.post("/participants", json=_body(facility)).get_json()
    keys = set(
        db.session.scalars(
            select(ParticipantMatchKey.key).where(
                ParticipantMatchKey.participant_id == created["id"]
            )
        )
    )
    assert "w:stkl:1992" in keys and "n:l:stk" in keys
    api.patch(f"/participants/{created['id']}", json={"family_name": "Omarova", "version": 1})
    db.session.expire_all()
    keys = set(
        db.session.scalars(
            select(ParticipantMatchKey.key).where(
                ParticipantMatchKey.participant_id == created["id"]
            )
        )
    )
    assert "w:stkl:1992" not in keys and "w:mrv:1992" in keys


def test_marked_not_duplicates_are_left_out(make):
    facility = make.facility()
    first = _kazakh(make, facility)
    second = _kazakh(make, facility)
    admin = make.user("admin")
    assert [m.participant_id for m in matching.duplicates_of(admin, first)] == [second.id]
    pairs = matching.likely_pairs(admin, facility.id)
    assert [(a, b) for a, b, _ in pairs] == [tuple(sorted((first.id, second.id)))]
    matching.mark_not_duplicates(admin, second.id, first.id)
    matching.mark_not_duplicates(admin, first.id, second.id)  # twice: remembered once
    db.session.commit()
    assert matching.duplicates_of(admin, first) == []
    assert matching.duplicates_of(admin, second) == []
    assert matching.likely_pairs(admin, facility.id) == []


def test_register_page_warns_before_saving_then_saves_anyway(client, make, signin):
    facility = make.facility()
    existing = _kazakh(make, facility, sex="female", prison_number="KZ-1")
    officer = make.user("officer", facility=facility)
    csrf = signin(client, officer)
    form = {"csrf_token": csrf, **_body(facility), "other_names": "", "preferred_language": "",
            "expected_release_date": ""}  # fmt: skip
    warned = client.post("/participants/new", data=form)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 200
    assert f"/participants/{existing.id}" in page and "KZ-1" in page
    assert 'name="confirm_not_duplicate"' in page and 'value="Seitkali"' in page
    assert (
        db.session.scalar(select(Participant).where(Participant.prison_number == "KZ-77")) is None
    )
    saved = client.post("/participants/new", data={**form, "confirm_not_duplicate": "1"})
    assert saved.status_code == 302
    assert db.session.scalar(select(Participant).where(Participant.prison_number == "KZ-77"))


def test_fill_match_keys_writes_everyones_keys_in_batches(make):
    facility = make.facility()
    people = [_kazakh(make, facility) for _ in range(3)]
    table = ParticipantMatchKey.__table__
    db.session.execute(table.delete())
    written = matching.fill_match_keys(db.session.connection(), batch=2)
    assert written >= 3 * 2
    owners = set(db.session.scalars(select(ParticipantMatchKey.participant_id)))
    assert {p.id for p in people} <= owners


def test_anonymised_people_keep_no_keys(make):
    from prog_tracker.core.models import utcnow

    person = _kazakh(make, make.facility())
    person.anonymised_at = utcnow()
    matching.refresh_match_keys(person)
    keys = select(ParticipantMatchKey).where(ParticipantMatchKey.participant_id == person.id)
    assert db.session.scalars(keys).all() == []
