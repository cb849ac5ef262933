"""The IO manager's cast to the contract (a nested column no row fills is written as nulls) and
its Parquet files (codec by size, no statistics)."""

from __future__ import annotations

import io

import pyarrow.parquet as pq

from sdg_pipeline.defs.resources.io_manager import ZSTD_FROM_BYTES, frame_to_table, parquet_bytes
from sdg_pipeline.generate.offline import generate_pairs_offline
from sdg_pipeline_tests.fake_openai_server import make_chunks


def test_single_turn_pairs_write_with_an_all_null_turns_column() -> None:
    pairs = generate_pairs_offline(make_chunks(2, subject="XR Pump Manual"), max_pairs_per_chunk=2)
    assert pairs["turns"].dtype != object  # pandas made the unfilled column float NaN
    table = frame_to_table("qa_pairs", pairs)
    assert table.column("turns").null_count == len(pairs) > 0
    assert table.column("question").to_pylist() == list(pairs["question"])


def test_small_partitions_are_snappy_large_ones_zstd_neither_with_statistics() -> None:
    small = make_chunks(3, subject="XR Pump Manual").assign(skip_reason=None)
    large = make_chunks(1, subject="XR Pump Manual").assign(skip_reason=None)
    large["text"] = "x" * (ZSTD_FROM_BYTES + 1)
    for frame, codec in ((small, "SNAPPY"), (large, "ZSTD")):
        data = parquet_bytes(frame_to_table("chunks", frame))
        parquet = pq.ParquetFile(io.BytesIO(data))
        column = parquet.metadata.row_group(0).column(0)
        assert column.compression == codec
        assert column.statistics is None
        back = parquet.read().to_pandas()
        assert back["text"].tolist() == frame["text"].tolist()
