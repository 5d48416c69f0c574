"""The caseworker rule (SPEC §3): an accepted referral to their organisation AND an active
consent for it. Anyone else is a 404 with a `denied` audit event on every detail route,
and absent from the list, the search and the caseload."""

import datetime as dt

import pytest

from prog_tracker.extensions import db
from prog_tracker.partners.models import Consent, Referral
from tests.partners.conftest import events_since, last_event_id

MISSING_ID = "00000000-0000-4000-8000-000000000000"
READ_ROUTES = (
    "/participants/{p}",
    "/participants/{p}/release-date-history",
    "/participants/{p}/contacts",
    "/participants/{p}/outcomes",
    "/participants/{p}/consents",
    "/participants/{p}/follow-ups",
    "/participants/{p}/release-plan",
    "/participants/{p}/release-episodes",
    "/participants/{p}/status-history",
    "/contacts/{c}",
    "/outcomes/{o}",
    "/release-plan-items/{i}",
)


def _records(make, partners, person) -> dict:
    """A contact, an outcome and a plan item of NGO A about person, for the route paths."""
    contact = make.contact(person, partners.caseworker_a)
    outcome = make.outcome(person, partners.caseworker_a)
    item = make.plan_item(person, owner_organisation_id=partners.ngo_a.id)
    return {"p": person.id, "c": contact.id, "o": outcome.id, "i": item.id}


def _released(make, partners, family_name):
    """A person of the partners' facility, released a month ago."""
    person = make.participant(facility=partners.facility, family_name=family_name)
    make.release(person, released_on=partners.today - dt.timedelta(days=30))
    return person


def _referred_to_b(make, partners, person):
    make.referral(person, partners.ngo_b, status="accepted")
    make.consent(person, partners.ngo_b)


def _pending_to_a(make, partners, person):
    make.referral(person, partners.ngo_a)
    make.consent(person, partners.ngo_a)


def _expired_for_a(make, partners, person):
    make.referral(person, partners.ngo_a, status="accepted")
    yesterday = partners.today - dt.timedelta(days=1)
    make.consent(
        person,
        partners.ngo_a,
        given_on=partners.today - dt.timedelta(days=60),
        expires_on=yesterday,
    )


def _withdrawn_for_a(make, partners, person):
    make.referral(person, partners.ngo_a, status="accepted")
    make.consent(person, partners.ngo_a, withdrawn_on=partners.today)


def _closed_for_a(make, partners, person):
    make.referral(person, partners.ngo_a, status="closed")
    make.consent(person, partners.ngo_a)


def _declined_by_a(make, partners, person):
    make.referral(person, partners.ngo_a, status="declined")
    make.consent(person, partners.ngo_a)


def _no_consent_for_a(make, partners, person):
    make.referral(person, partners.ngo_a, status="accepted")
    make.consent(person, partners.ngo_b)


