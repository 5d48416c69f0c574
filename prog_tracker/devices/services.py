"""The device registry's rules (SPEC §11): registering at sign-in and sync, revoking,
and the one-time wipe receipt. Audit events name ids only: a label is free text."""

import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import NoReturn

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from prog_tracker.core import audit, events, policy, secrets_at_rest
from prog_tracker.core.bidi import printable_name
from prog_tracker.core.errors import ApiError, not_found
from prog_tracker.core.models import utcnow
from prog_tracker.core.pagination import page_at
from prog_tracker.devices import keys
from prog_tracker.devices.labels import label_from_user_agent
from prog_tracker.devices.models import Device, device_key
from prog_tracker.extensions import db

log = logging.getLogger("prog_tracker.devices")
# A device's fields as listed (DeviceSchema): never its key or receipt token.
LISTED = (
    "id",
    "user_id",
    "label",
    "created_at",
    "last_seen_at",
    "revoked_at",
    "wiped_at",
    "pending_count",
)
# last_seen_at is written at most this often, unless the unsent count changed.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass
class Registered:
    """The device a sign-in registered or re-used, with its escrow key (base64url)."""

    device: Device
    key: str

    def shown(self) -> dict:
        """The device as listed, with its key: for the login answer only."""
        return {**{name: getattr(self.device, name) for name in LISTED}, "key": self.key}


def device_policy() -> dict:
    """What the field app enforces on the device: idle lock and offline lease (SPEC §11)."""
    cfg = current_app.config
    return {
        "idle_lock_minutes": cfg["DEVICE_IDLE_LOCK_MINUTES"],
        "offline_lease_hours": cfg["DEVICE_OFFLINE_LEASE_HOURS"],
    }


def refuse_revoked(device: Device) -> NoReturn:
    """401 device_revoked; a device not yet wiped gets a new one-time receipt token (the
    newest replaces any earlier one), a wiped one none: it cannot report twice."""
    detail = {}
    if device.wiped_at is None:
        token, digest = keys.new_receipt_token()
        device.receipt_token_hash = digest
        detail["receipt_token"] = token
    db.session.commit()
    raise ApiError(
        401,
        "device_revoked",
        _l("This device was signed out for good: its data is being removed from it."),
        detail=detail,
    )


def check_sign_in_device(user_id: str, device_id: str) -> Device | None:
    """The device a full sign-in may use (None: a new one); else 409 for another user's
    or a wiped device (the app makes a new id), 401 device_revoked for a revoked one."""
    device = db.session.get(Device, device_id)
    if device is None:
        return None
    if device.user_id != user_id:
        raise ApiError(409, "device_other_user", _l("This device's store belongs to another user."))
    if device.wiped_at is not None:
        raise ApiError(409, "device_wiped", _l("This device was wiped: start again on it."))
    if device.revoked_at is not None:
        refuse_revoked(device)
    return device


def register_at_sign_in(user, session_row, device: Device | None, device_id: str, label):
    """Register (device None) or re-use the device of a full sign-in and bind the session
    to it; the escrow key is made once and kept for the device's life. No commit."""
    now = utcnow()
    if device is None:
        device = _new_device(user.id, device_id, label or label_from_user_agent(_agent()))
    elif label:
        device.label = label
    device.last_seen_at = now
    session_row.device_id = device.id
    return Registered(device, _escrow_key(device))


def _escrow_key(device: Device) -> str:
    """The device's escrow key, made on its first sign-in. One that no longer decrypts
    (the at-rest key was replaced) is replaced too, rather than failing every sign-in."""
    if device.key_ciphertext is not None:
        try:
            return keys.open_key(device.id, device.key_ciphertext)
        except secrets_at_rest.SecretUnreadable:
            log.warning("escrow key of device %s does not decrypt; a new one is made", device.id)
    device.key_ciphertext = keys.new_sealed_key(device.id)
    return keys.open_key(device.id, device.key_ciphertext)


def _agent() -> str | None:
    """The request's User-Agent, if any."""
    return request.headers.get("User-Agent") if has_request_context() else None


def _new_device(user_id: str, device_id: str, label: str) -> Device:
    """Add a device row for user_id (audited by ids only)."""
    now = utcnow()
    device = Device(id=device_id, user_id=user_id, label=label, created_at=now, last_seen_at=now)
    db.session.add(device)
    db.session.flush()
    audit.record("device.register", "device", [device.id, user_id], actor_id=user_id)
    return device


