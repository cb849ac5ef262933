"""Small helpers that turn frames into Dagster metadata the UI renders well."""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg
import pandas as pd

MAX_CELL = 120


def _cell(value: object) -> str:
    text = " ".join(str(value).split())
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text.replace("|", "\\|")


def preview(frame: pd.DataFrame, columns: Sequence[str], rows: int = 5) -> dg.MetadataValue:
    """A Markdown table of the first rows, cells shortened, for the asset's metadata tab."""
    head = frame.loc[:, list(columns)].head(rows)
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in head.itertuples(False)]
    return dg.MetadataValue.md("\n".join(lines))


def counts(series: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in series.value_counts(dropna=False).items()}
