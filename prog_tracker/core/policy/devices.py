"""Scope of the device registry (SPEC §11): everyone sees their own field devices;
admins every device; supervisors the devices of the staff of their country (the
staff whose names they see beside audit events, staff.visible_staff). The owner or
an admin may revoke one; anyone else meets the plain 404, audited."""

from sqlalchemy import select

from prog_tracker.auth.models import User
from prog_tracker.core.collation import by_name
from prog_tracker.core.errors import forbidden, not_found
from prog_tracker.core.policy.actions import deny, may, require
from prog_tracker.core.policy.staff import visible_staff
from prog_tracker.devices.models import Device, device_key
from prog_tracker.extensions import db

__all__ = [
    "device_owners",
    "get_revocable_device",
    "may_revoke_any_device",
    "require_device_review",
    "require_own_device",
    "visible_devices",
]


def _owner_ids(user: User):
    """A SELECT of the ids of the users whose devices user sees, or None for every user."""
    if user.role == "admin":
        return None
    if may(user, "device.review"):
        return visible_staff(user).with_only_columns(User.id).order_by(None)
    return select(User.id).where(User.id == user.id)


def visible_devices(user: User):
    """A SELECT of the devices the user may see (no order: the caller picks one)."""
    owners = _owner_ids(user)
    query = select(Device)
    return query if owners is None else query.where(Device.user_id.in_(owners))


def device_owners(user: User):
    """A SELECT of the users whose devices the user may see, by name (a filter's choices)."""
    query = select(User).order_by(by_name(User.display_name), User.id)
    owners = _owner_ids(user)
    return query if owners is None else query.where(User.id.in_(owners))


def require_device_review(user: User) -> None:
    """403 unless the user reviews others' devices (the admin devices page)."""
    require(user, "device.review")


def may_revoke_any_device(user: User) -> bool:
    """True when the user may revoke anyone's device (admins)."""
    return may(user, "device.revoke_any")


def get_revocable_device(user: User, device_id: str) -> Device:
    """A device the user owns (any, for an admin), or 404 with a denied event for others."""
    canonical = device_key(device_id)
    found = db.session.get(Device, canonical) if canonical else None
    if found is None:
        raise not_found()
    if found.user_id != user.id and not may_revoke_any_device(user):
        deny(user, "device.revoke", "device", [canonical])
    return found


def require_own_device(user: User, device: Device) -> None:
    """403 when a signed-in request names another user's device (X-Device-Id): each
    store of a shared tablet has an id of its own, so this is never the app's doing."""
    if device.user_id != user.id:
        raise forbidden()
