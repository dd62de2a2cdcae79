"""A text as a QR code, drawn as inline SVG for a page or a file (no JavaScript, no image
file): the second factor's set-up link, a federation's invitation code."""

from __future__ import annotations


def qr_svg(text: str, *, scale: int = 4, dark: str = "#1d1d1f", light: str | None = "#ffffff",
           border: int | None = 2) -> str:
    """``text`` as an ``<svg>`` element, error correction M (a phone's camera reads it off a
    screen or a printed page).

    >>> qr_svg("sfed1.x").startswith("<svg")
    True
    """
    import segno  # only the pages and commands that draw one pay for it

    return segno.make(text, error="m").svg_inline(scale=scale, dark=dark, light=light, border=border)
