"""People's names in the reader's alphabetical order (SPEC §9).

Sorting follows the request's language: Kazakh puts ә after а, ғ after г, қ
after к, ұ and ү after у and і after ы; French sorts é with e; Arabic, Russian,
Swahili and English each their own way; upper and lower case sort together.

Why ICU (PyICU, built against Debian's libicu): its collators carry CLDR's
tailoring for every language we speak, kept up to date by the Unicode
consortium, and PostgreSQL's "kk-x-icu"-style collations are the same ICU
library and data (Debian's PostgreSQL links the same libicu), so a list sorted
in SQL and one sorted in Python agree, on SQLite and PostgreSQL alike. The
pure-Python alternative (pyuca) knows only the root order (DUCET), which puts
Kazakh і beside и and ү before ұ: we would maintain tailorings by hand for
Kazakh, and more for every language added later.

Sorting stays in SQL where results are paginated (the offset pages of one
order stay consistent): `by_name(column)` adds `COLLATE "<locale>-x-icu"`.
PostgreSQL has those collations built in; on SQLite `register_collations`
creates collations of the same names on every connection (core/database.py),
so one expression serves both. Python-side sorts use `name_key`.
"""

from collections.abc import Callable
from functools import lru_cache

import icu
from flask_babel import get_locale

from prog_tracker.core.i18n import LOCALES

DEFAULT_LOCALE = "en"


def current_locale() -> str:
    """The language of this request (Flask-Babel), or English outside one."""
    chosen = get_locale()
    language = str(chosen).split("_")[0] if chosen is not None else DEFAULT_LOCALE
    return language if language in LOCALES else DEFAULT_LOCALE


def collation_name(locale: str | None = None) -> str:
    """The SQL collation for a locale's names, as PostgreSQL's ICU collations are named."""
    language = locale if locale in LOCALES else current_locale()
    return f"{language}-x-icu"


@lru_cache(maxsize=len(LOCALES))
def collator(locale: str) -> icu.Collator:
    """The ICU collator of a locale (one per locale: ICU's const methods are
    thread-safe, and only compare and getSortKey are ever called on it)."""
    return icu.Collator.createInstance(icu.Locale(locale))


def by_name(column, locale: str | None = None):
    """The column, for ORDER BY in the locale's alphabetical order."""
    return column.collate(collation_name(locale))


def name_sorter(locale: str | None = None) -> Callable[..., tuple[bytes, ...]]:
    """A sort-key function for names (family, given, …) in the locale's order.

    Resolve it once per sort: finding the request's locale costs more than a key.
    """
    key = collator(locale if locale in LOCALES else current_locale()).getSortKey
    return lambda *parts: tuple(key(part or "") for part in parts)


def name_key(*parts: str | None, locale: str | None = None) -> tuple[bytes, ...]:
    """A sort key for names (family, given, …) in the locale's alphabetical order."""
    return name_sorter(locale)(*parts)


def register_collations(dbapi_connection) -> None:
    """Give a SQLite connection one collation per locale, named as on PostgreSQL."""
    for locale in LOCALES:
        dbapi_connection.create_collation(collation_name(locale), collator(locale).compare)
