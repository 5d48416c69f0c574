"""Folding text for search: case, accents and script do not matter.

Kazakh letters fold to the Russian look-alike's Latin spelling (ә and а to
"a", қ and к to "k", ұ, ү and у to "u", і and и to "i", …), because people
type Kazakh names on Russian keyboards and in Latin letters alike: "Әлия",
"ӘЛИЯ" and "алия" all fold to "aliia", "Нұрлан" and "Nurlan" to "nurlan".
Folded text is stored (participants.search_text), so changing what a letter
folds to needs the stored text recomputed.
"""

import unicodedata

# Cyrillic (Russian and Kazakh letters) to Latin, so "Nurlan" finds "Нурлан".
_CYRILLIC = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "kh",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "і": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    # Latin schwa, which some Kazakh and Azerbaijani keyboards give for ә.
    "ə": "a",
}
_TABLE = str.maketrans(_CYRILLIC)
# Kazakh letters whose Russian look-alike folds otherwise: on a Russian keyboard
# "Шаһизада" is typed "Шахизада" ("kh"), in Latin letters "Shahizada" ("h").
_RUSSIAN_KEYBOARD = str.maketrans({"һ": "х", "Һ": "Х"})


def fold(value: str) -> str:
    """Lower-case, strip accents, and spell Cyrillic in Latin letters."""
    lowered = unicodedata.normalize("NFKC", value or "").casefold()
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Again after the accents go: a Cyrillic letter with a mark the table lacks
    # (ї, ӓ, ӧ, ӱ) leaves its base letter behind.
    return " ".join(stripped.translate(_TABLE).split())


def search_blob(*parts: str | None) -> str:
    """The text a record is found by: each part as written and folded (and folded as
    typed on a Russian keyboard, where that differs)."""
    written = " ".join(unicodedata.normalize("NFKC", p).casefold() for p in parts if p)
    folded = fold(written)
    as_typed = fold(written.translate(_RUSSIAN_KEYBOARD))
    return f"{written} | {folded}" + (f" | {as_typed}" if as_typed != folded else "")


def like_pattern(query: str) -> str:
    """A LIKE pattern for a folded query, with wildcards escaped."""
    escaped = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
