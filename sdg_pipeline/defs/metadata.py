"""Small helpers that turn frames into Dagster metadata the UI renders well."""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg
import numpy as np
import pandas as pd

MAX_CELL = 120


def _cell(value: object) -> str:
    text = " ".join(str(value).split())
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text.replace("|", "\\|")


def preview(
    frame: pd.DataFrame,
    columns: Sequence[str],
    rows: int = 5,
    where: pd.Series | None = None,
) -> dg.MetadataValue:
    """A Markdown table of the first rows (of those `where` holds), cells shortened, for the
    asset's metadata tab."""
    # Column by column on the arrays: selecting columns or a mask of the frame copied every
    # row's text, and `itertuples` indexes the frame once per column (~0.8 ms a call against
    # ~0.1 ms here, six calls per document).
    picked = (
        slice(0, rows) if where is None else np.flatnonzero(where.to_numpy(dtype=bool))[:rows]
    )
    values = [frame[c].to_numpy()[picked].tolist() for c in columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    rows_of = zip(*values, strict=True)
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows_of]
    return dg.MetadataValue.md("\n".join(lines))


def counts(series: pd.Series, label: str = "value") -> dg.MetadataValue:
    """How often each value occurs, as a table the UI renders (not a JSON blob)."""
    return dg.MetadataValue.table(
        records=[
            dg.TableRecord({label: str(k), "count": int(v)})
            for k, v in series.value_counts(dropna=False).items()
        ],
        schema=dg.TableSchema(
            columns=[dg.TableColumn(label, "string"), dg.TableColumn("count", "int")]
        ),
    )
