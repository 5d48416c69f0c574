"""JSON routes: merge one person's record into another's, and undo a merge (SPEC §12)."""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.merges import services
from prog_tracker.merges.schemas import MergeRequestSchema, MergeResultSchema, MergeUndoSchema

blp = Blueprint(
    "merges_api",
    __name__,
    url_prefix="/api/v1",
    description="Merging two records of one person, and undoing it",
)


@blp.route("/participants/<participant_id>/merge", methods=["POST"])
@blp.arguments(MergeRequestSchema)
@blp.response(200, MergeResultSchema)
def merge_participant(data, participant_id):
    """Move every record of this person onto `into_id` (officer of both people's facility,
    or admin); this record then redirects to the survivor. Audited."""
    merge = services.merge_by_ids(g.user, participant_id, data["into_id"])
    return {"merge_id": merge.id, "participant": services.survivor_of(g.user, merge)}


@blp.route("/merges/<merge_id>/undo", methods=["POST"])
@blp.response(200, MergeUndoSchema)
def undo_merge(merge_id):
    """Restore both people exactly as before the merge (records added to the survivor
    since stay with it); a second undo answers 409. Audited."""
    merge = services.undo_merge(g.user, merge_id)
    return {
        "merge_id": merge.id,
        "source_id": merge.source_id,
        "into_id": merge.into_id,
        "merged_at": merge.merged_at,
        "undone_at": merge.undone_at,
    }
