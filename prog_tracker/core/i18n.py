"""Language choice (SPEC §9): user setting, Accept-Language, facility country."""

from flask import g, request

LOCALES = ("en", "fr", "ar", "ru", "kk", "sw")
RTL_LOCALES = {"ar"}
# What a facility's country speaks when nothing else says.
COUNTRY_DEFAULTS = {"KZ": "ru", "TN": "ar", "UG": "en", "FR": "fr", "KE": "sw", "TZ": "sw"}
# Each language named in itself, for the language menu.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "ar": "العربية", "ru": "Русский",
                  "kk": "Қазақша", "sw": "Kiswahili"}


def select_locale() -> str:
    """The locale for this request."""
    user = g.get("user")
    if user is not None and user.locale in LOCALES:
        return user.locale
    chosen = request.accept_languages.best_match(LOCALES) if request else None
    if chosen:
        return chosen
    facility = getattr(user, "facility", None)
    if facility is not None:
        return COUNTRY_DEFAULTS.get(facility.country, "en")
    return "en"


def text_direction(locale: str) -> str:
    """rtl for right-to-left languages, ltr otherwise."""
    return "rtl" if str(locale).split("_")[0] in RTL_LOCALES else "ltr"


def template_context() -> dict:
    """lang and dir for <html>, and the language menu, on every page."""
    from flask_babel import get_locale

    locale = str(get_locale() or "en")
    return {"html_lang": locale.replace("_", "-"), "html_dir": text_direction(locale),
            "language_options": list(LANGUAGE_NAMES.items())}
