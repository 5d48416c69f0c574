"""The participants API against SPEC §2-§4: create, change, search, scope and audit."""

import json

import pytest
from sqlalchemy import inspect, select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.extensions import db

MISSING_ID = "00000000-0000-4000-8000-000000000000"


def _reason() -> dict:
    """A fresh X-Access-Reason header dict (the Api helper adds CSRF to what it gets)."""
    return {"X-Access-Reason": "case_review"}


def _body(**overrides):
    body = {"prison_number": "KZ-0001", "given_name": "Dana", "family_name": "Ermekova"}
    body.update(overrides)
    return body


def _last_event_id() -> int:
    return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def _events_since(event_id: int, action=None):
    query = select(AuditEvent).where(AuditEvent.id > event_id).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def _ids(response):
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


# --- creating -------------------------------------------------------------------------


def test_officer_creates_a_participant_in_their_facility(make, api_as):
    facility = make.facility()
    officer = make.user("officer", facility=facility)
    api = api_as(officer)
    body = _body(
        other_names="Dana-Aru",
        date_of_birth="1991-04-05",
        sex="female",
        preferred_language="kk",
        expected_release_date="2027-03-01",
    )
    response = api.post("/participants", json=body)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    for key, value in body.items():
        assert created[key] == value, key
    assert created["facility_id"] == facility.id
    assert created["status"] == "in_custody"
    assert created["actual_release_date"] is None
    assert created["version"] == 1
    assert created["created_at"].endswith("Z") and created["updated_at"].endswith("Z")
    assert len(created["id"]) == 36
    # The create answer adds the people this one is likely to be (SPEC §12): none here.
    assert created.pop("possible_duplicates") == []
    assert api.get(f"/participants/{created['id']}").get_json() == created


def test_officer_may_name_their_own_facility_and_a_client_generated_id(make, api_as):
    facility = make.facility()
    api = api_as("officer", facility=facility)
    client_id = "6f1c2b1e-8d7a-4c1e-9f00-0a1b2c3d4e5f"
    response = api.post("/participants", json=_body(facility_id=facility.id, id=client_id))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["id"] == client_id
    again = api.post("/participants", json=_body(prison_number="KZ-0002", id=client_id))
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "conflict"


def test_names_are_trimmed(make, api_as):
    api = api_as("officer", facility=make.facility())
    created = api.post("/participants", json=_body(given_name="  Dana ")).get_json()
    assert created["given_name"] == "Dana"


def test_officer_cannot_create_in_another_facility(make, api_as):
    own, other = make.facility(), make.facility()
    api = api_as("officer", facility=own)
    response = api.post("/participants", json=_body(facility_id=other.id))
    assert response.status_code == 422, response.get_json()
    assert "facility_id" in response.get_json()["error"]["fields"]
    admin = api_as("admin")
    assert _ids(admin.get(f"/participants?facility_id={other.id}")) == []


@pytest.mark.parametrize("role", ["instructor", "caseworker", "supervisor"])
def test_other_roles_cannot_create(make, api_as, role):
    facility = make.facility()
    kwargs = {"facility": facility} if role == "instructor" else {}
    api = api_as(role, **kwargs)
    response = api.post("/participants", json=_body(facility_id=facility.id))
    assert response.status_code == 403, response.get_json()
    assert response.get_json()["error"]["code"] == "forbidden"


def test_admin_creates_in_any_facility_but_must_name_one(make, api_as):
    kz, tn = make.facility(country="KZ"), make.facility(country="TN", timezone="Africa/Tunis")
    admin = api_as("admin")
    for facility in (kz, tn):
        response = admin.post("/participants", json=_body(facility_id=facility.id))
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["facility_id"] == facility.id
    response = admin.post("/participants", json=_body(prison_number="X-1"))
    assert response.status_code == 422
    assert "facility_id" in response.get_json()["error"]["fields"]
    response = admin.post("/participants", json=_body(facility_id=MISSING_ID))
    assert response.status_code == 422
    assert "facility_id" in response.get_json()["error"]["fields"]


# --- prison numbers -------------------------------------------------------------------


def test_prison_number_is_unique_within_a_facility_only(make, api_as):
    first, second = make.facility(), make.facility()
    api = api_as("officer", facility=first)
    assert api.post("/participants", json=_body()).status_code == 201
    clash = api.post("/participants", json=_body(given_name="Other"))
    assert clash.status_code == 422, clash.get_json()
    assert clash.get_json()["error"]["code"] == "duplicate_prison_number"
    assert "prison_number" in clash.get_json()["error"]["fields"]
    elsewhere = api_as("officer", facility=second).post("/participants", json=_body())
    assert elsewhere.status_code == 201, elsewhere.get_json()


