"""Two partner NGOs in Kazakhstan, their caseworkers, and the facility's staff."""

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from prog_tracker.core.audit import AuditEvent
from prog_tracker.core.dates import today_at
from prog_tracker.extensions import db


@dataclass
class Partners:
    """What the partner and aftercare tests act on."""

    facility: object
    ngo_a: object
    ngo_b: object
    officer: object
    admin: object
    caseworker_a: object
    colleague_a: object
    caseworker_b: object
    today: object


@pytest.fixture
def partners(make):
    """Facility A (Almaty time), NGO A with two caseworkers, NGO B with one."""
    facility = make.facility(country="KZ", timezone="Asia/Almaty")
    ngo_a = make.organisation(name="Jol NGO")
    ngo_b = make.organisation(name="Ashyq Esik")
    return Partners(
        facility=facility,
        ngo_a=ngo_a,
        ngo_b=ngo_b,
        officer=make.user("officer", facility=facility),
        admin=make.user("admin"),
        caseworker_a=make.user("caseworker", organisation=ngo_a),
        colleague_a=make.user("caseworker", organisation=ngo_a),
        caseworker_b=make.user("caseworker", organisation=ngo_b),
        today=today_at(facility),
    )


def last_event_id() -> int:
    """The id of the newest audit event (0 when there is none)."""
    return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def events_since(event_id: int, action=None) -> list:
    """Audit events written after event_id, oldest first."""
    query = select(AuditEvent).where(AuditEvent.id > event_id).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))
