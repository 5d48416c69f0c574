"""Blank registers to fill in: the header row in the reader's language and one example row."""

import csv
import io

from prog_tracker.imports.columns import LABELS
from prog_tracker.participants.labels import SEX_LABELS

# One made-up person (nobody's record), showing each column's accepted form.
EXAMPLE = {
    "prison_number": "KZ-2025-0001",
    "given_name": "Айгерим",
    "family_name": "Сапарова",
    "other_names": "Aigerim Saparova",
    "date_of_birth": "14.03.1990",
    "sex": "female",
    "preferred_language": "kk",
    "expected_release_date": "2027-05-01",
    "facility_id": "",
}


def _rows() -> list[list[str]]:
    """The header and the example row, labelled in the current language."""
    example = {**EXAMPLE, "sex": str(SEX_LABELS[EXAMPLE["sex"]])}
    return [[str(label) for label in LABELS.values()], [example[name] for name in LABELS]]


def blank_csv() -> bytes:
    """A CSV template in UTF-8 with a BOM (so spreadsheet programs read it as UTF-8)."""
    text = io.StringIO(newline="")
    csv.writer(text).writerows(_rows())
    return text.getvalue().encode("utf-8-sig")


def blank_xlsx() -> bytes:
    """An XLSX template (every cell text, so dates keep the form shown)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in _rows():
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