def test_patch_to_a_taken_prison_number_is_refused(make, api_as):
    facility = make.facility()
    make.participant(facility=facility, prison_number="KZ-0001")
    other = make.participant(facility=facility, prison_number="KZ-0002")
    api = api_as("officer", facility=facility)
    response = api.patch(f"/participants/{other.id}", json={"prison_number": "KZ-0001"})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "duplicate_prison_number"
    assert api.get(f"/participants/{other.id}").get_json()["prison_number"] == "KZ-0002"
    same = api.patch(f"/participants/{other.id}", json={"prison_number": "KZ-0002"})
    assert same.status_code == 200, same.get_json()


# --- expected release date and its history --------------------------------------------


def test_release_date_changes_need_a_reason_and_are_kept(make, api_as):
    facility = make.facility()
    officer = make.user("officer", facility=facility)
    api = api_as(officer)
    created = api.post("/participants", json=_body(expected_release_date="2027-03-01"))
    assert created.status_code == 201, created.get_json()
    pid = created.get_json()["id"]

    refused = api.patch(f"/participants/{pid}", json={"expected_release_date": "2027-05-01"})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "validation_error"
    assert "reason" in refused.get_json()["error"]["fields"]
    blank = api.patch(
        f"/participants/{pid}", json={"expected_release_date": "2027-05-01", "reason": "   "}
    )
    assert blank.status_code == 422
    assert api.get(f"/participants/{pid}").get_json()["expected_release_date"] == "2027-03-01"

    changed = api.patch(
        f"/participants/{pid}",
        json={"expected_release_date": "2027-05-01", "reason": "Court decision of 2026-11-20"},
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["expected_release_date"] == "2027-05-01"
    assert changed.get_json()["version"] == 2

    history = api.get(f"/participants/{pid}/release-date-history")
    assert history.status_code == 200, history.get_json()
    items = history.get_json()["items"]
    assert len(items) == 2
    first, second = items
    assert (first["previous_date"], first["new_date"], first["reason"]) == (
        None,
        "2027-03-01",
        None,
    )
    assert (second["previous_date"], second["new_date"], second["reason"]) == (
        "2027-03-01",
        "2027-05-01",
        "Court decision of 2026-11-20",
    )
    for item in items:
        assert item["changed_by_id"] == officer.id
        assert item["changed_at"].endswith("Z")
    assert first["changed_at"] <= second["changed_at"]


def test_other_changes_need_no_reason_and_leave_no_history(make, api_as):
    facility = make.facility()
    person = make.participant(facility=facility)
    api = api_as("officer", facility=facility)
    assert api.patch(f"/participants/{person.id}", json={"other_names": "Aika"}).status_code == 200
    first = api.patch(f"/participants/{person.id}", json={"expected_release_date": "2027-01-01"})
    assert first.status_code == 200, first.get_json()  # first date: no reason needed
    same = api.patch(f"/participants/{person.id}", json={"expected_release_date": "2027-01-01"})
    assert same.status_code == 200, same.get_json()  # unchanged date: no reason needed
    items = api.get(f"/participants/{person.id}/release-date-history").get_json()["items"]
    assert [(i["previous_date"], i["new_date"]) for i in items] == [(None, "2027-01-01")]


def test_clearing_a_release_date_needs_a_reason(make, api_as):
    facility = make.facility()
    person = make.participant(facility=facility, expected_release_date=None)
    api = api_as("officer", facility=facility)
    api.patch(f"/participants/{person.id}", json={"expected_release_date": "2027-01-01"})
    refused = api.patch(f"/participants/{person.id}", json={"expected_release_date": None})
    assert refused.status_code == 422
    assert "reason" in refused.get_json()["error"]["fields"]
    cleared = api.patch(
        f"/participants/{person.id}",
        json={"expected_release_date": None, "reason": "Sentence under appeal"},
    )
    assert cleared.status_code == 200
    assert cleared.get_json()["expected_release_date"] is None
    items = api.get(f"/participants/{person.id}/release-date-history").get_json()["items"]
    assert items[-1]["new_date"] is None and items[-1]["reason"] == "Sentence under appeal"


# --- search and filters ---------------------------------------------------------------


@pytest.fixture
def people(make):
    """Names in several scripts, all in one facility."""
    facility = make.facility()
    names = {
        "zoe": ("Zoë", "Martin", "TN-100"),
        "benoit": ("Benoît", "Lefèvre", "TN-101"),
        "nurlan": ("Нурлан", "Сейткали", "KZ-777"),
        "asel": ("Әсел", "Қасымова", "KZ-778"),
        "plain": ("Grace", "Namutebi", "UG-55_1"),
    }
    made = {
        key: make.participant(
            facility=facility, given_name=given, family_name=family, prison_number=number
        )
        for key, (given, family, number) in names.items()
    }
    return facility, made


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("zoe", "zoe"),
        ("ZOË", "zoe"),
        ("Zoë", "zoe"),
        ("zoë martin", "zoe"),
        ("BENOIT", "benoit"),
        ("benoît", "benoit"),
        ("lefevre", "benoit"),
        ("нурлан", "nurlan"),
        ("НУРЛАН", "nurlan"),
        ("nurlan", "nurlan"),
        ("Nurlan", "nurlan"),
        ("сейткали", "nurlan"),
        ("seitkali", "nurlan"),
        ("асел", "asel"),
        ("Әсел", "asel"),
        ("asel", "asel"),
        ("қасымова", "asel"),
        ("kasymova", "asel"),
        ("KZ-777", "nurlan"),
        ("kz-777", "nurlan"),
        ("777", "nurlan"),
        ("55_1", "plain"),
    ],
)
def test_search_ignores_case_accents_and_script(people, api_as, query, key):
    facility, made = people
    api = api_as("officer", facility=facility)
    response = api.get("/participants", query_string={"q": query})
    assert _ids(response) == [made[key].id], query


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("%", None),
        ("_", "plain"),
        ("5_1", "plain"),
        ("\\", None),
        ("zzz-no-such-person", None),
        ("'", None),
        ('"', None),
        ("k%7", None),
    ],
)
def test_search_wildcards_are_literal(people, api_as, query, key):
    facility, made = people
    api = api_as("officer", facility=facility)
    expected = [made[key].id] if key else []
    assert _ids(api.get("/participants", query_string={"q": query})) == expected


