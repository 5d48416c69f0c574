"""Pages: the duplicates of a facility side by side, the merge confirmation, and the undo."""

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from prog_tracker.core import policy
from prog_tracker.merges import duplicates, services
from prog_tracker.merges.labels import RECORD_LABELS
from prog_tracker.merges.views import bp

# The merge whose undo the next page offers (an id only: the session is a cookie).
UNDO_KEY = "merge_undo"


@bp.app_context_processor
def undo_offer() -> dict:
    """`pending_merge_undo()` for the base template: the merge just made, offered once."""
    return {"pending_merge_undo": lambda: session.pop(UNDO_KEY, None)}


@bp.route("/participants/duplicates")
def duplicates_page():
    """Likely duplicates of one facility: an officer's own; admins pick the facility."""
    policy.require(g.user, "participant.merge")
    facilities = duplicates.facility_options(g.user)
    chosen = request.args.get("facility_id") or (facilities[0].id if len(facilities) == 1 else "")
    allowed = {f.id for f in facilities}
    pairs = duplicates.duplicate_pairs(g.user, chosen) if chosen in allowed else []
    return render_template(
        "merges/duplicates.html",
        pairs=pairs,
        facility_options=[(f.id, f.name) for f in facilities],
        values={"facility_id": chosen},
        errors={},
        chosen=chosen if chosen in allowed else None,
        custody_details=policy.sees_custody_details(g.user),
    )


@bp.route("/participants/duplicates/not-the-same", methods=["POST"])
def not_the_same():
    """Remember that two people of a pair are not the same person."""
    policy.require(g.user, "participant.merge")
    duplicates.mark_not_the_same(g.user, request.form.get("a_id", ""), request.form.get("b_id", ""))
    flash(_("Noted: these two are different people."), "success")
    return redirect(
        url_for(".duplicates_page", facility_id=request.form.get("facility_id") or None)
    )


@bp.route("/participants/<participant_id>/merge", methods=["POST"])
def merge_participant(participant_id):
    """First the confirmation (what moves, and that it can be undone), then the merge."""
    source, into = policy.merge_pair(g.user, participant_id, request.form.get("into_id", ""))
    if request.form.get("confirm") != "yes":
        return render_template(
            "merges/confirm.html",
            source=source,
            into=into,
            counts=services.preview(g.user, source, into),
            record_labels=RECORD_LABELS,
            custody_details=policy.sees_custody_details(g.user),
            facility_id=request.form.get("facility_id", ""),
        )
    merge = services.merge_participants(g.user, source, into)
    session[UNDO_KEY] = merge.id
    flash(_("The two records are merged into one."), "success")
    return redirect(url_for("participants.show_participant", participant_id=merge.into_id))


@bp.route("/merges/<merge_id>/undo", methods=["POST"])
def undo_merge(merge_id):
    """Undo a merge: both records back as they were."""
    merge = services.undo_merge(g.user, merge_id)
    session.pop(UNDO_KEY, None)
    flash(_("The merge is undone: both records are back as they were."), "success")
    return redirect(url_for("participants.show_participant", participant_id=merge.source_id))
