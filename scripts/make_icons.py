"""Draw the site's icons (the web app manifest's, the favicon and the Apple touch icon).

The mark: two speech bubbles, white on the site's brand blue (--brand in staffroom.css), a
conversation in the staffroom. Run once after changing the mark; the PNGs are committed:

    .venv/bin/python scripts/make_icons.py

A maskable icon fills its square with the background and keeps the mark inside the central
circle the platforms may cut it to (80 % of the side, per the W3C manifest spec's safe zone).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "staffroom" / "web" / "static" / "web" / "icons"
BRAND = (11, 92, 140)  # --brand: #0b5c8c
WHITE = (255, 255, 255)
SUPERSAMPLE = 4  # drawn large, then shrunk: smooth edges without an antialiasing API


def _bubble(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    *,
    tail_left: bool,
    fill: tuple[int, int, int],
    grow: float = 0,
) -> None:
    """A rounded speech bubble with its tail below; `grow` widens it on every side (drawn
    in the background colour first, it cuts a gap around the bubble drawn over it)."""
    left, top, right, bottom = box[0] - grow, box[1] - grow, box[2] + grow, box[3] + grow
    height = box[3] - box[1]
    draw.rounded_rectangle((left, top, right, bottom), radius=height * 0.35 + grow, fill=fill)
    base_x = box[0] + (box[2] - box[0]) * (0.25 if tail_left else 0.75)
    tip_x = base_x + (-1 if tail_left else 1) * height * 0.22
    spread = height * 0.12 + grow
    draw.polygon(
        [
            (base_x - spread, box[3] - height * 0.1),
            (base_x + spread, box[3] - height * 0.1),
            (tip_x, box[3] + height * 0.3 + grow * 1.5),
        ],
        fill=fill,
    )


def draw_icon(size: int, *, maskable: bool) -> Image.Image:
    """The mark on a `size` pixel square: rounded corners, or full bleed when maskable."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.2, fill=BRAND)
    # The mark's box: the maskable safe zone's square (80 % circle -> about 56 % square).
    side = big * (0.56 if maskable else 0.72)
    origin = (big - side) / 2
    gap = big * 0.025

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (origin + x0 * side, origin + y0 * side, origin + x1 * side, origin + y1 * side)

    _bubble(draw, box(0.0, 0.05, 0.68, 0.5), tail_left=True, fill=WHITE)
    answer = box(0.32, 0.4, 1.0, 0.85)
    _bubble(draw, answer, tail_left=False, fill=BRAND, grow=gap)
    _bubble(draw, answer, tail_left=False, fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),  # iOS rounds the corners itself, and wants no transparency
    "favicon-32.png": (32, False),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (size, maskable) in ICONS.items():
        icon = draw_icon(size, maskable=maskable)
        if maskable:
            icon = icon.convert("RGB")
        icon.save(OUT / name, optimize=True)
        print(f"{OUT / name} ({size}x{size})")


if __name__ == "__main__":
    main()
