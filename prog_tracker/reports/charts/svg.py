"""SVG building blocks for the report charts: elements, text, mirroring, scales.

Drawings are built with ElementTree so that the serializer escapes every label
(facility and trade names come from the database): no string is pasted by hand.
"""

import math
import re
import textwrap
import xml.etree.ElementTree as ET  # nosec B405 # builds SVG, never parses XML
from collections.abc import Callable, Mapping
from typing import Any

import flask_babel
from babel import Locale
from babel.numbers import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 400  # viewBox units; CSS scales the drawing to its column
# On a 360 px phone the chart gets a 310 px column (page and figure padding):
# 16/400 of that is 12.4 px, the smallest any chart text is drawn.
FONT = 16
LINE = 20  # baseline to baseline for wrapped labels
PAD = 8
# A generous average advance per character: the server cannot measure text,
# so layout errs towards room to spare rather than overlapping labels.
CHAR_EM = 0.6
BOLD_EM = 0.7  # values are bold, and digits and "%" are wider than average letters
EMPTY_HEIGHT = 60

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# Characters XML 1.0 cannot hold at all; one would make the whole page's SVG invalid.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

Formatter = Callable[[Any], str]


def number(x: float) -> str:
    """A coordinate for an attribute: at most one decimal, no trailing zeros."""
    text = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def clean(text: object) -> str:
    """Text as a plain string XML can hold."""
    return _CONTROL.sub("", str(text))


def _attribute(value: object) -> str:
    """An attribute value: numbers rounded, the rest as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    return clean(value)


def add(parent: ET.Element, tag: str, text: object = None, **attrs: object) -> ET.Element:
    """Append an element; class_ gives class, text_anchor text-anchor; None leaves out."""
    names = {
        key.rstrip("_").replace("_", "-"): _attribute(value)
        for key, value in attrs.items()
        if value is not None
    }
    node = ET.SubElement(parent, tag, names)
    if text is not None:
        node.text = clean(text)
    return node


def start(chart_id: str, kind: str, title: object, description: object, rtl: bool) -> ET.Element:
    """The <svg> root with its accessible name (title) and description (desc)."""
    if not _ID.match(chart_id):
        raise ValueError(f"chart id must be a letter then letters, digits, - or _: {chart_id!r}")
    svg = ET.Element("svg", {"xmlns": SVG_NS, "id": chart_id, "class": f"chart chart-type-{kind}"})
    svg.set("role", "img")
    svg.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    # Set, not inherited from the page, so text anchors mean the same on any page.
    svg.set("direction", "rtl" if rtl else "ltr")
    svg.set("font-size", str(FONT))
    add(svg, "title", title, id=f"{chart_id}-title")
    add(svg, "desc", description, id=f"{chart_id}-desc")
    return svg


def finish(svg: ET.Element, height: float) -> Markup:
    """The drawing as markup, its viewBox fitted to what was drawn."""
    svg.set("viewBox", f"0 0 {WIDTH} {number(math.ceil(height))}")
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704 # nosec B704 # escaped by ET


def empty(svg: ET.Element) -> Markup:
    """A chart with nothing to draw: say so in words, in the middle."""
    svg.set("class", svg.get("class", "") + " chart-is-empty")
    add(svg, "rect", class_="chart-empty", x=1, y=1, width=WIDTH - 2, height=EMPTY_HEIGHT - 2, rx=6)
    message = _("No data for this period.")
    add(svg, "text", message, class_="chart-nodata", x=WIDTH / 2, y=36, text_anchor="middle")
    return finish(svg, EMPTY_HEIGHT)


def x_at(x: float, rtl: bool) -> float:
    """A logical x (from the inline start) as a drawing x: mirrored right to left."""
    return WIDTH - x if rtl else x


def left_edge(x: float, width: float, rtl: bool) -> float:
    """The drawing x of a box that runs from logical x over `width`."""
    return WIDTH - x - width if rtl else x


def text_width(text: str, bold: bool = False) -> float:
    """Roughly how wide text is drawn (see CHAR_EM)."""
    return len(text) * FONT * (BOLD_EM if bold else CHAR_EM)


def wrap(text: object, width: float, max_lines: int = 2) -> list[str]:
    """Text broken into lines that fit `width`, the last cut with an ellipsis."""
    chars = max(4, int(width // (FONT * CHAR_EM)))
    plain = clean(text)
    return textwrap.wrap(plain, chars, max_lines=max_lines, placeholder="…") or [plain]


def nice_scale(top: float, integers: bool) -> list[float]:
    """Gridline values from 0 to a round number at or above `top` (2 to 6 of them)."""
    top = top if top > 0 else 1
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    if integers:
        step = max(1, math.ceil(step))  # no gridline at half a person
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def coerce(kind: type, item: object) -> Any:
    """An input row as `kind` (a NamedTuple), from itself, a mapping or a tuple."""
    if isinstance(item, kind):
        return item
    if isinstance(item, Mapping):
        return kind(**item)
    return kind(*item)  # type: ignore[misc]


def current_locale() -> Locale:
    """The request's locale; English outside a request (tests, scripts)."""
    return flask_babel.get_locale() or Locale.parse("en")


def format_count(count: float) -> str:
    """A count as the page's language writes it (the default count_format)."""
    return format_decimal(count, locale=current_locale())


def format_share(share: float) -> str:
    """A ratio as a percent in the page's language (the default percent_format)."""
    return format_percent(share, locale=current_locale())
