"""Find interface English left on a page that should speak another language.

The page's texts (visible text, accessible names and hints) are compared with
the catalogue's English msgids (messages.pot). A text that is exactly a msgid
(or a msgid with its %(placeholders)s filled in) whose translation in that
language differs is English the page should not show. Texts the test world
stored (names, titles, notes) are data, not interface, and are left out.

English that is in no catalogue (a string nobody marked, a code shown raw) has no
msgid to match, so `leftover_english` looks for it another way: in Arabic, Russian
and Kazakh any run of Latin words that is not data is suspect; in French and
Swahili a run with two English function words ("the", "your", ...) is.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from prog_tracker.core.i18n import LANGUAGE_NAMES
from prog_tracker.devices.labels import BROWSERS, SYSTEMS

TRANSLATIONS = Path(__file__).resolve().parents[2] / "prog_tracker" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
LETTER = re.compile(r"[^\W\d_]")
MIN_LETTERS = 4  # "OK", "No", "km": too short to tell English from a shared word
NON_LATIN = {"ar", "ru", "kk"}
# Words English has and French and Swahili do not (two in a run betray a sentence).
ENGLISH_ONLY = {"the", "and", "your", "you", "with", "this", "that", "is", "are", "of", "to"}
ENGLISH_ONLY |= {"for", "not", "has", "have", "will", "from", "here", "there", "no", "yet"}
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’-]*)*")
# Addresses, e-mails, paths and codes with digits or dots are not words.
NOT_WORDS = re.compile(r"\S+@\S+|\w+://\S+|\S*[/\\.]\S*\w\S*|\S*\d\S*")
# Names of products, written alike in every language: ours, the spreadsheet an import
# comes from, and the browsers and systems a device's label names ("Chrome · Android").
BRAND = {"prog-tracker", "Excel"} | {name for _pattern, name in (*BROWSERS, *SYSTEMS)}

# Every text a page shows or says, with where it was found. Visible text nodes and
# whole short elements (a button with an icon is one name); accessible names and hints;
# the title. Options of closed <select>s count although the browser hides them.
PAGE_TEXTS = """() => {
  const texts = [];
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const shown = (el) => el.closest('option') || !el.checkVisibility || el.checkVisibility();
  const add = (text, where) => { text = norm(text); if (text) texts.push([text, where]); };
  add(document.title, 'title');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, template, noscript')) continue;
    if (shown(parent)) add(node.textContent, 'text');
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('script, style, template, noscript') || !shown(el)) continue;
    const whole = el.children.length ? el.innerText : '';
    if (whole && whole.length < 200) add(whole, 'element');
    for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
      if (el.hasAttribute(name)) add(el.getAttribute(name), name);
    }
    if (el.matches('input[type=submit], input[type=button], input[type=reset]')) {
      add(el.value, 'value');
    }
  }
  return texts;
}"""


@dataclass(frozen=True)
class Catalogue:
    """One language's English msgids that must not appear, exact and with placeholders."""

    exact: frozenset
    patterns: tuple  # (clue, English pattern, translation pattern or None)


def _letters(text: str) -> int:
    """How many letters text has outside its placeholders."""
    return len(LETTER.findall(PLACEHOLDER.sub("", text)))


def _pattern(text: str):
    """A regex matching text with every placeholder filled by something."""
    literal = [re.sub(r"\s+", " ", part) for part in PLACEHOLDER.split(text)[::2]]
    literal[0], literal[-1] = literal[0].lstrip(), literal[-1].rstrip()  # pages are trimmed
    return re.compile("^" + "(.+?)".join(re.escape(part) for part in literal) + "$")


def _clue(text: str) -> str:
    """The longest literal part of text: a cheap test before the regex."""
    return max((" ".join(p.split()) for p in PLACEHOLDER.split(text)[::2]), key=len)


def _pairs(message, translation_of) -> list:
    """(English, translation) pairs of a message: one, or one per plural form."""
    if isinstance(message.id, tuple | list):
        translated = translation_of(message.id) or ()
        first = translated[0] if translated else ""
        last = translated[-1] if translated else ""
        return [(message.id[0], first), (message.id[1], last)]
    return [(message.id, translation_of(message.id) or "")]


@cache
def catalogue(locale: str) -> Catalogue:
    """The msgids of messages.pot whose translation into locale differs from the English."""
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        translated = read_po(handle, locale=locale)

    def translation_of(msgid):
        found = translated.get(msgid)
        return found.string if found is not None else None

    exact, patterns = set(), []
    for message in template:
        if not message.id:
            continue
        for english, translation in _pairs(message, translation_of):
            if _letters(english) < MIN_LETTERS or english == translation:
                continue
            if PLACEHOLDER.search(english):
                theirs = _pattern(translation) if translation else None
                patterns.append((_clue(english), _pattern(english), theirs))
            else:
                exact.add(" ".join(english.split()))
    return Catalogue(frozenset(exact), tuple(patterns))


def untranslated(texts, locale: str, data_texts: frozenset) -> list[tuple[str, str]]:
    """(where, text) for every page text that is an English msgid in a locale page."""
    known = catalogue(locale)
    allowed = data_texts | set(LANGUAGE_NAMES.values())
    found = []
    for text, where in dict.fromkeys(tuple(pair) for pair in texts):
        if text in allowed or _letters(text) < MIN_LETTERS:
            continue
        if text in known.exact or _filled_in(text, known.patterns):
            found.append((where, text))
    return found


def _filled_in(text: str, patterns) -> bool:
    """True when text is an English msgid with its placeholders filled in."""
    for clue, english, theirs in patterns:
        if clue in text and english.match(text) and not (theirs and theirs.match(text)):
            return True
    return False


def leftover_english(texts, locale: str, data_texts: frozenset) -> list[tuple[str, str, str]]:
    """(where, run, text) for English words no catalogue knows (see the module doc)."""
    if locale == "en":
        return []
    data = "\n".join(data_texts | set(LANGUAGE_NAMES.values()) | BRAND)
    found: dict[str, tuple[str, str, str]] = {}
    for text, where in texts:
        if where == "element" or text in data_texts:
            continue  # a whole element joins texts of its parts; the parts are looked at
        for run in LATIN_RUN.findall(NOT_WORDS.sub("|", text)):
            run = run.strip(" ,;:")
            # "Ben Amor, Skander" is two data texts joined by a comma
            parts = [part.strip() for part in re.split(r"[,;:]", run)]
            unknown = [part for part in parts if part and part not in data]
            if run not in found and unknown and _suspect(run, locale):
                found[run] = (where, run, text)
    return list(found.values())


def _suspect(run: str, locale: str) -> bool:
    """True when a run of Latin words looks like English in a page of locale."""
    if _letters(run) < MIN_LETTERS or run.isupper():  # CSV, XLSX, PDF, UTC, KZ
        return False
    if locale in NON_LATIN:
        return True
    words = {word.lower() for word in re.findall(r"[A-Za-z']+", run)}
    return len(words & ENGLISH_ONLY) >= 2
