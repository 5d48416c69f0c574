"""Pages of the audit log: the reason picker before one person's record, and /audit."""

from flask import Blueprint

bp = Blueprint("auditlog", __name__)
