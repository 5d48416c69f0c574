"""Referrals (SPEC §2-§4): refer, accept (assigns), decline, close, hand over, list."""

import pytest

from prog_tracker.extensions import db
from prog_tracker.partners import referrals as referral_services
from prog_tracker.partners.models import Referral
from tests.partners.conftest import events_since, last_event_id

MISSING_ID = "00000000-0000-4000-8000-000000000000"


def _refer(api, person, organisation, **extra):
    return api.post(
        "/referrals",
        json={"participant_id": person.id, "organisation_id": organisation.id, **extra},
    )


@pytest.fixture
def person(make, partners):
    """A person in custody at the partners' facility."""
    return make.participant(facility=partners.facility, given_name="Dana", family_name="Ermek")


def test_officer_refers_a_person(api_as, partners, person):
    start = last_event_id()
    response = _refer(api_as(partners.officer), person, partners.ngo_a, reason="Housing")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "pending"
    assert body["participant_name"] == "Dana Ermek"
    assert body["organisation_name"] == "Jol NGO"
    assert (body["reason"], body["referred_by_id"]) == ("Housing", partners.officer.id)
    assert body["assigned_caseworker_id"] is None
    assert "prison_number" not in body
    (event,) = events_since(start, "referral.create")
    assert event.entity_ids == [body["id"]]


def test_one_open_referral_per_person_and_organisation(api_as, partners, person):
    api = api_as(partners.officer)
    first = _refer(api, person, partners.ngo_a).get_json()
    again = _refer(api, person, partners.ngo_a)
    assert again.status_code == 422
    assert again.get_json()["error"]["code"] == "referral_open"
    # Another organisation is fine; once closed, the person may be referred again.
    assert _refer(api, person, partners.ngo_b).status_code == 201
    assert api.post(f"/referrals/{first['id']}/close").status_code == 200
    assert _refer(api, person, partners.ngo_a).status_code == 201


def test_a_race_past_the_check_meets_the_unique_index(api_as, partners, person, monkeypatch):
    api = api_as(partners.officer)
    assert _refer(api, person, partners.ngo_a).status_code == 201
    monkeypatch.setattr(referral_services, "_open_referral", lambda *_args: None)
    response = _refer(api, person, partners.ngo_a)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "referral_open"


def test_referral_needs_an_existing_organisation_and_a_person_in_scope(
    make, api_as, partners, person
):
    api = api_as(partners.officer)
    response = api.post(
        "/referrals", json={"participant_id": person.id, "organisation_id": MISSING_ID}
    )
    assert response.status_code == 422
    assert "organisation_id" in response.get_json()["error"]["fields"]
    elsewhere = make.participant()
    start = last_event_id()
    assert _refer(api, elsewhere, partners.ngo_a).status_code == 404
    (event,) = events_since(start)
    assert (event.outcome, event.entity_ids) == ("denied", [elsewhere.id])
    supervisor = make.user("supervisor", country="KZ")
    assert _refer(api_as(supervisor), person, partners.ngo_a).status_code == 403
    assert _refer(api_as(partners.caseworker_a), person, partners.ngo_a).status_code == 404


def test_accepting_assigns_the_case_to_the_accepting_caseworker(api_as, partners, person):
    referral = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    api = api_as(partners.caseworker_a)
    response = api.post(f"/referrals/{referral['id']}/accept")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "accepted"
    assert body["assigned_caseworker_id"] == partners.caseworker_a.id
    assert body["responded_by_id"] == partners.caseworker_a.id and body["responded_at"]
    again = api.post(f"/referrals/{referral['id']}/decline")
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "not_pending"


def test_another_organisations_caseworker_cannot_answer(api_as, partners, person):
    referral = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    api = api_as(partners.caseworker_b)
    start = last_event_id()
    for action in ("accept", "decline", "close"):
        assert api.post(f"/referrals/{referral['id']}/{action}").status_code == 404
    assert api.get(f"/referrals/{referral['id']}").status_code == 404
    denied = [e for e in events_since(start) if e.outcome == "denied"]
    assert len(denied) == 4 and all(e.entity_ids == [referral["id"]] for e in denied)
    db.session.expire_all()
    assert db.session.get(Referral, referral["id"]).status == "pending"


def test_officer_cannot_answer_for_the_organisation(api_as, partners, person):
    referral = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    response = api_as(partners.officer).post(f"/referrals/{referral['id']}/accept")
    assert response.status_code == 403


def test_decline_then_close(api_as, partners, person):
    referral = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    declined = api_as(partners.caseworker_a).post(f"/referrals/{referral['id']}/decline")
    assert declined.get_json()["status"] == "declined"
    assert declined.get_json()["assigned_caseworker_id"] is None
    closed = api_as(partners.officer).post(f"/referrals/{referral['id']}/close")
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed"
    assert closed.get_json()["closed_by_id"] == partners.officer.id
    again = api_as(partners.officer).post(f"/referrals/{referral['id']}/close")
    assert again.status_code == 422 and again.get_json()["error"]["code"] == "already_closed"


def test_a_caseworker_closes_accepted_referrals_only(api_as, partners, person):
    referral = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    api = api_as(partners.caseworker_a)
    pending = api.post(f"/referrals/{referral['id']}/close")
    assert pending.status_code == 422 and pending.get_json()["error"]["code"] == "not_accepted"
    api.post(f"/referrals/{referral['id']}/accept")
    assert api.post(f"/referrals/{referral['id']}/close").get_json()["status"] == "closed"


