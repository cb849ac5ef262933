"""The IO manager's cast to the contract: a nested column no row fills is written as nulls."""

from __future__ import annotations

from sdg_pipeline.defs.resources.io_manager import frame_to_table
from sdg_pipeline.generate.offline import generate_pairs_offline
from sdg_pipeline_tests.fake_openai_server import make_chunks


def test_single_turn_pairs_write_with_an_all_null_turns_column() -> None:
    pairs = generate_pairs_offline(make_chunks(2, subject="XR Pump Manual"), max_pairs_per_chunk=2)
    assert pairs["turns"].dtype != object  # pandas made the unfilled column float NaN
    table = frame_to_table("qa_pairs", pairs)
    assert table.column("turns").null_count == len(pairs) > 0
    assert table.column("question").to_pylist() == list(pairs["question"])
