"""The field app's strings in one language, from the same catalogues as the server pages.

The app marks its strings with `_()` in its modules; Babel's JavaScript
extractor finds them for messages.pot, and the same extractor finds them here,
so the app receives exactly its own strings (not the whole catalogue).
"""

from functools import cache

from babel.messages.extract import extract_from_dir
from babel.support import Translations

from prog_tracker.core.i18n import text_direction
from prog_tracker.resources import resource_path

KEYWORDS = {"_": None, "gettext": None}


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
    return {"locale": locale, "dir": text_direction(locale), "messages": messages}
