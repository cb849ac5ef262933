"""Text of a font docling-parse decoded as WinAnsi when the PDF encodes it as MacRoman.

Word on macOS (through Quartz) writes simple fonts with /MacRomanEncoding; docling-parse reads
their codes as WinAnsi (cp1252), so "L’Etoile" comes out "LÕEtoile", "2014–2015" as
"2014Ð2015", “Hood” as "ÒHoodÓ" and "Élémentaire" as "ƒlŽmentaire". A font is read back when
its text shows the signature at least twice over the document (a right quote between letters,
"childÕs"; an opening quote before a word; a dash between digits), and so is any other font of
that document that shows it once. Then each of its
characters in WinAnsi's upper half is read as the MacRoman character of the same code, unless
it is a typographic mark or its MacRoman reading a Greek or mathematical sign: those
docling-parse got right from the font's own Unicode map (a "•" would turn into "ï", a "½" into
"Ω").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from sdg_pipeline.convert.cells import PageText

_SIGNATURE = re.compile(r"[A-Za-z]Õ[A-Za-z]|(?<!\w)Ò[A-Za-z]|[a-z.,!?]Ó(?!\w)|\dÐ\d")
MIN_SIGNATURES = 2
# quotes, dashes and accented letters ("ƒlŽmentaire") in MacRoman read as WinAnsi
_MARKS = re.compile("[ÕÔÒÓÐÑŽƒˆ‰]")
# WinAnsi's typographic marks are what a font's own Unicode map gives (a bullet, not the "ï"
# of MacRoman's code 0x95): kept
_KEPT = frozenset("‘’“”•–—…")


def _mac_roman(ch: str) -> str:
    try:
        code = ch.encode("cp1252")
    except UnicodeEncodeError:
        return ch
    if code[0] < 0x80 or ch in _KEPT:
        return ch
    read = code.decode("mac_roman")
    category = unicodedata.category(read)
    if category in ("Sm", "So") or "GREEK" in unicodedata.name(read, ""):
        return ch
    return read


def _repaired(text: str) -> str:
    return "".join(_mac_roman(ch) for ch in text)


def mac_roman_fonts(pages: list[PageText]) -> set[str]:
    """The fonts whose text carries MacRoman codes read as WinAnsi."""
    signatures: Counter[str] = Counter()
    lowercase_tilde: set[str] = set()
    marked: set[str] = set()
    for page in pages:
        for span in page.spans:
            signatures[span.font] += len(_SIGNATURE.findall(span.text))
            if _MARKS.search(span.text):
                marked.add(span.font)
            if "õ" in span.text:  # Portuguese: a real Õ's lowercase twin
                lowercase_tilde.add(span.font)
    sure = {
        font
        for font, count in signatures.items()
        if count >= MIN_SIGNATURES and font not in lowercase_tilde
    }
    if not sure:
        return sure
    # the same writer's other fonts (a bold heading's one "LÕEtoile", "PeoplesÕ Representatives")
    return sure | {f for f in marked if f not in lowercase_tilde}


def repair(pages: list[PageText]) -> int:
    """Read back every MacRoman font's spans and words; the number of spans changed."""
    fonts = mac_roman_fonts(pages)
    if not fonts:
        return 0
    changed = 0
    for page in pages:
        for span in page.spans:
            if span.font in fonts:
                text = _repaired(span.text)
                changed += text != span.text
                span.text = text
            for word in span.words:
                if word.font in fonts:
                    word.text = _repaired(word.text)
    return changed
