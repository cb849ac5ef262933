"""Lines that run across a column gutter, cut at the gutter.

On pages of narrow columns docling-parse often makes one cell of the lines of two or three
columns that share a baseline ("... you will need are However, there are exceptions ..."), so
no line is narrow and the reading order cannot see the columns. The gutters are found from
the pieces of running text (lines cut at gaps of a gutter's width): a vertical strip of white
space with several such pieces on each side. Every line with a word gap over a gutter is cut
there; a line of the spanning title or table band, with words over the gutter, is not.
"""

from __future__ import annotations

import itertools

from sdg_pipeline.convert.cells import GUTTER_EM, Box
from sdg_pipeline.convert.lines import Line, split_line
from sdg_pipeline.convert.order import CROSSING_SHARE, gaps

PROSE_WORDS = 3  # a piece of this many words, mostly letters, is running text
MIN_SIDE_PIECES = 5  # running-text pieces needed on each side of a gutter
PROSE_SHARE = 0.55  # ... and this share of the pieces there


def _pieces(line: Line) -> list[tuple[Box, list[str]]]:
    words = sorted((w for s in line.spans for w in s.words), key=lambda w: w.box.x0)
    if not words:
        return [(line.box, line.text.split())]
    out: list[tuple[Box, list[str]]] = []
    box, texts = words[0].box, [words[0].text]
    for prev, word in itertools.pairwise(words):
        if word.box.x0 - prev.box.x1 > GUTTER_EM * line.size:
            out.append((box, texts))
            box, texts = word.box, []
        box = box.union(word.box)
        texts.append(word.text)
    out.append((box, texts))
    return out


def _prose(texts: list[str]) -> bool:
    letters = sum(1 for t in texts if sum(c.isalpha() for c in t) >= max(1, len(t) // 2))
    return len(texts) >= PROSE_WORDS and letters >= 0.75 * len(texts)


def split_at_gutters(
    lines: list[Line], min_gutter: float
) -> tuple[list[Line], list[tuple[float, float]]]:
    """The page's lines with those crossing a column gutter cut there, and the gutters."""
    line_pieces = [piece for line in lines for piece in _pieces(line)]
    pieces = [box for box, texts in line_pieces if _prose(texts)]
    if len(pieces) < 2 * MIN_SIDE_PIECES:
        return lines, []
    allowances = (0, max(2, int(CROSSING_SHARE * len(pieces))))
    candidates = [gap for allowed in allowances for gap in gaps(pieces, min_gutter, allowed)]
    every = [box for box, _ in line_pieces]
    gutters: list[tuple[float, float]] = []
    for g0, g1 in candidates:
        if any(g0 < h1 and h0 < g1 for h0, h1 in gutters):
            continue
        # Columns of running text on both sides; the white strips between the columns of a
        # table, with a few wordy cells, are no gutter.
        sides = (
            ([b for b in pieces if b.x1 <= g0 + 0.5], [b for b in every if b.x1 <= g0 + 0.5]),
            ([b for b in pieces if b.x0 >= g1 - 0.5], [b for b in every if b.x0 >= g1 - 0.5]),
        )
        if all(
            len(prose) >= MIN_SIDE_PIECES and len(prose) >= PROSE_SHARE * len(side)
            for prose, side in sides
        ):
            gutters.append((g0, g1))
    if not gutters:
        return lines, []
    out: list[Line] = []
    for line in lines:
        words = sorted((w for s in line.spans for w in s.words), key=lambda w: w.box.x0)
        cuts = [
            (g0 + g1) / 2
            for g0, g1 in gutters
            for a, b in itertools.pairwise(words)
            if a.box.x1 <= g0 + 0.5 and b.box.x0 >= g1 - 0.5
        ]
        out.extend(split_line(line, sorted(cuts)) if cuts else [line])
    return out, sorted(gutters)


def by_column(lines: list[Line], gutters: list[tuple[float, float]]) -> list[list[Line]]:
    """Lines grouped by the column they lie in; lines over a gutter form a group of their own.

    Tables are looked for per group: the short lines of three narrow columns side by side
    otherwise make rows of "cells", and a two-column list in one column became a table
    reaching over the other two.
    """
    if not gutters:
        return [lines]
    edges = [-float("inf")] + [x for gutter in gutters for x in gutter] + [float("inf")]
    strips = list(zip(edges[::2], edges[1::2], strict=True))
    groups: list[list[Line]] = [[] for _ in range(len(strips) + 1)]
    for line in lines:
        home = next(
            (
                i
                for i, (x0, x1) in enumerate(strips)
                if line.box.x0 >= x0 - 0.5 and line.box.x1 <= x1 + 0.5
            ),
            len(strips),
        )
        groups[home].append(line)
    return [group for group in groups if group]
