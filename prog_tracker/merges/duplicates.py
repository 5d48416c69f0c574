"""The duplicates page's reads and its "not the same person": pairs of one facility
from the duplicate finder (participants.matching), shown side by side."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from prog_tracker.core import audit, policy
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db
from prog_tracker.merges.snapshot import table
from prog_tracker.participants.models import Participant

# The finder's reason codes in words (participants/matching, SPEC §12).
REASON_LABELS = {
    "name": _l("Same name"),
    "name_other_script": _l("Same name in another script"),
    "names_swapped": _l("Given and family names swapped"),
    "other_names": _l("Other names match"),
    "date_of_birth": _l("Same date of birth"),
    "date_of_birth_swapped": _l("Date of birth with day and month swapped"),
    "sex": _l("Same sex"),
    "prison_number": _l("Same prison number"),
}


@dataclass
class Pair:
    """Two people who may be one, and why the finder thinks so."""

    a: Participant
    b: Participant
    percent: int
    reasons: list
    counts: dict


def facility_options(actor) -> list[Facility]:
    """The facilities whose duplicates the actor may review (an officer's own; admins all)."""
    return list(db.session.scalars(policy.facility_choices(actor)))


def duplicate_pairs(actor, facility_id: str) -> list[Pair]:
    """The likely pairs of one facility, people loaded through the policy; the read audited."""
    policy.require(actor, "participant.merge")
    found = _likely_pairs(actor, facility_id)
    ids = {pid for a, b, _match in found for pid in (a, b)}
    people = {
        p.id: p
        for p in db.session.scalars(
            policy.visible_participants(actor).where(Participant.id.in_(sorted(ids)))
        )
    }
    counts = _counts(sorted(people))
    pairs = [
        Pair(people[a], people[b], round(match.score * 100), _reasons(match), counts)
        for a, b, match in found
        if a in people and b in people
    ]
    shown = [p.id for pair in pairs for p in (pair.a, pair.b)]
    audit.record_list(actor, "participant.list", "participant", shown)
    db.session.commit()
    return pairs


def _likely_pairs(actor, facility_id: str) -> list:
    """The matcher's likely pairs of one facility."""
    from prog_tracker.participants import matching

    return list(matching.likely_pairs(actor, facility_id))


def _reasons(match) -> list[str]:
    """A match's reasons in the reader's language."""
    return [str(REASON_LABELS.get(code, code)) for code in match.reasons]


def _counts(ids: list[str]) -> dict:
    """person id -> {"enrolments": n, "referrals": n}."""
    counts: dict = {pid: {"enrolments": 0, "referrals": 0} for pid in ids}
    for name in ("enrolments", "referrals"):
        tab = table(name)
        query = (
            select(tab.c.participant_id, func.count())
            .where(tab.c.participant_id.in_(ids))
            .group_by(tab.c.participant_id)
        )
        for pid, count in db.session.execute(query):
            counts[pid][name] = count
    return counts


def mark_not_the_same(actor, a_id: str, b_id: str) -> None:
    """Remember two people (both in scope, both mergeable by the actor) as different; commit."""
    a, b = policy.merge_pair(actor, a_id, b_id)
    from prog_tracker.participants import matching

    matching.mark_not_duplicates(actor, a.id, b.id)
    db.session.commit()
