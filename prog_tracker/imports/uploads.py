"""A checked register kept server-side until the officer imports it (at most an hour).

The file waits in the instance folder under a random token, in a folder of the
user who sent it (nobody else's token opens it), never in the session cookie;
it is deleted once imported, and files older than an hour are swept away
whenever another is kept or taken.
"""

import re
import secrets
import time
from pathlib import Path

from flask import current_app

MAX_AGE_SECONDS = 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _folder(user_id: str) -> Path:
    """The user's folder of waiting uploads (owner-only)."""
    folder = Path(current_app.instance_path) / "imports" / user_id
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def keep_upload(user_id: str, data: bytes) -> str:
    """Store data for the user; return its token."""
    sweep()
    token = secrets.token_urlsafe(24)
    path = _folder(user_id) / token
    path.touch(mode=0o600)
    path.write_bytes(data)
    return token


def take_upload(user_id: str, token: str) -> bytes | None:
    """The user's upload under token, or None when unknown or expired."""
    sweep()
    if not TOKEN.fullmatch(token or ""):
        return None
    path = _folder(user_id) / token
    return path.read_bytes() if path.is_file() else None


def drop_upload(user_id: str, token: str) -> None:
    """Delete the user's upload under token (imported)."""
    if TOKEN.fullmatch(token or ""):
        (_folder(user_id) / token).unlink(missing_ok=True)


def sweep(now: float | None = None) -> int:
    """Delete every upload older than an hour; return how many."""
    root = Path(current_app.instance_path) / "imports"
    limit = (now or time.time()) - MAX_AGE_SECONDS
    removed = 0
    for path in root.glob("*/*") if root.is_dir() else ():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
