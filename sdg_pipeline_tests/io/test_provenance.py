"""Dataset provenance from the judged pairs' Parquet, read by pyarrow through the root's UPath."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq

from sdg_pipeline.export.provenance import PROVENANCE_COLUMNS, generation_provenance
from sdg_pipeline.io.publish import atomic_write_bytes


def _partition(root, key: str, models: list[str]) -> None:
    columns = {name: [f"{name}-1"] * len(models) for name in PROVENANCE_COLUMNS}
    columns["model"] = models
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    atomic_write_bytes(root / f"{key}.parquet", buffer.getvalue())


def test_combinations_are_counted_over_present_partitions(root):
    _partition(root, "doc-a", ["m1", "m1", "m2"])
    _partition(root, "doc-b", ["m1"])
    _partition(root, "doc-other", ["m3"])  # not asked for
    combos = generation_provenance(root, ["doc-a", "doc-b", "doc-missing"])
    assert sorted((c["model"], c["pairs"]) for c in combos) == [("m1", 3), ("m2", 1)]
    assert combos[0]["judge_model"] == "judge_model-1"


def test_no_partitions_no_provenance(root):
    assert generation_provenance(root, ["doc-a"]) == []