def test_search_finds_people_created_and_renamed_through_the_api(make, api_as):
    facility = make.facility()
    api = api_as("officer", facility=facility)
    pid = api.post(
        "/participants", json=_body(given_name="Zoë", family_name="Ben Salah", prison_number="TN-9")
    ).get_json()["id"]
    assert _ids(api.get("/participants?q=zoe")) == [pid]
    api.patch(f"/participants/{pid}", json={"given_name": "Нурлан"})
    assert _ids(api.get("/participants?q=zoe")) == []
    assert _ids(api.get("/participants?q=nurlan")) == [pid]


def test_status_facility_and_release_filters(make, api_as):
    first, second = make.facility(), make.facility()
    early = make.participant(facility=first, expected_release_date=_date("2027-01-10"))
    late = make.participant(facility=first, expected_release_date=_date("2027-06-01"))
    undated = make.participant(facility=first)
    released = make.participant(
        facility=second, status="released", expected_release_date=_date("2026-01-01")
    )
    admin = api_as("admin")
    assert set(_ids(admin.get(f"/participants?facility_id={first.id}"))) == {
        early.id,
        late.id,
        undated.id,
    }
    assert _ids(admin.get(f"/participants?facility_id={second.id}")) == [released.id]
    assert _ids(admin.get(f"/participants?facility_id={MISSING_ID}")) == []
    assert _ids(admin.get(f"/participants?status=released&facility_id={second.id}")) == [
        released.id
    ]
    assert set(_ids(admin.get(f"/participants?status=in_custody&facility_id={first.id}"))) == {
        early.id,
        late.id,
        undated.id,
    }
    assert set(
        _ids(admin.get(f"/participants?releasing_before=2027-02-01&facility_id={first.id}"))
    ) == {early.id}
    before_2027 = set(_ids(admin.get("/participants?releasing_before=2027-01-01")))
    assert released.id in before_2027 and early.id not in before_2027
    assert undated.id not in set(_ids(admin.get("/participants?releasing_before=2099-01-01")))
    combined = admin.get(
        f"/participants?status=in_custody&releasing_before=2027-12-31&facility_id={first.id}"
    )
    assert set(_ids(combined)) == {early.id, late.id}


