"""What a device id is: the field app sends a UUID per person's store; any other id of 1-100
printable characters (what the sync push body's device_id allows) is taken as sent."""

from prog_tracker.core.input import parse_uuid

# The push body's device_id allows as much (sync/schemas.py): the header is the same id.
MAX_ID_LENGTH = 100


def device_key(raw: str | None) -> str | None:
    """A device id as stored: a UUID in its canonical form, any other id as sent; None when
    it is not an id (empty, too long, or with control characters)."""
    text = (raw or "").strip()
    if not text or len(text) > MAX_ID_LENGTH or not text.isprintable():
        return None
    return parse_uuid(text) or text
