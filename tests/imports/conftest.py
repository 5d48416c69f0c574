"""Import tests: registers written on the fly, and the matcher stood in for.

The real matcher (prog_tracker.participants.matching) comes with another branch of
issue 22; until then a stand-in module finds nobody, and tests that need a likely
duplicate set its answer with `duplicates_of_row`.
"""

import csv
import io
import sys
import types
from dataclasses import dataclass

import pytest

from prog_tracker.imports.columns import COLUMNS


@dataclass(frozen=True)
class StandInMatch:
    """The matcher's Match, as the shared contract of issue 22 defines it."""

    participant_id: str
    score: float
    reasons: tuple = ()


def _matching_module():
    """The real matcher when present, else a stand-in registered in sys.modules."""
    try:
        from prog_tracker.participants import matching
    except ImportError:
        import prog_tracker.participants as package

        matching = types.ModuleType("prog_tracker.participants.matching")
        matching.Match = StandInMatch
        matching.MATCH_THRESHOLD = 0.8
        matching.likely_duplicates = lambda *args, **kwargs: []
        sys.modules[matching.__name__] = matching
        package.matching = matching
    return matching


@pytest.fixture(autouse=True)
def matcher(monkeypatch):
    """The matcher, answering "nobody" unless a test says who a row's person is like.

    `matcher.same_as[given_name] = participant_id` makes rows with that given name
    likely duplicates of that person (score 0.95)."""
    matching = _matching_module()
    same_as: dict = {}
    calls: list = []

    def likely_duplicates(actor, fields, facility_id=None, exclude_ids=(), limit=10):
        calls.append((fields, facility_id))
        found = same_as.get(fields.get("given_name"))
        return [StandInMatch(found, 0.95, ("name",))] if found else []

    monkeypatch.setattr(matching, "likely_duplicates", likely_duplicates)
    return types.SimpleNamespace(same_as=same_as, calls=calls)


# The register's columns as the import reads them (the facility comes from the command).
HEADER = [name for name in COLUMNS if name != "facility_id"]


def csv_bytes(rows, header=HEADER, separator=",", bom=False) -> bytes:
    """A CSV register in UTF-8."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=separator)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_bytes(rows, header=HEADER) -> bytes:
    """An XLSX register."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def person(number="KZ-1", given="Айгерим", family="Сапарова", born="14.03.1990", sex="female"):
    """One register row in HEADER's order."""
    return [number, given, family, "", born, sex, "kk", ""]