def test_reassign_within_the_organisation_only(make, api_as, partners, person):
    referral = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    path = f"/referrals/{referral['id']}"
    api = api_as(partners.caseworker_a)
    early = api.patch(path, json={"assigned_caseworker_id": partners.colleague_a.id})
    assert early.status_code == 422 and early.get_json()["error"]["code"] == "not_accepted"
    accepted = api.post(f"{path}/accept").get_json()

    handed = api.patch(
        path,
        json={"assigned_caseworker_id": partners.colleague_a.id, "version": accepted["version"]},
    )
    assert handed.status_code == 200, handed.get_json()
    assert handed.get_json()["assigned_caseworker_id"] == partners.colleague_a.id

    retired = make.user("caseworker", organisation=partners.ngo_a, active=False)
    for wrong in (partners.caseworker_b, retired, partners.officer):
        refused = api.patch(path, json={"assigned_caseworker_id": wrong.id})
        assert refused.status_code == 422, wrong.role
        assert refused.get_json()["error"]["code"] == "not_a_colleague"
        assert "assigned_caseworker_id" in refused.get_json()["error"]["fields"]
    stale = api.patch(
        path,
        json={"assigned_caseworker_id": partners.caseworker_a.id, "version": accepted["version"]},
    )
    assert stale.status_code == 409
    assert stale.get_json()["current"]["assigned_caseworker_id"] == partners.colleague_a.id
    # The other organisation's caseworker does not even see the referral.
    other = api_as(partners.caseworker_b).patch(
        path, json={"assigned_caseworker_id": partners.caseworker_b.id}
    )
    assert other.status_code == 404


def test_caseworker_sees_the_name_only_with_active_consent(make, api_as, partners, person):
    unnamed = make.participant(facility=partners.facility, family_name="Hidden")
    api = api_as(partners.officer)
    named_referral = _refer(api, person, partners.ngo_a).get_json()
    unnamed_referral = _refer(api, unnamed, partners.ngo_a).get_json()
    _refer(api, make.participant(facility=partners.facility), partners.ngo_b)
    make.consent(person, partners.ngo_a)
    make.consent(unnamed, partners.ngo_b)  # consent to another organisation does not count

    caseworker = api_as(partners.caseworker_a)
    start = last_event_id()
    response = caseworker.get("/referrals")
    assert response.status_code == 200
    items = {item["id"]: item for item in response.get_json()["items"]}
    assert set(items) == {named_referral["id"], unnamed_referral["id"]}
    assert items[named_referral["id"]]["participant_name"] == "Dana Ermek"
    assert items[unnamed_referral["id"]]["participant_name"] is None
    assert all("prison_number" not in item for item in items.values())
    (event,) = events_since(start)
    assert (event.action, sorted(event.entity_ids)) == ("referral.list", sorted(items))

    detail = caseworker.get(f"/referrals/{unnamed_referral['id']}")
    assert detail.status_code == 200 and detail.get_json()["participant_name"] is None


def test_a_withdrawn_consent_hides_the_name_again(make, api_as, partners, person):
    referral = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    consent = make.consent(person, partners.ngo_a)
    api = api_as(partners.caseworker_a)
    assert api.get(f"/referrals/{referral['id']}").get_json()["participant_name"] == "Dana Ermek"
    consent.withdrawn_on = partners.today
    db.session.commit()
    assert api.get(f"/referrals/{referral['id']}").get_json()["participant_name"] is None


def test_list_filters_and_scope(make, api_as, partners, person):
    api = api_as(partners.officer)
    first = _refer(api, person, partners.ngo_a).get_json()
    other = make.participant(facility=partners.facility)
    second = _refer(api, other, partners.ngo_b).get_json()
    api_as(partners.caseworker_b).post(f"/referrals/{second['id']}/accept")

    def ids(path):
        response = api.get(path)
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["items"]]

    assert ids("/referrals") == [second["id"], first["id"]]
    assert ids("/referrals?status=accepted") == [second["id"]]
    assert ids(f"/referrals?participant_id={person.id}") == [first["id"]]
    assert ids("/referrals?limit=1") == [second["id"]]
    assert api.get("/referrals?status=lost").status_code == 422
    # Another facility's officer and an instructor see none of them.
    assert ids_of(api_as("officer"), "/referrals") == []
    assert ids_of(api_as(make.user("instructor", facility=partners.facility)), "/referrals") == []


def ids_of(api, path):
    """The ids listed at path."""
    response = api.get(path)
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()["items"]]


def test_an_instructor_never_reaches_a_referral(make, api_as, partners, person):
    instructor = make.user("instructor", facility=partners.facility)
    cohort = make.cohort(partners.facility, instructors=[instructor])
    make.enrolment(cohort, person)
    referral = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    assert api_as(instructor).get(f"/referrals/{referral['id']}").status_code == 404


def test_malformed_and_unknown_referrals_are_404(api_as, partners):
    api = api_as(partners.officer)
    assert api.get("/referrals/not-a-uuid").status_code == 404
    assert api.post(f"/referrals/{MISSING_ID}/close").status_code == 404
    assert api.post("/referrals", json={"participant_id": "x"}).status_code == 422


def test_a_closed_referral_shows_the_caseworker_no_name(make, api_as, partners, person):
    referral = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    make.consent(person, partners.ngo_a)
    api = api_as(partners.caseworker_a)
    api.post(f"/referrals/{referral['id']}/accept")
    closed = api.post(f"/referrals/{referral['id']}/close").get_json()
    assert closed["status"] == "closed" and closed["participant_name"] is None
    # A new open referral of the same person shows the name; the closed one still does not.
    reopened = _refer(api_as(partners.officer), person, partners.ngo_a).get_json()
    names = {r["id"]: r["participant_name"] for r in api.get("/referrals").get_json()["items"]}
    assert names == {referral["id"]: None, reopened["id"]: "Dana Ermek"}
