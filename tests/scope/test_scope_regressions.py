"""Issue 18's scope findings, each pinned by a test that failed before its fix.

1. form error pages named people outside the caseworker's scope (a refused form about
   someone out of scope now gets the plain error page);
3. caseworkers received prison numbers on the participants page, and `?q=` matched them;
4. instructors read the release-date history and the officers' reasons;
8. a client-chosen id taken out of scope was an unaudited existence oracle;
and a caseworker read a pending referral's reason before holding the person.
"""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.participants.models import ReleaseDateChange
from prog_tracker.partners.models import Consent

CANARY_GIVEN, CANARY_FAMILY = "Zhanarkanary", "Oskenbayeva"
NUMBER = "KZ-CNY-7731"


@pytest.fixture
def world(make):
    """A facility, its officer, one NGO and its caseworker."""
    facility = make.facility(country="KZ", timezone="Asia/Almaty")
    ngo = make.organisation(name="Jol NGO")
    return {
        "facility": facility,
        "officer": make.user("officer", facility=facility),
        "ngo": ngo,
        "caseworker": make.user("caseworker", organisation=ngo),
    }


def _canary(make, world, **kwargs):
    """A released person with the canary's names and number."""
    person = make.participant(
        facility=world["facility"],
        given_name=CANARY_GIVEN,
        family_name=CANARY_FAMILY,
        prison_number=NUMBER,
        **kwargs,
    )
    make.release(person)
    return person


def _denied_since(start: int, action: str) -> list:
    """Denied audit events with this action written after event id start."""
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.id > start,
                AuditEvent.action == action,
                AuditEvent.outcome == "denied",
            )
        )
    )


def _last_event() -> int:
    """The newest audit event's id."""
    return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def _page_client(app, signin, user):
    """A browser-like client signed in as user, and its CSRF token for forms."""
    client = app.test_client()
    return client, signin(client, user)


# 1. Form error pages


def test_a_withdrawn_consents_error_page_names_nobody(app, make, signin, world):
    person = _canary(make, world)
    make.referral(person, world["ngo"], status="declined")
    consent = make.consent(person, world["ngo"], withdrawn_on=today_at(world["facility"]))
    client, csrf = _page_client(app, signin, world["caseworker"])
    start = _last_event()
    response = client.post(
        f"/consents/{consent.id}/withdraw",
        data={"csrf_token": csrf, "withdrawn_on": "not-a-date"},
    )
    body = response.get_data(as_text=True)
    # Refused as any bad date is, on the plain error page: nobody named, nobody read.
    assert response.status_code == 422
    assert CANARY_GIVEN not in body and CANARY_FAMILY not in body
    allowed_reads = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.id > start,
            AuditEvent.action == "participant.read",
            AuditEvent.outcome == "allowed",
        )
    )
    assert list(allowed_reads) == []


def test_a_declined_referrals_close_page_names_nobody(app, make, signin, world):
    person = _canary(make, world)
    referral = make.referral(person, world["ngo"], status="declined")
    client, csrf = _page_client(app, signin, world["caseworker"])
    start = _last_event()
    response = client.post(f"/referrals/{referral.id}/close", data={"csrf_token": csrf})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert CANARY_GIVEN not in body and CANARY_FAMILY not in body
    reads = select(AuditEvent).where(AuditEvent.id > start, AuditEvent.action == "participant.read")
    assert list(db.session.scalars(reads)) == []


def test_an_error_page_still_shows_a_person_in_scope(app, make, signin, world):
    person = make.client_of(world["caseworker"], facility=world["facility"])
    consent = db.session.scalar(
        select(Consent).where(
            Consent.participant_id == person.id, Consent.organisation_id == world["ngo"].id
        )
    )
    client, csrf = _page_client(app, signin, world["caseworker"])
    response = client.post(
        f"/consents/{consent.id}/withdraw",
        data={"csrf_token": csrf, "withdrawn_on": "not-a-date"},
    )
    assert response.status_code == 422
    assert person.family_name in response.get_data(as_text=True)


