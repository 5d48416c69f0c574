"""The rules for consents: recording one, withdrawing it, its state on a day, its wording.

A consent is per person, organisation and purpose. It is active from the day
it was given until it is withdrawn or its expiry day has passed, judged on the
calendar of the person's facility. While none is active, the organisation's
caseworkers do not see the person (the policy's caseworker rule).
"""

import datetime as dt

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.conflicts import commit_or_conflict
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import rule_error, validation_error
from prog_tracker.core.localised import display_name
from prog_tracker.directory.models import Organisation
from prog_tracker.directory.organisations import organisation_for
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners.models import Consent

# No consent recorded here predates the programme's records; earlier years are typos.
EARLIEST_CONSENT = dt.date(2000, 1, 1)


@creates.replayable("consent", "consent.create")
def record_consent(actor: User, data: dict) -> Consent:
    """Record a person's consent to share their record with one organisation."""
    participant = policy.get_participant(actor, data["participant_id"], "consent.record")
    policy.require(actor, "consent.record", participant)
    claim = creates.claim(actor, "consent", data, "consent.create")
    if claim.earlier is not None:
        return claim.earlier  # before the one-active-consent rule, which it would break
    organisation = organisation_for(data["organisation_id"], participant.facility)
    purpose = data.get("purpose") or "post_release_support"
    _check_dates(participant, data["given_on"], data.get("expires_on"))
    consent = Consent(
        participant_id=participant.id,
        organisation_id=organisation.id,
        purpose=purpose,
        given_on=data["given_on"],
        method=data["method"],
        expires_on=data.get("expires_on"),
        recorded_by_id=actor.id,
        wording_locale=data.get("wording_locale") or wording_locale(participant),
    )
    _refuse_second_active(consent, today_at(participant.facility))
    claim.keep(consent)
    db.session.add(consent)
    db.session.flush()
    audit.record("consent.create", "consent", [consent.id], actor_id=actor.id)
    db.session.commit()
    return consent


def existing_organisation(organisation_id: str) -> Organisation:
    """The partner organisation with this id, or a 422 naming the field."""
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        raise validation_error({"organisation_id": [_l("No such organisation.")]})
    return organisation


def _check_dates(participant: Participant, given_on: dt.date, expires_on) -> None:
    """Consent is given no later than today at the facility and expires after that day."""
    if given_on > today_at(participant.facility):
        raise validation_error({"given_on": [_l("Must not be in the future.")]})
    if given_on < EARLIEST_CONSENT:
        raise validation_error({"given_on": [_l("Not a plausible date.")]})
    if expires_on is not None and expires_on <= given_on:
        raise validation_error({"expires_on": [_l("Must be after the day consent was given.")]})


def _refuse_second_active(consent: Consent, today: dt.date) -> None:
    """One active consent per person, organisation and purpose: withdrawing one must end
    the sharing, which a second active record would silently keep going."""
    others = db.session.scalars(
        select(Consent).where(
            Consent.participant_id == consent.participant_id,
            Consent.organisation_id == consent.organisation_id,
            Consent.purpose == consent.purpose,
            Consent.withdrawn_on.is_(None),
        )
    )
    if any(consent_state(other, today) == "active" for other in others):
        raise rule_error(
            "consent_active",
            _l("This person already has an active consent for this organisation."),
            fields={"organisation_id": [_l("Withdraw the active consent first.")]},
        )


def wording_locale(participant: Participant, chosen: str | None = None) -> str:
    """The language the wording is read in: the one chosen on the form, else the
    person's, when the app speaks it; otherwise the language of this request."""
    available = current_app.config["TRANSLATED_LOCALES"]
    if chosen in available:
        return chosen
    if participant.preferred_language in available:
        return participant.preferred_language
    current = str(get_locale() or "en")
    return current if current in available else "en"


def withdraw_consent(actor: User, consent: Consent, data: dict) -> Consent:
    """Withdraw a consent on a day (default today at the facility); sharing stops at once."""
    policy.require(actor, "consent.withdraw", consent)
    today = today_at(participant_of(consent).facility)
    day = data.get("withdrawn_on") or today
    if consent.withdrawn_on is not None:
        raise rule_error("already_withdrawn", _l("This consent has been withdrawn already."))
    if day > today:
        raise validation_error({"withdrawn_on": [_l("Must not be in the future.")]})
    if day < consent.given_on:
        raise validation_error(
            {"withdrawn_on": [_l("Must not be before the day consent was given.")]}
        )
    consent.withdrawn_on = day
    audit.record("consent.withdraw", "consent", [consent.id], actor_id=actor.id)
    commit_or_conflict(consent)
    return consent


def participant_of(consent: Consent) -> Participant:
    """The person a consent is about."""
    return consent.participant


def consent_state(consent: Consent, today: dt.date | None = None) -> str:
    """`withdrawn`, `expired` or `active` on today (default: today at the person's facility)."""
    if consent.withdrawn_on is not None:
        return "withdrawn"
    if today is None:
        today = today_at(participant_of(consent).facility)
    if consent.expires_on is not None and consent.expires_on < today:
        return "expired"
    return "active"


def participant_consents(actor: User, participant: Participant) -> list[Consent]:
    """A person's consents the actor may see, oldest first (a caseworker: their organisation's)."""
    return list(
        db.session.scalars(
            policy.visible_consents(actor)
            .where(Consent.participant_id == participant.id)
            .order_by(Consent.given_on, Consent.created_at, Consent.id)
        )
    )


def search_consents(actor: User, participant_id=None, organisation_id=None):
    """A SELECT of the consents in the actor's scope, newest first, filtered."""
    query = policy.visible_consents(actor)
    if participant_id:
        query = query.where(Consent.participant_id == participant_id)
    if organisation_id:
        query = query.where(Consent.organisation_id == organisation_id)
    return query.order_by(Consent.created_at.desc(), Consent.id)


def active_consent_people(organisation_id: str, participant_ids) -> set[str]:
    """Which of these people consent to the organisation today (at their facility)."""
    wanted = set(participant_ids)
    if not wanted or not organisation_id:
        return set()
    rows = db.session.execute(
        select(Consent, Participant)
        .join(Participant, Participant.id == Consent.participant_id)
        .where(
            Consent.organisation_id == organisation_id,
            Consent.purpose == "post_release_support",
            Consent.participant_id.in_(wanted),
            Consent.withdrawn_on.is_(None),
        )
    )
    today_by_facility: dict = {}
    found = set()
    for consent, person in rows:
        if person.facility_id not in today_by_facility:
            today_by_facility[person.facility_id] = today_at(person.facility)
        if consent_state(consent, today_by_facility[person.facility_id]) == "active":
            found.add(consent.participant_id)
    return found


def consent_wording(organisation: Organisation, locale: str) -> str:
    """The consent text read to the person, in locale (English where it has no catalogue)."""
    with force_locale(locale):
        return _(
            "We would like to share your name, your contact details and your record in "
            "this programme with %(organisation)s, so that %(organisation)s can support you "
            "after your release: with work, housing, training and the other things you need. "
            "They will use your details only for that. You do not have to agree, and saying "
            "no changes nothing in how you are treated. If you agree, you can withdraw your "
            "consent at any time, by telling the reintegration officer or %(organisation)s; "
            "from then on, %(organisation)s will no longer see your record.",
            # The organisation as it is called in the language read out.
            organisation=display_name(organisation, locale),
        )
