"""JSON routes of the device registry (SPEC §11): list, revoke, and the wipe receipt."""

from flask import current_app, g
from flask_smorest import Blueprint

from prog_tracker.core import policy
from prog_tracker.core.pagination import page_of
from prog_tracker.core.schemas import page_schema
from prog_tracker.core.security import csrf_exempt_json, public
from prog_tracker.devices import services
from prog_tracker.devices.schemas import DeviceListQuerySchema, DeviceSchema, WipeReceiptSchema
from prog_tracker.extensions import limiter

blp = Blueprint(
    "devices_api",
    __name__,
    url_prefix="/api/v1/devices",
    description="Field devices: the registry, revoking one, and its wipe receipt",
)


@blp.route("", methods=["GET"])
@blp.arguments(DeviceListQuerySchema, location="query")
@blp.response(200, page_schema(DeviceSchema, "DevicePage"))
def list_devices(args):
    """Devices the caller may see, newest last seen first: their own; admins every
    device; supervisors those of their country's staff. `user_id` narrows to one owner."""
    return page_of(services.listed_devices(g.user, user_id=args.get("user_id")))


@blp.route("/<device_id>/revoke", methods=["POST"])
@blp.response(200, DeviceSchema)
def revoke(device_id):
    """Revoke a device (its owner or an admin): its sessions end, its escrow key is
    dropped, and its next pull or push answers 401 `device_revoked`. Idempotent."""
    device = policy.get_revocable_device(g.user, device_id)
    return services.revoke_device(g.user, device)


@blp.route("/<device_id>/wiped", methods=["POST"])
@blp.arguments(WipeReceiptSchema)
@blp.response(200, DeviceSchema)
@blp.doc(security=[])  # public: the revoked device has no session any more
@public
@csrf_exempt_json
@limiter.limit(lambda: current_app.config["DEVICE_WIPED_LIMIT"])
def wiped(data, device_id):
    """A revoked device reports that it erased its keys and stores, with the one-time
    `receipt_token` of its 401 and the count of unsent changes it dropped. Works once;
    anything else (unknown device, wrong or used token, not revoked) is a 404."""
    return services.record_wipe(device_id, data["receipt_token"], data["unsent_count"])
