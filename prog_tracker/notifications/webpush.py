"""The one place that talks to push services: pywebpush behind a small adapter.

pywebpush (the web-push-libs implementation) encrypts the payload (RFC 8291,
aes128gcm) and signs the VAPID JWT (RFC 8292) with `aud` set to the
endpoint's origin, port included. It writes `aud` and `exp` into the claims it
is given, so each call gets its own copy.
"""

import binascii
import email.utils
import time
from dataclasses import dataclass

import requests
from pywebpush import WebPushException, webpush


@dataclass(frozen=True)
class Delivery:
    """What a push service answered: its status (None: no answer in time) and Retry-After."""

    status: int | None
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        """True when the push service accepted the message."""
        return self.status is not None and 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        """True when the subscription no longer exists (404, 410): forget it."""
        return self.status in (404, 410)


def deliver(
    subscription,
    payload: bytes,
    *,
    vapid,
    subject: str,
    ttl: int,
    topic: str,
    urgency: str,
    timeout: float,
) -> Delivery:
    """Post one encrypted message to a subscription's endpoint (never raises for the network)."""
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    claims = {"sub": subject}  # a fresh dict per call: pywebpush adds aud and exp to it
    try:
        response = webpush(
            info,
            data=payload,
            vapid_private_key=vapid,
            vapid_claims=claims,
            ttl=ttl,
            headers={"Topic": topic, "Urgency": urgency},
            timeout=timeout,
        )
    except WebPushException as err:
        response = err.response
        if response is None:
            return Delivery(None)
    except requests.RequestException:
        return Delivery(None)  # timed out, refused, reset: try again on a later run
    except (ValueError, binascii.Error):
        # The browser's keys cannot encrypt (checked at subscription, so only a row
        # written otherwise): the subscription is useless, as if the service said 410.
        return Delivery(410)
    return Delivery(response.status_code, retry_after_seconds(response.headers.get("Retry-After")))


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds from now (it may be a number or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
