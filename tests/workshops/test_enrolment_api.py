"""Enrolment rules through the API: who may join, the waitlist, leaving."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db
from prog_tracker.workshops.models import Enrolment


def _enrol(api, cohort, person):
    return api.post(f"/cohorts/{cohort.id}/enrolments", json={"participant_id": person.id})


def _code(response):
    return response.get_json()["error"]["code"]


def test_enrolling_people_in_custody_then_waitlisting_when_full(shop, make):
    people = [make.participant(facility=shop.facility) for _ in range(3)]
    statuses = [_enrol(shop.instructor_api, shop.cohort, p) for p in people]
    assert [r.status_code for r in statuses] == [201, 201, 201]
    assert [r.get_json()["status"] for r in statuses] == ["enrolled", "enrolled", "waitlisted"]
    assert statuses[0].get_json()["enrolled_on"] is not None
    cohort = shop.officer_api.get(f"/cohorts/{shop.cohort.id}").get_json()
    assert (cohort["enrolled_count"], cohort["waitlisted_count"]) == (2, 1)


@pytest.mark.parametrize("status", ["released", "returned_to_custody", "closed"])
def test_people_not_in_custody_cannot_be_enrolled(shop, make, status):
    person = make.participant(facility=shop.facility, status=status)
    response = _enrol(shop.officer_api, shop.cohort, person)
    assert response.status_code == 422 and _code(response) == "not_in_custody"


def test_someone_from_another_facility_answers_like_no_one(shop, make):
    elsewhere = make.participant(facility=make.facility())
    response = _enrol(shop.instructor_api, shop.cohort, elsewhere)
    assert response.status_code == 422 and _code(response) == "not_at_facility"
    missing = shop.instructor_api.post(
        f"/cohorts/{shop.cohort.id}/enrolments",
        json={"participant_id": "00000000-0000-4000-8000-000000000000"},
    )
    assert missing.get_json()["error"] == response.get_json()["error"]


def test_no_second_active_enrolment_in_the_same_cohort(shop, make):
    person = make.participant(facility=shop.facility)
    assert _enrol(shop.officer_api, shop.cohort, person).status_code == 201
    again = _enrol(shop.instructor_api, shop.cohort, person)
    assert again.status_code == 422 and _code(again) == "already_enrolled"


def test_an_ended_cohort_takes_no_one(shop, make):
    old = make.cohort(
        shop.facility,
        instructors=[shop.instructor],
        start_date=date.today() - timedelta(days=90),
        end_date=date.today() - timedelta(days=10),
    )
    response = _enrol(shop.instructor_api, old, make.participant(facility=shop.facility))
    assert response.status_code == 422 and _code(response) == "cohort_ended"


def test_instructors_enrol_only_in_cohorts_they_teach(shop, make):
    other = make.cohort(shop.facility)
    response = _enrol(shop.instructor_api, other, make.participant(facility=shop.facility))
    assert response.status_code == 404
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.entity, event.outcome) == ("cohort", "denied")


def _fill(shop, make, n=3):
    people = [make.participant(facility=shop.facility) for _ in range(n)]
    return [_enrol(shop.officer_api, shop.cohort, p).get_json() for p in people]


def test_withdrawal_needs_a_reason_and_promotes_the_first_waitlisted(shop, make):
    first, _second, waiting = _fill(shop, make)
    url = f"/enrolments/{first['id']}"
    missing = shop.instructor_api.patch(url, json={"status": "withdrawn"})
    assert missing.status_code == 422 and _code(missing) == "status_reason_required"
    done = shop.instructor_api.patch(url, json={"status": "withdrawn", "status_reason": "health"})
    assert done.status_code == 200
    assert (done.get_json()["status"], done.get_json()["status_reason"]) == ("withdrawn", "health")
    promoted = shop.officer_api.get(f"/enrolments/{waiting['id']}").get_json()
    assert promoted["status"] == "enrolled" and promoted["enrolled_on"] is not None


def test_completion_frees_the_seat_and_a_withdrawn_enrolment_never_completes(shop, make):
    first, second, waiting = _fill(shop, make)
    completed = shop.instructor_api.patch(
        f"/enrolments/{first['id']}", json={"status": "completed"}
    )
    assert completed.status_code == 200
    assert shop.officer_api.get(f"/enrolments/{waiting['id']}").get_json()["status"] == "enrolled"
    withdrawn = shop.instructor_api.patch(
        f"/enrolments/{second['id']}", json={"status": "withdrawn", "status_reason": "security"}
    )
    assert withdrawn.status_code == 200
    revived = shop.instructor_api.patch(f"/enrolments/{second['id']}", json={"status": "completed"})
    assert revived.status_code == 422 and _code(revived) == "invalid_transition"
    row = db.session.get(Enrolment, second["id"])
    db.session.refresh(row)
    assert row.status == "withdrawn"


def test_withdrawing_from_the_waitlist_promotes_nobody_else(shop, make):
    first, second, waiting = _fill(shop, make)
    response = shop.officer_api.patch(
        f"/enrolments/{waiting['id']}", json={"status": "withdrawn", "status_reason": "own_request"}
    )
    assert response.status_code == 200
    statuses = {e["id"]: e["status"] for e in _list(shop)}
    assert statuses == {
        first["id"]: "enrolled",
        second["id"]: "enrolled",
        waiting["id"]: "withdrawn",
    }


def _list(shop):
    return shop.officer_api.get(f"/cohorts/{shop.cohort.id}/enrolments").get_json()["items"]


def test_raising_capacity_promotes_the_waitlist_in_order(shop, make):
    _fill(shop, make, n=4)
    response = shop.officer_api.patch(f"/cohorts/{shop.cohort.id}", json={"capacity": 3})
    assert response.status_code == 200
    assert [e["status"] for e in _list(shop)] == ["enrolled", "enrolled", "enrolled", "waitlisted"]
    lower = shop.officer_api.patch(f"/cohorts/{shop.cohort.id}", json={"capacity": 1})
    assert lower.status_code == 422 and _code(lower) == "capacity_below_enrolled"


def test_an_enrolment_may_not_be_enrolled_over_capacity_from_the_waitlist(shop, make):
    *_, waiting = _fill(shop, make)
    response = shop.officer_api.patch(f"/enrolments/{waiting['id']}", json={"status": "enrolled"})
    assert response.status_code == 422 and _code(response) == "cohort_full"


def test_stale_version_on_an_enrolment_is_a_conflict(shop, make):
    (first, *_rest) = _fill(shop, make)
    response = shop.officer_api.patch(
        f"/enrolments/{first['id']}", json={"status": "completed", "version": 99}
    )
    assert response.status_code == 409 and response.get_json()["current"]["id"] == first["id"]


def test_candidates_show_name_number_and_status_only(shop, make):
    held = make.participant(facility=shop.facility, given_name="Ерлан", family_name="Ахметов")
    make.participant(facility=shop.facility, status="released", given_name="Erlan")
    make.participant(facility=make.facility(), given_name="Erlan")
    body = shop.instructor_api.get(f"/cohorts/{shop.cohort.id}/candidates?q=erlan").get_json()
    assert [c["id"] for c in body["items"]] == [held.id]
    assert set(body["items"][0]) == {
        "id",
        "given_name",
        "family_name",
        "other_names",
        "prison_number",
        "status",
    }


def test_instructors_see_people_of_their_cohorts_until_withdrawn(shop, make):
    person = make.participant(facility=shop.facility)
    path = f"/participants/{person.id}"
    assert shop.instructor_api.get(path).status_code == 404
    enrolment = _enrol(shop.officer_api, shop.cohort, person).get_json()
    assert shop.instructor_api.get(path).status_code == 200
    shop.officer_api.patch(
        f"/enrolments/{enrolment['id']}", json={"status": "withdrawn", "status_reason": "security"}
    )
    assert shop.instructor_api.get(path).status_code == 404
