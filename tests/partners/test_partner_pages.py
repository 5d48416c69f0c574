"""Referral and consent pages (the officer's side) through the browser's eyes."""

import html
import re

import pytest
from babel.dates import format_date
from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db
from prog_tracker.partners import consents, referrals
from prog_tracker.partners.models import Consent, Referral


@pytest.fixture
def office(make):
    """Facility A's officer, two partner NGOs (one with a caseworker) and a French speaker."""
    facility = make.facility(name="Colony A")
    ngo = make.organisation(name="Jol NGO")
    return {
        "facility": facility,
        "officer": make.user("officer", facility=facility),
        "ngo": ngo,
        "other_ngo": make.organisation(name="Ashyq Esik"),
        "caseworker": make.user("caseworker", organisation=ngo, display_name="Aliya Caseworker"),
        "person": make.participant(
            facility=facility, family_name="Benali", preferred_language="fr"
        ),
        "today": today_at(facility),
    }


@pytest.fixture(name="signin")
def signin_afresh(signin):
    """Sign a user in, dropping whoever was signed in on that client before."""

    def _signin(client, user):
        client.delete_cookie("pt_session")
        return signin(client, user)

    return _signin


def _text(response) -> str:
    """The page as a reader sees it (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def _wording_block(page: str) -> re.Match:
    """The consent wording element: its lang, dir and text."""
    found = re.search(
        r'<blockquote class="pt-wording prose" lang="([\w-]+)" dir="(\w+)">(.*?)</blockquote>',
        page,
        re.S,
    )
    assert found, "no wording block on the page"
    return found


def _refer(client, csrf, person, organisation, reason="Housing after release"):
    """Post the referral form."""
    return client.post(
        f"/participants/{person.id}/referrals",
        data={"csrf_token": csrf, "organisation_id": organisation.id, "reason": reason},
    )


def _consent(client, csrf, person, organisation, given_on, **extra):
    """Post the consent form."""
    return client.post(
        f"/participants/{person.id}/consents",
        data={
            "csrf_token": csrf,
            "organisation_id": organisation.id,
            "method": "signed",
            "given_on": given_on.isoformat(),
            **extra,
        },
    )


def _referral(person, organisation) -> Referral:
    """The person's newest referral to organisation."""
    db.session.expire_all()
    return db.session.scalars(
        select(Referral)
        .where(Referral.participant_id == person.id, Referral.organisation_id == organisation.id)
        .order_by(Referral.created_at.desc())
    ).first()


def _consent_of(person, organisation) -> Consent:
    """The person's newest consent for organisation."""
    db.session.expire_all()
    return db.session.scalars(
        select(Consent)
        .where(Consent.participant_id == person.id, Consent.organisation_id == organisation.id)
        .order_by(Consent.created_at.desc())
    ).first()


def test_referral_and_consent_with_the_wording_in_the_persons_language(client, signin, office):
    person, ngo, today = office["person"], office["ngo"], office["today"]
    csrf = signin(client, office["officer"])
    page = _text(client.get(f"/participants/{person.id}"))
    assert f'href="/participants/{person.id}/referrals"' in page
    assert "Not shared with any partner organisation" in page

    assert _refer(client, csrf, person, ngo).status_code == 302
    page = _text(client.get(f"/participants/{person.id}/referrals"))
    assert "The referral is sent." in page
    listed = page.split('id="referrals-title"')[1].split('id="consents-title"')[0]
    assert "Jol NGO" in listed and "Waiting for an answer" in listed
    assert "Housing after release" in listed and "not assigned yet" in listed
    # The open referral's organisation is offered first; the wording is in French.
    lang, direction, wording = _wording_block(page).groups()
    assert (lang, direction) == ("fr", "ltr")
    assert html.unescape(wording.strip()) == consents.consent_wording(ngo, "fr").strip()
    assert "Read this to the person (French · Français)" in page
    assert f'<input type="hidden" name="organisation_id" value="{ngo.id}">' in page

    assert _consent(client, csrf, person, ngo, today).status_code == 302
    consent = _consent_of(person, ngo)
    assert (consent.method, consent.given_on, consent.wording_locale) == ("signed", today, "fr")
    page = _text(client.get(f"/participants/{person.id}/referrals"))
    assert "The consent is recorded." in page
    assert "Not shared with Jol NGO" in page and "referral not accepted yet" in page
    listed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consent.list").order_by(AuditEvent.id.desc())
    ).first()
    assert listed.entity_ids == [consent.id] and listed.actor_id == office["officer"].id

    referrals.accept_referral(office["caseworker"], _referral(person, ngo))
    page = _text(client.get(f"/participants/{person.id}/referrals"))
    assert "Shared with Jol NGO" in page and "Aliya Caseworker" in page
    assert "Shared with Jol NGO" in _text(client.get(f"/participants/{person.id}"))

    # The caseworker now sees the person, without the prison number or the facility.
    signin(client, office["caseworker"])
    page = _text(client.get(f"/participants/{person.id}"))
    assert "Benali" in page and person.prison_number not in page and "Colony A" not in page
    assert "Shared with Jol NGO" in page


