"""JSON route of the audit log (SPEC §4): admins and supervisors review the trail."""

from flask import g
from flask_smorest import Blueprint

from prog_tracker.auditlog import services
from prog_tracker.auditlog.schemas import AuditEventQuerySchema, AuditEventSchema
from prog_tracker.core import policy
from prog_tracker.core.pagination import encode_cursor, page_params
from prog_tracker.core.schemas import page_schema

blp = Blueprint("auditlog_api", __name__, url_prefix="/api/v1", description="Audit log")


@blp.route("/audit-events", methods=["GET"])
@blp.arguments(AuditEventQuerySchema, location="query")
@blp.response(200, page_schema(AuditEventSchema, "AuditEventPage"))
def list_audit_events(args):
    """Audit events, newest first (admin: all; supervisor: about people in their scope
    and their own). Reading the log is itself audited."""
    # The cursor holds the last event id shown (services.review_events says why).
    limit, before_id = page_params()
    filters = {name: args.get(name) for name in services.FILTERS}
    page = services.review_events(g.user, filters, limit, before_id)
    cursor = encode_cursor(page.next_cursor) if page.next_cursor else None
    return {"items": page.events, "next_cursor": cursor}


def _may_read() -> None:
    """Roles without the audit log get 403 before their query is even read."""
    policy.require(g.user, "audit.read")


blp.before_request(_may_read)
