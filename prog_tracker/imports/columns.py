"""The register's columns (SPEC §12) and what they may be called in its header row.

A header cell names a column by its code (`prison_number`) or by its label in any
of the six languages, whatever the case and spacing ("Prison number",
"НОМЕР  ЗАКЛЮЧЁННОГО"...). Sex and language cells likewise take codes or names.
"""

import re
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from prog_tracker.core.i18n import LANGUAGE_NAMES, LOCALES
from prog_tracker.core.localised import language_name
from prog_tracker.participants.labels import SEX_LABELS

LABELS = {
    "prison_number": _l("Prison number"),
    "given_name": _l("Given name"),
    "family_name": _l("Family name"),
    "other_names": _l("Other names"),
    "date_of_birth": _l("Date of birth"),
    "sex": _l("Sex"),
    "preferred_language": _l("Preferred language"),
    "expected_release_date": _l("Expected release date"),
    "facility_id": _l("Facility ID"),
}
COLUMNS = tuple(LABELS)
REQUIRED = ("prison_number", "given_name", "family_name")
DATES = ("date_of_birth", "expected_release_date")
# Built once per process from the catalogues: folded alias -> code.
_ALIASES: dict[str, dict[str, str]] = {}


@dataclass
class Layout:
    """Where each known column sits in the rows, and the header cells not understood."""

    positions: dict = field(default_factory=dict)
    ignored: list = field(default_factory=list)

    def missing(self, required) -> list:
        """The required columns the header lacks."""
        return [name for name in required if name not in self.positions]


def fold(text) -> str:
    """A header or value as compared: case-folded, `_`/`-` as spaces, spaces collapsed,
    typographic apostrophes as typed ones ("Numéro d'écrou")."""
    text = str(text or "").replace("\u2019", "'").replace("\u02bc", "'")
    return re.sub(r"[\s_\-]+", " ", text).strip().casefold()


def read_header(header: list) -> Layout:
    """Map the header row's cells to columns; the first of two cells naming one wins."""
    aliases = _aliases("columns")
    layout = Layout()
    for position, cell in enumerate(header):
        name = aliases.get(fold(cell))
        if name is None or name in layout.positions:
            if fold(cell):
                layout.ignored.append(str(cell).strip())
            continue
        layout.positions[name] = position
    return layout


def sex_code(value: str) -> str:
    """A sex as the create schema takes it, from a code or its name in any language."""
    return _aliases("sex").get(fold(value), value)


def language_code(value: str) -> str:
    """A language code from a code or a language's name in any language or its own."""
    return _aliases("languages").get(fold(value), value)


def _aliases(kind: str) -> dict[str, str]:
    """The folded names of kind's values in every language (built once)."""
    if not _ALIASES:
        _ALIASES.update(columns={}, sex={}, languages={})
        for locale in LOCALES:
            with force_locale(locale):
                _add_names(locale)
    return _ALIASES[kind]


def _add_names(locale: str) -> None:
    """Add the codes and locale's names of columns, sexes and languages."""
    for table, labels in (("columns", LABELS), ("sex", SEX_LABELS)):
        for code, label in labels.items():
            _ALIASES[table].setdefault(fold(code), code)
            _ALIASES[table].setdefault(fold(str(label)), code)
    for code in LOCALES:
        _ALIASES["languages"].setdefault(fold(code), code)
        _ALIASES["languages"].setdefault(fold(language_name(code, locale)), code)
        _ALIASES["languages"].setdefault(fold(LANGUAGE_NAMES.get(code, code)), code)
