"""The rules for outcomes: how a released person is doing on a day (work, housing, custody).

`uses_trained_skill` answers "does the work use the trade learnt inside?", so
it is only meaningful for someone employed (formally, informally or
self-employed); for anyone else it must stay null.
"""

from flask_babel import lazy_gettext as _l

from prog_tracker.aftercare.contacts import first_release_on, organisation_for
from prog_tracker.aftercare.models import EMPLOYED, Outcome
from prog_tracker.auth.models import User
from prog_tracker.core import audit, creates, policy
from prog_tracker.core.conflicts import check_version, commit_or_conflict
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import rule_error, validation_error
from prog_tracker.extensions import db
from prog_tracker.participants.models import Participant

FIELDS = (
    "observed_on",
    "employment",
    "uses_trained_skill",
    "housing",
    "returned_to_custody",
    "note",
)


@creates.replayable("outcome", "outcome.create")
def record_outcome(actor: User, data: dict) -> Outcome:
    """Record a person's outcome on a day (caseworker of a person they see, admin)."""
    participant = policy.get_participant(actor, data["participant_id"], "outcome.record")
    policy.require(actor, "outcome.record", participant)
    claim = creates.claim(actor, "outcome", data, "outcome.create")
    if claim.earlier is not None:
        return claim.earlier
    values = {name: data[name] for name in FIELDS if name in data}
    _check(participant, values)
    outcome = Outcome(
        participant_id=participant.id,
        organisation_id=organisation_for(
            actor, data.get("organisation_id"), required=False, participant=participant
        ),
        recorded_by_id=actor.id,
        **values,
    )
    claim.keep(outcome)
    db.session.add(outcome)
    db.session.flush()
    audit.record("outcome.create", "outcome", [outcome.id], actor_id=actor.id)
    db.session.commit()
    return outcome


def update_outcome(actor: User, outcome: Outcome, data: dict) -> Outcome:
    """Correct an outcome (its organisation's caseworkers, admin)."""
    policy.require(actor, "outcome.record", outcome)
    check_version(outcome, data.pop("version", None))
    changes = {name: data[name] for name in FIELDS if name in data}
    merged = {name: getattr(outcome, name) for name in FIELDS} | changes
    _check(outcome.participant, merged)
    for name, value in changes.items():
        setattr(outcome, name, value)
    audit.record("outcome.update", "outcome", [outcome.id], actor_id=actor.id)
    commit_or_conflict(outcome)
    return outcome


def _check(participant: Participant, values: dict) -> None:
    """Observed after the first release and not in the future; skill use only with work."""
    observed_on = values["observed_on"]
    if observed_on > today_at(participant.facility):
        raise validation_error({"observed_on": [_l("Must not be in the future.")]})
    first = first_release_on(participant)
    if first is None:
        raise rule_error("not_released", _l("This person has not been released yet."))
    if observed_on < first:
        raise validation_error(
            {"observed_on": [_l("Must not be before the person's first release.")]}
        )
    employment = values.get("employment") or "unknown"
    if values.get("uses_trained_skill") is not None and employment not in EMPLOYED:
        raise rule_error(
            "skill_use_without_work",
            _l("Answer whether the trained skill is used only for someone who works."),
            fields={
                "uses_trained_skill": [
                    _l("Leave empty unless the person is employed or self-employed.")
                ]
            },
        )


def read_outcome(actor: User, outcome: Outcome) -> Outcome:
    """One outcome the policy returned, its read audited."""
    audit.record("outcome.read", "outcome", [outcome.id], actor_id=actor.id)
    db.session.commit()
    return outcome


def participant_outcomes(actor: User, participant: Participant) -> list[Outcome]:
    """A person's outcomes the actor may see, latest observation first."""
    return list(db.session.scalars(outcomes_query(actor, participant)))


def outcomes_query(actor: User, participant: Participant):
    """A SELECT of a person's outcomes the actor may see, latest observation first."""
    return (
        policy.visible_outcomes(actor)
        .where(Outcome.participant_id == participant.id)
        .order_by(Outcome.observed_on.desc(), Outcome.created_at.desc(), Outcome.id)
    )