def test_choosing_another_organisation_shows_its_wording(client, signin, office):
    person, other = office["person"], office["other_ngo"]
    signin(client, office["officer"])
    page = _text(client.get(f"/participants/{person.id}/referrals?organisation_id={other.id}"))
    assert 'action="/participants/' in page and 'method="get"' in page  # the chooser
    assert re.search(rf'<option value="{other.id}"\s*selected>', page)
    lang, _dir, wording = _wording_block(page).groups()
    assert lang == "fr"
    assert html.unescape(wording.strip()) == consents.consent_wording(other, "fr").strip()
    assert f'<input type="hidden" name="organisation_id" value="{other.id}">' in page
    assert "consent for Ashyq Esik" in page


def test_a_language_without_a_catalogue_falls_back_to_english(
    app, client, make, signin, office, monkeypatch
):
    # As on an install whose Kazakh catalogue was not compiled.
    monkeypatch.setitem(app.config, "TRANSLATED_LOCALES", ("en", "fr", "ar", "ru", "sw"))
    person = make.participant(facility=office["facility"], preferred_language="kk")
    signin(client, office["officer"])
    page = _text(client.get(f"/participants/{person.id}/referrals"))
    lang, direction, wording = _wording_block(page).groups()
    assert (lang, direction) == ("en", "ltr")
    first = db.session.scalars(select(type(office["ngo"])).order_by("country", "name")).first()
    assert html.unescape(wording.strip()) == consents.consent_wording(first, "en").strip()


def test_withdrawing_consent_stops_sharing_at_once(client, signin, office):
    person, ngo, today = office["person"], office["ngo"], office["today"]
    csrf = signin(client, office["officer"])
    _refer(client, csrf, person, ngo)
    _consent(client, csrf, person, ngo, today)
    referrals.accept_referral(office["caseworker"], _referral(person, ngo))
    consent = _consent_of(person, ngo)

    response = client.post(
        f"/consents/{consent.id}/withdraw",
        data={"csrf_token": csrf, "withdrawn_on": today.isoformat()},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/participants/{person.id}/referrals#consents")
    page = _text(client.get(f"/participants/{person.id}/referrals"))
    assert "The consent is withdrawn." in page
    shown = format_date(today, "medium", locale="en")
    assert f'withdrawn on <time datetime="{today.isoformat()}">{shown}</time>' in page
    assert "Not shared with Jol NGO" in page and "consent withdrawn" in page
    assert _consent_of(person, ngo).withdrawn_on == today

    signin(client, office["caseworker"])
    assert client.get(f"/participants/{person.id}").status_code == 404


def test_closing_a_referral(client, signin, office):
    person, ngo = office["person"], office["ngo"]
    csrf = signin(client, office["officer"])
    _refer(client, csrf, person, ngo)
    referral = _referral(person, ngo)
    page = _text(client.get(f"/participants/{person.id}/referrals"))
    assert f'action="/referrals/{referral.id}/close"' in page
    response = client.post(f"/referrals/{referral.id}/close", data={"csrf_token": csrf})
    assert response.status_code == 302
    page = _text(client.get(f"/participants/{person.id}/referrals"))
    assert "The referral is closed." in page and "Closed" in page
    assert f'action="/referrals/{referral.id}/close"' not in page
    assert _referral(person, ngo).status == "closed"


def test_a_refused_consent_form_keeps_what_was_typed(client, signin, office):
    person, ngo = office["person"], office["ngo"]
    csrf = signin(client, office["officer"])
    response = client.post(
        f"/participants/{person.id}/consents",
        data={
            "csrf_token": csrf,
            "organisation_id": ngo.id,
            "method": "",
            "given_on": "2030-01-02",
            "expires_on": "2031-01-02",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    box = page.split('id="record-consent"')[1]
    assert 'value="2030-01-02"' in box and 'value="2031-01-02"' in box
    assert 'id="consent-method-error"' in box
    assert 'aria-describedby="consent-method-error"' in box
    assert f'<input type="hidden" name="organisation_id" value="{ngo.id}">' in box
    assert _consent_of(person, ngo) is None


def test_a_refused_referral_form_keeps_the_reason(client, signin, office):
    person = office["person"]
    csrf = signin(client, office["officer"])
    response = client.post(
        f"/participants/{person.id}/referrals",
        data={"csrf_token": csrf, "organisation_id": "", "reason": "Needs a job"},
    )
    assert response.status_code == 422
    page = _text(response)
    assert ">Needs a job</textarea>" in page and 'id="refer-organisation_id-error"' in page
    assert re.search(r'<details class="ws-change" open>\s*<summary>Refer to an organisation', page)


def test_who_reaches_the_referrals_page(client, make, signin, office):
    person, ngo, today = office["person"], office["ngo"], office["today"]
    cohort = make.cohort(
        office["facility"], instructors=[make.user("instructor", facility=office["facility"])]
    )
    make.enrolment(cohort, person)
    signin(client, cohort.instructors[0])
    assert client.get(f"/participants/{person.id}").status_code == 200
    assert client.get(f"/participants/{person.id}/referrals").status_code == 404
    # The supervisor reads without forms and may not record.
    csrf = signin(client, make.user("supervisor", country="KZ"))
    page = _text(client.get(f"/participants/{person.id}/referrals"))
    assert "Refer to an organisation" not in page and "Record the consent" not in page
    assert _consent(client, csrf, person, ngo, today).status_code == 403
    # A caseworker sees nobody until the referral is accepted with consent.
    signin(client, office["caseworker"])
    assert client.get(f"/participants/{person.id}/referrals").status_code == 404
