"""Fonts encoded as MacRoman that docling-parse reads as WinAnsi are read back: "childÕs" is
"child’s" and "ƒlŽmentaire" "Élémentaire"; what it got right ("½", a bullet) stays, and a
document without the signature is left alone."""

from __future__ import annotations

from sdg_pipeline.convert.cells import Box, PageText, Span
from sdg_pipeline.convert.mac_roman import repair
from sdg_pipeline_tests.convert.fixture_pdfs import native_markdown


def test_a_mac_roman_handbook_reads_as_printed() -> None:
    text = native_markdown("parentportal-p5.pdf")
    assert "each child’s academic" in text
    assert "### Élémentaire/Cycle 2: CP & CE1" in text
    assert "(2 ½-5 years" in text
    assert not set("ÕÒÓÐŽƒ") & set(text)


def _page(*spans: tuple[str, str]) -> PageText:
    box = Box(0, 0, 10, 10)
    return PageText(
        page_no=1,
        width=100,
        height=100,
        spans=[Span(text=t, box=box, font=f, rtl=False) for t, f in spans],
        images=[],
    )


def test_only_fonts_with_the_signature_change() -> None:
    pages = [
        _page(
            ("LÕEtoile follows ÒHoodÓ hours, 2014Ð2015", "/A+Times"),
            ("ƒlŽmentaire", "/B+Times-Bold"),  # the same writer's bold: read back too
            ("Café crème • 2 ½ years", "/C+Arial"),  # no mark: WinAnsi, as it was
        )
    ]
    assert repair(pages) == 2
    assert [s.text for s in pages[0].spans] == [
        "L’Etoile follows “Hood” hours, 2014–2015",
        "Élémentaire",
        "Café crème • 2 ½ years",
    ]


def test_one_stray_mark_or_portuguese_text_is_left_alone() -> None:
    once = [_page(("SÃO PAULO: LEÕES do Norte", "/A+Times"))]
    assert repair(once) == 0
    portuguese = [_page(("as relações e as lições; ÕÒ aÕb cÕd", "/A+Times"))]
    assert repair(portuguese) == 0
