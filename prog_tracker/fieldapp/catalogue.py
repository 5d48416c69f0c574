"""The field app's strings in one language, from the same catalogues as the server pages.

The app marks its strings with `_()` in its modules; Babel's JavaScript
extractor finds them for messages.pot, and the same extractor finds them here,
so the app receives exactly its own strings (not the whole catalogue).
Dates come with it: the CLDR names and patterns Babel writes the server pages'
dates with (core/i18n.py), since a browser's Intl may lack a language (Kazakh
month names in Chromium), and the app's dates should read as the pages' do.
"""

from functools import cache

from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.support import Translations

from prog_tracker.core.i18n import text_direction
from prog_tracker.resources import resource_path

KEYWORDS = {"_": None, "gettext": None}
WIDTHS = ("abbreviated", "wide")


@cache
def app_msgids() -> frozenset[str]:
    """Every string marked in the field app's modules."""
    folder = resource_path("static") / "app"
    found = extract_from_dir(folder, [("**.js", "javascript")], keywords=KEYWORDS)
    return frozenset(message for _file, _line, message, _comments, _ctx in found if message)


@cache
def app_catalogue(locale: str) -> dict:
    """{locale, dir, messages}: the app's strings translated into locale (where they are)."""
    translations = Translations.load(str(resource_path("translations")), [locale])
    messages = {}
    for msgid in sorted(app_msgids()):
        text = translations.gettext(msgid)
        if text and text != msgid:  # untranslated strings fall back to English in the app
            messages[msgid] = text
    return {
        "locale": locale,
        "dir": text_direction(locale),
        "messages": messages,
        "dates": date_names(locale),
    }


def date_names(locale: str) -> dict:
    """The CLDR data the app writes dates with: the patterns of format_day and
    format_local_datetime (medium date, short time, their join), month and day names
    (days from Sunday, as JavaScript counts them) and the AM/PM marks."""
    data = Locale.parse(locale)
    months = data.months["format"]
    days = data.days["format"]
    sunday_first = (6, 0, 1, 2, 3, 4, 5)  # Babel counts from Monday
    periods = data.day_periods["format"]["abbreviated"]
    return {
        "date": data.date_formats["medium"].pattern,
        "time": data.time_formats["short"].pattern,
        "datetime": str(data.datetime_formats["medium"]),
        "months": {width: [months[width][m] for m in range(1, 13)] for width in WIDTHS},
        "days": {width: [days[width][d] for d in sunday_first] for width in WIDTHS},
        "periods": [periods["am"], periods["pm"]],
    }
