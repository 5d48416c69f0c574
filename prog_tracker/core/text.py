"""Folding text for search: case, accents and script do not matter."""

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
}
_TABLE = str.maketrans(_CYRILLIC)


def fold(value: str) -> str:
    """Lower-case, strip accents, and spell Cyrillic in Latin letters."""
    lowered = unicodedata.normalize("NFKC", value or "").casefold()
    latin = lowered.translate(_TABLE)
    decomposed = unicodedata.normalize("NFKD", latin)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def search_blob(*parts: str | None) -> str:
    """The text a record is found by: each part as written and folded."""
    written = " ".join(unicodedata.normalize("NFKC", p).casefold() for p in parts if p)
    return f"{written} | {fold(' '.join(p for p in parts if p))}"


def like_pattern(query: str) -> str:
    """A LIKE pattern for a folded query, with wildcards escaped."""
    escaped = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
