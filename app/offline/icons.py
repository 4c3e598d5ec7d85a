"""Draw the app icons in app/static/icons: a blue square with a white Thai ร (run: python -m app.offline.icons)."""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
BLUE, WHITE = (11, 79, 138), (255, 255, 255)
# Debian's fonts-thai-tlwg; any bold Thai font will do.
FONT = "/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf"


def draw_icon(size, maskable=False):
    """Return one icon; a maskable one keeps the letter inside the central safe zone and has no frame."""
    image = Image.new("RGB", (size, size), BLUE)
    draw = ImageDraw.Draw(image)
    if not maskable:
        draw.rounded_rectangle([size * .06, size * .06, size * .94, size * .94], radius=size // 10,
                               outline=WHITE, width=max(2, size // 48))
    share = 0.56 if maskable else 0.70
    font = ImageFont.truetype(FONT, int(size * share * 1.25))
    left, top, right, bottom = draw.textbbox((0, 0), "ร", font=font)
    scale = size * share / max(right - left, bottom - top)
    if scale < 1:
        font = ImageFont.truetype(FONT, int(size * share * 1.25 * scale))
        left, top, right, bottom = draw.textbbox((0, 0), "ร", font=font)
    draw.text(((size - (right - left)) / 2 - left, (size - (bottom - top)) / 2 - top), "ร", font=font, fill=WHITE)
    return image.quantize(colors=16)  # two colours and their edges: a few KB each


def main():
    """Write the icons the manifest and base.html name."""
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw_icon(size).save(OUT / f"icon-{size}.png", optimize=True)
    draw_icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw_icon(180).save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
