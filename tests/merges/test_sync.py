"""Sync after a merge (SPEC §12): the device drops the merged person (`removed`, reason
`merged`, `into_id`), and the records moved onto the survivor come in the same pull."""

from prog_tracker.merges import services
from tests.sync.conftest import field, pull_all

__all__ = ["field"]


def test_a_merged_person_is_removed_and_their_records_come_under_the_survivor(api_as, make, field):
    source, into = field.clients
    contact = make.contact(source, field.caseworker)
    api = api_as(field.caseworker)
    cursor, changes, _removed, _pages = pull_all(api)
    assert any(c["id"] == contact.id for c in changes)
    services.merge_participants(field.admin, source, into)
    _cursor, changes, removed, _pages = pull_all(api, cursor)
    assert {"entity": "participant", "id": source.id, "reason": "merged", "into_id": into.id} in (
        removed
    )
    moved = next(c for c in changes if c["id"] == contact.id)
    assert moved["data"]["participant_id"] == into.id
    survivor = next(c for c in changes if c["entity"] == "participant")
    assert survivor["id"] == into.id