# 3. Prison numbers never reach caseworkers


def test_the_participants_page_shows_a_caseworker_no_prison_number(app, make, signin, world):
    person = make.client_of(
        world["caseworker"],
        facility=world["facility"],
        family_name=CANARY_FAMILY,
        prison_number=NUMBER,
    )
    client, _csrf = _page_client(app, signin, world["caseworker"])
    page = client.get("/participants").get_data(as_text=True)
    assert CANARY_FAMILY in page and NUMBER not in page
    found = client.get(f"/participants?q={NUMBER}").get_data(as_text=True)
    assert CANARY_FAMILY not in found
    assert person.id not in found


def test_a_caseworkers_search_never_matches_a_prison_number(api_as, make, world):
    make.client_of(
        world["caseworker"],
        facility=world["facility"],
        family_name=CANARY_FAMILY,
        prison_number=NUMBER,
    )
    api = api_as(world["caseworker"])
    assert api.get(f"/participants?q={NUMBER}").get_json()["items"] == []
    assert api.get("/participants?q=cny-7731").get_json()["items"] == []
    (by_name,) = api.get(f"/participants?q={CANARY_FAMILY.lower()}").get_json()["items"]
    assert "prison_number" not in by_name


def test_an_officer_still_finds_people_by_prison_number(api_as, make, world):
    person = _canary(make, world)
    api = api_as(world["officer"])
    assert [p["id"] for p in api.get("/participants?q=cny-7731").get_json()["items"]] == [person.id]


# 4. Instructors and the release-date history


def test_instructors_never_read_the_release_date_history(app, api_as, make, signin, world):
    instructor = make.user("instructor", facility=world["facility"])
    cohort = make.cohort(world["facility"], instructors=[instructor])
    person = make.participant(facility=world["facility"])
    make.enrolment(cohort, person)
    reason = "Parole board hearing moved — canary reason 5512"
    make._save(
        ReleaseDateChange(
            participant_id=person.id,
            previous_date=dt.date(2027, 1, 1),
            new_date=dt.date(2027, 3, 1),
            reason=reason,
            changed_by_id=world["officer"].id,
        )
    )
    start = _last_event()
    response = api_as(instructor).get(f"/participants/{person.id}/release-date-history")
    assert response.status_code == 404
    assert _denied_since(start, "release_date_history.read")
    client, _csrf = _page_client(app, signin, instructor)
    page = client.get(f"/participants/{person.id}")
    assert page.status_code == 200
    assert reason not in page.get_data(as_text=True)
    officer_page = _page_client(app, signin, world["officer"])[0].get(f"/participants/{person.id}")
    assert reason in officer_page.get_data(as_text=True)


# 8. Ids taken out of scope


def test_a_contact_id_taken_out_of_scope_is_a_conflict_and_audited(api_as, make, world):
    other_ngo = make.organisation(name="Other NGO")
    other = make.user("caseworker", organisation=other_ngo)
    theirs = make.contact(make.client_of(other, facility=world["facility"]), other)
    mine = make.client_of(world["caseworker"], facility=world["facility"])
    start = _last_event()
    body = {
        "id": theirs.id,
        "participant_id": mine.id,
        "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat(),
        "mode": "phone",
    }
    response = api_as(world["caseworker"]).post("/contacts", json=body)
    assert response.status_code == 409
    assert "current" not in response.get_json()
    (event,) = _denied_since(start, "contact.create")
    assert event.entity_ids == [theirs.id]


