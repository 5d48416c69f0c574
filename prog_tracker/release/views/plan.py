"""The release plan page: a person's plan items, progress, and one change form per item."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from prog_tracker.core import policy
from prog_tracker.core.dates import today_at
from prog_tracker.core.errors import ApiError, normalize_fields
from prog_tracker.core.forms import form_data, keep_form_errors, load_patch
from prog_tracker.core.localised import with_country
from prog_tracker.participants.models import Participant
from prog_tracker.release import plans, schemas
from prog_tracker.release.labels import PLAN_STATUS_LABELS
from prog_tracker.release.models import PLAN_STATUSES, ReleasePlanItem
from prog_tracker.release.views import bp

ITEM_FIELDS = ("status", "owner_organisation_id", "due_date", "note", "version")
# Blank owner or note means "none"; a blank due date or status leaves them as they are.
CLEARABLE = ("owner_organisation_id", "note")


@bp.route("/participants/<participant_id>/release-plan")
def release_plan(participant_id):
    """A person's release plan: every item with its owner and due date, and the progress."""
    return plan_page(policy.get_aftercare_participant(g.user, participant_id, "release_plan.read"))


def plan_page(participant: Participant, err: ApiError | None = None, failed=None, values=None):
    """Render the plan page; after a refused change, with the error beside that item."""
    items = plans.read_plan(g.user, participant)
    organisations = plans.owner_organisations(g.user, participant, items)
    page = render_template(
        "release/plan.html",
        participant=participant,
        items=items,
        progress=plans.plan_progress(items),
        # Each item judged by the same rule as the plan's overdue count.
        overdue_ids={i.id for i in items if plans.plan_progress([i])["overdue"]},
        today=today_at(participant.facility),
        may_update={i.id: policy.may(g.user, "plan.update", i) for i in items},
        owner_options=[(o.id, with_country(o)) for o in organisations],
        status_options=[(s, PLAN_STATUS_LABELS[s]) for s in PLAN_STATUSES],
        failed=failed,
        values=values or {},
        errors=normalize_fields(err.fields) if err is not None and err.fields else {},
        failed_message=_message(err),
    )
    return page, (err.status if err is not None else 200)


def _message(err: ApiError | None) -> str | None:
    """What to say beside a refused item; a stale version gets a plain explanation."""
    if err is None:
        return None
    if err.status == 409:
        return _(
            "Someone else changed this item while you were editing it. The saved values "
            "are shown above and your changes are kept in the form: check them and save again."
        )
    return err.message


@bp.route("/release-plan-items/<release_plan_item_id>", methods=["POST"])
def update_plan_item(release_plan_item_id):
    """Change one plan item's status, owner, due date or note."""
    item = policy.get_scoped(g.user, "release_plan_item", release_plan_item_id, "plan.update")
    policy.require(g.user, "plan.update", item)  # 403 before judging the form
    submitted = form_data(ITEM_FIELDS)
    try:
        data = load_patch(schemas.PlanItemPatchSchema(), submitted, clearable=CLEARABLE)
        plans.update_plan_item(g.user, item, data)
    except ApiError as err:
        keep_form_errors(err)
        return _refused(item, submitted, err)
    flash(_("The plan item is saved."), "success")
    return redirect(
        url_for(".release_plan", participant_id=item.participant_id, _anchor=f"item-{item.id}")
    )


def _refused(item: ReleasePlanItem, submitted: dict, err: ApiError):
    """The plan page again with what was typed; after a conflict, the saved version to retry."""
    plans.saved_item(item)
    values = dict(submitted)
    if err.status == 409:
        values["version"] = item.version
    participant = policy.get_aftercare_participant(g.user, item.participant_id, "plan.update")
    return plan_page(participant, err, failed=item.id, values=values)
