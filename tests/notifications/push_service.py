"""A fake Web Push service on 127.0.0.1 that checks every POST as a real one would.

It plays both ends the server does not own: the push service (RFC 8030), which
verifies the VAPID JWT (RFC 8292) and answers as scripted, and the browser,
which holds the subscription's keys and decrypts the message (RFC 8291).

    service = PushService(expected_public_key=public_key(vapid)).start()
    browser = service.subscribe()                  # endpoint, p256dh, auth, as_json()
    service.script(browser, Answer.gone())         # or too_many(30), slow(2), ...
    ...send...
    [message] = service.wait_for(1)
    message.accepted, message.claims["aud"], message.payload, message.ttl
    service.stop()
"""

import base64
import binascii
import email.utils
import json
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

# Real services cap the encrypted body at 4096 bytes and answer 413 above it.
MAX_BODY = 4096
# RFC 8292 §2: exp no more than 24 hours after the request.
MAX_EXP_AHEAD = 24 * 60 * 60
TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")
URGENCIES = ("very-low", "low", "normal", "high")


def b64url_encode(data: bytes) -> str:
    """base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """base64url with or without padding; ValueError if malformed."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as err:
        raise ValueError(f"not base64url: {text[:20]!r}") from err


def _point(public: ec.EllipticCurvePublicKey) -> bytes:
    """A P-256 public key as its uncompressed point (65 bytes)."""
    return public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


class Rejected(Exception):
    """A request a real push service would refuse; the message is the reason."""

    def __init__(self, reason: str, status: int = HTTPStatus.BAD_REQUEST):
        super().__init__(reason)
        self.status = status


