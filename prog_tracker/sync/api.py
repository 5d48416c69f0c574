"""JSON routes of the offline sync protocol (SPEC §5): /sync/push and /sync/pull."""

import json

from flask import Response, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from prog_tracker.core.api import ApiError
from prog_tracker.sync import pull as pulling
from prog_tracker.sync import push as pushing
from prog_tracker.sync.schemas import PullQuerySchema, PullSchema, PushResultSchema, PushSchema

blp = Blueprint("sync_api", __name__, url_prefix="/api/v1/sync", description="Offline sync")


def too_large() -> ApiError:
    """The 413 for a push beyond the limits."""
    return ApiError(413, "payload_too_large", _l("The request is too large."))


def _check_size() -> None:
    """Refuse a body over SYNC_MAX_BYTES before reading it (the app's limit may be higher)."""
    length = request.content_length
    if length is not None and length > current_app.config["SYNC_MAX_BYTES"]:
        raise too_large()


@blp.route("/push", methods=["POST"])
@blp.arguments(PushSchema)
@blp.response(200, PushResultSchema)
def push(data):
    """Apply a device's outbox: one result per mutation, in the order sent.

    Each result is `applied`, `duplicate` (applied before: nothing written
    again), `conflict` (stale base_version: `current` holds the server's
    record) or `rejected` (`errors` says why); the others are unaffected.
    """
    if len(data["mutations"]) > current_app.config["SYNC_MAX_MUTATIONS"]:
        raise too_large()
    results = pushing.push(g.user, data["device_id"], data["mutations"])
    return jsonify({"results": results})


@blp.route("/pull", methods=["GET"])
@blp.arguments(PullQuerySchema, location="query")
@blp.response(200, PullSchema)
def pull(args):
    """Changes and removals in the caller's scope since `cursor` (none: the whole scope).

    Pull again with the answer's `cursor` while `has_more`; a cursor the server
    no longer keeps, or one issued before the user's role, facility or
    organisation changed, answers 410 `cursor_expired`: pull without one.
    """
    answer = pulling.pull(g.user, args.get("cursor"), args.get("limit"))
    # A first pull is megabytes: compact, unsorted, and UTF-8 rather than \u escapes.
    body = json.dumps(answer, separators=(",", ":"), ensure_ascii=False)
    return Response(body, mimetype="application/json")


blp.before_request(_check_size)
