"""What the subject access pages do to the record: load the person for an admin, audited."""

from prog_tracker.auth.models import User
from prog_tracker.core import audit, policy
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant
from prog_tracker.privacy.subject_export import ACTION, REASON


def open_subject(actor: User, participant_id: str) -> Participant:
    """The person, for an admin only: others are refused before anything is read."""
    policy.require(actor, ACTION)
    # The page is itself the reason (SPEC §3): every event of the request carries it.
    audit.use_reason(REASON)
    return policy.get_participant(actor, participant_id, ACTION)


def record_confirmation_read(actor: User, participant: Participant) -> None:
    """Audit that the confirmation page showed the person's name, and commit."""
    audit.record(
        "participant.read", "participant", [participant.id], actor_id=actor.id, reason_code=REASON
    )
    db.session.commit()
