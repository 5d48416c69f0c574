"""Pages of the device registry: revoking one's own device from the settings page, and
the admin devices page (admins revoke; supervisors review their country's)."""

from flask import Blueprint

bp = Blueprint("devices", __name__)