def test_a_participant_id_taken_at_another_facility_is_audited(api_as, make, world):
    elsewhere = make.participant(facility=make.facility(country="KZ"))
    start = _last_event()
    response = api_as(world["officer"]).post(
        "/participants",
        json={
            "id": elsewhere.id,
            "prison_number": "KZ-NEW-1",
            "given_name": "Aidos",
            "family_name": "Bek",
        },
    )
    assert response.status_code == 409 and "current" not in response.get_json()
    (event,) = _denied_since(start, "participant.create")
    assert event.entity_ids == [elsewhere.id]
    unused = api_as(world["officer"]).post(
        "/participants",
        json={
            "id": str(uuid.uuid4()),
            "prison_number": "KZ-NEW-2",
            "given_name": "Aidos",
            "family_name": "Bek",
        },
    )
    assert unused.status_code == 201


def test_a_sync_create_with_an_id_taken_out_of_scope_is_audited(api_as, make, world):
    other_ngo = make.organisation(name="Other NGO")
    other = make.user("caseworker", organisation=other_ngo)
    theirs = make.contact(make.client_of(other, facility=world["facility"]), other)
    mine = make.client_of(world["caseworker"], facility=world["facility"])
    start = _last_event()
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "contact",
        "op": "create",
        "id": theirs.id,
        "data": {
            "participant_id": mine.id,
            "occurred_at": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat(),
            "mode": "phone",
        },
    }
    response = api_as(world["caseworker"]).post(
        "/sync/push",
        json={"device_id": "device-1", "mutations": [mutation]},
        headers={"X-Device-Id": "device-1"},
    )
    (result,) = response.get_json()["results"]
    assert result["status"] == "rejected" and "current" not in result
    (event,) = _denied_since(start, "contact.create")
    assert event.entity_ids == [theirs.id]


# A pending referral's reason


def test_a_caseworker_reads_a_referrals_reason_only_once_the_person_is_theirs(
    app, api_as, make, signin, world
):
    person = _canary(make, world)
    reason = "Officer note: canary reason 9931"
    referral = make.referral(person, world["ngo"], reason=reason)
    api = api_as(world["caseworker"])
    listed = {r["id"]: r for r in api.get("/referrals").get_json()["items"]}
    assert listed[referral.id]["reason"] is None
    client, _csrf = _page_client(app, signin, world["caseworker"])
    assert reason not in client.get("/referrals/inbox").get_data(as_text=True)
    # Accepted and consented: the person is theirs, and so is the reason.
    assert api.post(f"/referrals/{referral.id}/accept").status_code == 200
    make.consent(person, world["ngo"])
    assert api.get(f"/referrals/{referral.id}").get_json()["reason"] == reason
    assert api.get("/referrals").get_json()["items"][0]["reason"] == reason


def test_an_enrolment_id_taken_at_another_facility_is_audited(api_as, make, world):
    elsewhere = make.facility(country="KZ")
    theirs = make.enrolment(make.cohort(elsewhere), make.participant(facility=elsewhere))
    cohort = make.cohort(world["facility"])
    person = make.participant(facility=world["facility"])
    start = _last_event()
    api = api_as(world["officer"])
    taken = api.post(
        f"/cohorts/{cohort.id}/enrolments", json={"id": theirs.id, "participant_id": person.id}
    )
    assert taken.status_code == 409 and "current" not in taken.get_json()
    (event,) = _denied_since(start, "enrolment.create")
    assert event.entity_ids == [theirs.id]


def test_the_pages_act_as_the_api_does_on_records_the_caseworker_may_change(
    app, make, signin, world
):
    # A consent to the caseworker's organisation whose referral still waits: the person
    # is not theirs yet, but withdrawing the consent is, on the page as on the API.
    person = _canary(make, world)
    make.referral(person, world["ngo"])
    consent = make.consent(person, world["ngo"])
    client, csrf = _page_client(app, signin, world["caseworker"])
    response = client.post(f"/consents/{consent.id}/withdraw", data={"csrf_token": csrf})
    assert response.status_code == 302
    assert CANARY_FAMILY not in response.get_data(as_text=True)
    db.session.refresh(consent)
    assert consent.withdrawn_on is not None