def note_sync_device(user, device_id: str | None, pending: int | None) -> None:
    """After a sync request's sign-in: 403 for another user's device; an unknown id is
    registered (old app versions appear in the registry); a known one is touched."""
    if device_id is None:
        return
    device = db.session.get(Device, device_id)
    if device is None:
        _register_unknown(user, device_id, pending)
        return
    policy.require_own_device(user, device)
    now = utcnow()
    changed = pending is not None and pending != device.pending_count
    if changed or now - device.last_seen_at >= TOUCH_EVERY:
        if changed:
            device.pending_count = pending
        device.last_seen_at = now
        db.session.commit()


def _register_unknown(user, device_id: str, pending: int | None) -> None:
    """Register a device first met on sync (no escrow key: it never signed in with one)."""
    try:
        device = _new_device(user.id, device_id, label_from_user_agent(_agent()))
        device.pending_count = pending
        db.session.commit()
    except IntegrityError:
        # Two first syncs at once: the other registered it; judge against that row.
        db.session.rollback()
        note_sync_device(user, device_id, pending)


def revoke_device(actor, device: Device) -> Device:
    """Revoke a device (the caller passed the policy): its key goes, its sessions end,
    and its next sync is told to erase itself. Revoking again changes nothing."""
    if _revoke(actor, device):
        db.session.commit()
    return device


def _revoke(actor, device: Device) -> bool:
    """Mark a device revoked without committing; False when it already was."""
    if device.revoked_at is not None:
        return False
    device.revoked_at = utcnow()
    device.revoked_by_id = actor.id if actor is not None else None
    device.key_ciphertext = None
    events.device_revoked.send(device.id)
    audit.record(
        "device.revoke",
        "device",
        [device.id, device.user_id],
        actor_id=actor.id if actor is not None else None,
    )
    return True


def revoke_user_devices(actor, user_id: str) -> int:
    """Revoke every live device of a user (deactivation); no commit. Returns how many."""
    live = select(Device).where(Device.user_id == user_id, Device.revoked_at.is_(None))
    return sum(_revoke(actor, device) for device in db.session.scalars(live).all())


def record_wipe(device_id: str, receipt_token: str, unsent_count: int) -> Device:
    """The app's report that a revoked device erased itself: valid once, with the newest
    receipt token; anything else is the plain 404 (no oracle for ids or tokens)."""
    canonical = device_key(device_id)
    digest = keys.token_hash(receipt_token)
    device = db.session.get(Device, canonical) if canonical else None
    stored = device.receipt_token_hash if device is not None else None
    if device is None or device.revoked_at is None or device.wiped_at is not None or not stored:
        raise not_found()
    if not hmac.compare_digest(stored, digest):
        raise not_found()
    # One UPDATE that still demands the token: two reports at once cannot both count.
    done = db.session.execute(
        update(Device)
        .where(Device.id == device.id, Device.receipt_token_hash == digest)
        .where(Device.wiped_at.is_(None))
        .values(wiped_at=utcnow(), pending_count=unsent_count, receipt_token_hash=None)
        .returning(Device.id)
        .execution_options(synchronize_session="fetch")
    ).first()
    if done is None:
        db.session.rollback()
        raise not_found()
    ids = [device.id, device.user_id, f"unsent:{unsent_count}"]
    audit.record("device.wiped", "device", ids, actor_id=None)
    db.session.commit()
    return device


def listed_devices(user, user_id: str | None = None, state: str | None = None):
    """The devices the user may see, filtered, newest last seen first."""
    query = policy.visible_devices(user)
    if user_id:
        query = query.where(Device.user_id == user_id)
    if state == "active":
        query = query.where(Device.revoked_at.is_(None))
    elif state == "revoked":
        query = query.where(Device.revoked_at.is_not(None), Device.wiped_at.is_(None))
    elif state == "wiped":
        query = query.where(Device.wiped_at.is_not(None))
    return query.order_by(Device.last_seen_at.desc(), Device.id)


def own_devices(user) -> list[Device]:
    """The user's own devices (the settings page), newest last seen first."""
    return list(db.session.scalars(listed_devices(user, user_id=user.id)))


def device_count(user, owner_id: str) -> int:
    """How many devices of owner_id the user may see (a user's admin page)."""
    query = listed_devices(user, user_id=owner_id).order_by(None)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def devices_page(user, filters: dict, offset: int) -> tuple[list[Device], str | None]:
    """One page of the admin devices list and the next page's cursor."""
    query = listed_devices(user, user_id=filters.get("user_id"), state=filters.get("state"))
    return page_at(query, offset)


def owner_choices(user) -> list[tuple[str, str]]:
    """(id, "display name (username)") of the users whose devices the user may see."""
    return [
        (row.id, f"{printable_name(row.display_name)} ({row.username})")
        for row in db.session.scalars(policy.device_owners(user))
    ]
