"""Code128 barcodes as inline SVG for spine labels: sized by CSS, allowed by the CSP."""

from __future__ import annotations

from wenjin.web.barcodes import code128_svg
from wenjin.web.spine_labels import barcodes_of


def test_a_barcode_is_an_inline_svg_element_with_a_view_box() -> None:
    svg = code128_svg("ZC00000101")
    assert svg is not None
    assert svg.startswith("<svg")
    assert 'viewBox="0 0 ' in svg
    assert 'aria-label="ZC00000101"' in svg
    assert svg.count("<rect") > 20


def test_the_svg_has_no_prologue_fixed_id_or_inline_style() -> None:
    svg = code128_svg("W000000042")
    assert svg is not None
    assert "<?xml" not in svg
    assert "DOCTYPE" not in svg
    assert 'id="' not in svg
    assert "style=" not in svg


def test_markup_in_a_barcode_is_escaped_in_its_label() -> None:
    svg = code128_svg("A<B&C")
    assert svg is not None
    assert "A<B" not in svg
    assert 'aria-label="A&lt;B&amp;C"' in svg


def test_what_code128_cannot_carry_gives_no_image() -> None:
    assert code128_svg("条码") is None


def test_barcodes_are_split_by_lines_commas_and_blanks() -> None:
    assert barcodes_of("ZC00000101\r\nXZ00000202, W000000001  \n\n") == [
        "ZC00000101",
        "XZ00000202",
        "W000000001",
    ]
