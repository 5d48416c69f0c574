"""Configuration: defaults -> instance config -> PROG_TRACKER_* env -> test config."""

import os
import re
import secrets
from pathlib import Path

from prog_tracker.core.i18n import translated_locales

ENV_PREFIX = "PROG_TRACKER_"
KNOWN_DEFAULT_SECRETS = {"", "dev", "change-me", "secret", "changeme"}


class Defaults:
    """Values used when nothing else is configured."""

    ENV = "production"
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_NAME = "pt_flash"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    AUTH_COOKIE_NAME = "pt_session"
    SESSION_IDLE_MINUTES = 30
    SESSION_ABSOLUTE_HOURS = 12
    MFA_ROLES = "admin,supervisor"
    PUBLIC_URL = "http://127.0.0.1:5000"
    REDIS_URL = ""
    LOGIN_LIMIT_PER_ADDRESS = "30 per 5 minutes"
    LOGIN_LIMIT_PER_ACCOUNT_ADDRESS = "10 per 10 minutes"
    # Browsers that signed in to the account before are exempt from this one.
    LOGIN_LIMIT_PER_ACCOUNT = "20 per 10 minutes"
    # Public certificate checks per address: enough for an employer, too few to guess codes.
    VERIFY_LIMIT = "30 per minute"
    # Number of reverse proxies in front of the app whose X-Forwarded-* to trust.
    TRUSTED_PROXIES = 0
    # Keep counting sign-in failures in memory if Redis goes away, not fail open or 500.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # Importing participants (SPEC §12): the largest file taken (413 payload_too_large
    # beyond; the import routes alone take more than MAX_CONTENT_LENGTH), and the most
    # rows with content read from one file (the rest are left unread and said so).
    IMPORT_MAX_BYTES = 20 * 1024 * 1024
    IMPORT_MAX_ROWS = 50_000
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    API_TITLE = "prog-tracker"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    # Release plan: one item per kind, due this many days before the expected release.
    RELEASE_PLAN_TEMPLATE = {
        "id_documents": 90,
        "housing": 60,
        "employment": 60,
        "ngo_referral": 60,
        "education": 60,
        "health": 30,
        "family_contact": 30,
        "toolkit": 7,
        "transport": 1,
    }
    # Follow-ups after each release: (days after release, window of ± days).
    FOLLOW_UP_SCHEDULE = ((7, 3), (30, 7), (90, 14), (180, 14), (365, 30))
    # Offline sync (SPEC §5): the most one push may carry (413 beyond), the most
    # records one pull page sends, and how long a pull cursor stays usable.
    SYNC_MAX_MUTATIONS = 500
    SYNC_MAX_BYTES = 2 * 1024 * 1024
    SYNC_PAGE_SIZE = 5000
    SYNC_CURSOR_DAYS = 30
    # A merged person's id answers 301 to the survivor for this many days, then 404.
    MERGE_REDIRECT_DAYS = 90
    # Sync requests (pull and push together) per user. The field app sends a day's
    # offline work in pushes of 100 mutations and pulls pages of SYNC_PAGE_SIZE
    # records: a catch-up is tens of requests. In use a change costs one push and
    # one pull at most (changes made during a sync share the next one), so even a
    # change every second for ten minutes stays within it. A client stuck in a
    # retry loop meets it within seconds.
    SYNC_LIMIT_PER_USER = "1200 per 10 minutes"
    # Device protection (SPEC §11), sent to the field app with the session: it locks
    # after this many minutes without use, and after this many hours without reaching
    # the server it asks for an online sign-in before showing records.
    DEVICE_IDLE_LOCK_MINUTES = 5
    DEVICE_OFFLINE_LEASE_HOURS = 72
    # Wipe receipts of revoked devices (no session) per address.
    DEVICE_WIPED_LIMIT = "10 per minute"
    # GET /api/v1/sync/device (public): the field app asks once per start and unlock.
    DEVICE_CHECK_LIMIT = "30 per minute"
    # Web Push (SPEC §8). VAPID_SUBJECT defaults to PUBLIC_URL; PUSH_ENDPOINTS to
    # the browser push services (notifications/endpoints.py).
    VAPID_PRIVATE_KEY = ""
    VAPID_SUBJECT = ""
    PUSH_ENDPOINTS = None
    # Reminders about a day go out from this hour, local time at the facility.
    REMINDER_HOUR = 8
    # A push service slower than this (seconds) is given up on until the next run.
    PUSH_TIMEOUT = 10
    # How long (seconds) the Notifications switch waits for the browser's push service
    # and the server before it says they did not answer and offers to try again.
    PUSH_SWITCH_TIMEOUT = 15
    # Database connections one report request counts its indicators on at once
    # (the queries are independent; 1 runs them one after another).
    REPORT_WORKERS = 2
    # Retention schedule (docs/retention.md), applied by `prog-tracker retention apply`:
    # years after a case is closed before its free text, then the person's identity,
    # are anonymised; days after which ended sign-in sessions, and the push
    # subscriptions of deactivated users, are deleted; rows changed per transaction.
    # None switches a step off. A partial dict (instance config.py, or JSON in
    # PROG_TRACKER_RETENTION) changes only the keys it names.
    RETENTION = {
        "case_notes_years": 2,
        "identity_years": 6,
        "ended_sessions_days": 90,
        "deactivated_user_days": 30,
        "batch_size": 500,
        # Anonymised people keep their year of birth (1 January of it) for age groups.
        "keep_birth_year": True,
        # Certificates keep the holder's name as printed, so the person can still prove
        # the qualification to an employer (/verify); False blanks it with the identity.
        "keep_certificate_holder": True,
    }


