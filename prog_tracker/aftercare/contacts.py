"""The rules for post-release contacts: record one, correct it, read every earlier version.

Contacts are an append-only history: an edit copies the current text into a
ContactVersion (who wrote it, when) before changing it, so nothing a
caseworker wrote is lost. Failed attempts (`attempt_failed`) are contacts too.
"""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from prog_tracker.aftercare.models import Contact, ContactVersion
from prog_tracker.auth.models import User
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.errors import rule_error, validation_error
from prog_tracker.core.models import utcnow
from prog_tracker.directory.organisations import organisation_for as organisation_in_country
from prog_tracker.directory.organisations import organisations_for
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.release import followups
from prog_tracker.release.models import ReleaseEpisode

# Phones' clocks run a little fast; a contact "now" may arrive stamped minutes ahead.
CLOCK_SKEW = dt.timedelta(minutes=5)
FIELDS = ("occurred_at", "mode", "location", "summary", "needs")


@creates.replayable("contact", "contact.create")
def record_contact(actor: User, data: dict) -> Contact:
    """Record a contact with a released person (caseworker of a person they see, admin)."""
    participant = policy.get_participant(actor, data["participant_id"], "contact.record")
    policy.require(actor, "contact.record", participant)
    claim = creates.claim(actor, "contact", data, "contact.create")
    if claim.earlier is not None:
        return claim.earlier
    values = _cleaned(data)
    check_occurred_at(participant, values["occurred_at"])
    contact = Contact(
        participant_id=participant.id,
        organisation_id=organisation_for(
            actor, data.get("organisation_id"), required=True, participant=participant
        ),
        caseworker_id=actor.id,
        **values,
    )
    claim.keep(contact)
    db.session.add(contact)
    db.session.flush()
    followups.refresh_met(participant)
    audit.record("contact.create", "contact", [contact.id], actor_id=actor.id)
    db.session.commit()
    return contact


def organisation_for(
    actor: User, requested: str | None, required: bool, participant: Participant
) -> str | None:
    """The organisation a record is made for: a caseworker's own; one an admin names, of
    the person's country."""
    own = policy.own_organisation(actor)
    if own is not None:
        if requested and requested != own:
            raise validation_error(
                {"organisation_id": [_l("You record for your own organisation only.")]}
            )
        return own
    if not requested:
        if required:
            raise validation_error({"organisation_id": [_l("Choose the organisation.")]})
        return None
    return organisation_in_country(requested, participant.facility).id


def _cleaned(data: dict) -> dict:
    """The contact's fields from a validated body (needs trimmed of repeats)."""
    values = {name: data[name] for name in FIELDS if name in data}
    if "needs" in values:
        values["needs"] = list(dict.fromkeys(values["needs"] or []))
    return values


def check_occurred_at(participant: Participant, moment: dt.datetime) -> None:
    """A contact happened after the person's first release and not in the future."""
    if moment > utcnow() + CLOCK_SKEW:
        raise validation_error({"occurred_at": [_l("Must not be in the future.")]})
    first = first_release_on(participant)
    if first is None:
        raise rule_error("not_released", _l("This person has not been released yet."))
    if local_date(participant, moment) < first:
        raise validation_error(
            {"occurred_at": [_l("Must not be before the person's first release.")]}
        )


def first_release_on(participant: Participant) -> dt.date | None:
    """The day of the person's first release, if they were ever released."""
    return db.session.scalar(
        select(func.min(ReleaseEpisode.released_on)).where(
            ReleaseEpisode.participant_id == participant.id
        )
    )


def local_date(participant: Participant, moment: dt.datetime) -> dt.date:
    """The calendar day of a moment at the person's facility (UTC when its zone is unknown)."""
    try:
        zone = ZoneInfo(participant.facility.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError, AttributeError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).date()


def edit_contact(actor: User, contact: Contact, data: dict) -> Contact:
    """Correct a contact: the current text becomes an earlier version, still readable."""
    policy.require(actor, "contact.record", contact)
    check_version(contact, data.pop("version", None))
    changes = {k: v for k, v in _cleaned(data).items() if getattr(contact, k) != v}
    if not changes:
        return contact
    if "occurred_at" in changes:
        check_occurred_at(contact.participant, changes["occurred_at"])
    db.session.add(_version_of(contact))
    for name, value in changes.items():
        setattr(contact, name, value)
    contact.edited_by_id = actor.id
    if "occurred_at" in changes or "mode" in changes:
        followups.refresh_met(contact.participant)
    audit.record("contact.update", "contact", [contact.id], actor_id=actor.id)
    commit_or_conflict(contact)
    return contact


def _version_of(contact: Contact) -> ContactVersion:
    """The contact as it reads now, kept as an earlier version."""
    return ContactVersion(
        contact_id=contact.id,
        version=contact.version,
        occurred_at=contact.occurred_at,
        mode=contact.mode,
        location=contact.location,
        summary=contact.summary,
        needs=list(contact.needs or []),
        written_by_id=contact.edited_by_id or contact.caseworker_id,
        written_at=contact.updated_at,
        replaced_at=utcnow(),
    )


def contact_versions(contact: Contact) -> list[ContactVersion]:
    """A contact's earlier versions, oldest first."""
    return list(
        db.session.scalars(
            select(ContactVersion)
            .where(ContactVersion.contact_id == contact.id)
            .order_by(ContactVersion.version)
        )
    )


def read_contact(actor: User, contact: Contact) -> Contact:
    """One contact the policy returned, its read audited (pages and the API)."""
    audit.record("contact.read", "contact", [contact.id], actor_id=actor.id)
    db.session.commit()
    return contact


def organisations_to_name(actor: User, participant: Participant) -> list:
    """The organisations someone of none (an admin) may record a contact for: the person's
    country's."""
    return organisations_for(actor, participant.facility)


def contacts_query(actor: User, participant: Participant):
    """A SELECT of a person's contacts the actor may see, newest first."""
    return (
        policy.visible_contacts(actor)
        .where(Contact.participant_id == participant.id)
        .order_by(Contact.occurred_at.desc(), Contact.id.desc())
    )


def participant_contacts(actor: User, participant: Participant) -> list[Contact]:
    """A person's contacts the actor may see, newest first."""
    return list(db.session.scalars(contacts_query(actor, participant)))
