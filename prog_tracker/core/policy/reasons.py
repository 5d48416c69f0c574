"""Access with a reason (SPEC §3): supervisors and admins reading one person's record
say why, with a code from `audit.REASON_CODES`.

The API takes the code from the `X-Access-Reason` header on each request; the
pages from a reason picked once per person and signed-in session, kept on the
server (`AccessGrant`) for `ACCESS_REASON_MINUTES`. Other roles are not asked:
their scope already follows from their job. Only reads are asked (GET, HEAD):
a write is accounted for by its own event.
"""

from datetime import timedelta

from flask import current_app, g, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from prog_tracker.auditlog.models import AccessGrant
from prog_tracker.core import audit
from prog_tracker.core.errors import ApiError, wants_json
from prog_tracker.core.models import utcnow
from prog_tracker.extensions import db

REASON_ROLES = ("admin", "supervisor")
READ_METHODS = ("GET", "HEAD")
# How long a reason picked in the pages covers that person's pages.
DEFAULT_GRANT_MINUTES = 30
# The reason codes in the reader's language (the reason pickers, the audit log).
REASON_LABELS = {
    "case_review": _l("Case review"),
    "data_quality": _l("Data quality check"),
    "complaint": _l("Complaint"),
    "subject_access": _l("Subject access request"),
    "safeguarding": _l("Safeguarding concern"),
    "legal": _l("Legal request"),
}


class ReasonRequired(ApiError):
    """403 reason_required: a supervisor or admin read one person's record without a
    known reason code. Pages answer it with the reason picker instead."""

    def __init__(self, participant_id: str | None = None):
        super().__init__(
            403,
            "reason_required",
            _l("Say why you are opening this record: send a reason code."),
            fields={
                "X-Access-Reason": [
                    _l("Send one of: %(codes)s.", codes=", ".join(audit.REASON_CODES))
                ]
            },
        )
        # Kept off the JSON body: the page handler uses it to offer the picker.
        self.participant_id = participant_id


def gives_reasons(user) -> bool:
    """True for the roles that give a reason to read one person's record."""
    return user is not None and user.role in REASON_ROLES


def asks_reason(user) -> bool:
    """True when this request is a read by a role that must give a reason."""
    return (
        user is not None
        and user.role in REASON_ROLES
        and has_request_context()
        and request.method in READ_METHODS
    )


def require_reason(user, participant_id: str | None = None) -> str | None:
    """The reason this read of one person's record is made for; 403 reason_required
    when a supervisor or admin gave none (None for roles that are not asked)."""
    if not asks_reason(user):
        return None
    code = g.get("access_reason_given") or audit.header_reason()
    if code is None and participant_id and not wants_json():
        code = granted_reason(participant_id)
    if code is None:
        raise ReasonRequired(participant_id)
    # Every audit event of this request carries it (audit.access_reason).
    g.access_reason = code
    return code


def granted_reason(participant_id: str) -> str | None:
    """The reason picked in this signed-in session for this person, while it lasts."""
    auth_session = g.get("auth_session")
    if auth_session is None:
        return None
    return db.session.scalar(
        select(AccessGrant.reason_code).where(
            AccessGrant.auth_session_id == auth_session.id,
            AccessGrant.participant_id == participant_id,
            AccessGrant.expires_at > utcnow(),
        )
    )


def grant_minutes() -> int:
    """How long a reason picked in the pages lasts (ACCESS_REASON_MINUTES, default 30)."""
    return int(current_app.config.get("ACCESS_REASON_MINUTES", DEFAULT_GRANT_MINUTES))


def grant_reason(auth_session, participant_id: str, code: str) -> AccessGrant:
    """Remember a reason picked in the pages for one person, replacing an earlier one."""
    if code not in audit.REASON_CODES:
        raise ValueError(f"unknown reason code {code!r}")
    minutes = grant_minutes()
    now = utcnow()
    # The session's lapsed grants and this person's earlier one go: one row per person.
    db.session.execute(
        delete(AccessGrant).where(
            AccessGrant.auth_session_id == auth_session.id,
            (AccessGrant.participant_id == participant_id) | (AccessGrant.expires_at <= now),
        )
    )
    grant = AccessGrant(
        auth_session_id=auth_session.id,
        participant_id=participant_id,
        reason_code=code,
        expires_at=now + timedelta(minutes=minutes),
    )
    db.session.add(grant)
    return grant
