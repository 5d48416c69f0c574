"""The certificate PDF: one A4 landscape page with a QR code to its public check page.

People take their certificate with them on release, so the page names the
training centre that issued it and the qualification, and nothing else about
where the training took place. The caller passes no such detail, and none is
printed here.
"""

import datetime
import io
import unicodedata

import segno
from fpdf import FPDF

from prog_tracker.core.bidi import printable_name
from prog_tracker.resources import resource_path

DEFAULT_LABELS = {
    "title": "Certificate of competence",
    "awarded_to": "This certifies that",
    "completed": "has met every requirement of",
    "level": "Level",
    "issued_on": "Issued on",
    "issuer": "Issued by",
    "code": "Verification code",
    "verify": "Check this certificate at",
    "revoked": "REVOKED",
}

# Noto Sans covers Latin and Cyrillic (Kazakh letters included); Noto Naskh
# Arabic covers Arabic script. Each is the other's fallback, so one string may
# mix scripts.
LATIN, ARABIC = "NotoSans", "NotoNaskhArabic"
FONT_FILES = {
    (LATIN, ""): "NotoSans-Regular.ttf",
    (LATIN, "B"): "NotoSans-Bold.ttf",
    (ARABIC, ""): "NotoNaskhArabic-Regular.ttf",
    (ARABIC, "B"): "NotoNaskhArabic-Bold.ttf",
}

INK = (33, 37, 41)
MUTED = (90, 98, 106)
ACCENT = (31, 78, 121)
RED = (176, 0, 32)

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, millimetres
MARGIN = 25.0
QR_SIZE = 40.0


def render_certificate_pdf(
    *,
    holder_name: str,
    qualification_title: str,
    level: str,
    trade_name: str,
    issuer: str,
    issued_on: datetime.date,
    code: str,
    verify_url: str,
    status: str = "valid",
    labels: dict[str, str] | None = None,
) -> bytes:
    """A one-page A4 landscape certificate PDF with a QR code to verify_url."""
    text = {**DEFAULT_LABELS, **(labels or {})}
    pdf = _new_document()
    _draw_frame(pdf)
    # A bidi control in the name would reorder it on paper (fpdf2 applies them).
    _draw_body(pdf, text, printable_name(holder_name), qualification_title, level, trade_name)
    _draw_details(pdf, text, issuer, issued_on, code)
    _draw_verification(pdf, text, verify_url)
    if status == "revoked":
        _draw_revoked(pdf, text["revoked"])
    return bytes(pdf.output())


def _new_document() -> FPDF:
    """An empty page with the fonts, shaping and metadata set up."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)  # the layout is fixed; long text shrinks instead
    pdf.set_margins(0, 0, 0)
    add_fonts(pdf)
    # Generic metadata only: the holder's name stays out of the document info.
    pdf.set_title("Certificate")
    pdf.set_creator("prog-tracker")
    pdf.add_page()
    return pdf


def add_fonts(pdf: FPDF) -> None:
    """Register the shipped Latin/Cyrillic and Arabic fonts, with fallback and shaping."""
    fonts = resource_path("static") / "fonts"
    for (family, style), filename in FONT_FILES.items():
        pdf.add_font(family, style, fonts / filename)
    pdf.set_fallback_fonts([LATIN, ARABIC])
    # HarfBuzz joins Arabic letters and lays them out right to left.
    pdf.set_text_shaping(True)


def has_arabic(text: str) -> bool:
    """Whether the text contains Arabic letters (right-to-left, Arabic class)."""
    return any(unicodedata.bidirectional(ch) == "AL" for ch in text)


def _text(
    pdf: FPDF,
    text: str,
    y: float,
    size: float,
    *,
    bold: bool = False,
    color: tuple[int, int, int] = INK,
    x: float = MARGIN,
    w: float = PAGE_W - 2 * MARGIN,
    align: str = "C",
) -> None:
    """Write one line, shrinking the type until it fits the width."""
    # Start in the font of the text's main script: an Arabic run then stays one
    # piece, spaces included, instead of being split at every space, which looks
    # the same but copies out (and reads aloud) with the words reversed.
    pdf.set_font(ARABIC if has_arabic(text) else LATIN, "B" if bold else "", size)
    while size > 7 and pdf.get_string_width(text) > w:
        size -= 1
        pdf.set_font_size(size)
    pdf.set_text_color(*color)
    pdf.set_xy(x, y)
    pdf.cell(w, size * 0.5, text, align=align)


def _draw_frame(pdf: FPDF) -> None:
    """A double rule around the page."""
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, PAGE_W - 26, PAGE_H - 26)


def _draw_body(
    pdf: FPDF, text: dict[str, str], holder: str, title: str, level: str, trade: str
) -> None:
    """Title, holder's name and what they achieved, centred."""
    _text(pdf, text["title"], 28, 28, bold=True, color=ACCENT)
    _text(pdf, text["awarded_to"], 50, 13, color=MUTED)
    _text(pdf, holder, 62, 32, bold=True)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.4)
    pdf.line(PAGE_W / 2 - 40, 83, PAGE_W / 2 + 40, 83)
    _text(pdf, text["completed"], 90, 13, color=MUTED)
    _text(pdf, title, 100, 22, bold=True)
    _text(pdf, f"{text['level']} {level} · {trade}", 115, 14)


def _draw_details(
    pdf: FPDF, text: dict[str, str], issuer: str, issued_on: datetime.date, code: str
) -> None:
    """Issuer, date and code, each a caption over its value, bottom left."""
    # ISO dates read the same in every language the certificate may be in.
    rows = (
        (text["issuer"], issuer),
        (text["issued_on"], issued_on.isoformat()),
        (text["code"], code),
    )
    width = PAGE_W - 2 * MARGIN - QR_SIZE - 70
    for i, (caption, value) in enumerate(rows):
        y = 140 + i * 15
        _text(pdf, caption, y, 9, color=MUTED, w=width, align="L")
        _text(pdf, value, y + 5, 12, bold=True, w=width, align="L")


def _draw_verification(pdf: FPDF, text: dict[str, str], verify_url: str) -> None:
    """The QR code bottom right, with the check address printed under it."""
    buf = io.BytesIO()
    # Medium error correction survives creases and smudges on a paper copy.
    segno.make(verify_url, error="m").save(buf, kind="png", scale=10, border=4)
    buf.seek(0)
    qr_x = PAGE_W - MARGIN - QR_SIZE
    qr_y = 133.0
    pdf.image(buf, x=qr_x, y=qr_y, w=QR_SIZE, h=QR_SIZE)
    # The address is also printed so it can be typed where no camera is at hand.
    width = 130.0
    x = qr_x + QR_SIZE - width
    _text(pdf, text["verify"], qr_y + QR_SIZE + 2, 9, color=MUTED, x=x, w=width, align="R")
    _text(pdf, verify_url, qr_y + QR_SIZE + 7, 9, x=x, w=width, align="R")


def _draw_revoked(pdf: FPDF, label: str) -> None:
    """A large, half-transparent stamp across the page."""
    with pdf.local_context(fill_opacity=0.45), pdf.rotation(15, x=PAGE_W / 2, y=PAGE_H / 2):
        _text(pdf, label, PAGE_H / 2 - 15, 72, bold=True, color=RED)
