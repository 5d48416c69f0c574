"""The release plan's NGO referral item follows the person's referrals, and links to them;
organisations are offered and accepted only from the person's country."""

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from prog_tracker.extensions import db
from prog_tracker.release.models import ReleasePlanItem
from tests.partners.conftest import events_since, last_event_id


@pytest.fixture
def person(make, partners):
    """A person in custody at the partners' facility, released in four months."""
    return make.participant(
        facility=partners.facility,
        given_name="Dana",
        family_name="Ermek",
        expected_release_date=partners.today + timedelta(days=120),
    )


@pytest.fixture
def planned(api_as, partners, person):
    """The person with a release plan (the date set through the API draws it up)."""
    later = (partners.today + timedelta(days=150)).isoformat()
    response = api_as(partners.officer).patch(
        f"/participants/{person.id}",
        json={"expected_release_date": later, "reason": "Sentence recalculated"},
    )
    assert response.status_code == 200, response.get_json()
    assert _item(person) is not None
    return person


def _item(person) -> ReleasePlanItem | None:
    """The person's NGO referral item as stored now."""
    db.session.expire_all()
    return db.session.scalar(
        select(ReleasePlanItem).where(
            ReleasePlanItem.participant_id == person.id, ReleasePlanItem.kind == "ngo_referral"
        )
    )


def _refer(api, person, organisation):
    """Refer the person through the API; returns the referral's id."""
    response = api.post(
        "/referrals", json={"participant_id": person.id, "organisation_id": organisation.id}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_accepting_the_referral_marks_the_item_done_and_links_it(api_as, partners, planned):
    officer = api_as(partners.officer)
    referral_id = _refer(officer, planned, partners.ngo_a)
    item = _item(planned)
    assert (item.status, item.referral_id) == ("in_progress", referral_id)

    start = last_event_id()
    accepted = api_as(partners.caseworker_a).post(f"/referrals/{referral_id}/accept")
    assert accepted.status_code == 200, accepted.get_json()
    item = _item(planned)
    assert (item.status, item.referral_id) == ("done", referral_id)
    assert item.completed_on == partners.today
    (event,) = events_since(start, "release_plan_item.update")
    assert event.entity_ids == [item.id]
    assert event.actor_id == partners.caseworker_a.id

    plan = officer.get(f"/participants/{planned.id}/release-plan").get_json()
    (shown,) = [i for i in plan["items"] if i["kind"] == "ngo_referral"]
    assert (shown["status"], shown["referral_id"]) == ("done", referral_id)

    # Closing the accepted referral later leaves the item done: the referral happened.
    assert officer.post(f"/referrals/{referral_id}/close").status_code == 200
    assert (_item(planned).status, _item(planned).referral_id) == ("done", referral_id)


def test_a_declined_referral_reopens_the_item_still_pointing_at_it(api_as, partners, planned):
    officer = api_as(partners.officer)
    referral_id = _refer(officer, planned, partners.ngo_a)
    assert (
        api_as(partners.caseworker_a).post(f"/referrals/{referral_id}/decline").status_code == 200
    )
    item = _item(planned)
    assert (item.status, item.referral_id, item.completed_on) == ("todo", referral_id, None)


def test_closing_an_unanswered_referral_reopens_the_item(api_as, partners, planned):
    officer = api_as(partners.officer)
    referral_id = _refer(officer, planned, partners.ngo_a)
    assert officer.post(f"/referrals/{referral_id}/close").status_code == 200
    assert _item(planned).status == "todo"


def test_the_item_follows_the_leading_referral(api_as, partners, planned):
    officer = api_as(partners.officer)
    first = _refer(officer, planned, partners.ngo_a)
    second = _refer(officer, planned, partners.ngo_b)
    assert (_item(planned).status, _item(planned).referral_id) == ("in_progress", second)
    # The first is accepted: it leads, even though the second is newer.
    assert api_as(partners.caseworker_a).post(f"/referrals/{first}/accept").status_code == 200
    assert (_item(planned).status, _item(planned).referral_id) == ("done", first)
    # The second declined: the accepted one still leads.
    assert api_as(partners.caseworker_b).post(f"/referrals/{second}/decline").status_code == 200
    assert (_item(planned).status, _item(planned).referral_id) == ("done", first)


def test_an_item_marked_not_needed_is_not_reopened_by_a_pending_referral(api_as, partners, planned):
    officer = api_as(partners.officer)
    item = _item(planned)
    response = officer.patch(f"/release-plan-items/{item.id}", json={"status": "not_needed"})
    assert response.status_code == 200, response.get_json()
    referral_id = _refer(officer, planned, partners.ngo_a)
    assert (_item(planned).status, _item(planned).referral_id) == ("not_needed", None)
    # Accepted, it is done after all: that is what happened.
    assert api_as(partners.caseworker_a).post(f"/referrals/{referral_id}/accept").status_code == 200
    assert (_item(planned).status, _item(planned).referral_id) == ("done", referral_id)


def test_a_plan_drawn_up_after_the_referral_links_to_it(api_as, make, partners):
    person = make.participant(facility=partners.facility, family_name="Nurly")
    officer = api_as(partners.officer)
    referral_id = _refer(officer, person, partners.ngo_a)
    assert api_as(partners.caseworker_a).post(f"/referrals/{referral_id}/accept").status_code == 200
    assert _item(person) is None
    response = officer.patch(
        f"/participants/{person.id}",
        json={"expected_release_date": (partners.today + timedelta(days=100)).isoformat()},
    )
    assert response.status_code == 200, response.get_json()
    assert (_item(person).status, _item(person).referral_id) == ("done", referral_id)


def test_another_countrys_organisation_is_refused_everywhere(api_as, make, partners, planned):
    abroad = make.organisation(name="Kampala Aid", country="UG")
    officer = api_as(partners.officer)
    body = {"participant_id": planned.id, "organisation_id": abroad.id}
    refused = officer.post("/referrals", json=body)
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "organisation_other_country"
    assert "organisation_id" in error["fields"]
    consent = {**body, "given_on": partners.today.isoformat(), "method": "signed"}
    refused = officer.post("/consents", json=consent)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "organisation_other_country"
    item = _item(planned)
    refused = officer.patch(
        f"/release-plan-items/{item.id}", json={"owner_organisation_id": abroad.id}
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"]["owner_organisation_id"]
    # The same country's organisation is fine.
    fine = officer.patch(
        f"/release-plan-items/{item.id}", json={"owner_organisation_id": partners.ngo_b.id}
    )
    assert fine.status_code == 200, fine.get_json()


def test_pickers_offer_the_persons_country_only(client, signin, make, partners, planned):
    abroad = make.organisation(name="Kampala Aid", country="UG")
    signin(client, partners.officer)
    for path in (
        f"/participants/{planned.id}/referrals",
        f"/participants/{planned.id}/release-plan",
    ):
        page = html.unescape(client.get(path).get_data(as_text=True))
        assert f'value="{partners.ngo_a.id}"' in page, path
        assert f'value="{abroad.id}"' not in page and "Kampala Aid" not in page, path


def test_the_plan_page_links_the_item_to_its_referral(client, signin, api_as, partners, planned):
    referral_id = _refer(api_as(partners.officer), planned, partners.ngo_a)
    signin(client, partners.officer)
    page = client.get(f"/participants/{planned.id}/release-plan").get_data(as_text=True)
    assert f'href="/participants/{planned.id}/referrals#referral-{referral_id}"' in page
