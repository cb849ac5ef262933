"""Is a page's text layer usable? Per page, from the native cells alone (no rendering).

Three kinds of page need OCR instead: no text layer at all (a scan), a layer of unmapped
glyphs (a font without a usable ToUnicode map comes out as U+FFFD, private-use code points,
control characters or docling-parse's `GLYPH<...>` fallbacks), and a page covered by a
picture whose text layer is not text (a scan with a bad OCR layer laid over it, like
"«POAH «3E*»CM tanntxim."). The last rule needs the picture: a page of code or formulas has
as few dictionary-like tokens, but it is drawn as text, so its layer is what it shows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sdg_pipeline.convert.cells import PageText

# A page counts as "covered by a picture" when images take this share of its area.
SCAN_COVER = 0.6
# Share of non-space characters that are unmapped glyphs above which the layer is garbage.
MAX_BAD_SHARE = 0.2
# A layer over a full-page picture is trusted when this share of its tokens reads as words.
MIN_WORDLIKE_SHARE = 0.6
MIN_TOKENS = 8

_GLYPH = re.compile(r"GLYPH<[^>]*>")
_EDGE_PUNCT = "\"'“”‘’«»()[]{}<>.,;:!?*-–—/\\|…·•§¶#%&+=^~`$€£¥°"
_NUMBER = re.compile(r"^[+-]?[\d.,:/%]*\d[\d.,:/%]*$")
_VOWELS = set("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ")


@dataclass(frozen=True)
class LayerVerdict:
    needs_ocr: bool
    reason: str  # why OCR is needed ("" when it is not)
    quality: float  # 0..1: share of the layer that reads as text


def _bad_char(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    category = unicodedata.category(ch)
    return category in ("Co", "Cs") or (category == "Cc" and ch not in "\t\n\r")


def _wordlike(token: str) -> bool:
    core = token.strip(_EDGE_PUNCT)
    if not core:
        return False
    if _NUMBER.match(core):
        return True
    letters = core.replace("'", "").replace("’", "").replace("-", "").replace(".", "")
    if not letters.isalpha():
        return False
    if len(letters) >= 4 and letters.isascii() and letters.lower() == letters:
        # A lower-case Latin word has a vowel; OCR soup ("tnntxm") often has none.
        return any(ch in _VOWELS for ch in letters.lower())
    return True


def image_cover(page: PageText) -> float:
    area = page.width * page.height
    if area <= 0:
        return 0.0
    return min(1.0, sum(box.area for box in page.images) / area)


def assess(page: PageText) -> LayerVerdict:
    text = " ".join(span.text for span in page.spans)
    text = _GLYPH.sub("\ufffd", text)
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return LayerVerdict(True, "no text layer", 0.0)
    bad = sum(1 for ch in chars if _bad_char(ch))
    bad_share = bad / len(chars)
    tokens = [t for t in text.split() if "\ufffd" not in t]
    wordlike = sum(1 for t in tokens if _wordlike(t))
    wordlike_share = wordlike / len(tokens) if tokens else 0.0
    quality = round((1.0 - bad_share) * (wordlike_share if tokens else 0.0), 3)
    if bad_share >= MAX_BAD_SHARE:
        return LayerVerdict(True, f"unmapped glyphs ({bad_share:.0%} of the text layer)", quality)
    if (
        image_cover(page) >= SCAN_COVER
        and len(tokens) >= MIN_TOKENS
        and wordlike_share < MIN_WORDLIKE_SHARE
    ):
        return LayerVerdict(
            True,
            f"text layer over a page-size picture reads as words for {wordlike_share:.0%} only",
            quality,
        )
    return LayerVerdict(False, "", quality)
