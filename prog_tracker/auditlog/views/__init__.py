"""Pages of the audit log: the reason picker before one person's record, and /audit."""

from flask import Blueprint

bp = Blueprint("auditlog", __name__)

# The route modules attach to bp, so they come after it.
from prog_tracker.auditlog.views import log, reason  # noqa: E402, F401
