"""Dataset provenance from the judged pairs' Parquet, read by pyarrow through the root's UPath."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq

from sdg_pipeline.export.provenance import PROVENANCE_COLUMNS, generation_provenance
from sdg_pipeline.io.publish import atomic_write_bytes
from sdg_pipeline.schemas import JUDGED_PAIRS


def _partition(root, key: str, models: list[str]) -> None:
    # each provenance column with a value of its contract's type (recipe_version is a number)
    columns = {
        name: [1 if pa.types.is_integer(JUDGED_PAIRS.field(name).type) else f"{name}-1"]
        * len(models)
        for name in PROVENANCE_COLUMNS
    }
    columns["model"] = models
    schema = pa.schema([JUDGED_PAIRS.field(name) for name in PROVENANCE_COLUMNS])
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns, schema=schema), buffer)
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
