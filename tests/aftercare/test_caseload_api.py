"""GET /caseload: the caller's people, mine first, overdue first, next follow-up, last contact."""

import datetime as dt

import pytest
from sqlalchemy import event

from prog_tracker.extensions import db
from tests.partners.conftest import events_since, last_event_id


def _noon(day: dt.date) -> dt.datetime:
    """Noon UTC on day (17:00 in Almaty: the same date there)."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@pytest.fixture
def caseload(make, partners):
    """Caseworker A's people, named by the order the caseload must list them in."""
    today, me = partners.today, partners.caseworker_a

    def person(name, released_days_ago, caseworker=me):
        return make.client_of(
            caseworker,
            facility=partners.facility,
            family_name=name,
            released_on=today - dt.timedelta(days=released_days_ago),
        )

    people = {
        # Mine and overdue: the +7 follow-up's window is open and its due day passed.
        "a_overdue": person("A-overdue", 9),
        "b_overdue_failed_attempt": person("B-overdue", 9),
        # Mine, the +7 follow-up due in 5 days; never contacted before contacted.
        "c_never_contacted": person("C-never", 2),
        "d_contacted": person("D-contacted", 2),
        # Mine, +7 done or missed: next is the +30, due in 10 days.
        "e_missed_never_contacted": person("E-missed", 20),
        "f_met_long_ago": person("F-met", 20),
        # A colleague's case, overdue: after all of mine.
        "g_colleagues": person("G-colleague", 9, caseworker=partners.colleague_a),
    }
    make.contact(
        people["b_overdue_failed_attempt"],
        me,
        mode="attempt_failed",
        occurred_at=_noon(today - dt.timedelta(days=1)),
    )
    make.contact(people["d_contacted"], me, occurred_at=_noon(today - dt.timedelta(days=1)))
    make.contact(people["f_met_long_ago"], me, occurred_at=_noon(today - dt.timedelta(days=15)))
    return people


def test_caseload_order_and_fields(api_as, partners, caseload):
    api = api_as(partners.caseworker_a)
    start = last_event_id()
    response = api.get("/caseload")
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    by_id = {person.id: key for key, person in caseload.items()}
    assert [by_id[row["participant"]["id"]] for row in items] == sorted(caseload)
    rows = {by_id[row["participant"]["id"]]: row for row in items}
    today = partners.today

    assert rows["a_overdue"]["overdue"] and rows["a_overdue"]["assigned_to_me"]
    assert rows["a_overdue"]["next_follow_up"]["status"] == "overdue"
    assert rows["a_overdue"]["next_follow_up"]["due_on"] == str(today - dt.timedelta(days=2))
    # A failed attempt neither meets the follow-up nor counts as the last contact.
    assert rows["b_overdue_failed_attempt"]["overdue"]
    assert rows["b_overdue_failed_attempt"]["last_contact_at"] is None
    upcoming = rows["d_contacted"]["next_follow_up"]
    assert (upcoming["status"], upcoming["due_on"]) == ("upcoming", str(today + dt.timedelta(5)))
    assert (upcoming["opens_on"], upcoming["closes_on"]) == (
        str(today + dt.timedelta(days=2)),
        str(today + dt.timedelta(days=8)),
    )
    assert rows["d_contacted"]["last_contact_at"].startswith(str(today - dt.timedelta(days=1)))
    assert not rows["e_missed_never_contacted"]["overdue"]
    assert rows["f_met_long_ago"]["next_follow_up"]["due_on"] == str(today + dt.timedelta(10))
    assert not rows["g_colleagues"]["assigned_to_me"] and rows["g_colleagues"]["overdue"]
    assert all(row["referral_id"] for row in items)
    assert response.get_json()["next_cursor"] is None

    (audited,) = events_since(start)
    assert audited.action == "caseload.read" and audited.entity == "participant"
    assert sorted(audited.entity_ids) == sorted(by_id)


def test_caseload_pages(api_as, partners, caseload):
    api = api_as(partners.caseworker_a)
    first = api.get("/caseload?limit=3").get_json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    rest = api.get(f"/caseload?limit=10&cursor={first['next_cursor']}").get_json()
    assert len(rest["items"]) == 4 and rest["next_cursor"] is None


def test_the_colleague_sees_the_same_people_with_their_own_case_first(api_as, partners, caseload):
    items = api_as(partners.colleague_a).get("/caseload").get_json()["items"]
    assert items[0]["participant"]["id"] == caseload["g_colleagues"].id
    assert [row["assigned_to_me"] for row in items].count(True) == 1


def test_officers_and_supervisors_see_released_people_in_scope(make, api_as, partners, caseload):
    make.participant(facility=partners.facility)  # in custody: not in any caseload
    elsewhere = make.participant(facility=make.facility(country="TN"))
    make.release(elsewhere)
    officer_rows = api_as(partners.officer).get("/caseload").get_json()["items"]
    assert {row["participant"]["id"] for row in officer_rows} == {p.id for p in caseload.values()}
    assert not any(row["assigned_to_me"] for row in officer_rows)
    assert officer_rows[0]["overdue"] and "prison_number" in officer_rows[0]["participant"]
    supervisor = api_as(make.user("supervisor", country="KZ"))
    assert len(supervisor.get("/caseload").get_json()["items"]) == len(caseload)
    admin_ids = {
        r["participant"]["id"]
        for r in api_as(partners.admin).get("/caseload?limit=500").get_json()["items"]
    }
    assert elsewhere.id in admin_ids


def test_instructors_have_no_caseload(make, api_as, partners):
    instructor = make.user("instructor", facility=partners.facility)
    assert api_as(instructor).get("/caseload").status_code == 403


def test_an_empty_caseload(api_as, partners):
    response = api_as(partners.caseworker_b).get("/caseload")
    assert response.get_json() == {"items": [], "next_cursor": None}


def _statements(api, path) -> int:
    """How many SQL statements serving path runs."""
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert api.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_number_of_queries_does_not_grow_with_the_caseload(make, api_as, partners):
    api = api_as(partners.caseworker_a)
    make.client_of(partners.caseworker_a, facility=partners.facility)
    small = _statements(api, "/caseload")
    for _ in range(6):
        person = make.client_of(partners.caseworker_a, facility=partners.facility)
        make.contact(person, partners.caseworker_a)
    assert _statements(api, "/caseload") == small


def test_the_fast_participant_json_matches_the_schema(app, make, partners):
    from flask import g

    from prog_tracker.aftercare.caseload_json import participant_json
    from prog_tracker.participants.schemas import ParticipantSchema

    person = make.participant(
        facility=partners.facility, other_names="Aru", expected_release_date=partners.today
    )
    for viewer in (partners.officer, partners.caseworker_a):
        with app.test_request_context():
            g.user = viewer
            assert participant_json(person, viewer) == ParticipantSchema().dump(person)
    assert "prison_number" not in participant_json(person, partners.caseworker_a)
