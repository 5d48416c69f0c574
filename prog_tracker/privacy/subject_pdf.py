"""subject.pdf and README.txt of a subject access export, in the person's language.

Both are written from the subject.json document, so the summary says what the
file holds and nothing else. The caller forces the person's locale
(flask_babel.force_locale) around these functions; labels, record values and
dates then come out in that language, right to left for Arabic. Fonts and
shaping are the certificate's (certification/pdf.py).
"""

import datetime as dt

from flask_babel import get_locale
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from prog_tracker.certification.pdf import ARABIC, LATIN, add_fonts, has_arabic
from prog_tracker.core.i18n import format_day, text_direction
from prog_tracker.privacy.subject_summary import NONE, Names, full_name, person_fields, sections

PAGE_W, MARGIN, LABEL_W, GAP = 210.0, 18.0, 52.0, 4.0
INK, MUTED, ACCENT = (33, 37, 41), (90, 98, 106), (31, 78, 121)


class _Document(FPDF):
    """A4 portrait pages numbered at the foot."""

    def footer(self):
        """Page n / total, centred."""
        self.set_y(-12)
        self.set_font(LATIN, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="C")


class _Writer:
    """Lines, headings and label/value rows, mirrored for right-to-left languages."""

    def __init__(self, rtl: bool):
        self.rtl = rtl
        self.pdf = _Document(format="A4")
        add_fonts(self.pdf)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_auto_page_break(True, margin=18)
        # Generic metadata only: the person's name stays out of the document info.
        self.pdf.set_title("Subject access export")
        self.pdf.set_creator("prog-tracker")
        self.pdf.add_page()

    def _font(self, text: str, size: float, bold: bool = False) -> None:
        """The font of the text's main script, so an Arabic run stays one piece."""
        self.pdf.set_font(ARABIC if has_arabic(text) else LATIN, "B" if bold else "", size)

    def line(self, text: str, size: float = 10, *, bold=False, color=INK, space=1.0) -> None:
        """A paragraph across the page, wrapped."""
        self._font(text, size, bold)
        self.pdf.set_text_color(*color)
        self.pdf.multi_cell(
            0,
            size * 0.5,
            text,
            align="R" if self.rtl else "L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.pdf.ln(space)

    def heading(self, text: str) -> None:
        """A section heading, kept with at least a few lines below it."""
        if self.pdf.get_y() > self.pdf.h - 50:
            self.pdf.add_page()
        self.pdf.ln(3)
        self.line(text, 14, bold=True, color=ACCENT, space=2)

    def rule(self) -> None:
        """A thin line between two records."""
        pdf = self.pdf
        pdf.set_draw_color(200, 204, 208)
        pdf.set_line_width(0.2)
        pdf.line(MARGIN, pdf.get_y() + 1, PAGE_W - MARGIN, pdf.get_y() + 1)
        pdf.ln(3)

    def field(self, label: str, value) -> None:
        """A label beside its value (the label on the right in right-to-left languages)."""
        pdf = self.pdf
        value = NONE if value in (None, "") else str(value)
        if pdf.get_y() > pdf.h - 30:
            pdf.add_page()
        top, value_w = pdf.get_y(), PAGE_W - 2 * MARGIN - LABEL_W - GAP
        label_x = PAGE_W - MARGIN - LABEL_W if self.rtl else MARGIN
        value_x = MARGIN if self.rtl else MARGIN + LABEL_W + GAP
        align = "R" if self.rtl else "L"
        bottoms = []
        for x, width, text, color in (
            (label_x, LABEL_W, label, MUTED),
            (value_x, value_w, value, INK),
        ):
            pdf.set_xy(x, top)
            self._font(text, 9.5)
            pdf.set_text_color(*color)
            pdf.multi_cell(width, 4.8, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            bottoms.append(pdf.get_y())
        pdf.set_y(max(bottoms) + 0.8)

    def output(self) -> bytes:
        """The finished PDF."""
        return bytes(self.pdf.output())


def render_subject_pdf(document: dict) -> bytes:
    """The readable summary of a subject.json document, in the current (forced) locale."""
    locale = str(get_locale() or "en")
    w = _Writer(rtl=text_direction(locale) == "rtl")
    names = Names(document)
    person = document["participant"]
    w.line(_("Your record in the programme"), 18, bold=True, color=ACCENT)
    w.line(full_name(person), 16, bold=True, space=2)
    w.line(_generated_line(document), 9, color=MUTED, space=3)
    w.heading(_("About you"))
    for label, value in person_fields(names, person):
        w.field(label, value)
    for key, heading, fields in sections():
        w.heading(heading)
        rows = document["records"][key]
        if not rows:
            w.line(_("Nothing recorded."), 10, color=MUTED)
        for index, row in enumerate(rows):
            if index:
                w.rule()
            for label, value in fields(names, key, row):
                w.field(label, value)
    return w.output()


def _generated_line(document: dict) -> str:
    """When the export was made and which file holds every detail."""
    made = dt.datetime.fromisoformat(document["generated_at"])
    return _(
        "Made on %(date)s: everything the programme holds about you. The file "
        "subject.json holds the same records in full.",
        date=format_day(made.date()),
    )


def readme_text(document: dict) -> str:
    """README.txt: what the files are and what the person may do, in their language."""
    made = dt.datetime.fromisoformat(document["generated_at"])
    lines = [
        _("Your record in the programme"),
        "",
        _(
            "This archive holds everything the programme holds about you on %(date)s, "
            "as you asked.",
            date=format_day(made.date()),
        ),
        "",
        "subject.pdf: " + _("a summary to read, in your language."),
        "subject.json: "
        + _(
            "every record in full, for computers (JSON, UTF-8; dates as YYYY-MM-DD, "
            "times in UTC). Format version %(version)s.",
            version=document["schema_version"],
        ),
        "",
        _(
            "Staff are named by their display name and role only. If something is wrong "
            "or missing, tell your reintegration officer or your caseworker: you may ask "
            "for it to be corrected."
        ),
        "",
        _("Keep this archive safe: it holds personal information."),
    ]
    return "\n".join(lines) + "\n"
