"""Code128 barcodes as inline SVG, for spine labels (书标) and anything else printed.

Drawn by python-barcode's SVG writer (pure Python, no image library); what it writes
is adjusted to sit inside an HTML page: no XML prologue, no fixed id (a sheet has many
labels), colours as presentation attributes rather than ``style`` (the pages' Content
Security Policy allows no inline styles), and a ``viewBox`` so that print CSS can size
the barcode to the label.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

from barcode import Code128
from barcode.errors import BarcodeError
from barcode.writer import SVGWriter
from markupsafe import escape

# One module (the narrowest bar) is 0.25 mm; bars 8 mm high; 1 mm quiet zone each side.
_OPTIONS = {
    "module_width": 0.25,
    "module_height": 8.0,
    "quiet_zone": 1.0,
    "write_text": False,
    "margin_top": 0.0,
    "margin_bottom": 0.0,
}
_SIZE = re.compile(r'<svg([^>]*?) width="([\d.]+)mm" height="([\d.]+)mm"')
_PIXELS_PER_MM = 96 / 25.4  # what a browser makes of "mm" inside the drawing


@lru_cache(maxsize=4096)
def code128_svg(value: str) -> str | None:
    """An ``<svg>`` element drawing ``value`` as Code128; None if Code128 cannot carry it."""
    buffer = io.BytesIO()
    try:
        Code128(value, writer=SVGWriter()).write(buffer, options=_OPTIONS)
    except (BarcodeError, ValueError):  # characters outside Code128's ASCII
        return None
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = svg.replace(' id="barcode_group"', "")
    svg = svg.replace('style="fill:white"', 'fill="white"').replace(
        'style="fill:black;"', 'fill="black"'
    )

    def sized(match: re.Match[str]) -> str:
        width = float(match.group(2)) * _PIXELS_PER_MM
        height = float(match.group(3)) * _PIXELS_PER_MM
        label = escape(value)
        return (
            f'<svg{match.group(1)} class="barcode" viewBox="0 0 {width:.2f} {height:.2f}" '
            f'preserveAspectRatio="none" role="img" aria-label="{label}"'
        )

    return _SIZE.sub(sized, svg, count=1).strip()
