"""OCR of a rendered PDF page into the same text-line spans the native parse gives.

RapidOCR (`rapidocr-onnxruntime`) with the PP-OCRv4 detection, direction and recognition
models bundled in its wheel (Apache-2.0), run through onnxruntime: no torch, nothing
downloaded. docling's own RapidOCR stage needs the newer `rapidocr` package, which fetches
its models at first use, and runs inside docling's model pipeline (layout model, torch), so
the engine is called here and its lines go through our reconstruction like native ones.

The bundled recognizer is the Chinese/English model, which drops most spaces between Latin
words ("TheUnitedStatesTrustee"). Spaces are put back from the picture: the recognizer says
in which of its output columns each character was read, so every gap between two characters
is a known stretch of the line image; a gap that holds a run of blank pixel columns at least
a quarter of the line height wide is a word space (letter spacing is far narrower).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

from sdg_pipeline.convert.cells import Box, Span, Word

# 144 dpi: the recognizer reads 48-pixel line crops, and at 2x body text is about 20-25
# pixels high, enough for it; higher scales only cost detection time.
RENDER_SCALE = 2.0
# Word space: a blank run this share of the line height wide.
SPACE_RUN = 0.25
MIN_SCORE = 0.5
RETRY_SCORE = 0.8

_ENGINE = None
_LOCK = threading.Lock()


class OcrUnavailable(Exception):
    pass


@dataclass
class OcrPage:
    spans: list[Span]
    confidence: float  # mean recognition score of the kept lines, 0 when none


def _engine():
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:  # an install without the OCR extra
                raise OcrUnavailable(
                    "OCR is not installed (pip install 'sdg_pipeline[ocr]')"
                ) from exc
            _ENGINE = RapidOCR()
        return _ENGINE


def _spaced(text: str, columns: list[int], column_count: float, crop) -> tuple[str, list[float]]:
    """Insert word spaces at wide blank runs; returns the text and each char's x in the crop."""
    import numpy as np

    width = crop.shape[1]
    xs = [(c + 0.5) * width / column_count for c in columns]
    if len(columns) != len(text) or len(text) < 2:
        return text, xs
    grey = crop.mean(axis=2) if crop.ndim == 3 else crop
    low, high = float(grey.min()), float(grey.max())
    if high - low < 32:
        return text, xs
    blank = ~(grey < (low + high) / 2).any(axis=0)
    # Centres of blank runs wide enough to be a space.
    edges = np.flatnonzero(np.diff(np.concatenate(([0], blank.astype(np.int8), [0]))))
    minimum = max(2.0, SPACE_RUN * crop.shape[0])
    centres = [
        (start + end) / 2
        for start, end in zip(edges[::2], edges[1::2], strict=True)
        if end - start >= minimum
    ]
    out: list[str] = []
    out_xs: list[float] = []
    for i, ch in enumerate(text):
        out.append(ch)
        out_xs.append(xs[i])
        between = i + 1 < len(text) and not ch.isspace() and not text[i + 1].isspace()
        if between and any(xs[i] < c < xs[i + 1] for c in centres):
            out.append(" ")
            out_xs.append((xs[i] + xs[i + 1]) / 2)
    return "".join(out), out_xs


def _words(text: str, xs: list[float], box: Box, crop_width: int) -> list[Word]:
    """Word boxes along the line from the characters' positions (crop x -> page x)."""
    scale = box.width / crop_width if crop_width else 1.0
    words: list[Word] = []
    start = None
    for i, ch in enumerate([*text, " "]):
        if not ch.isspace() and start is None:
            start = i
        elif ch.isspace() and start is not None:
            half = scale * 2.0
            x0 = box.x0 + xs[start] * scale - half
            x1 = box.x0 + xs[i - 1] * scale + half
            words.append(
                Word(text[start:i], Box(max(box.x0, x0), box.y0, min(box.x1, x1), box.y1), "")
            )
            start = None
    return words


