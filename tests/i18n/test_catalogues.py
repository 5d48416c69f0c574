"""Every marked string is in every catalogue, translated, with its placeholders."""

import io
import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from prog_tracker.resources import PACKAGE_DIR, resource_path

TRANSLATIONS = resource_path("translations")
COMPLETE = ("fr",)  # catalogues that must be fully translated today
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
METHODS = [("prog_tracker/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


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
        template = {m.id for m in read_po(handle) if m.id}
    missing = _source_msgids() - template
    assert not missing, f"run `make messages`: {sorted(missing)[:10]}"


@pytest.mark.parametrize("locale", ["en", *COMPLETE])
def test_catalogue_has_every_string_of_the_template(locale):
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert template <= {m.id for m in _catalogue(locale) if m.id}


@pytest.mark.parametrize("locale", COMPLETE)
def test_complete_catalogues_translate_everything_with_the_same_placeholders(locale):
    for message in _catalogue(locale):
        if not message.id:
            continue
        assert message.string, f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
        assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
            PLACEHOLDER.findall(message.string)
        ), message.id


@pytest.mark.parametrize("locale", ["en", *COMPLETE])
def test_compiled_catalogue_matches_its_source(locale):
    folder = TRANSLATIONS / locale / "LC_MESSAGES"
    with open(folder / "messages.mo", "rb") as handle:
        compiled = {m.id: m.string for m in read_mo(io.BufferedReader(handle)) if m.id}
    source = {m.id: m.string for m in _catalogue(locale) if m.id and m.string}
    assert compiled == source, "run `make messages` to recompile"


def test_drafted_catalogues_say_what_awaits_review():
    for locale in COMPLETE:
        header = (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").read_text()[:2000]
        assert "native" in header and "review" in header
