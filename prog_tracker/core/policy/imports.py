"""Who may import participants from a register, and into which facilities (SPEC §12).

Officers import into their own facility only, admins into any; the command line
acts as the system, with an admin's reach (like `create-user`, it answers to
whoever runs it on the server).
"""

from dataclasses import dataclass

from prog_tracker.auth.models import User
from prog_tracker.core.errors import forbidden
from prog_tracker.core.input import parse_uuid
from prog_tracker.core.policy.actions import require
from prog_tracker.core.policy.directory import facility_choices
from prog_tracker.directory.models import Facility
from prog_tracker.extensions import db

__all__ = ["SystemActor", "import_facilities", "import_facility", "require_import"]


@dataclass(frozen=True)
class SystemActor:
    """The actor of command-line work: no user row (audit events name no actor)."""

    id: None = None
    role: str = "admin"
    facility_id: None = None
    organisation_id: None = None
    country: None = None
    locale: None = None


def require_import(user: User) -> None:
    """403 unless the user's role may import participants."""
    require(user, "participant.import")


def import_facilities(user: User) -> set[str]:
    """The ids of the facilities the user may import people into."""
    query = facility_choices(user).with_only_columns(Facility.id).order_by(None)
    return set(db.session.scalars(query))


def import_facility(user: User, facility_id: str | None) -> str | None:
    """The facility an import names for all its rows (None: each row names its own, or
    the officer's own); 403 when the user may not import into it."""
    require_import(user)
    if not facility_id:
        return user.facility_id if user.role == "officer" else None
    canonical = parse_uuid(facility_id)
    allowed = canonical and db.session.scalar(
        facility_choices(user).where(Facility.id == canonical).with_only_columns(Facility.id)
    )
    if not allowed:
        raise forbidden()
    return canonical
