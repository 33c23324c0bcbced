"""Draw the portal's own icons (favicon, home-screen icons): the brand red with "L!" in white.

Run ``python -m lapor.portal.icons`` after changing the design; the PNG and ICO files it writes
to ``static/portal/icons/`` are committed, so nothing is drawn at run time.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RED = (125, 16, 20, 255)  # the header colour of site.css
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).parent / "static" / "portal" / "icons"
SIZES = (192, 512)


def draw(size: int, *, maskable: bool = False) -> Image.Image:
    """A square icon; ``maskable`` keeps the letters inside the central safe zone (80 %)."""
    image = Image.new("RGBA", (size, size), RED if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if not maskable:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=RED)
    font = ImageFont.load_default(size=int(size * (0.42 if maskable else 0.56)))
    pen.text((size / 2, size / 2), "L!", font=font, fill=WHITE, anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(64).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
