"""Language choice (SPEC §9): user setting, Accept-Language, facility country.

Only languages with a catalogue are chosen, so a page never claims to be in
a language it is not written in.
"""

from flask import current_app, g, has_request_context, request

from prog_tracker.resources import resource_path

LOCALES = ("en", "fr", "ar", "ru", "kk", "sw")
RTL_LOCALES = {"ar"}
# What a facility's staff work in when nothing else says (Russian is the
# working language of Kazakhstan's penitentiary administration).
COUNTRY_DEFAULTS = {"KZ": "ru", "TN": "ar", "UG": "en", "FR": "fr", "KE": "sw", "TZ": "sw"}
# Each language named in itself, for the language menu.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "ru": "Русский",
    "kk": "Қазақша",
    "sw": "Kiswahili",
}


def translated_locales() -> tuple[str, ...]:
    """English plus every language whose compiled catalogue ships with the app."""
    folder = resource_path("translations")
    found = {
        locale for locale in LOCALES if (folder / locale / "LC_MESSAGES" / "messages.mo").exists()
    }
    return tuple(locale for locale in LOCALES if locale == "en" or locale in found)


def select_locale() -> str:
    """The locale for this request: user setting, browser, facility country, English."""
    available = current_app.config["TRANSLATED_LOCALES"]
    user = g.get("user")
    if user is not None and user.locale in available:
        return user.locale
    if has_request_context():
        chosen = request.accept_languages.best_match(available)
        if chosen:
            return chosen
    facility = getattr(user, "facility", None)
    country_default = COUNTRY_DEFAULTS.get(facility.country) if facility is not None else None
    return country_default if country_default in available else "en"


def text_direction(locale: str) -> str:
    """rtl for right-to-left languages, ltr otherwise."""
    return "rtl" if str(locale).split("_")[0] in RTL_LOCALES else "ltr"


def template_context() -> dict:
    """lang and dir for <html>, and the language menu, on every page."""
    from flask_babel import get_locale

    locale = str(get_locale() or "en")
    available = current_app.config["TRANSLATED_LOCALES"]
    return {
        "html_lang": locale.replace("_", "-"),
        "html_dir": text_direction(locale),
        # Languages the interface speaks (user settings) ...
        "language_options": [(code, LANGUAGE_NAMES[code]) for code in available],
        # ... and every language a participant may prefer.
        "all_languages": list(LANGUAGE_NAMES.items()),
    }
