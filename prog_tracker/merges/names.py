"""Both spellings of a merged person's name kept on the survivor."""

from prog_tracker.participants.models import Participant

# The column's length (participants.other_names).
OTHER_NAMES_LENGTH = 200


def combined_other_names(into: Participant, source: Participant) -> str | None:
    """The survivor's other names, then the source's given, family and other names that
    the survivor does not already carry (compared case-insensitively), within the column.

    Names that would overflow the column are left out whole, never cut in the middle.
    """
    kept = _parts(into.other_names)
    carried = {n.casefold() for n in (into.given_name, into.family_name, *kept) if n}
    added = 0
    for name in (source.given_name, source.family_name, *_parts(source.other_names)):
        if not name or name.casefold() in carried:
            continue
        if len(", ".join([*kept, name])) > OTHER_NAMES_LENGTH:
            continue
        kept.append(name)
        carried.add(name.casefold())
        added += 1
    # Unchanged as typed when the source brings no new spelling.
    return ", ".join(kept) if added else into.other_names


def _parts(text: str | None) -> list[str]:
    """Other names as a list (commas or semicolons separate them)."""
    if not text:
        return []
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
