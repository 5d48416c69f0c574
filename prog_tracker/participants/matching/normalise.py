"""Names in any script reduced to one comparable Latin form, and a consonant skeleton.

ICU does the transliteration where its output is what people type:
Kazakh-Latin/BGN (a superset of Russian) gives the passport spelling
("Әлия Сейтқали" -> "Aliya Seitqali", "Жанна" -> "Zhanna"), Arabic-Latin a
consonant spelling ("محمد" -> "mhmd"), Any-Latin everything else. Our own rules
come before ICU only for Arabic letters whose ICU form is not what Tunisian
registers write (ة is "a" in Fatma, not "t"; ع is a vowel in Ali, Omar, not ʿ;
the article ال is dropped), and after ICU to fold the many Latin spellings of
one sound together (zh/j/dj, kh/h, sh/ch/ş, ou/w/u, y/i, -off/-ov, -iev/-ev,
c/k/q/s, doubled letters). Arabic script has no short vowels, so names are also
compared on their consonants ("mhmd" ~ "Mohamed"): `skeleton`.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import icu

# Particles of Maghreb names: "son of", "sons of", articles. They are kept or left
# out at will by whoever types the name, so they never count.
PARTICLES = frozenset(
    {
        "ben",
        "bin",
        "ibn",
        "bn",
        "b",
        "ould",
        "ouled",
        "oulad",
        "wld",
        "uld",
        "el",
        "al",
        "ul",
        "il",
        "de",
        # The article as it sounds before some letters, written apart: "Et-Tahar", "Ech-Chebbi".
        "et",
        "es",
        "ez",
        "ech",
        "ed",
        "er",
        "en",
        # Kazakh "son of" / "daughter of" written apart ("Nurlan uly").
        "uly",
        "ulu",
        "kyzy",
        "qyzy",
    }
)
# "son of", "of the family of": the words after them name forefathers.
FILIATION = frozenset({"ben", "bin", "ibn", "bn", "b", "ould", "ouled", "oulad", "wld", "uld"})
# Names that start with "ben" and are no "ben" + name.
NOT_BEN = ("benj", "bened", "benn", "bene", "bent", "benz", "bend", "beng")
# Joined to the next word: "Bou Zid" is "Bouzid", "Abd el Kader" is "Abdelkader".
JOINED = frozenset({"bou", "bu", "abou", "abu", "abd", "abdel", "abdul", "abdoul"})
# Endings of Russian and Kazakh patronymics (as ICU spells them): another name, not the
# given or family name, so a record with or without it compares alike.
PATRONYMIC = re.compile(r"(ovi?tch|[eo]vich|[eo]vych|[eo]vna|ichna|ievna|uly|ulu|kyzy|qyzy)$")
_ARABIC_BEFORE_ICU = str.maketrans(
    {
        "ة": "ا",  # taa marbuta: "Fatma", "Khadija" (ICU: t)
        "ى": "ا",  # alif maqsura: "Mustapha", "Mona"
        "ع": "ا",  # ain: "Ali", "Omar", "Abd" (ICU: ʿ)
        "ء": "",
        "ـ": "",  # tatweel, a stretching stroke
    }
)
# Latin spellings of one sound, longest first; uppercase letters are our own
# symbols so they cannot clash with a letter typed: S = sh/ch/ş/ш, J = zh/j/dj/ж.
_DIGRAPHS = (
    ("shch", "S"),
    ("sch", "S"),
    ("tch", "S"),
    ("sh", "S"),
    ("ch", "S"),
    ("dzh", "J"),
    ("dj", "J"),
    ("zh", "J"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
)
_SOFT_C = re.compile(r"c(?=[eiy])")
_LETTERS = (("c", "k"), ("q", "k"), ("x", "ks"), ("j", "J"), ("ou", "u"), ("w", "u"), ("y", "i"))
# "Abdelkader", "Abdulkadir", "Abd el Kader": the article after abd never counts.
_ABD = re.compile(r"^abd(el|al|ul|oul|ou|u)(?=[^aeiou])")
# Russian surnames as passports and emigrés write them: -off for -ov, -yev/-iev for -ev.
_ENDINGS = ((re.compile(r"of+$"), "ov"), (re.compile(r"i+ev"), "ev"))
_DOUBLED = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]")
_NOT_LETTER = re.compile(r"[^a-zA-Z]+")
_SPLIT = re.compile(r"[\s\-‐‑'’ʼ`.,;/()]+")
# Latin letters whose accent-stripped form is not their sound: 2021 Kazakh Latin and
# Turkish ş, ç; Azerbaijani/Kazakh schwa; dotless i.
_LATIN_LETTERS = str.maketrans({"ş": "sh", "ç": "ch", "ə": "a", "ı": "i", "ß": "ss"})


@dataclass(frozen=True)
class Token:
    """One word of a name: its comparable form, its consonants, and whether it came
    from Arabic script (whose short vowels were never written)."""

    form: str
    skeleton: str
    arabic: bool
    script: str


# ICU's transliterator per script; the Cyrillic one is Kazakh's, a superset of Russian.
ICU_RULES = {
    "Cyrl": "Kazakh-Latin/BGN; Latin-ASCII",
    "Arab": "Arabic-Latin; Latin-ASCII",
    "Any": "Any-Latin; Latin-ASCII",
}


def script_of(word: str) -> str:
    """The script of a word: "Cyrl", "Arab", "Latn" or "Any" (by its first letter)."""
    for char in word:
        if char.isalpha():
            name = unicodedata.name(char, "")
            for script, prefix in (("Cyrl", "CYRILLIC"), ("Arab", "ARABIC"), ("Latn", "LATIN")):
                if name.startswith(prefix):
                    return script
            return "Any"
    return "Latn"


def latin(word: str, script: str) -> str:
    """A word in plain lower-case Latin letters, as people would type it."""
    if script == "Arab":
        word = word.translate(_ARABIC_BEFORE_ICU)
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]  # the article, written joined in Arabic script
        word = _icu_latin("Arab", word)
    elif script in ("Cyrl", "Any"):
        word = _icu_latin(script, word)
    word = word.casefold().translate(_LATIN_LETTERS)
    decomposed = unicodedata.normalize("NFKD", word)
    return _NOT_LETTER.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=65536)
def _icu_latin(script: str, word: str) -> str:
    """ICU's transliteration of one word (cached: names repeat)."""
    return _transliterator(script).transliterate(word)


