"""Helpers for the device registry's tests: field sign-ins with X-Device-Id, and rows."""

import uuid

import pytest
from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.devices.models import Device
from prog_tracker.extensions import db
from tests.conftest import totp_now
from tests.factories import PASSWORD, Factory

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)


def new_id() -> str:
    """A client-chosen device id."""
    return str(uuid.uuid4())


def field_login(client, user, device_id, label=None, user_agent=ANDROID_CHROME):
    """POST /auth/login as the field app does: with X-Device-Id (and a label)."""
    body = {"username": user.username, "password": PASSWORD}
    if user.mfa_enabled:
        user.totp_last_step = None  # let a test sign the same user in twice
        db.session.commit()
        body["totp"] = totp_now(user)
    if label is not None:
        body["device_label"] = label
    headers = {"X-Device-Id": device_id, "User-Agent": user_agent}
    return client.post("/api/v1/auth/login", json=body, headers=headers)


def make_device(user, revoked=False, wiped=False, **kwargs) -> Device:
    """A device row of user (revoked and/or wiped when asked)."""
    return Factory().device(user, revoked=revoked, wiped=wiped, **kwargs)


def device_events(action=None) -> list[AuditEvent]:
    """The device.* audit events, oldest first."""
    query = select(AuditEvent).where(AuditEvent.action.like("device.%"))
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


@pytest.fixture
def field_client(app):
    """A fresh client (the field app on one device)."""
    return app.test_client()


def fresh(model, record_id):
    """The row as the database holds it now (requests ran in sessions of their own)."""
    db.session.expire_all()
    return db.session.get(model, record_id)
