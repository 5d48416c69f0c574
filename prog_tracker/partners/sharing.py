"""With whom a person's record is shared: their referrals and consents as the partners
page reads them, and per organisation whether its caseworkers see the person."""

from flask_babel import gettext as _
from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.core import audit, policy
from prog_tracker.core.collation import name_sorter
from prog_tracker.directory.models import Organisation
from prog_tracker.directory.organisations import organisations_for
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.partners import consents, referrals


def read_person_partners(actor: User, participant: Participant) -> tuple[list, list]:
    """A person's referrals and consents for their partners page: one read of the person,
    and one list-like read each of the records shown (committed)."""
    referral_rows = referrals.participant_referrals(actor, participant)
    consent_rows = consents.participant_consents(actor, participant)
    audit.record("participant.read", "participant", [participant.id], actor_id=actor.id)
    audit.record("referral.list", "referral", [r.id for r in referral_rows], actor.id)
    audit.record("consent.list", "consent", [c.id for c in consent_rows], actor.id)
    db.session.commit()
    return referral_rows, consent_rows


def organisations_seen(actor: User, participant: Participant) -> list[Organisation]:
    """The organisations a person may be referred to or consent for: those of the
    person's country the actor sees (directory.organisations holds the rule)."""
    return organisations_for(actor, participant.facility)


def sharing_of(participant, referral_rows, consent_rows) -> list[dict]:
    """Per organisation named in a referral or consent: can its caseworkers see the person?

    The verdict is the policy's own caseworker rule; the reasons only explain it.
    """
    organisation_ids = {r.organisation_id for r in referral_rows}
    organisation_ids |= {c.organisation_id for c in consent_rows}
    names = _organisation_names(organisation_ids)
    rows = []
    key = name_sorter()
    for organisation_id in sorted(organisation_ids, key=lambda i: (key(names.get(i)), i)):
        shared = _shared_with(participant, organisation_id)
        rows.append(
            {
                "organisation": names.get(organisation_id, "—"),
                "organisation_id": organisation_id,
                "shared": shared,
                "missing": [] if shared else _missing(organisation_id, referral_rows, consent_rows),
            }
        )
    return rows


def _shared_with(participant: Participant, organisation_id: str) -> bool:
    """True when a caseworker of the organisation sees the person (policy's rule)."""
    query = policy.caseworker_scope(
        select(Participant).where(Participant.id == participant.id), organisation_id
    )
    return db.session.scalar(query) is not None


def _missing(organisation_id: str, referral_rows, consent_rows) -> list[str]:
    """Why an organisation does not see the person: its referral, its consent, or both."""
    reasons = []
    statuses = {r.status for r in referral_rows if r.organisation_id == organisation_id}
    if "accepted" not in statuses:
        reasons.append(
            _("referral not accepted yet") if "pending" in statuses else _("no open referral")
        )
    states = {
        consents.consent_state(c) for c in consent_rows if c.organisation_id == organisation_id
    }
    if "active" not in states:
        if "withdrawn" in states:
            reasons.append(_("consent withdrawn"))
        elif "expired" in states:
            reasons.append(_("consent expired"))
        else:
            reasons.append(_("consent missing"))
    return reasons


def _organisation_names(ids) -> dict:
    """Organisation names by id."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(list(ids)))
    )
    return {row[0]: row[1] for row in rows}
