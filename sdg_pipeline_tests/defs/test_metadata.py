"""Metadata helpers: previews show the rows asked for, in order, shortened."""

from __future__ import annotations

import pandas as pd

from sdg_pipeline.defs.metadata import MAX_CELL, preview


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"c{i}" for i in range(9)],
            "text": ["word " * 100 if i == 4 else f"text | {i}" for i in range(9)],
            "kept": [i % 2 == 0 for i in range(9)],
        },
        index=range(100, 109),  # not 0..n: positions, not labels
    )


def test_a_preview_is_the_first_rows_of_the_columns_asked_for() -> None:
    lines = preview(_frame(), ["id", "text"], rows=3).value.splitlines()
    assert lines[0] == "| id | text |"
    assert [line.split(" | ")[0] for line in lines[2:]] == ["| c0", "| c1", "| c2"]
    assert "text \\| 1" in lines[3]  # a pipe in a cell does not break the table


def test_a_preview_where_shows_only_matching_rows_in_order_and_shortens_cells() -> None:
    frame = _frame()
    value = preview(frame, ["id", "text"], rows=3, where=~frame["kept"]).value
    rows = value.splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == ["| c1", "| c3", "| c5"]
    value = preview(frame, ["id", "text"], rows=5, where=frame["kept"]).value
    long_cell = next(row for row in value.splitlines() if row.startswith("| c4"))
    assert long_cell.endswith("… |") and len(long_cell) <= len("| c4 | ") + MAX_CELL + 2
    assert preview(frame, ["id"], where=frame["kept"] & False).value.count("\n") == 1
