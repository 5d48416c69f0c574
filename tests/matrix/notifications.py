"""Permission-matrix rows for Web Push (issue 6): every signed-in user may receive reminders
on their own devices; a subscription names an endpoint on the tests' loopback push service."""

import base64
import itertools

_n = itertools.count(1)
SIGNED_IN = (401, 200, 200, 200, 200, 200)
# A valid-looking browser key: the P-256 generator point (any point on the curve would do).
_P256DH = (
    base64.urlsafe_b64encode(
        bytes.fromhex(
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
        )
    )
    .rstrip(b"=")
    .decode()
)
_AUTH = base64.urlsafe_b64encode(b"0123456789abcdef").rstrip(b"=").decode()


def _subscription(_w) -> dict:
    """A new subscription on the loopback push service."""
    return {
        "endpoint": f"http://127.0.0.1:9/push/matrix-{next(_n)}",
        "expirationTime": None,
        "keys": {"p256dh": _P256DH, "auth": _AUTH},
    }


ROWS = {
    ("GET", "/api/v1/push/public-key"): (None, SIGNED_IN),
    ("POST", "/api/v1/push/subscriptions"): (_subscription, (401, 201, 201, 201, 201, 201)),
    ("DELETE", "/api/v1/push/subscriptions"): (
        {"endpoint": "http://127.0.0.1:9/push/none"},
        (401, 204, 204, 204, 204, 204),
    ),
    # The settings page's choice of reminder kinds (none ticked is valid for every role).
    ("POST", "/settings/notifications"): ({"kinds": []}, (400, 302, 302, 302, 302, 302)),
}