# Environment variables read as config keys (without the prefix).
ENV_KEYS = (
    "ENV",
    "DATABASE_URL",
    "SECRET_KEY",
    "AUDIT_KEY",
    "MFA_KEY",
    "PUBLIC_URL",
    "REDIS_URL",
    "MFA_ROLES",
    "TRUSTED_PROXIES",
    "VAPID_PRIVATE_KEY",
    "VAPID_SUBJECT",
    "PUSH_ENDPOINTS",
    "PUSH_SWITCH_TIMEOUT",
    "REPORT_WORKERS",
    "RETENTION",
    "DEVICE_IDLE_LOCK_MINUTES",
    "DEVICE_OFFLINE_LEASE_HOURS",
    "IMPORT_MAX_BYTES",
    "IMPORT_MAX_ROWS",
)


def instance_path_from_env() -> str | None:
    """The instance folder named by PROG_TRACKER_INSTANCE_PATH, if any."""
    value = os.environ.get(ENV_PREFIX + "INSTANCE_PATH")
    return str(Path(value).resolve()) if value else None


def load_config(app, test_config: dict | None) -> None:
    """Fill app.config from every source, in order of precedence."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for key in ENV_KEYS:
        value = os.environ.get(ENV_PREFIX + key)
        if value is not None:
            app.config[key] = value
    if test_config:
        app.config.update(test_config)
    _derive(app)


def _derive(app) -> None:
    """Compute settings that depend on others and check production safety."""
    cfg = app.config
    instance = Path(app.instance_path)
    cfg.setdefault("DATABASE_URL", f"sqlite:///{instance / 'prog_tracker.db'}")
    cfg["SQLALCHEMY_DATABASE_URI"] = cfg["DATABASE_URL"]
    if cfg["DATABASE_URL"].startswith("sqlite"):
        cfg["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    cfg["SECRET_KEY"] = cfg.get("SECRET_KEY") or read_key_file(instance / "secret_key")
    cfg["AUDIT_KEY"] = cfg.get("AUDIT_KEY") or read_key_file(instance / "audit_key")
    # Encrypts TOTP secrets in the database (auth/mfa.py): kept apart from it and its backups.
    cfg["MFA_KEY"] = cfg.get("MFA_KEY") or read_key_file(instance / "mfa_key")
    _derive_push(cfg, instance)
    production = cfg["ENV"] == "production"
    cfg["SESSION_COOKIE_SECURE"] = production
    cfg.setdefault("AUTH_COOKIE_SECURE", production)
    cfg.setdefault("TRANSLATED_LOCALES", translated_locales())
    cfg["TRUSTED_PROXIES"] = _whole_number(cfg["TRUSTED_PROXIES"], "TRUSTED_PROXIES")
    cfg["REPORT_WORKERS"] = max(1, _whole_number(cfg["REPORT_WORKERS"], "REPORT_WORKERS"))
    for key in (
        "DEVICE_IDLE_LOCK_MINUTES",
        "DEVICE_OFFLINE_LEASE_HOURS",
        "IMPORT_MAX_BYTES",
        "IMPORT_MAX_ROWS",
    ):
        cfg[key] = max(1, _whole_number(cfg[key], key))
    cfg["RETENTION"] = retention_schedule(cfg["RETENTION"])
    cfg["MFA_ROLE_SET"] = {r.strip() for r in cfg["MFA_ROLES"].split(",") if r.strip()}
    if production:
        for key in ("SECRET_KEY", "AUDIT_KEY", "MFA_KEY"):
            if (cfg.get(key) or "") in KNOWN_DEFAULT_SECRETS or len(cfg[key]) < 32:
                raise RuntimeError(
                    f"{ENV_PREFIX}{key} is missing or too weak; run `prog-tracker init` "
                    "or set it in the environment"
                )


def _derive_push(cfg, instance: Path) -> None:
    """The VAPID key (set or in the instance folder), its subject and the endpoint allow-list."""
    from prog_tracker.notifications.endpoints import DEFAULT_PUSH_ENDPOINTS, compile_allow_list
    from prog_tracker.notifications.keys import KEY_FILE

    cfg["VAPID_PRIVATE_KEY"] = cfg.get("VAPID_PRIVATE_KEY") or read_key_file(instance / KEY_FILE)
    cfg["VAPID_SUBJECT"] = vapid_subject(cfg.get("VAPID_SUBJECT"), cfg["PUBLIC_URL"])
    if cfg.get("PUSH_ENDPOINTS") is None:
        cfg["PUSH_ENDPOINTS"] = DEFAULT_PUSH_ENDPOINTS
    try:
        cfg["PUSH_ENDPOINT_PATTERNS"] = compile_allow_list(cfg["PUSH_ENDPOINTS"])
        # In milliseconds, for the switch's script (the field app's shell, the settings page).
        cfg["PUSH_SWITCH_TIMEOUT_MS"] = round(float(cfg["PUSH_SWITCH_TIMEOUT"]) * 1000)
    except ValueError as err:
        raise RuntimeError(str(err)) from None


def vapid_subject(configured: str | None, public_url: str) -> str:
    """The VAPID `sub` claim: a mailto: address or a bare https://host (what push services
    accept). Unset: https://host of an https PUBLIC_URL, else a mailto: at its host."""
    from urllib.parse import urlsplit

    if configured:
        if not re.fullmatch(
            r"mailto:[^@\s]+@[^@\s]+|https://[A-Za-z0-9.-]+\.[A-Za-z]+", configured
        ):
            raise RuntimeError(
                f"{ENV_PREFIX}VAPID_SUBJECT must be a mailto: address or https://host "
                "(no port, no path)"
            )
        return configured
    parts = urlsplit(public_url)
    host = parts.hostname or "localhost"
    if parts.scheme == "https" and parts.port is None and "." in host:
        return f"https://{host}"
    return f"mailto:prog-tracker@{host}"


