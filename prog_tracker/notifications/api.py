"""JSON routes for Web Push (SPEC §4): the server's key and this device's subscription."""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.notifications import subscriptions
from prog_tracker.notifications.schemas import (
    PublicKeySchema,
    SubscriptionCreateSchema,
    SubscriptionDeleteSchema,
    SubscriptionSchema,
)

blp = Blueprint("push_api", __name__, url_prefix="/api/v1/push", description="Web Push")


@blp.route("/public-key", methods=["GET"])
@blp.response(200, PublicKeySchema)
def get_public_key():
    """The VAPID public key (base64url, uncompressed P-256 point) to subscribe with."""
    return {"public_key": subscriptions.server_public_key()}


@blp.route("/subscriptions", methods=["POST"])
@blp.arguments(SubscriptionCreateSchema)
@blp.response(201, SubscriptionSchema)
@blp.alt_response(200, schema=SubscriptionSchema, description="Already subscribed: keys renewed")
@blp.alt_response(422, description="Not valid, or `push_endpoint_not_allowed`")
def create_subscription(data):
    """Receive reminders on this device (the browser's PushSubscription as JSON).

    Only endpoints of the allowed push services are accepted
    (PROG_TRACKER_PUSH_ENDPOINTS); 201 when new, 200 when this endpoint was
    already subscribed (it now belongs to the caller).
    """
    subscriptions.server_public_key()  # 503 when push is not set up
    row, created = subscriptions.subscribe(g.user, data)
    return row, 201 if created else 200


@blp.route("/subscriptions", methods=["DELETE"])
@blp.arguments(SubscriptionDeleteSchema)
@blp.response(204)
def delete_subscription(data):
    """Stop reminders on this device (204 also when it was not subscribed)."""
    subscriptions.unsubscribe(g.user, data["endpoint"])
