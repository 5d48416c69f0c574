"""Every marked string is in every catalogue, translated, with its placeholders."""

import io
import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from prog_tracker.resources import PACKAGE_DIR, resource_path

TRANSLATIONS = resource_path("translations")
COMPLETE = ("fr", "ar", "ru", "kk", "sw")  # every language but the English source
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
METHODS = [
    ("prog_tracker/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("static/app/**.js", "javascript"),  # the field app's strings
]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "lazy_pgettext": ((1, "c"), 2),
}


def _key(message_id):
    """A message's id as one string: the singular of a plural message."""
    return message_id if isinstance(message_id, str) else message_id[0]


def _forms(text) -> list[str]:
    """Every form of a message's id or translation (one unless it is plural)."""
    return [text] if isinstance(text, str) else list(text)


def _translated(messages) -> dict:
    """id -> translated forms, leaving out what falls back to the English source
    (Babel compiles an untranslated plural as its own msgids)."""
    found = {}
    for message in messages:
        forms = _forms(message.string)
        if message.id and any(forms) and forms != _forms(message.id):
            found[_key(message.id)] = forms
    return found


def _catalogue(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def _source_msgids():
    root = PACKAGE_DIR.parent
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        root, METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_template_lists_every_marked_string_in_the_code():
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = {_key(m.id) for m in read_po(handle) if m.id}
    missing = _source_msgids() - template
    assert not missing, f"run `make messages`: {sorted(missing)[:10]}"


@pytest.mark.parametrize("locale", ["en", *COMPLETE])
def test_catalogue_has_every_string_of_the_template(locale):
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = {_key(m.id) for m in read_po(handle) if m.id}
    assert template <= {_key(m.id) for m in _catalogue(locale) if m.id}


@pytest.mark.parametrize("locale", COMPLETE)
def test_complete_catalogues_translate_everything_with_the_same_placeholders(locale):
    for message in _catalogue(locale):
        if not message.id:
            continue
        assert all(_forms(message.string)), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
        wanted = sorted(PLACEHOLDER.findall(_forms(message.id)[-1]))
        for form in _forms(message.string):
            assert sorted(PLACEHOLDER.findall(form)) == wanted, message.id


@pytest.mark.parametrize("locale", ["en", *COMPLETE])
def test_compiled_catalogue_matches_its_source(locale):
    folder = TRANSLATIONS / locale / "LC_MESSAGES"
    with open(folder / "messages.mo", "rb") as handle:
        compiled = _translated(read_mo(io.BufferedReader(handle)))
    source = _translated(_catalogue(locale))
    assert compiled == source, "run `make messages` to recompile"


def test_drafted_catalogues_say_what_awaits_review():
    for locale in COMPLETE:
        header = (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").read_text()[:2000]
        assert "native" in header and "review" in header