SCENARIOS = {
    "referred to NGO B": _referred_to_b,
    "pending referral to A": _pending_to_a,
    "consent to A expired yesterday": _expired_for_a,
    "consent to A withdrawn": _withdrawn_for_a,
    "referral to A closed": _closed_for_a,
    "referral declined by A": _declined_by_a,
    "consent only to B": _no_consent_for_a,
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_out_of_scope_people_are_404_and_denied_everywhere(make, api_as, partners, scenario):
    person = _released(make, partners, "Outofscope")
    SCENARIOS[scenario](make, partners, person)
    ids = _records(make, partners, person)
    api = api_as(partners.caseworker_a)
    missing = api.get(f"/participants/{MISSING_ID}").get_json()
    for route in READ_ROUTES:
        path = route.format(**ids)
        start = last_event_id()
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.get_json() == missing, path
        events = events_since(start)
        assert [e.outcome for e in events] == ["denied"], path
        assert events[0].entity_ids[0] in ids.values(), path
    _refused_writes(api, person, ids)
    _absent_from_lists(api, person)


def _refused_writes(api, person, ids) -> None:
    """Writing about the person is as impossible as reading them."""
    now = dt.datetime.now(dt.UTC).isoformat()
    writes = [
        api.post(
            "/contacts", json={"participant_id": person.id, "occurred_at": now, "mode": "visit"}
        ),
        api.patch(f"/contacts/{ids['c']}", json={"summary": "Changed"}),
        api.post(
            "/outcomes",
            json={
                "participant_id": person.id,
                "observed_on": dt.date.today().isoformat(),
                "employment": "unknown",
                "housing": "unknown",
                "returned_to_custody": False,
            },
        ),
        api.patch(f"/outcomes/{ids['o']}", json={"housing": "stable"}),
    ]
    assert [w.status_code for w in writes] == [404, 404, 404, 404]


def _absent_from_lists(api, person) -> None:
    """Not in the participant list, a search for their name, or the caseload."""
    listed = api.get("/participants?limit=500").get_json()["items"]
    found = api.get("/participants?q=outofscope").get_json()["items"]
    caseload = api.get("/caseload").get_json()["items"]
    assert person.id not in {p["id"] for p in listed + found}
    assert person.id not in {row["participant"]["id"] for row in caseload}


def test_the_same_routes_answer_for_a_person_in_scope(make, api_as, partners):
    person = make.client_of(
        partners.caseworker_a,
        facility=partners.facility,
        family_name="Inscope",
        released_on=partners.today - dt.timedelta(days=30),
    )
    ids = _records(make, partners, person)
    api = api_as(partners.caseworker_a)
    for route in READ_ROUTES:
        assert api.get(route.format(**ids)).status_code == 200, route
    assert [p["id"] for p in api.get("/participants?q=inscope").get_json()["items"]] == [person.id]
    assert [r["participant"]["id"] for r in api.get("/caseload").get_json()["items"]] == [person.id]


def test_consent_expiring_today_still_counts(make, api_as, partners):
    person = _released(make, partners, "Lastday")
    make.referral(person, partners.ngo_a, status="accepted")
    make.consent(person, partners.ngo_a, expires_on=partners.today)
    assert api_as(partners.caseworker_a).get(f"/participants/{person.id}").status_code == 200


@pytest.mark.parametrize("how", ["withdraw consent", "close referral"])
def test_access_ends_on_the_very_next_request(make, api_as, partners, how):
    person = make.client_of(partners.caseworker_a, facility=partners.facility)
    contact = make.contact(person, partners.caseworker_a)
    api = api_as(partners.caseworker_a)
    assert api.get(f"/contacts/{contact.id}").status_code == 200
    officer = api_as(partners.officer)
    if how == "withdraw consent":
        consent = db.session.scalar(db.select(Consent).where(Consent.participant_id == person.id))
        assert officer.post(f"/consents/{consent.id}/withdraw", json={}).status_code == 200
    else:
        referral = db.session.scalar(
            db.select(Referral).where(Referral.participant_id == person.id)
        )
        assert officer.post(f"/referrals/{referral.id}/close").status_code == 200
    assert api.get(f"/contacts/{contact.id}").status_code == 404
    assert api.get(f"/participants/{person.id}").status_code == 404
    assert api.get("/caseload").get_json()["items"] == []


def test_a_caseworker_never_receives_prison_numbers_or_facilities(make, api_as, partners):
    person = make.client_of(partners.caseworker_a, facility=partners.facility, family_name="Nur")
    api = api_as(partners.caseworker_a)
    representations = [
        api.get(f"/participants/{person.id}").get_json(),
        *api.get("/participants").get_json()["items"],
        *api.get("/participants?q=nur").get_json()["items"],
        *(row["participant"] for row in api.get("/caseload").get_json()["items"]),
    ]
    assert len(representations) == 4
    for shown in representations:
        assert shown["id"] == person.id and shown["family_name"] == "Nur"
        assert "prison_number" not in shown and "facility_id" not in shown
    # Everyone else still gets them.
    officer_view = api_as(partners.officer).get(f"/participants/{person.id}").get_json()
    assert officer_view["prison_number"] == person.prison_number
    assert officer_view["facility_id"] == partners.facility.id


def test_an_instructor_never_receives_contacts_or_outcomes(make, api_as, partners):
    instructor = make.user("instructor", facility=partners.facility)
    person = make.participant(facility=partners.facility)
    # A completed enrolment outlives the release: the instructor still sees the person.
    cohort = make.cohort(partners.facility, instructors=[instructor])
    make.enrolment(cohort, person, status="completed")
    make.client_of(partners.caseworker_a, participant=person)
    contact = make.contact(person, partners.caseworker_a)
    outcome = make.outcome(person, partners.caseworker_a)
    api = api_as(instructor)
    assert api.get(f"/participants/{person.id}").status_code == 200
    for path in (
        f"/participants/{person.id}/contacts",
        f"/participants/{person.id}/outcomes",
        f"/contacts/{contact.id}",
        f"/outcomes/{outcome.id}",
    ):
        assert api.get(path).status_code == 404, path
    assert api.get("/caseload").status_code == 403
