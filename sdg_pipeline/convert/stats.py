"""Document-wide typography: what body text looks like, so other text can stand out from it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sdg_pipeline.convert.lines import Line


@dataclass(frozen=True)
class BodyStyle:
    size: float
    font: str
    bold: bool
    italic: bool


def body_style(lines: list[Line]) -> BodyStyle:
    """The style carrying the most characters: that is the running text."""
    sizes: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += line.chars
        fonts[line.font] += line.chars
    if not sizes:
        return BodyStyle(size=10.0, font="", bold=False, italic=False)
    size = sizes.most_common(1)[0][0]
    body = [line for line in lines if abs(line.size - size) <= 0.6]
    total = sum(line.chars for line in body) or 1
    return BodyStyle(
        size=size,
        font=fonts.most_common(1)[0][0],
        bold=sum(line.chars for line in body if line.bold) * 2 > total,
        italic=sum(line.chars for line in body if line.italic) * 2 > total,
    )
