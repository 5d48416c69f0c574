"""Names as printed: without the controls that reorder text (issue 18).

Someone who types U+202E (RIGHT-TO-LEFT OVERRIDE) into a name makes the rest
of it, and on a page the text after it, read backwards: "Ali", U+202E,
"gnp.exe" shows as "Aliexe.png", and a certificate can be made to name
someone else.
What is printed (pages, /verify, certificate and subject-export PDFs) drops
the embedding, override and isolate controls; what is stored stays as typed.

The marks U+200E, U+200F and U+061C are kept. They embed nothing and override
nothing: they only lend a direction to the neutral characters beside them
(spaces, brackets, digits), so they cannot turn a run of letters around, and
mixed Arabic and Latin names need them to keep their brackets and numbers in
place. Printed in <bdi> (isolated_name), a name's marks stay inside the name.
"""

from markupsafe import Markup

# LRE, RLE, PDF, LRO, RLO (U+202A-U+202E) and LRI, RLI, FSI, PDI (U+2066-U+2069).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DROP = str.maketrans(dict.fromkeys(BIDI_CONTROLS))


def strip_bidi_controls(text: str) -> str:
    """The text without bidi embedding, override and isolate controls (marks kept)."""
    return text.translate(_DROP)


def printable_name(value: str | None) -> str:
    """A name (or name part) as printed: bidi controls removed; empty for none."""
    return strip_bidi_controls(value) if value else ""


def isolated_name(value: str | None) -> Markup:
    """A name for inside a sentence: printable, in <bdi> so its direction stays its own."""
    return Markup("<bdi>{}</bdi>").format(printable_name(value))


TEMPLATE_FILTERS = {"printable_name": printable_name, "isolated_name": isolated_name}
