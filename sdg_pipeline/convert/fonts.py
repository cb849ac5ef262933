"""Real font names for fonts docling-parse knows only by their page resource key.

For a font that is not embedded (the 14 standard PDF fonts, for one) docling-parse reports the
resource key ("/F1") as the font name, so weight and slant are lost: bold headings and bold
table headers look like body text. pdfium reads the base font name per character. One pdfium
text page per affected page maps each key to a name: the characters under a few words set in
that font are looked up, and the name most of them agree on wins. Pages whose fonts are all
named are not touched, so embedded-font documents pay nothing.
"""

from __future__ import annotations

import ctypes
import logging
from collections import Counter, defaultdict

from sdg_pipeline.convert.cells import PageText, Word

log = logging.getLogger(__name__)

SAMPLES_PER_FONT = 3
_NAME_BUFFER = 256


def name_fonts(data: bytes, pages: list[PageText]) -> None:
    """Replace resource keys by real font names on the words and spans of `pages`, in place."""
    todo = [page for page in pages if page.unnamed_fonts]
    if not todo:
        return
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:  # the native parse read it; keep its names then
        log.warning("font names not recovered: %s", exc)
        return
    try:
        for page in todo:
            if page.page_no - 1 >= len(document):
                continue
            names = _page_font_names(document, page)
            if names:
                _rename(page, names)
    finally:
        document.close()


def _samples(page: PageText) -> dict[str, list[Word]]:
    samples: dict[str, list[Word]] = defaultdict(list)
    for span in page.spans:
        for word in span.words:
            key = word.font
            wanted = key in page.unnamed_fonts and len(samples[key]) < SAMPLES_PER_FONT
            if wanted and any(c.isalnum() for c in word.text):
                samples[key].append(word)
    return samples


def _page_font_names(document, page: PageText) -> dict[str, str]:
    import pypdfium2.raw as raw

    samples = _samples(page)
    if not samples:
        return {}
    pdf_page = document[page.page_no - 1]
    textpage = pdf_page.get_textpage()
    try:
        left, _, _, top = pdf_page.get_cropbox()
        buffer = ctypes.create_string_buffer(_NAME_BUFFER)
        flags = ctypes.c_int()
        names: dict[str, str] = {}
        for key, words in samples.items():
            votes: Counter[str] = Counter()
            for word in words:
                # Our boxes are top-left in points relative to the crop box; pdfium's
                # coordinates are PDF user space, bottom-left.
                x = left + (word.box.x0 + word.box.x1) / 2
                y = top - (word.box.y0 + word.box.y1) / 2
                index = raw.FPDFText_GetCharIndexAtPos(textpage.raw, x, y, 1.0, 1.0)
                if index < 0:
                    continue
                # Guard against a neighbour's glyph (overlapping text, rotated pages).
                char = chr(raw.FPDFText_GetUnicode(textpage.raw, index))
                if char not in word.text:
                    continue
                length = raw.FPDFText_GetFontInfo(
                    textpage.raw, index, buffer, _NAME_BUFFER, ctypes.byref(flags)
                )
                if 0 < length <= _NAME_BUFFER:
                    name = buffer.value.decode("latin-1", "replace")
                    if name:
                        votes[name] += 1
            if votes:
                names[key] = votes.most_common(1)[0][0]
        return names
    finally:
        textpage.close()
        pdf_page.close()


def _rename(page: PageText, names: dict[str, str]) -> None:
    for span in page.spans:
        span.font = names.get(span.font, span.font)
        for word in span.words:
            word.font = names.get(word.font, word.font)
    page.unnamed_fonts -= names.keys()
