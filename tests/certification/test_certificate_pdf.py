"""The certificate PDF: names in every script, a QR code that decodes, nothing about prison."""

import datetime
import io
import re
import unicodedata

import pypdf
import pytest
import zxingcpp
from fontTools.ttLib import TTFont

from prog_tracker.certification.pdf import FONT_FILES, render_certificate_pdf
from prog_tracker.resources import resource_path

LATIN_NAME = "Chloé Trabelsi"
KAZAKH_NAME = "Әлия Қасымқызы Нұрғалиева"
ARABIC_NAME = "محمد بن علي الطرابلسي"
KAZAKH_LETTERS = "әғқңөұүһі"

# Arabic Presentation Forms-B: the initial, medial and final shapes that HarfBuzz
# substitutes when it joins letters. Unshaped Arabic uses none of them.
JOINED_FORM = re.compile(r"^uniFE[7-9A-F][0-9A-F]$")


def _render(**overrides) -> bytes:
    """A certificate with plausible values, some replaced."""
    values = {
        "holder_name": "Ahmed Ben Salah",
        "qualification_title": "Bench joinery and cabinet making",
        "level": "2",
        "trade_name": "Carpentry",
        "issuer": "Northgate Training Centre",
        "issued_on": datetime.date(2025, 3, 14),
        "code": "7KQ2-M9XD-4HRT",
        "verify_url": "https://certs.example.org/v/7KQ2-M9XD-4HRT",
    }
    return render_certificate_pdf(**{**values, **overrides})


def _page(pdf: bytes) -> pypdf.PageObject:
    """The only page of the PDF."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0]


def _text(pdf: bytes) -> str:
    """The page's text, as a reader would copy it out."""
    return unicodedata.normalize("NFKC", _page(pdf).extract_text())


def _embedded_glyph_names(pdf: bytes) -> dict[str, list[str]]:
    """Glyph names of each font subset embedded in the page, by font name."""
    fonts = {}
    for ref in _page(pdf)["/Resources"]["/Font"].values():
        font = ref.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        data = descriptor.get_object()["/FontFile2"].get_object().get_data()
        fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(data)).getGlyphOrder()
    return fonts


def test_kazakh_name_uses_kazakh_letters():
    """Guard the fixture: the Kazakh name covers the letters Russian lacks."""
    assert set("әқұғ") <= set(KAZAKH_NAME.lower())


@pytest.mark.parametrize("name", [LATIN_NAME, KAZAKH_NAME, ARABIC_NAME, KAZAKH_LETTERS])
def test_shipped_fonts_cover_every_letter(name):
    """No character of the names falls outside the fonts (it would be dropped)."""
    fonts = resource_path("static") / "fonts"
    cmaps = [TTFont(fonts / f).getBestCmap() for f in FONT_FILES.values()]
    missing = [ch for ch in name if not any(ord(ch) in cmap for cmap in cmaps)]
    assert missing == []


@pytest.mark.parametrize("name", [LATIN_NAME, KAZAKH_NAME, f"Ерлан Ахметов {KAZAKH_LETTERS}"])
def test_latin_and_cyrillic_names_are_printed(name):
    """The holder's name is on the page, every letter intact."""
    assert name in _text(_render(holder_name=name)).splitlines()


def test_arabic_name_is_printed_joined_and_in_reading_order():
    """The Arabic name is printed whole, shaped, and copies out right to left."""
    pdf = _render(holder_name=ARABIC_NAME)
    # Unshaped output copies out in visual (reversed) order, so an exact
    # logical-order line proves the bidi pass ran and no letter was dropped.
    assert ARABIC_NAME in _text(pdf).splitlines()
    arabic_fonts = {k: v for k, v in _embedded_glyph_names(pdf).items() if "Arabic" in k}
    assert arabic_fonts, "the Arabic font was not used"
    joined = [g for glyphs in arabic_fonts.values() for g in glyphs if JOINED_FORM.match(g)]
    # محمد alone needs an initial meem and a medial meem: the letters were joined.
    assert len(joined) >= 4, joined


def test_captions_in_other_scripts_are_printed():
    """Translated captions go through the same shaping path as names."""
    labels = {"title": "شهادة كفاءة", "awarded_to": "Осы құжат куәландырады"}
    lines = _text(_render(labels=labels)).splitlines()
    assert "شهادة كفاءة" in lines
    assert "Осы құжат куәландырады" in lines
    assert "has met every requirement of" in lines  # English default kept


@pytest.mark.parametrize(
    "url",
    [
        "https://certs.example.org/v/7KQ2-M9XD-4HRT",
        "https://training.example.kz/verify/ZX81-AB4Q-K2PM?lang=kk",
    ],
)
def test_qr_code_decodes_to_the_verify_url(url):
    """Scanning the printed code opens exactly the check address."""
    pdf = _render(verify_url=url)
    images = _page(pdf).images
    assert len(images) == 1
    results = zxingcpp.read_barcodes(images[0].image.convert("L"))
    assert [r.text for r in results] == [url]
    assert [r.format for r in results] == [zxingcpp.BarcodeFormat.QRCode]
    assert url in _text(pdf)  # printed too, for typing in by hand


def test_page_shows_code_issuer_and_date_and_nothing_about_prison():
    """The details a checker needs are there; where the holder trained is not."""
    pdf = _render()
    text = _text(pdf)
    assert "7KQ2-M9XD-4HRT" in text
    assert "Northgate Training Centre" in text
    assert "2025-03-14" in text
    assert "Level 2 · Carpentry" in text
    for word in ("prison", "facility", "inmate"):
        assert word not in text.lower()
    assert "REVOKED" not in text


def test_metadata_is_generic():
    """Document info names no one: a certificate's file says only what it is."""
    reader = pypdf.PdfReader(io.BytesIO(_render(holder_name=LATIN_NAME)))
    assert reader.metadata.title == "Certificate"
    assert reader.metadata.creator == "prog-tracker"
    assert all("Trabelsi" not in str(v) for v in reader.metadata.values())


def test_revoked_certificate_is_stamped():
    """A revoked certificate says so, in the caller's language."""
    assert "REVOKED" in _text(_render(status="revoked"))
    assert "ОТОЗВАН" in _text(_render(status="revoked", labels={"revoked": "ОТОЗВАН"}))
    assert "ОТОЗВАН" not in _text(_render(labels={"revoked": "ОТОЗВАН"}))
