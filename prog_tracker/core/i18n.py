"""Language choice (SPEC §9) and locale formatting for the server pages.

The page language is the user's setting (the account's, then the one picked
with the language switcher in this browser), then Accept-Language, then the
facility country's default. Only languages with a catalogue are chosen, so a
page never claims to be in a language it is not written in. Dates, times,
numbers and percentages on the pages are written the way that language
writes them (Babel); machine values (form inputs, datetime attributes, CSV
and JSON) stay in ISO.
"""

import datetime as dt

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import current_app, g, has_request_context, request
from markupsafe import Markup
from sqlalchemy.exc import OperationalError

from prog_tracker.core.dates import local_moment
from prog_tracker.resources import resource_path

LOCALES = ("en", "fr", "ar", "ru", "kk", "sw")
RTL_LOCALES = {"ar"}
# What a facility's staff work in when nothing else says (Russian is the
# working language of Kazakhstan's penitentiary administration).
COUNTRY_DEFAULTS = {"KZ": "ru", "TN": "ar", "UG": "en", "FR": "fr", "KE": "sw", "TZ": "sw"}
# Each language named in itself, for the language menu (static/app/i18n.js
# keeps the same names for the field app; a test holds them equal).
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "ru": "Русский",
    "kk": "Қазақша",
    "sw": "Kiswahili",
}
# The language picked with the switcher in this browser.
LOCALE_COOKIE = "pt_locale"
LOCALE_COOKIE_SECONDS = 365 * 24 * 3600
NONE = "—"


def translated_locales() -> tuple[str, ...]:
    """English plus every language whose compiled catalogue ships with the app."""
    folder = resource_path("translations")
    found = {
        locale for locale in LOCALES if (folder / locale / "LC_MESSAGES" / "messages.mo").exists()
    }
    return tuple(locale for locale in LOCALES if locale == "en" or locale in found)


def is_offered(code: str | None) -> bool:
    """True when the interface speaks this language (it has a catalogue here)."""
    return code in current_app.config["TRANSLATED_LOCALES"]


def select_locale() -> str:
    """The locale for this request: user setting, switcher, browser, facility country, English."""
    available = current_app.config["TRANSLATED_LOCALES"]
    user = g.get("user")
    if _read(user, "locale") in available:
        return user.locale
    if has_request_context():
        # A language picked with the switcher in this browser is the user's
        # setting as far as SPEC §9 goes (it is how someone not signed in, or
        # whose account says "same as my browser", sets one), so it comes
        # right after the account's own setting and before Accept-Language.
        chosen = request.cookies.get(LOCALE_COOKIE)
        if chosen is not None and chosen in available:
            return chosen
        chosen = request.accept_languages.best_match(available)
        if chosen:
            return chosen
    facility = _read(user, "facility")
    country_default = COUNTRY_DEFAULTS.get(facility.country) if facility is not None else None
    if country_default is not None and country_default in available:
        return country_default
    return "en"


def _read(user, name: str):
    """user.<name>, or None without a user or when reading it needs a database that went away
    (a user expired by a commit, then the connection lost: the 503 still needs a language)."""
    try:
        return getattr(user, name, None)
    except OperationalError:
        return None


def remember_locale(response, code: str) -> None:
    """Keep the switcher's choice in this browser for a year."""
    response.set_cookie(
        LOCALE_COOKIE,
        code,
        max_age=LOCALE_COOKIE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure or current_app.config["AUTH_COOKIE_SECURE"],
        path="/",
    )


def forget_locale(response) -> None:
    """Drop the switcher's choice in this browser (the browser's languages decide again)."""
    response.delete_cookie(LOCALE_COOKIE, path="/", httponly=True, samesite="Lax")


def text_direction(locale: str) -> str:
    """rtl for right-to-left languages, ltr otherwise."""
    return "rtl" if str(locale).split("_")[0] in RTL_LOCALES else "ltr"


def _page_locale() -> str:
    """The locale pages are written in for this request (English outside one)."""
    from flask_babel import get_locale

    return str(get_locale() or "en")