@dataclass
class BrowserSubscription:
    """What a browser makes on PushManager.subscribe(): an endpoint and its own keys."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1()), repr=False
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16), repr=False)

    @property
    def path(self) -> str:
        """The endpoint's path on the push service."""
        return urlsplit(self.endpoint).path

    @property
    def p256dh(self) -> str:
        """The browser's public key, base64url as PushSubscription.toJSON() gives it."""
        return b64url_encode(_point(self.private_key.public_key()))

    @property
    def auth(self) -> str:
        """The 16-byte auth secret, base64url."""
        return b64url_encode(self.auth_secret)

    def as_json(self) -> dict:
        """The shape of PushSubscription.toJSON(), as the front end posts it."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }

    def decrypt(self, body: bytes) -> bytes:
        """Decrypt an aes128gcm message body as the browser would."""
        return http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )

    def encrypt(self, plaintext: bytes) -> bytes:
        """Encrypt for this subscription as an application server would (for hand-made posts)."""
        return http_ece.encrypt(
            plaintext,
            private_key=ec.generate_private_key(ec.SECP256R1()),
            dh=_point(self.private_key.public_key()),
            auth_secret=self.auth_secret,
            version="aes128gcm",
        )


@dataclass(frozen=True)
class Answer:
    """How the service answers a request that passed its checks."""

    status: int = HTTPStatus.CREATED
    retry_after: str | None = None
    delay: float = 0.0  # seconds to wait before answering

    @classmethod
    def created(cls) -> "Answer":
        """201: accepted for delivery (the default)."""
        return cls()

    @classmethod
    def gone(cls) -> "Answer":
        """410: the subscription expired or was unsubscribed."""
        return cls(HTTPStatus.GONE)

    @classmethod
    def not_found(cls) -> "Answer":
        """404: no such subscription."""
        return cls(HTTPStatus.NOT_FOUND)

    @classmethod
    def too_many(cls, retry_after: int | str = 30) -> "Answer":
        """429 with Retry-After (seconds, or an HTTP date string)."""
        return cls(HTTPStatus.TOO_MANY_REQUESTS, str(retry_after))

    @classmethod
    def server_error(cls) -> "Answer":
        """500: the service failed."""
        return cls(HTTPStatus.INTERNAL_SERVER_ERROR)

    @classmethod
    def slow(cls, seconds: float = 2.0, status: int = HTTPStatus.CREATED) -> "Answer":
        """Answer only after `seconds`, longer than the client waits."""
        return cls(status, delay=seconds)


@dataclass(frozen=True)
class Received:
    """One POST the service got: what it checked, found and answered."""

    path: str
    endpoint: str
    headers: dict[str, str]  # lower-case names
    status: int  # what the service answered
    error: str | None = None  # why the checks failed; None if they passed
    claims: dict | None = None  # the verified JWT claims
    public_key: str | None = None  # the `k` of the Authorization header
    plaintext: bytes | None = None  # the decrypted body
    at: float = 0.0  # time.time() on arrival

    @property
    def accepted(self) -> bool:
        """True when every check passed (whatever status was scripted)."""
        return self.error is None

    @property
    def payload(self) -> Any:
        """The decrypted body parsed as JSON (None if absent or not JSON)."""
        if self.plaintext is None:
            return None
        try:
            return json.loads(self.plaintext)
        except ValueError:
            return None

    @property
    def ttl(self) -> str | None:
        """The TTL header."""
        return self.headers.get("ttl")

    @property
    def topic(self) -> str | None:
        """The Topic header."""
        return self.headers.get("topic")

    @property
    def urgency(self) -> str | None:
        """The Urgency header."""
        return self.headers.get("urgency")


def parse_authorization(value: str | None) -> tuple[str, str]:
    """(t, k) from `vapid t=<JWT>, k=<key>`; Rejected if malformed."""
    if not value:
        raise Rejected("no Authorization header", HTTPStatus.UNAUTHORIZED)
    scheme, _, rest = value.strip().partition(" ")
    if scheme.lower() != "vapid":
        raise Rejected(f"Authorization scheme is {scheme!r}, not vapid", HTTPStatus.UNAUTHORIZED)
    params = {}
    for part in rest.split(","):
        name, sep, val = part.strip().partition("=")
        if sep:
            params[name.strip().lower()] = val.strip()
    if not params.get("t") or not params.get("k"):
        raise Rejected("Authorization lacks t= or k=", HTTPStatus.UNAUTHORIZED)
    return params["t"], params["k"]


def verify_jwt(token: str, key: str) -> dict:
    """The claims of an ES256 JWT whose signature `key` verifies; Rejected otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        raise Rejected("JWT is not three parts", HTTPStatus.UNAUTHORIZED)
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    except ValueError as err:
        raise Rejected(f"JWT or k malformed: {err}", HTTPStatus.UNAUTHORIZED) from err
    if header.get("alg") != "ES256":
        raise Rejected(f"JWT alg is {header.get('alg')!r}, not ES256", HTTPStatus.UNAUTHORIZED)
    if len(signature) != 64:
        raise Rejected("JWT signature is not 64 bytes (r||s)", HTTPStatus.UNAUTHORIZED)
    # JWS carries ES256 as raw r||s; cryptography verifies DER.
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public.verify(der, f"{parts[0]}.{parts[1]}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as err:
        raise Rejected("JWT signature does not verify with k", HTTPStatus.UNAUTHORIZED) from err
    if not isinstance(claims, dict):
        raise Rejected("JWT claims are not an object", HTTPStatus.UNAUTHORIZED)
    return claims


def check_claims(claims: dict, origin: str, now: float) -> None:
    """aud is the endpoint's origin exactly, exp within 24 h, sub a contact; Rejected if not."""
    if claims.get("aud") != origin:
        raise Rejected(f"aud {claims.get('aud')!r} is not {origin!r}", HTTPStatus.FORBIDDEN)
    exp = claims.get("exp")
    if not isinstance(exp, int) or isinstance(exp, bool):
        raise Rejected(f"exp {exp!r} is not an integer", HTTPStatus.FORBIDDEN)
    if exp <= now:
        raise Rejected("exp is in the past", HTTPStatus.FORBIDDEN)
    if exp > now + MAX_EXP_AHEAD:
        raise Rejected("exp is more than 24 hours ahead", HTTPStatus.FORBIDDEN)
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.startswith(("mailto:", "https:")):
        raise Rejected(f"sub {sub!r} is not a mailto: or https: URL", HTTPStatus.FORBIDDEN)


def check_headers(headers: dict[str, str]) -> None:
    """Content-Encoding, TTL, Topic and Urgency as RFC 8030/8291 want them; Rejected if not."""
    if headers.get("content-encoding") != "aes128gcm":
        raise Rejected(f"Content-Encoding is {headers.get('content-encoding')!r}")
    ttl = headers.get("ttl")
    if ttl is None or not ttl.isdigit():
        raise Rejected(f"TTL header is {ttl!r}")
    topic = headers.get("topic")
    if topic is not None and not TOPIC.fullmatch(topic):
        raise Rejected(f"Topic {topic!r} is not 1-32 base64url characters")
    urgency = headers.get("urgency")
    if urgency is not None and urgency not in URGENCIES:
        raise Rejected(f"Urgency {urgency!r} is not one of {URGENCIES}")


class _Handler(BaseHTTPRequestHandler):
    """Hands each POST to the PushService that owns the server."""

    server: "_Server"

    def do_POST(self):
        """Check, record and answer one push message."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        answer, message = self.server.owner.handle(self.path, headers, body)
        self.server.owner.pause(answer.delay)
        try:
            self.send_response(answer.status)
            if answer.retry_after is not None:
                self.send_header("Retry-After", answer.retry_after)
            if answer.status == HTTPStatus.CREATED:
                self.send_header("Location", f"/message/{secrets.token_urlsafe(8)}")
            reason = (message.error or "").encode()
            self.send_header("Content-Length", str(len(reason)))
            self.end_headers()
            self.wfile.write(reason)
        except OSError:
            pass  # the client gave up waiting (the slow answer): nothing to tell it

    def log_message(self, format, *args):
        """Keep test output quiet."""


class _Server(ThreadingHTTPServer):
    """A threading server that does not wait for slow handlers on close."""

    daemon_threads = True
    block_on_close = False
    owner: "PushService"


class PushService:
    """A push service on 127.0.0.1:<free port> in a background thread."""

    def __init__(self, expected_public_key: str | None = None):
        self.expected_public_key = expected_public_key  # the server's k, if the test knows it
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._changed = threading.Condition()
        self._subscriptions: dict[str, BrowserSubscription] = {}
        self._scripts: dict[str, list[Answer]] = {}
        self._received: list[Received] = []

    @property
    def origin(self) -> str:
        """scheme://host:port, what `aud` must be."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "PushService":
        """Serve in a daemon thread; returns self."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake slow handlers and free the port."""
        self._stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()

    def __enter__(self) -> "PushService":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def subscribe(self, *answers: Answer) -> BrowserSubscription:
        """A new browser subscription on this service, optionally with scripted answers."""
        subscription = BrowserSubscription(f"{self.origin}/push/{secrets.token_urlsafe(16)}")
        with self._changed:
            self._subscriptions[subscription.path] = subscription
        if answers:
            self.script(subscription, *answers)
        return subscription

    def script(self, target: BrowserSubscription | str, *answers: Answer) -> None:
        """Answer the next requests to a subscription (or path) in turn; the last one sticks."""
        path = target.path if isinstance(target, BrowserSubscription) else target
        with self._changed:
            self._scripts[path] = list(answers) or [Answer()]

    def forget(self, target: BrowserSubscription | str) -> None:
        """Drop a subscription, as after an unsubscribe: later posts get 410 unchecked."""
        path = target.path if isinstance(target, BrowserSubscription) else target
        with self._changed:
            self._subscriptions.pop(path, None)
            self._scripts[path] = [Answer.gone()]

    @property
    def received(self) -> list[Received]:
        """Every request so far, in arrival order."""
        with self._changed:
            return list(self._received)

    @property
    def accepted(self) -> list[Received]:
        """The requests that passed every check."""
        return [message for message in self.received if message.accepted]

    @property
    def rejected(self) -> list[Received]:
        """The requests that failed a check."""
        return [message for message in self.received if not message.accepted]

    def for_subscription(self, target: BrowserSubscription | str) -> list[Received]:
        """The requests to one subscription (or path)."""
        path = target.path if isinstance(target, BrowserSubscription) else target
        return [message for message in self.received if message.path == path]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """Block until at least `count` requests arrived; AssertionError on timeout."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._received) >= count, timeout):
                raise AssertionError(
                    f"push service got {len(self._received)} requests, expected {count}"
                )
            return list(self._received)

    def pause(self, seconds: float) -> None:
        """Sleep in a handler, cut short when the service stops."""
        if seconds > 0:
            self._stopping.wait(seconds)

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[Answer, Received]:
        """Check one request, record it, and pick its answer."""
        now = time.time()
        with self._changed:
            subscription = self._subscriptions.get(path)
            script = self._scripts.get(path)
        found: dict[str, Any] = {}
        try:
            if subscription is None:
                gone = script is not None  # a forgotten subscription is gone, others unknown
                raise Rejected(
                    "no such subscription", HTTPStatus.GONE if gone else HTTPStatus.NOT_FOUND
                )
            found = self._check(subscription, headers, body, now)
        except Rejected as err:
            answer, error = Answer(err.status), str(err)
        else:
            answer, error = self._next_answer(path), None
        message = Received(
            path=path,
            endpoint=f"{self.origin}{path}",
            headers=headers,
            status=answer.status,
            error=error,
            at=now,
            **found,
        )
        with self._changed:
            self._received.append(message)
            self._changed.notify_all()
        return answer, message

    def _check(
        self, subscription: BrowserSubscription, headers: dict[str, str], body: bytes, now: float
    ) -> dict[str, Any]:
        """Every check a push service and the browser make; Rejected on the first failure."""
        found: dict[str, Any] = {}
        token, key = parse_authorization(headers.get("authorization"))
        found["public_key"] = key
        if self.expected_public_key is not None and key != self.expected_public_key:
            raise Rejected("k is not the application server key", HTTPStatus.FORBIDDEN)
        found["claims"] = verify_jwt(token, key)
        check_claims(found["claims"], self.origin, now)
        check_headers(headers)
        if not body:
            raise Rejected("empty body (the app always sends a payload)")
        if len(body) > MAX_BODY:
            raise Rejected(f"body is {len(body)} bytes", HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        try:
            found["plaintext"] = subscription.decrypt(body)
        except Exception as err:  # http_ece raises several kinds for a bad body
            raise Rejected(f"body does not decrypt: {err!r}") from err
        return found

    def _next_answer(self, path: str) -> Answer:
        """The scripted answer for path (201 when none), consuming all but the last."""
        with self._changed:
            script = self._scripts.get(path)
            if not script:
                return Answer()
            return script.pop(0) if len(script) > 1 else script[0]


def http_date(seconds_from_now: float) -> str:
    """An HTTP date (IMF-fixdate) `seconds_from_now` ahead, for Retry-After."""
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)