def _date(text):
    from datetime import date

    return date.fromisoformat(text)


# --- scope ----------------------------------------------------------------------------


@pytest.fixture
def two_facilities(make):
    """Facility A (KZ) and B (TN), one person in each, and each facility's officer."""
    a = make.facility(country="KZ")
    b = make.facility(country="TN", timezone="Africa/Tunis")
    person_a = make.participant(facility=a, given_name="Aigerim", family_name="Nurlanova")
    person_b = make.participant(facility=b, given_name="Amira", family_name="Nurlanova")
    return a, b, person_a, person_b, make.user("officer", facility=a)


def test_out_of_scope_looks_missing_and_is_audited_as_denied(two_facilities, api_as):
    _, _, _, person_b, officer_a = two_facilities
    api = api_as(officer_a)
    missing = api.get(f"/participants/{MISSING_ID}")
    assert missing.status_code == 404
    start = _last_event_id()

    read = api.get(f"/participants/{person_b.id}")
    changed = api.patch(f"/participants/{person_b.id}", json={"other_names": "Changed"})
    history = api.get(f"/participants/{person_b.id}/release-date-history")
    for response in (read, changed, history):
        assert response.status_code == 404
        assert response.get_json() == missing.get_json()

    denied = [e for e in _events_since(start) if e.outcome == "denied"]
    assert [(e.action, e.entity_ids, e.actor_id) for e in denied[:2]] == [
        ("participant.read", [person_b.id], officer_a.id),
        ("participant.update", [person_b.id], officer_a.id),
    ]
    assert len(denied) == 3 and denied[2].entity_ids == [person_b.id]
    assert not [e for e in _events_since(start) if e.outcome == "allowed"]
    db.session.expire_all()
    assert db.session.get(type(person_b), person_b.id).other_names is None


def test_malformed_id_denial_does_not_echo_the_input(two_facilities, api_as):
    *_, officer_a = two_facilities
    api = api_as(officer_a)
    start = _last_event_id()
    assert api.get("/participants/<script>alert(1)").status_code == 404
    (event,) = _events_since(start)
    assert event.outcome == "denied"
    assert "script" not in json.dumps(event.entity_ids)


def test_officer_list_never_includes_another_facility(two_facilities, api_as):
    _, b, person_a, person_b, officer_a = two_facilities
    api = api_as(officer_a)
    assert _ids(api.get("/participants")) == [person_a.id]
    assert _ids(api.get("/participants?q=nurlanova")) == [person_a.id]
    assert _ids(api.get(f"/participants?facility_id={b.id}")) == []
    assert person_b.id not in _ids(api.get("/participants?limit=500"))


def test_supervisor_sees_their_country_only(two_facilities, make, api_as):
    _, _, person_a, person_b, _ = two_facilities
    api = api_as(make.user("supervisor", country="KZ"))
    listed = _ids(api.get("/participants?limit=500"))
    assert person_a.id in listed and person_b.id not in listed
    assert api.get(f"/participants/{person_a.id}", headers=_reason()).status_code == 200
    response = api.get(f"/participants/{person_b.id}", headers=_reason())
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_supervisor_without_country_sees_everyone(two_facilities, api_as):
    _, _, person_a, person_b, _ = two_facilities
    api = api_as("supervisor")
    listed = _ids(api.get("/participants?limit=500"))
    assert {person_a.id, person_b.id} <= set(listed)
    for person in (person_a, person_b):
        assert api.get(f"/participants/{person.id}", headers=_reason()).status_code == 200