def ocr_page(pdf_page) -> OcrPage:
    """OCR one pypdfium2 page; boxes in points, top-left origin, like the native cells."""
    import numpy as np

    engine = _engine()
    image = pdf_page.render(scale=RENDER_SCALE, grayscale=True).to_numpy()
    if image.ndim == 2:
        image = np.stack([image] * 3, axis=2)
    elif image.shape[2] == 1:
        image = np.repeat(image, 3, axis=2)
    if float(image.std()) < 1.0:  # a blank page: nothing to detect
        return OcrPage([], 0.0)
    raw_h, raw_w = image.shape[:2]
    # RapidOCR.__call__, step by step, to keep the line crops and the recognizer's
    # per-character columns (its word boxes would not split unspaced Latin words).
    prepared, ratio_h, ratio_w = engine.preprocess(image)
    record = {"preprocess": {"ratio_h": ratio_h, "ratio_w": ratio_w}}
    prepared, record = engine.maybe_add_letterbox(prepared, record)
    boxes, _ = engine.auto_text_det(prepared)
    if boxes is None or len(boxes) == 0:
        return OcrPage([], 0.0)
    crops = engine.get_crop_img_list(prepared, boxes)
    # No direction classifier up front: on upright scans it turned good lines upside down
    # ("of our duties under 28 U.S.C. ..." read as "n"). A line read poorly is read again
    # turned by 180 degrees, and the better reading wins.
    recognised, _ = engine.text_rec(crops, True)
    doubtful = [i for i, r in enumerate(recognised) if r[1] < RETRY_SCORE]
    if doubtful:
        turned = [np.ascontiguousarray(np.rot90(crops[i], 2)) for i in doubtful]
        again, _ = engine.text_rec(turned, True)
        for i, crop, reading in zip(doubtful, turned, again, strict=True):
            if reading[1] > recognised[i][1]:
                recognised[i], crops[i] = reading, crop
    boxes = engine._get_origin_points(boxes, record, raw_h, raw_w)

    spans: list[Span] = []
    scores: list[float] = []
    for quad, crop, (text, score, info) in zip(boxes, crops, recognised, strict=False):
        if score < MIN_SCORE or not text.strip():
            continue
        column_count, _, columns, _, _ = info
        flat = [c for word in columns for c in word]
        text, xs = _spaced(text, flat, column_count, crop)
        # Full-width punctuation ("，") from the Chinese charset becomes its ASCII form.
        normal = unicodedata.normalize("NFKC", text)
        if len(normal) == len(text):
            text = normal
        xs_pts = np.asarray(quad, dtype=float) / RENDER_SCALE
        box = Box(
            float(xs_pts[:, 0].min()),
            float(xs_pts[:, 1].min()),
            float(xs_pts[:, 0].max()),
            float(xs_pts[:, 1].max()),
        )
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if not text:
            continue
        pieces = _cells(text, xs[lead : lead + len(text)], box, crop.shape[1])
        spans += pieces
        scores += [float(score)] * len(pieces)
    _even_heights(spans)
    spans.sort(key=lambda s: (round(s.box.y0), s.box.x0))
    return OcrPage(spans, sum(scores) / len(scores) if scores else 0.0)


def _cells(text: str, xs: list[float], box: Box, crop_width: int) -> list[Span]:
    """One span per table cell: the detector reads a bordered row as one line and the
    recognizer its vertical rules as "|", so the line is cut there (the rule is dropped)."""
    scale = box.width / crop_width if crop_width else 1.0
    pieces: list[Span] = []
    start = 0
    for end in [*(i for i, ch in enumerate(text) if ch == "|"), len(text)]:
        part = text[start:end]
        lead = len(part) - len(part.lstrip())
        part = part.strip()
        if part:
            first = start + lead
            part_xs = xs[first : first + len(part)]
            x0 = box.x0 + max(0.0, part_xs[0] * scale - 2 * scale) if part_xs else box.x0
            x1 = box.x0 + part_xs[-1] * scale + 2 * scale if part_xs else box.x1
            piece = Box(x0, box.y0, min(box.x1, max(x1, x0 + 1)), box.y1)
            span = Span(text=part, box=piece, font="", rtl=False)
            span.words = _words(part, [x - (piece.x0 - box.x0) / scale for x in part_xs],
                                piece, max(1, round(piece.width / scale)))
            pieces.append(span)
        start = end + 1
    return pieces


def _even_heights(spans: list[Span]) -> None:
    """Detector boxes hug the ink, so a line without descenders comes out shorter than its
    neighbours; the reconstruction reads height as font size, and that jitter would start
    paragraphs and headings. Lines within a quarter of the page's median height get it."""
    if not spans:
        return
    heights = sorted(span.box.height for span in spans)
    median = heights[len(heights) // 2]
    for span in spans:
        if 0.75 * median <= span.box.height <= 1.3 * median:
            middle = (span.box.y0 + span.box.y1) / 2
            y0, y1 = middle - median / 2, middle + median / 2
            span.box = Box(span.box.x0, y0, span.box.x1, y1)
            span.words = [Word(w.text, Box(w.box.x0, y0, w.box.x1, y1), w.font) for w in span.words]
