"""An anonymised record stays anonymised (docs/retention.md): nothing brings it back.

Once the retention schedule blanked a person's identity, no one may change the
person, nor add, change or delete a record of theirs (a row whose
`participant_id` refers to them: contacts, outcomes, consents, referrals,
enrolments, release episodes, certificates…). Every write passes one point,
the session's flush, so the rule is kept there: the pages, the JSON API, the
offline sync push and the commands obey it without a check of their own, and
a domain added later obeys it too. The services' callers already turn an
ApiError into a 422 (a form shows it beside what was typed; a sync push answers
a rejected mutation). The refusal comes before anything is written, as the
services flush before writing their audit event.

Retention's own work passes: the `identity` step changes people not anonymised
yet, and free text is blanked with bulk statements, which do not flush.
"""

from functools import cache
from itertools import chain

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from prog_tracker.core.errors import ApiError, rule_error
from prog_tracker.participants.models import Participant

RULE = "participant_anonymised"
# Ids per query: well under every database's limit on bound parameters.
ID_BATCH = 500


def anonymised_error() -> ApiError:
    """The 422 for a change to an anonymised person or to a record of theirs."""
    return rule_error(
        RULE, _l("This record was anonymised under the retention schedule and cannot be changed.")
    )


@cache
def _names_its_person(mapper) -> bool:
    """True for a model whose rows belong to one person (participant_id refers to them)."""
    column = mapper.columns.get("participant_id")
    return column is not None and any(
        key.target_fullname == "participants.id" for key in column.foreign_keys
    )


def _people_written(session: Session) -> set[str]:
    """Ids of the people whose record this flush would change, add to or delete from."""
    people: set[str] = set()
    # Each of these properties builds a new set: read them once, not once per instance.
    new, dirty, deleted = session.new, session.dirty, session.deleted
    for instance in chain(new, dirty, deleted):
        if instance in dirty and not session.is_modified(instance):
            continue  # an attribute set to the value it had: nothing is written
        state = inspect(instance)
        if isinstance(instance, Participant):
            if instance not in new:
                people.add(instance.id)
        elif _names_its_person(state.mapper):
            # The record's person before and after the change: moving a record off an
            # anonymised person is a change to their record as well.
            owners = state.attrs.participant_id.history.sum() or [instance.participant_id]
            people.update(pid for pid in owners if pid)
    return people


def _anonymised_among(session: Session, ids: list[str]) -> bool:
    """True when one of the people ids was anonymised before this unit of work."""
    with session.no_autoflush:
        for start in range(0, len(ids), ID_BATCH):
            query = select(Participant.id).where(
                Participant.id.in_(ids[start : start + ID_BATCH]),
                Participant.anonymised_at.is_not(None),
            )
            if session.execute(query.limit(1)).first() is not None:
                return True
    return False


@event.listens_for(Session, "before_flush")
def refuse_anonymised_writes(session: Session, _context, _instances) -> None:
    """Refuse (422 participant_anonymised) a flush that touches an anonymised record."""
    people = _people_written(session)
    if people and _anonymised_among(session, sorted(people)):
        raise anonymised_error()
