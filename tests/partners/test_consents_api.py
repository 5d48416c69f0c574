"""Consents (SPEC §2-§4): record, withdraw, their state on the facility's day, the wording."""

import datetime as dt

import pytest

from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.partners.consents import consent_state, consent_wording
from tests.partners.conftest import events_since, last_event_id

MISSING_ID = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def person(make, partners):
    """A French-speaking person in custody at the partners' facility."""
    return make.participant(facility=partners.facility, preferred_language="fr")


def _body(person, organisation, **overrides):
    body = {
        "participant_id": person.id,
        "organisation_id": organisation.id,
        "purpose": "post_release_support",
        "given_on": today_at(person.facility).isoformat(),
        "method": "thumbprint",
    }
    return {**body, **overrides}


def test_officer_records_a_consent(api_as, partners, person):
    start = last_event_id()
    expires = (partners.today + dt.timedelta(days=365)).isoformat()
    api = api_as(partners.officer)
    response = api.post("/consents", json=_body(person, partners.ngo_a, expires_on=expires))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["state"] == "active" and body["method"] == "thumbprint"
    assert (body["expires_on"], body["withdrawn_on"]) == (expires, None)
    assert body["recorded_by_id"] == partners.officer.id
    # The person's language, since the app speaks it.
    assert body["wording_locale"] == "fr"
    assert [e.entity_ids for e in events_since(start, "consent.create")] == [[body["id"]]]


def test_wording_locale_falls_back_to_the_request_language(
    app, make, api_as, partners, monkeypatch
):
    # As on an install whose Kazakh catalogue was not compiled.
    monkeypatch.setitem(app.config, "TRANSLATED_LOCALES", ("en", "fr", "ar", "ru", "sw"))
    person = make.participant(facility=partners.facility, preferred_language="kk")
    partners.officer.locale = None  # the browser's language decides
    api = api_as(partners.officer)
    response = api.post(
        "/consents", json=_body(person, partners.ngo_a), headers={"Accept-Language": "fr"}
    )
    assert response.get_json()["wording_locale"] == "fr"
    shown = api.post(
        "/consents", json=_body(person, partners.ngo_b, wording_locale="en")
    ).get_json()
    assert shown["wording_locale"] == "en"