@lru_cache(maxsize=4)
def _transliterator(script: str):
    """One ICU transliterator per script (building one parses its rules)."""
    return icu.Transliterator.createInstance(ICU_RULES[script])


@lru_cache(maxsize=65536)
def canonical(plain: str) -> str:
    """The comparable form of a Latin word: one spelling per sound, no doubled letters."""
    plain = _ABD.sub("abd", plain)
    for spelling, sound in _DIGRAPHS:
        plain = plain.replace(spelling, sound)
    plain = _SOFT_C.sub("s", plain)
    for spelling, sound in _LETTERS:
        plain = plain.replace(spelling, sound)
    for pattern, ending in _ENDINGS:
        plain = pattern.sub(ending, plain)
    return _DOUBLED.sub(r"\1", plain)


def skeleton(form: str) -> str:
    """The consonants of a comparable form (what Arabic script writes of a name); g and
    k as one, since Tunisians say ق as g and write Gasmi, Kasmi and Qasmi alike."""
    return _VOWELS.sub("", form).replace("g", "k")


def _without_ben(plain: str) -> str:
    """ "Benali", "Benyoussef": ben written joined to the name it belongs to (not Benjamin)."""
    if plain.startswith("ben") and len(plain) > 5 and not plain.startswith(NOT_BEN):
        return plain[3:]
    return plain


def words(text: str | None) -> list[str]:
    """The words of a name as typed (spaces, hyphens, apostrophes and dots split)."""
    if not text:
        return []
    return [w for w in _SPLIT.split(unicodedata.normalize("NFKC", text)) if w]


def tokens(text: str | None, fallback: bool = True) -> tuple[list[Token], list[Token]]:
    """(name words, patronymics) of one name field, particles left out and joined
    prefixes joined ("Abd el Kader" -> one word); with fallback, a field of
    patronymics only ("Ben Ali" as a family name) gives them as its names."""
    names: list[Token] = []
    patronymics: list[Token] = []
    pending = ""
    fathers = False  # after "ben", "ould": the father's and forefathers' names
    for word in words(text):
        script = script_of(word)
        plain = latin(word, script)
        if not plain or plain in PARTICLES:
            fathers = fathers or plain in FILIATION
            continue
        if plain in JOINED:
            pending += plain
            continue
        plain, pending = _without_ben(pending + plain), ""
        patronymic = fathers or (PATRONYMIC.search(plain) and len(plain) > 6)
        (patronymics if patronymic else names).append(token(plain, script))
    if pending:
        names.append(token(pending, "Latn"))
    if not names and fallback:
        # "Ben Ali" as a family name: the name itself, not a father's.
        return patronymics, []
    return names, patronymics


@lru_cache(maxsize=65536)
def token(plain: str, script: str) -> Token:
    """A Token from a plain Latin word and the script it was written in."""
    form = canonical(plain)
    return Token(form, skeleton(form), script == "Arab", script)


def normalise(text: str | None) -> str:
    """The comparable form of a whole name, words in their order (for display in tests
    and for blocking)."""
    names, patronymics = tokens(text)
    return " ".join(t.form for t in (*names, *patronymics))
