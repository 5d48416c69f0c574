"""One row of a register as the participant schemas take it, or the errors that stop it.

Cells become text (a number typed as 12345 is the text "12345"), dates become ISO
dates (ISO, dd.mm.yyyy and dd/mm/yyyy, or a spreadsheet date), and sex and
language names become codes; then the same schemas as POST and PATCH
/participants judge them, so an import takes nothing the API would refuse.
"""

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from prog_tracker.core.errors import normalize_fields
from prog_tracker.imports.columns import DATES, language_code, sex_code
from prog_tracker.participants.schemas import ParticipantCreateSchema, ParticipantPatchSchema

DAY_FIRST = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")
# Text a spreadsheet would take for a formula: refused, never stored (nor evaluated).
FORMULA_START = "="
DATE_HELP = _l("Use a date like 2024-03-31, 31.03.2024 or 31/03/2024.")
_CREATE, _PATCH = ParticipantCreateSchema(), ParticipantPatchSchema()


class RowError(Exception):
    """A row refused: [(field, code, message)]."""

    def __init__(self, problems: list):
        super().__init__("row refused")
        self.problems = problems


def cells_of(values: list, positions: dict) -> dict:
    """{column: cell} for the row's non-blank known cells (text stripped)."""
    cells = {}
    for name, position in positions.items():
        value = values[position] if position < len(values) else None
        if isinstance(value, str):
            value = value.strip() or None
        if value is not None:
            cells[name] = value
    return cells


def convert(cells: dict) -> dict:
    """The row's cells as schema input; RowError for formulas and unreadable dates."""
    data, problems = {}, []
    for name, value in cells.items():
        if isinstance(value, str) and value.startswith(FORMULA_START):
            problems.append((name, "formula", _l("A formula, not a value: type the value.")))
        elif name in DATES:
            day = to_date(value)
            if day is None:
                problems.append(
                    (
                        name,
                        "invalid_date",
                        _l("Use a date like 2024-03-31, 31.03.2024 or 31/03/2024."),
                    )
                )
            else:
                data[name] = day.isoformat()
        else:
            data[name] = _text(name, value)
    if problems:
        raise RowError(problems)
    return data


def _text(name: str, value) -> str:
    """A cell as text, with sex and language names turned into codes."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if name == "sex":
        return sex_code(text)
    if name == "preferred_language":
        return language_code(text)
    return text


def to_date(value) -> dt.date | None:
    """A date from a spreadsheet date or ISO, dd.mm.yyyy or dd/mm/yyyy text, else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    found = DAY_FIRST.fullmatch(text)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text[:10]) if len(text) in (10, 19) else None
    except ValueError:
        return None


def load_new(data: dict) -> dict:
    """A new person's row through the create schema."""
    return _load(_CREATE, data)


def load_changes(data: dict) -> dict:
    """A known person's row through the patch schema (no field is required)."""
    return _load(_PATCH, data)


def _load(schema, data: dict) -> dict:
    """Load with schema; RowError naming each refused field."""
    try:
        return schema.load(data)
    except ValidationError as err:
        problems = []
        for name, messages in normalize_fields(err.messages).items():
            code = "required" if name not in data else "invalid"
            problems.append((name, code, messages[0] if messages else ""))
        raise RowError(problems) from None
