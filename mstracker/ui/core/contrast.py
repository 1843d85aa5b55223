"""Contrast between two colours as WCAG 2 defines it, and the text colour that reads best on a background.

Pure Python on "#rrggbb" strings: the timeline picks its label colours with it, and the tests hold every
text/background pair of the stylesheets and the timeline to WCAG AA with it (4.5:1; 3:1 for large text).
"""

from __future__ import annotations

AA = 4.5
AA_LARGE = 3.0
DARK, LIGHT = "#111111", "#ffffff"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    r, g, b = (int(text[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def ratio(foreground: str, background: str) -> float:
    """1.0 (none) to 21.0 (black on white)."""
    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_on(background: str) -> str:
    """Near-black or white, whichever stands out more from `background`."""
    return DARK if ratio(DARK, background) >= ratio(LIGHT, background) else LIGHT