def test_given_on_is_judged_on_the_facilitys_calendar(make, api_as):
    # Kiritimati is 14 hours ahead of UTC: its today is often UTC's tomorrow.
    facility = make.facility(timezone="Pacific/Kiritimati")
    person = make.participant(facility=facility)
    api = api_as(make.user("officer", facility=facility))
    organisation = make.organisation()
    local_today = today_at(facility)
    tomorrow = (local_today + dt.timedelta(days=1)).isoformat()
    refused = api.post("/consents", json=_body(person, organisation, given_on=tomorrow))
    assert refused.status_code == 422
    assert "given_on" in refused.get_json()["error"]["fields"]
    accepted = api.post("/consents", json=_body(person, organisation))
    assert accepted.status_code == 201
    assert accepted.get_json()["given_on"] == local_today.isoformat()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"expires_on": "GIVEN"}, "expires_on"),
        ({"method": "oral"}, "method"),
        ({"purpose": "marketing"}, "purpose"),
        ({"organisation_id": MISSING_ID}, "organisation_id"),
        ({"given_on": "yesterday"}, "given_on"),
        ({"given_on": "1999-12-31"}, "given_on"),
    ],
)
def test_invalid_consents_are_refused(api_as, partners, person, overrides, field):
    if overrides.get("expires_on") == "GIVEN":
        overrides = {"expires_on": partners.today.isoformat()}
    response = api_as(partners.officer).post(
        "/consents", json=_body(person, partners.ngo_a, **overrides)
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_one_active_consent_per_organisation(api_as, partners, person):
    api = api_as(partners.officer)
    first = api.post("/consents", json=_body(person, partners.ngo_a)).get_json()
    again = api.post("/consents", json=_body(person, partners.ngo_a))
    assert again.status_code == 422
    assert again.get_json()["error"]["code"] == "consent_active"
    assert api.post("/consents", json=_body(person, partners.ngo_b)).status_code == 201
    api.post(f"/consents/{first['id']}/withdraw", json={})
    assert api.post("/consents", json=_body(person, partners.ngo_a)).status_code == 201


def test_who_may_record_a_consent(make, api_as, partners, person):
    body = _body(person, partners.ngo_a)
    supervisor = make.user("supervisor", country="KZ")
    assert api_as(supervisor).post("/consents", json=body).status_code == 403
    assert api_as(partners.caseworker_a).post("/consents", json=body).status_code == 404
    assert api_as("officer").post("/consents", json=body).status_code == 404


def test_withdrawing_defaults_to_today_and_is_refused_twice(make, api_as, partners, person):
    consent = make.consent(person, partners.ngo_a, given_on=partners.today - dt.timedelta(days=9))
    api = api_as(partners.officer)
    path = f"/consents/{consent.id}/withdraw"
    future = (partners.today + dt.timedelta(days=1)).isoformat()
    early = (partners.today - dt.timedelta(days=10)).isoformat()
    for day in (future, early):
        refused = api.post(path, json={"withdrawn_on": day})
        assert refused.status_code == 422
        assert "withdrawn_on" in refused.get_json()["error"]["fields"]
    start = last_event_id()
    response = api.post(path, json={})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["withdrawn_on"] == partners.today.isoformat()
    assert response.get_json()["state"] == "withdrawn"
    assert [e.entity_ids for e in events_since(start, "consent.withdraw")] == [[consent.id]]
    again = api.post(path, json={"withdrawn_on": partners.today.isoformat()})
    assert again.status_code == 422
    assert again.get_json()["error"]["code"] == "already_withdrawn"


def test_a_withdrawal_may_name_an_earlier_day(make, api_as, partners, person):
    consent = make.consent(person, partners.ngo_a, given_on=partners.today - dt.timedelta(days=9))
    day = (partners.today - dt.timedelta(days=2)).isoformat()
    response = api_as(partners.officer).post(
        f"/consents/{consent.id}/withdraw", json={"withdrawn_on": day}
    )
    assert response.get_json()["withdrawn_on"] == day


def test_who_may_withdraw(make, api_as, partners, person):
    make.referral(person, partners.ngo_a)
    consent = make.consent(person, partners.ngo_a)
    path = f"/consents/{consent.id}/withdraw"
    supervisor = make.user("supervisor", country="KZ")
    assert api_as(supervisor).post(path, json={}).status_code == 403
    assert api_as(partners.caseworker_b).post(path, json={}).status_code == 404
    assert api_as(partners.caseworker_a).post(path, json={}).status_code == 200


def test_withdrawal_ends_the_caseworkers_access_on_the_next_request(make, api_as, partners):
    person = make.client_of(partners.caseworker_a, facility=partners.facility)
    api = api_as(partners.caseworker_a)
    assert api.get(f"/participants/{person.id}").status_code == 200
    (consent,) = api.get(f"/participants/{person.id}/consents").get_json()["items"]
    assert api.post(f"/consents/{consent['id']}/withdraw", json={}).status_code == 200
    assert api.get(f"/participants/{person.id}").status_code == 404
    assert person.id not in [p["id"] for p in api.get("/participants").get_json()["items"]]


def test_consent_lists_and_detail(make, api_as, partners, person):
    make.referral(person, partners.ngo_a)
    make.referral(person, partners.ngo_b)
    mine = make.consent(person, partners.ngo_a)
    theirs = make.consent(person, partners.ngo_b)
    officer = api_as(partners.officer)
    listed = officer.get(f"/participants/{person.id}/consents").get_json()["items"]
    assert [c["id"] for c in listed] == [mine.id, theirs.id]
    assert {c["id"] for c in officer.get("/consents").get_json()["items"]} == {mine.id, theirs.id}
    filtered = officer.get(f"/consents?organisation_id={partners.ngo_b.id}").get_json()["items"]
    assert [c["id"] for c in filtered] == [theirs.id]
    caseworker = api_as(partners.caseworker_a)
    start = last_event_id()
    assert [c["id"] for c in caseworker.get("/consents").get_json()["items"]] == [mine.id]
    (event,) = events_since(start)
    assert (event.action, event.entity_ids) == ("consent.list", [mine.id])
    assert caseworker.get(f"/consents/{mine.id}").status_code == 200
    assert caseworker.get(f"/consents/{theirs.id}").status_code == 404


def test_an_instructor_gets_no_consents(make, api_as, partners, person):
    instructor = make.user("instructor", facility=partners.facility)
    make.enrolment(make.cohort(partners.facility, instructors=[instructor]), person)
    consent = make.consent(person, partners.ngo_a)
    api = api_as(instructor)
    assert api.get(f"/participants/{person.id}").status_code == 200
    assert api.get(f"/participants/{person.id}/consents").status_code == 404
    assert api.get(f"/consents/{consent.id}").status_code == 404
    assert api.get("/consents").get_json()["items"] == []


def test_consent_state_on_the_facilitys_day(make, partners, person):
    consent = make.consent(person, partners.ngo_a, expires_on=partners.today)
    assert consent_state(consent, partners.today) == "active"
    assert consent_state(consent, partners.today + dt.timedelta(days=1)) == "expired"
    consent.withdrawn_on = partners.today
    db.session.commit()
    assert consent_state(consent) == "withdrawn"


def test_the_wording_names_the_organisation_and_the_right_to_withdraw(partners):
    text = consent_wording(partners.ngo_a, "en")
    assert text.count("Jol NGO") >= 2
    assert "after your release" in text and "withdraw" in text


def test_wording_route(app, api_as, partners, monkeypatch):
    monkeypatch.setitem(app.config, "TRANSLATED_LOCALES", ("en", "fr", "ar", "ru", "sw"))
    api = api_as(partners.officer)
    response = api.get(f"/consents/wording?organisation_id={partners.ngo_a.id}&locale=en")
    assert response.status_code == 200
    assert response.get_json() == {"text": consent_wording(partners.ngo_a, "en"), "locale": "en"}
    # A language without a catalogue is answered in English, and says so.
    fallback = api.get(f"/consents/wording?organisation_id={partners.ngo_a.id}&locale=kk")
    assert fallback.get_json()["locale"] == "en"
    missing = api.get(f"/consents/wording?organisation_id={MISSING_ID}")
    assert missing.status_code == 422
    assert api.get("/consents/wording").status_code == 422


def test_closing_the_referral_hides_the_persons_consents(make, api_as, partners):
    person = make.client_of(partners.caseworker_a, facility=partners.facility)
    api = api_as(partners.caseworker_a)
    assert len(api.get(f"/participants/{person.id}/consents").get_json()["items"]) == 1
    (referral,) = api.get("/referrals").get_json()["items"]
    api.post(f"/referrals/{referral['id']}/close")
    assert api.get(f"/participants/{person.id}/consents").status_code == 404


def test_a_pending_referral_lets_the_caseworker_see_the_consent(make, api_as, partners, person):
    make.referral(person, partners.ngo_a)
    consent = make.consent(person, partners.ngo_a)
    api = api_as(partners.caseworker_a)
    assert api.get(f"/consents/{consent.id}").status_code == 200
    # ...but not the person themself: the referral is not accepted yet.
    assert api.get(f"/participants/{person.id}").status_code == 404