@pytest.mark.parametrize("role", ["instructor", "caseworker"])
def test_instructor_and_caseworker_without_cohorts_or_referrals_see_nobody(
    two_facilities, api_as, role
):
    a, _, person_a, _, _ = two_facilities
    kwargs = {"facility": a} if role == "instructor" else {}
    api = api_as(role, **kwargs)
    assert _ids(api.get("/participants")) == []
    assert _ids(api.get("/participants?q=aigerim")) == []
    response = api.get(f"/participants/{person_a.id}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert api.get(f"/participants/{person_a.id}/release-date-history").status_code == 404


def test_supervisor_may_not_change_a_participant_in_scope(two_facilities, make, api_as):
    _, _, person_a, _, _ = two_facilities
    api = api_as(make.user("supervisor", country="KZ"))
    response = api.patch(
        f"/participants/{person_a.id}", json={"other_names": "Changed"}, headers=_reason()
    )
    assert response.status_code == 403, response.get_json()
    assert response.get_json()["error"]["code"] == "forbidden"
    db.session.expire_all()
    assert db.session.get(type(person_a), person_a.id).other_names is None


def test_admin_changes_participants_anywhere(two_facilities, api_as):
    _, _, _, person_b, _ = two_facilities
    api = api_as("admin")
    response = api.patch(
        f"/participants/{person_b.id}", json={"other_names": "Amouna"}, headers=_reason()
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["other_names"] == "Amouna"


# --- audit ----------------------------------------------------------------------------


def test_detail_read_writes_one_event(two_facilities, api_as):
    _, _, person_a, _, officer_a = two_facilities
    api = api_as(officer_a)
    start = _last_event_id()
    assert api.get(f"/participants/{person_a.id}").status_code == 200
    (event,) = _events_since(start)
    assert (event.action, event.entity, event.entity_ids, event.outcome, event.actor_id) == (
        "participant.read",
        "participant",
        [person_a.id],
        "allowed",
        officer_a.id,
    )


def test_supervisor_read_carries_the_access_reason(two_facilities, make, api_as):
    _, _, person_a, _, _ = two_facilities
    api = api_as(make.user("supervisor", country="KZ"))
    start = _last_event_id()
    assert api.get(f"/participants/{person_a.id}", headers=_reason()).status_code == 200
    (event,) = _events_since(start, "participant.read")
    assert event.reason_code == "case_review"


def test_list_read_writes_one_event_with_the_ids_listed(make, api_as):
    facility = make.facility()
    officer = make.user("officer", facility=facility)
    for _ in range(3):
        make.participant(facility=facility)
    api = api_as(officer)
    start = _last_event_id()
    listed = _ids(api.get("/participants?limit=2"))
    (event,) = _events_since(start)
    assert event.action == "participant.list" and event.outcome == "allowed"
    assert event.actor_id == officer.id
    assert event.entity_ids == listed and len(listed) == 2


def test_empty_search_still_writes_one_event(make, api_as):
    api = api_as("officer", facility=make.facility())
    start = _last_event_id()
    assert _ids(api.get("/participants?q=nobody")) == []
    (event,) = _events_since(start)
    assert event.action == "participant.list" and event.entity_ids == []


def test_create_and_update_are_audited(make, api_as):
    facility = make.facility()
    officer = make.user("officer", facility=facility)
    api = api_as(officer)
    start = _last_event_id()
    pid = api.post("/participants", json=_body()).get_json()["id"]
    (created,) = _events_since(start)
    assert (created.action, created.entity_ids, created.actor_id) == (
        "participant.create",
        [pid],
        officer.id,
    )
    start = _last_event_id()
    api.patch(f"/participants/{pid}", json={"other_names": "Aru"})
    (updated,) = _events_since(start)
    assert (updated.action, updated.entity_ids) == ("participant.update", [pid])


def test_refused_create_writes_no_create_event(make, api_as):
    api = api_as("officer", facility=make.facility())
    start = _last_event_id()
    api.post("/participants", json=_body(given_name="a" * 201))
    assert _events_since(start, "participant.create") == []


def test_audit_rows_hold_no_names_or_free_text(make, api_as):
    facility = make.facility()
    api = api_as("officer", facility=facility)
    secret = {
        "given_name": "Quillonzar",
        "family_name": "Vexmorrandi",
        "other_names": "Zephyrquist",
    }
    reason = "Ombudsman letter about Vexmorrandi"
    start = _last_event_id()
    pid = api.post(
        "/participants", json=_body(expected_release_date="2027-01-01", **secret)
    ).get_json()["id"]
    api.get(f"/participants/{pid}")
    api.get("/participants?q=Quillonzar")
    api.get("/participants?q=vexmorrandi")
    api.patch(
        f"/participants/{pid}", json={"expected_release_date": "2027-02-01", "reason": reason}
    )
    api.get(f"/participants/{pid}/release-date-history")
    events = _events_since(start)
    assert len(events) >= 6
    columns = [c.key for c in inspect(AuditEvent).mapper.column_attrs]
    dumped = json.dumps(
        [{c: str(getattr(e, c)) for c in columns} for e in events] + [e.entity_ids for e in events],
        ensure_ascii=False,
    ).casefold()
    for word in [*secret.values(), reason, "ombudsman"]:
        assert word.casefold() not in dumped, word
