"""The settings page's revoke button and the admin devices page."""

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from prog_tracker.core import policy
from prog_tracker.core.errors import ApiError
from prog_tracker.core.forms import load_form, render_form
from prog_tracker.core.navigation import safe_next
from prog_tracker.core.pagination import decode_cursor
from prog_tracker.devices import services
from prog_tracker.devices.labels import state_labels
from prog_tracker.devices.schemas import DeviceFilterSchema
from prog_tracker.devices.views import bp

FILTERS = ("user_id", "state")


@bp.route("/settings/devices/<device_id>/revoke", methods=["POST"])
def revoke_own(device_id):
    """Revoke one of one's own devices from the settings page."""
    services.revoke_device(g.user, policy.get_revocable_device(g.user, device_id))
    flash(_("The device is revoked. It erases your data the next time it connects."), "success")
    return redirect(url_for("auth.settings", _anchor="my-devices"))


@bp.route("/admin/devices")
def admin_devices():
    """Every device in the reader's scope, filtered by owner and state, newest last seen first."""
    policy.require_device_review(g.user)
    shown = {name: request.args.get(name, "").strip() for name in FILTERS}
    try:
        filters = load_form(DeviceFilterSchema(), {k: v for k, v in shown.items() if v})
        offset = decode_cursor(request.args.get("cursor"))
    except ApiError as err:
        return _admin_page(shown, ([], None), 0, err)
    return _admin_page(shown, services.devices_page(g.user, filters, offset), offset)


@bp.route("/admin/devices/<device_id>/revoke", methods=["POST"])
def admin_revoke(device_id):
    """Revoke a device from the admin page (admins; a supervisor's own device too)."""
    policy.require_device_review(g.user)
    services.revoke_device(g.user, policy.get_revocable_device(g.user, device_id))
    flash(_("The device is revoked. It erases its data the next time it connects."), "success")
    return redirect(safe_next(request.form.get("next") or url_for(".admin_devices")))


def _admin_page(shown: dict, page: tuple, offset: int, err=None):
    """Render the filters, the explanation and one page of devices."""
    rows, cursor = page
    kept = {k: v for k, v in shown.items() if v}
    return render_form(
        "devices/admin.html",
        shown,
        err,
        devices=rows,
        owner_options=services.owner_choices(g.user),
        state_options=list(state_labels().items()),
        state_labels=state_labels(),
        can_revoke=policy.may_revoke_any_device(g.user),
        here=url_for(".admin_devices", **kept, cursor=request.args.get("cursor") or None),
        next_url=url_for(".admin_devices", cursor=cursor, **kept) if cursor else None,
        first_url=url_for(".admin_devices", **kept) if offset else None,
    )
