"""JSON routes of the offline sync protocol (SPEC §5): /sync/push and /sync/pull."""

import hashlib
import hmac
import json

from flask import Response, current_app, g, jsonify, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from prog_tracker.core.errors import ApiError
from prog_tracker.core.input import checks_own_text
from prog_tracker.core.security import public
from prog_tracker.devices.headers import SYNC_PARAMETERS, note_sync_device
from prog_tracker.extensions import client_address, limiter
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


def sync_user_key() -> str:
    """Rate-limit key of the signed-in user: a keyed digest of their id (no names)."""
    user = g.get("user")
    if user is None:  # not reached: sync routes need a user; keyed by address to be safe
        return "sync-address:" + client_address()
    key = current_app.config["SECRET_KEY"].encode()
    return "sync-user:" + hmac.new(key, str(user.id).encode(), hashlib.sha256).hexdigest()[:32]


# Pull and push share one budget per user (SYNC_LIMIT_PER_USER, read per request):
# it stops a runaway client or a stolen token from hammering the heaviest routes.
# Checked when the view is called, after the request guard has set g.user, and
# before the body is parsed, so malformed requests count too.
sync_limit = limiter.shared_limit(
    lambda: current_app.config["SYNC_LIMIT_PER_USER"], scope="sync-user", key_func=sync_user_key
)


@blp.route("/push", methods=["POST"])
@sync_limit
@blp.arguments(PushSchema)
@blp.response(200, PushResultSchema)
@blp.doc(parameters=SYNC_PARAMETERS)
@checks_own_text("mutations")  # a bad mutation is rejected in its place (push.py)
def push(data):
    """Apply a device's outbox: one result per mutation, in the order sent.

    Each result is `applied`, `duplicate` (applied before: nothing written
    again), `conflict` (stale base_version: `current` holds the server's
    record) or `rejected` (`errors` says why); the others are unaffected.

    Headers (pull too): `X-Device-Id`, the app's store (a revoked device answers
    401 `device_revoked` with a one-time `receipt_token` in `error`; another
    user's device 403), and `X-Device-Pending`, its count of unsent changes.
    """
    if len(data["mutations"]) > current_app.config["SYNC_MAX_MUTATIONS"]:
        raise too_large()
    note_sync_device(g.user)
    results = pushing.push(g.user, data["device_id"], data["mutations"])
    return jsonify({"results": results})


@blp.route("/pull", methods=["GET"])
@sync_limit
@blp.arguments(PullQuerySchema, location="query")
@blp.response(200, PullSchema)
@blp.doc(parameters=SYNC_PARAMETERS)
def pull(args):
    """Changes and removals in the caller's scope since `cursor` (none: the whole scope).

    Pull again with the answer's `cursor` while `has_more`; a cursor the server
    no longer keeps, or one issued before the user's role, facility or
    organisation changed, answers 410 `cursor_expired`: pull without one.
    """
    note_sync_device(g.user)
    answer = pulling.pull(g.user, args.get("cursor"), args.get("limit"))
    # A first pull is megabytes: compact, unsorted, and UTF-8 rather than \u escapes.
    body = json.dumps(answer, separators=(",", ":"), ensure_ascii=False)
    return Response(body, mimetype="application/json")


@blp.route("/device", methods=["GET"])
@blp.response(204)
@blp.doc(security=[], parameters=SYNC_PARAMETERS)  # public: asked before any sign-in
@public
@limiter.limit(lambda: current_app.config["DEVICE_CHECK_LIMIT"])
def device_check():
    """Whether the device in `X-Device-Id` may go on: 204 when it may (or is unknown),
    401 `device_revoked` (with a one-time `receipt_token`) when it was revoked.

    The field app asks at start-up and before unlocking, so a revoked device erases
    its data before it draws anything, with or without a session. Changes nothing.
    """


blp.before_request(_check_size)
