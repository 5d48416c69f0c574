"""Permission-matrix rows for the device pages: revoking from one's settings, and the
admin devices page (admins revoke; supervisors read; other roles 403). `<device_id>`
is the other officer's device (tests/matrix/devices.py)."""

ROWS = {
    # Only its owner or an admin may revoke it: the others meet the plain 404.
    ("POST", "/settings/devices/<device_id>/revoke"): (None, (400, 302, 404, 404, 404, 404)),
    ("GET", "/admin/devices"): (None, (302, 200, 200, 403, 403, 403)),
    ("POST", "/admin/devices/<device_id>/revoke"): (None, (400, 302, 404, 403, 403, 403)),
}
