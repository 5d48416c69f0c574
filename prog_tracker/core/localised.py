"""Reference data in the reader's language: names per locale, countries and languages.

Trades, skills, qualifications, cohorts and organisations keep their default
`name` (or `title`) and may carry a name per language (`names` / `titles`, a
JSON map such as {"kk": "Дәнекерлеу", "ru": "Сварка"}). `display_name` picks
the reader's, falling back to the default, so one helper serves the pages,
the PDFs and the field app's data alike. Country and language codes stay the
machine values (form values, JSON, CSV); people read them as names from
CLDR (Babel), in the reader's language.
"""

from functools import lru_cache

from babel import Locale

from prog_tracker.core.collation import current_locale, name_sorter
from prog_tracker.core.i18n import LANGUAGE_NAMES, LOCALES

# (default attribute, per-language attribute) of the translatable records.
LOCALISED_ATTRIBUTES = (("name", "names"), ("title", "titles"))


def _language(locale: str | None) -> str:
    """The language part of a locale ("kk" of "kk_KZ"); the request's when none is given."""
    return str(locale).split("_")[0].split("-")[0] if locale else current_locale()


def localised_text(default: str, translations: dict | None, locale: str | None = None) -> str:
    """The translation for locale when there is one, else the default."""
    return (translations or {}).get(_language(locale)) or default


def display_name(record, locale: str | None = None) -> str:
    """A translatable record's name (or title) in locale, falling back to its default."""
    if record is None:
        return ""
    for default, per_language in LOCALISED_ATTRIBUTES:
        if hasattr(record, per_language):
            return localised_text(getattr(record, default), getattr(record, per_language), locale)
    raise TypeError(f"{type(record).__name__} has no translatable name")


def with_country(record, locale: str | None = None) -> str:
    """A partner's name and country for a picker: "Jol NGO (Kazakhstan)"."""
    return f"{display_name(record, locale)} ({country_name(record.country, locale)})"


@lru_cache(maxsize=16)
def _cldr(locale: str) -> Locale:
    """Babel's CLDR data for a language (English when Babel does not know it)."""
    try:
        return Locale.parse(locale)
    except (ValueError, LookupError):
        return Locale.parse("en")


def _capitalised(text: str) -> str:
    """Standalone names start with a capital (CLDR writes French "kazakh", Russian "казахский")."""
    return text[:1].upper() + text[1:]


def country_name(code: str | None, locale: str | None = None) -> str:
    """A country code as the reader's language names it ("KZ" -> "Kazakhstan", "Қазақстан")."""
    if not code:
        return ""
    return _cldr(_language(locale)).territories.get(code.upper(), code)


def language_name(code: str | None, locale: str | None = None) -> str:
    """A language code as the reader's language names it ("kk" -> "Kazakh", "Казахский")."""
    if not code:
        return ""
    named = _cldr(_language(locale)).languages.get(code)
    return _capitalised(named) if named else code


def language_label(code: str, locale: str | None = None) -> str:
    """A language in the reader's words and in its own ("Kazakh · Қазақша"), for pickers
    used with a participant who may not read the interface's language."""
    own = LANGUAGE_NAMES.get(code, code)
    reader = language_name(code, locale)
    return own if reader.casefold() == own.casefold() else f"{reader} · {own}"


def language_options(locale: str | None = None) -> list[tuple[str, str]]:
    """Every language a participant may prefer, as (code, label), in the app's order."""
    return [(code, language_label(code, locale)) for code in LOCALES]


# Codes CLDR names that are no country: groupings (EU, EZ, UN), unknown (ZZ),
# outlying Oceania (QO) and the pseudo-locales' regions (XA "Pseudo-Accents",
# XB "Pseudo-Bidi").
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})


def country_options(locale: str | None = None) -> list[tuple[str, str]]:
    """Every country (two-letter code) as (code, name), by name in the reader's order."""
    territories = _cldr(_language(locale)).territories
    codes = [str(code) for code in territories if str(code).isalpha() and len(str(code)) == 2]
    codes = [code for code in codes if code not in NOT_COUNTRIES]
    key = name_sorter(_language(locale))
    options = [(code, str(territories[code])) for code in codes]
    return sorted(options, key=lambda item: key(item[1]))


# What templates call: {{ trade | display_name }}, {{ country_name(facility.country) }}.
LOCALISED_FILTERS = {"display_name": display_name}
TEMPLATE_GLOBALS = {
    "display_name": display_name,
    "country_name": country_name,
    "language_name": language_name,
    "language_label": language_label,
    "all_country_options": country_options,
    "participant_language_options": language_options,
    # Each language in its own name (the names-per-language fields' labels).
    "own_language_names": tuple(LANGUAGE_NAMES.items()),
}
