"""Demo release and aftercare: releases, plans, referrals, consents, contacts, outcomes.

Everything goes through the services, with the actor each rule expects: the
officer releases, plans, refers and records consent; the country's caseworker
answers referrals and records contacts and outcomes. Dates count from today at
the facility, so the follow-ups are met, missed, due, overdue and upcoming on
the day the demo is built.
"""

import datetime as dt
from dataclasses import dataclass, field

from prog_tracker.aftercare.contacts import edit_contact, record_contact
from prog_tracker.aftercare.outcomes import record_outcome
from prog_tracker.core.dates import facility_zone, today_at
from prog_tracker.participants.services import create_participant
from prog_tracker.partners.consents import record_consent, withdraw_consent
from prog_tracker.partners.referrals import accept_referral, create_referral, decline_referral
from prog_tracker.release.plans import plan_items, update_plan_item
from prog_tracker.release.services import release_participant, return_to_custody
from prog_tracker.seed.demo.aftercare_data import (
    LANGUAGE,
    PEOPLE,
    PLACES,
    REASONS,
    RETURN_NOTE,
    STORIES,
    TEXTS,
    Story,
)


@dataclass
class Country:
    """One country's facility, staff and partner NGO, and today there."""

    key: str
    facility: object
    officer: object
    caseworker: object
    ngo: object
    today: dt.date = field(init=False)
    language: str = field(init=False)

    def __post_init__(self):
        """Fix today once, so every story counts from the same day."""
        self.today = today_at(self.facility)
        self.language = LANGUAGE[self.key]

    def day(self, days_ago: int) -> dt.date:
        """The date so many days before today at the facility."""
        return self.today - dt.timedelta(days=days_ago)


def seed_aftercare(users, facilities, organisations) -> None:
    """Play the release-and-after stories in each country."""
    by_name = {user.username: user for user in users}
    for key, facility in facilities.items():
        country = Country(
            key=key,
            facility=facility,
            officer=by_name[f"officer.{key}"],
            caseworker=by_name[f"caseworker.{key}"],
            ngo=organisations[key],
        )
        for index, (story, person) in enumerate(zip(STORIES, PEOPLE[key], strict=True)):
            _play(country, story, _register(country, index, person, story))


def _register(country: Country, index: int, person: tuple, story: Story):
    """Register the story's person, expected out on their first release day."""
    given, family, sex, language = person
    if story.released:
        expected = country.day(story.released[0])
    else:
        expected = country.today + dt.timedelta(days=story.ahead)
    return create_participant(
        country.officer,
        {
            "facility_id": country.facility.id,
            "prison_number": f"{country.key.upper()}-2023-{2000 + index * 41}",
            "given_name": given,
            "family_name": family,
            "sex": sex,
            "preferred_language": language,
            "date_of_birth": dt.date(1980 + (index * 3) % 20, 1 + (index * 5) % 12, 3 + index),
            "expected_release_date": expected,
        },
    )


def _play(country: Country, story: Story, person) -> None:
    """The person's journey, in the order it happens."""
    if story.released:
        _finish_plan(country, person)
    consent = _consent(country, story, person)
    _refer(country, story, person)
    _plan(country, story, person)
    _custody(country, story, person)
    contacts = [_contact(country, person, touch) for touch in story.touches]
    if story.edit:
        _edit(country, contacts[story.edit_of], story.edit)
    for seen in story.outcomes:
        _outcome(country, person, seen)
    if consent is not None and story.consent[3] is not None:
        _withdraw(country, consent, story.consent[3])


def _finish_plan(country: Country, person) -> None:
    """A released person's plan was seen through before release (education not needed)."""
    for item in plan_items(country.officer, person):
        status = "not_needed" if item.kind == "education" else "done"
        update_plan_item(country.officer, item, {"status": status})


def _plan(country: Country, story: Story, person) -> None:
    """Progress on a plan still under way; NGO-owned items are handed to the NGO."""
    wanted = {kind: (status, ngo) for kind, status, ngo in story.plan}
    for item in plan_items(country.officer, person):
        if item.kind not in wanted:
            continue
        status, ngo = wanted[item.kind]
        data = {"status": status}
        if ngo:
            data["owner_organisation_id"] = country.ngo.id
        update_plan_item(country.officer, item, data)


def _consent(country: Country, story: Story, person):
    """The officer records the person's consent to share with the NGO, if given."""
    if story.consent is None:
        return None
    method, given_ago, expires_in, _ = story.consent
    expires_on = country.today + dt.timedelta(days=expires_in) if expires_in else None
    return record_consent(
        country.officer,
        {
            "participant_id": person.id,
            "organisation_id": country.ngo.id,
            "purpose": "post_release_support",
            "given_on": country.day(given_ago),
            "method": method,
            "expires_on": expires_on,
        },
    )


def _refer(country: Country, story: Story, person) -> None:
    """The officer refers the person to the NGO; its caseworker accepts, declines or not yet."""
    referral = create_referral(
        country.officer,
        {
            "participant_id": person.id,
            "organisation_id": country.ngo.id,
            "reason": REASONS[country.language],
        },
    )
    if story.referral == "accepted":
        accept_referral(country.caseworker, referral)
    elif story.referral == "declined":
        decline_referral(country.caseworker, referral)


def _custody(country: Country, story: Story, person) -> None:
    """Releases and returns to custody, oldest first."""
    events = [(days, "release") for days in story.released]
    events += [(days, "return") for days in story.returned]
    for days, kind in sorted(events, reverse=True):
        if kind == "release":
            release_participant(country.officer, person, {"released_on": country.day(days)})
        else:
            note = RETURN_NOTE[country.language]
            return_to_custody(country.officer, person, {"on": country.day(days), "note": note})


def _contact(country: Country, person, touch):
    """The caseworker records one contact (or failed attempt) at a local hour."""
    local = dt.datetime.combine(
        country.day(touch.days_ago), dt.time(touch.hour), tzinfo=facility_zone(country.facility)
    )
    places = PLACES[country.key]
    return record_contact(
        country.caseworker,
        {
            "participant_id": person.id,
            "occurred_at": local.astimezone(dt.UTC),
            "mode": touch.mode,
            "location": places.get(touch.text) or places.get(touch.mode),
            "summary": TEXTS[country.language][touch.text],
            "needs": list(touch.needs),
        },
    )


def _edit(country: Country, contact, text: str) -> None:
    """The caseworker corrects a contact's summary (the first text stays as a version)."""
    edit_contact(country.caseworker, contact, {"summary": TEXTS[country.language][text]})


def _outcome(country: Country, person, seen) -> None:
    """The caseworker records how the person was doing on a day."""
    record_outcome(
        country.caseworker,
        {
            "participant_id": person.id,
            "observed_on": country.day(seen.days_ago),
            "employment": seen.employment,
            "uses_trained_skill": seen.skill,
            "housing": seen.housing,
            "returned_to_custody": seen.returned,
        },
    )


def _withdraw(country: Country, consent, days_ago: int) -> None:
    """The person withdrew consent: the NGO's caseworkers no longer see them."""
    withdraw_consent(country.officer, consent, {"withdrawn_on": country.day(days_ago)})
