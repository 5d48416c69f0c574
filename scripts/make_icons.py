"""Draw the app icons in static/icons/ (run once after changing the design).

`icon-<size>.png` is the rounded tile browsers show as is; `icon-maskable-<size>.png`
fills the whole square, because a launcher that masks icons (a circle, a squircle)
cuts the corners itself and needs the glyph inside the central safe zone.
Colours are the --brand and --brand-light of static/css/app.css.

    .venv/bin/python scripts/make_icons.py            # the maskable icons
    .venv/bin/python scripts/make_icons.py --tiles    # the rounded tiles as well
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

BRAND = (29, 78, 95, 255)  # --brand #1d4e5f
LIGHT = (228, 239, 242, 255)  # --brand-light #e4eff2
# Three rising bars (progress), in a 512-unit square: (left, top, right, bottom).
BARS = ((137, 289, 206, 345), (222, 233, 290, 345), (306, 166, 375, 345))
ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
SCALE = 4  # draw large, then shrink: smooth edges without antialiasing support


def draw_icon(size: int, maskable: bool) -> Image.Image:
    """One icon at size x size pixels."""
    big = size * SCALE
    unit = big / 512
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BRAND)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(96 * unit), fill=BRAND)
    for left, top, right, bottom in BARS:
        box = (left * unit, top * unit, right * unit, bottom * unit)
        pen.rounded_rectangle(box, radius=round(14 * unit), fill=LIGHT)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main(tiles: bool) -> None:
    """Write the maskable PNGs (and the rounded tiles when asked)."""
    for size in (192, 512):
        draw_icon(size, maskable=True).save(ICONS / f"icon-maskable-{size}.png", optimize=True)
        if tiles:
            draw_icon(size, maskable=False).save(ICONS / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main(tiles="--tiles" in sys.argv[1:])
