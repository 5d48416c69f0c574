"""Permission-matrix rows for merging two records of one person, and undoing it (SPEC §12).

Each row: (method, rule) -> (body or None or callable(world), statuses for
(anon, admin, supervisor, officer, instructor, caseworker)). The world gains a second
record of its participant (`duplicate`) and, for the undo, a merge already made and
undone by an admin (so every role's undo meets the same record: 409 when allowed).
"""


def extend(make, world) -> None:
    """A duplicate of the world's participant, and a merge of two others, undone."""
    from prog_tracker.merges import services

    world.duplicate = make.participant(facility=world.facility)
    source = make.participant(facility=world.facility)
    into = make.participant(facility=world.facility)
    admin = world.users["admin"]
    world.merge = services.merge_participants(admin, source, into)
    services.undo_merge(admin, world.merge.id)


ROWS = {
    # Officer of both people's facility, or admin; the caseworker sees neither person.
    ("POST", "/api/v1/participants/<participant_id>/merge"): (
        lambda w: {"into_id": w.duplicate.id},
        (401, 200, 403, 200, 403, 404),
    ),
    ("POST", "/api/v1/merges/<merge_id>/undo"): (None, (401, 409, 403, 409, 404, 404)),
}