def retention_schedule(value) -> dict:
    """The retention schedule: the defaults with what value (a dict, or JSON text from the
    environment) changes, checked; a bad one stops the start-up, not a later run."""
    import json

    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, dict) or not set(value) <= set(Defaults.RETENTION):
        raise RuntimeError(
            f"{ENV_PREFIX}RETENTION must be a JSON object with keys among "
            + ", ".join(sorted(Defaults.RETENTION))
        )
    schedule = {**Defaults.RETENTION, **value}
    switches = ("keep_birth_year", "keep_certificate_holder")
    for key in switches:
        if not isinstance(schedule[key], bool):
            raise RuntimeError(f"{ENV_PREFIX}RETENTION {key} must be true or false")
    for key, number in schedule.items():
        if key in switches or (number is None and key != "batch_size"):
            continue
        schedule[key] = _whole_number(number, f"RETENTION {key}")
    schedule["batch_size"] = max(1, schedule["batch_size"])
    notes, identity = schedule["case_notes_years"], schedule["identity_years"]
    # Names go last: free text often names people, so it never outlives them.
    if identity is not None and (notes is None or notes > identity):
        raise RuntimeError(
            f"{ENV_PREFIX}RETENTION case_notes_years must be set and at most identity_years"
        )
    return schedule


def _whole_number(value, key: str) -> int:
    """A non-negative integer setting, or a clear start-up error."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise RuntimeError(f"{ENV_PREFIX}{key} must be a whole number (0 or more)")
    return number


def read_key_file(path: Path) -> str:
    """Return the key stored in path, or an empty string."""
    try:
        return path.read_text().strip()
    except OSError:
        return ""


def ensure_key_file(path: Path) -> bool:
    """Create a random key file readable by the owner only; True if created."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    return True
