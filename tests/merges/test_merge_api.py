"""POST /participants/<id>/merge and POST /merges/<id>/undo (SPEC §12): who may, what moves,
what the tombstone answers, and the audit."""

import datetime as dt

from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.merges.models import ParticipantMerge
from prog_tracker.participants.models import Participant
from prog_tracker.workshops.models import Enrolment
from tests.merges.conftest import differences, every_table


def _merge(api, pair):
    return api.post(f"/participants/{pair.source.id}/merge", json={"into_id": pair.into.id})


def test_an_officer_merges_two_records_of_their_facility(api_as, make, pair):
    cohort = make.cohort(pair.facility)
    enrolment = make.enrolment(cohort, pair.source)
    api = api_as(pair.officer)
    response = _merge(api, pair)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    shown = api.get(f"/participants/{pair.into.id}").get_json()
    assert body["participant"] == shown
    assert body["merge_id"]
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).participant_id == pair.into.id
    source = db.session.get(Participant, pair.source.id)
    assert source.merged_into_id == pair.into.id and source.merged_at is not None
    # Both spellings are kept on the survivor.
    assert shown["other_names"] == "Dana, Ermek, Dani"


def test_the_merge_is_audited_with_ids_only(api_as, pair):
    api = api_as(pair.officer)
    assert _merge(api, pair).status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.merge"))
    assert event.entity_ids == [pair.source.id, pair.into.id]
    assert event.actor_id == pair.officer.id


def test_the_tombstone_redirects_to_the_survivor(api_as, pair):
    api = api_as(pair.officer)
    _merge(api, pair)
    response = api.get(f"/participants/{pair.source.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/api/v1/participants/{pair.into.id}")
    page = api.client.get(f"/participants/{pair.source.id}")
    assert page.status_code == 301
    assert page.headers["Location"].endswith(f"/participants/{pair.into.id}")


def test_the_redirect_ends_after_the_configured_days(app, api_as, pair):
    api = api_as(pair.officer)
    _merge(api, pair)
    db.session.expire_all()
    source = db.session.get(Participant, pair.source.id)
    source.merged_at = source.merged_at - dt.timedelta(days=91)
    db.session.commit()
    assert api.get(f"/participants/{pair.source.id}").status_code == 404


def test_no_redirect_for_who_may_not_see_the_survivor(api_as, make, pair):
    _merge(api_as(pair.officer), pair)
    elsewhere = make.user("officer")
    assert api_as(elsewhere).get(f"/participants/{pair.source.id}").status_code == 404


def test_tombstones_leave_every_list(api_as, pair):
    api = api_as(pair.officer)
    _merge(api, pair)
    ids = [p["id"] for p in api.get("/participants").get_json()["items"]]
    assert pair.into.id in ids and pair.source.id not in ids


def test_undo_restores_both_and_a_second_undo_answers_409(api_as, make, pair):
    make.enrolment(make.cohort(pair.facility), pair.source)
    api = api_as(pair.officer)  # signed in first: the sign-in is not the merge's
    before = every_table()
    merge_id = _merge(api, pair).get_json()["merge_id"]
    response = api.post(f"/merges/{merge_id}/undo")
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    assert differences(before, every_table()) == {}
    again = api.post(f"/merges/{merge_id}/undo")
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "merge_undone"
    assert db.session.get(ParticipantMerge, merge_id).undone_by_id == pair.officer.id
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "participant.merge_undo" in actions


def test_records_added_to_the_survivor_since_stay_after_undo(api_as, make, pair):
    cohort = make.cohort(pair.facility)
    moved = make.enrolment(cohort, pair.source)
    api = api_as(pair.officer)
    merge_id = _merge(api, pair).get_json()["merge_id"]
    added = make.enrolment(make.cohort(pair.facility), pair.into)
    assert api.post(f"/merges/{merge_id}/undo").status_code == 200
    db.session.expire_all()
    assert db.session.get(Enrolment, moved.id).participant_id == pair.source.id
    assert db.session.get(Enrolment, added.id).participant_id == pair.into.id


def test_who_may_merge(api_as, make, pair):
    body = {"into_id": pair.into.id}
    path = f"/participants/{pair.source.id}/merge"
    assert api_as(make.user("officer")).post(path, json=body).status_code == 404
    assert api_as(make.user("supervisor", country="KZ")).post(path, json=body).status_code == 403
    assert api_as(make.user("caseworker")).post(path, json=body).status_code == 404
    # Another facility's survivor: the officer does not see them.
    stranger = make.participant()
    other = api_as(pair.officer).post(path, json={"into_id": stranger.id})
    assert other.status_code == 404
    assert api_as(pair.admin).post(path, json={"into_id": stranger.id}).status_code == 200


def test_bad_requests_answer_4xx(api_as, make, pair):
    api = api_as(pair.officer)
    path = f"/participants/{pair.source.id}/merge"
    assert api.post(path, json={}).status_code == 422
    assert api.post(path, json={"into_id": "nope"}).status_code == 422
    assert api.post(path, json={"into_id": pair.source.id}).status_code == 422
    assert api.post("/merges/not-a-merge/undo").status_code == 404


def test_anonymised_people_are_not_merged(api_as, make, pair):
    pair.into.anonymised_at = dt.datetime.now(dt.UTC)
    db.session.commit()
    response = _merge(api_as(pair.admin), pair)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "participant_anonymised"


def test_a_repeated_merge_answers_the_same_merge(api_as, pair):
    api = api_as(pair.officer)
    first = _merge(api, pair).get_json()
    again = _merge(api, pair)
    assert again.status_code == 200
    assert again.get_json()["merge_id"] == first["merge_id"]


def test_reports_count_the_merged_person_once(api_as, make, pair):
    admin = api_as(pair.admin)
    query = f"/reports/indicators?from=2020-01-01&to=2030-01-01&facility_id={pair.facility.id}"

    def counted():
        response = admin.get(query)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["participants_in_custody"]["value"]

    assert counted() == 2
    _merge(api_as(pair.officer), pair)
    assert counted() == 1