def _as_date(value: dt.date | str | None) -> dt.date | None:
    """A date from a date, a datetime or YYYY-MM-DD text (None when it is none of them)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def format_day(value: dt.date | str | None) -> str:
    """A date (or YYYY-MM-DD text) as the page's language writes it; a dash for none."""
    day = _as_date(value)
    if day is None:
        # Text that is not a date is what someone typed: shown back as typed.
        return value if isinstance(value, str) and value else NONE
    return babel_dates.format_date(day, "medium", locale=_page_locale())


def format_local_date(moment: dt.datetime | None, facility) -> str:
    """A UTC timestamp as its date on the facility's clock, in the page's language."""
    local = local_moment(moment, facility)
    return format_day(local.date()) if local else NONE


def format_local_datetime(moment: dt.datetime | None, facility) -> str:
    """A UTC timestamp as date and time on the facility's clock, in the page's language."""
    local = local_moment(moment, facility)
    if local is None:
        return NONE
    locale = _page_locale()
    day = babel_dates.format_date(local.date(), "medium", locale=locale)
    clock = babel_dates.format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    # The language's own way of joining them ("{1}, {0}", "{1}، {0}", "{1} {0}"…).
    pattern = babel_dates.get_datetime_format("medium", locale=locale)
    # Babel annotates a DateTimePattern, but the locale data holds plain "{1}, {0}" strings.
    return pattern.replace("{1}", day).replace("{0}", clock)  # type: ignore[attr-defined]


def format_count(value: int | float | None) -> str:
    """A number with the language's digit grouping and decimal sign."""
    if value is None:
        return NONE
    return babel_numbers.format_decimal(value, locale=_page_locale())


def format_share(value: float | None) -> str:
    """A fraction (0.42) as the language writes a percentage ("42 %", "42%")."""
    if value is None:
        return NONE
    return babel_numbers.format_percent(value, locale=_page_locale())


def _time_element(machine: str | None, text: str) -> Markup | str:
    """<time datetime=ISO>text</time>: people read the text, machines the ISO value."""
    if machine is None:
        return text
    return Markup('<time datetime="{}">{}</time>').format(machine, text)


def day_element(value: dt.date | str | None) -> Markup | str:
    """A date for a page, in a <time> element."""
    day = _as_date(value)
    return _time_element(day.isoformat() if day else None, format_day(value))


def local_date_element(moment: dt.datetime | None, facility) -> Markup | str:
    """A timestamp's local date for a page, in a <time> element."""
    local = local_moment(moment, facility)
    return _time_element(local.date().isoformat() if local else None, format_day(local))


def local_datetime_element(moment: dt.datetime | None, facility) -> Markup | str:
    """A timestamp's local date and time for a page, in a <time> element (with its offset)."""
    local = local_moment(moment, facility)
    machine = local.isoformat(timespec="minutes") if local else None
    return _time_element(machine, format_local_datetime(moment, facility))


# What templates call (Flask-Babel's own filters convert to one configured
# time zone; these use the facility's, as the pages always have). Dates come
# as <time> elements, so they are for element content, never for attributes.
FORMATTERS = {
    "format_day": day_element,
    "format_local_date": local_date_element,
    "format_local_datetime": local_datetime_element,
    "format_count": format_count,
    "format_share": format_share,
}


def _here() -> str:
    """This page's path and query, to come back to after switching language."""
    rule = request.url_rule
    if rule is not None and "GET" not in (rule.methods or ()):
        return "/"  # an error page of a POST-only route: nothing to come back to
    query = request.query_string.decode("latin-1")
    return f"{request.path}?{query}" if query else request.path


def template_context() -> dict:
    """lang and dir for <html>, the language menus and the formatters, on every page."""
    locale = _page_locale()
    available = current_app.config["TRANSLATED_LOCALES"]
    return {
        "html_lang": locale.replace("_", "-"),
        "html_dir": text_direction(locale),
        "page_locale": locale,
        "language_next": _here() if has_request_context() else "/",
        # Languages the interface speaks (user settings, the switcher) ...
        "language_options": [(code, LANGUAGE_NAMES[code]) for code in available],
        # ... and every language a participant may prefer.
        "all_languages": list(LANGUAGE_NAMES.items()),
        **FORMATTERS,
    }
