"""The export side of recipes: golden examples mixed in and marked, eval rows kept apart,
conversations kept whole."""

from __future__ import annotations

import json
from pathlib import Path

from sdg_pipeline.export import ExportConfig, build_dataset
from sdg_pipeline.export.readback import GOLDEN_OWNER, dataset_lines
from sdg_pipeline.recipes.golden import GoldenExample
from sdg_pipeline_tests.export.synthetic import random_rows, write_partition


def _lines(path: str | Path) -> list[dict]:
    text = Path(path).read_text() if Path(path).exists() else ""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _golden(n: int) -> list[GoldenExample]:
    return [
        GoldenExample(f"Which valve does the G-{i} rig use?", f"The V{i} valve.", None, f"g:{i}")
        for i in range(n)
    ]


def test_golden_examples_make_their_share_of_train_and_are_marked_human(tmp_path: Path) -> None:
    for d in range(4):
        write_partition(tmp_path / "ex", f"doc-{d}", random_rows(f"doc-{d}", 10, seed=d))
    keys = [f"doc-{d}" for d in range(4)]
    config = ExportConfig(validation_ratio=0.25, golden_share=0.2, dedup=False)
    result = build_dataset(tmp_path / "ex", keys, tmp_path / "out", config, golden=_golden(50))
    train, valid = _lines(result.train_uri), _lines(result.valid_uri)
    human = [line for line in train if line["origin"] == "human"]
    generated = [line for line in train if line["origin"] == "generated"]
    assert len(human) == round(0.2 * len(generated) / 0.8) > 0
    assert all(line["origin"] == "generated" for line in valid)  # golden lines train only
    assert result.stats["golden"]["examples"] == len(human)
    lines = dataset_lines(result)  # the dataset suite's view still accounts for every line
    assert (lines["document_key"] == GOLDEN_OWNER).sum() == len(human)
    assert "human-written examples" in Path(result.card_uri).read_text()
    # the same golden examples on a rebuild
    again = build_dataset(tmp_path / "ex", keys, tmp_path / "out2", config, golden=_golden(50))
    assert [x for x in _lines(again.train_uri) if x["origin"] == "human"] == human


def test_without_golden_examples_lines_keep_todays_keys(tmp_path: Path) -> None:
    write_partition(tmp_path / "ex", "doc-0", random_rows("doc-0", 5, seed=1))
    result = build_dataset(tmp_path / "ex", ["doc-0"], tmp_path / "out", ExportConfig())
    assert all(set(line) == {"messages"} for line in _lines(result.train_uri))


def test_eval_rows_go_to_eval_jsonl_and_a_later_build_without_them_empties_it(
    tmp_path: Path,
) -> None:
    rows = random_rows("doc-0", 6, seed=2)
    for row in rows:
        row["output_shape"] = "eval"
    write_partition(tmp_path / "ex", "doc-0", rows)
    write_partition(tmp_path / "ex", "doc-1", random_rows("doc-1", 6, seed=3))
    config = ExportConfig(validation_ratio=0.0, dedup=False)
    result = build_dataset(tmp_path / "ex", ["doc-0", "doc-1"], tmp_path / "out", config)
    samples = _lines(tmp_path / "out" / "eval.jsonl")
    assert len(samples) == 6 and {s["document_key"] for s in samples} == {"doc-0"}
    assert {"user_input", "reference", "reference_contexts"} <= set(samples[0])
    assert {r["question"] for r in rows} == {s["user_input"] for s in samples}
    train = _lines(result.train_uri)
    assert len(train) == result.stats["splits"]["train"]["examples"] == 6
    assert not {r["question"] for r in rows} & {line["messages"][0]["content"] for line in train}
    dataset_lines(result)  # counts agree with the files (raises otherwise)
    # the eval rows are gone: an old eval file must not outlive them
    build_dataset(tmp_path / "ex", ["doc-1"], tmp_path / "out", config)
    assert _lines(tmp_path / "out" / "eval.jsonl") == []


def test_multi_turn_rows_keep_every_turn_in_openai_and_sharegpt(tmp_path: Path) -> None:
    rows = random_rows("doc-0", 3, seed=4)
    turns = [
        {"role": "user", "content": "What does the XR-1 pump deliver?"},
        {"role": "assistant", "content": "40 litres per minute."},
        {"role": "user", "content": "At what pressure?"},
        {"role": "assistant", "content": "3 bar."},
    ]
    for row in rows:
        row["messages"] = turns
        row["question"], row["answer"] = turns[0]["content"], "40 litres per minute.\n\n3 bar."
    write_partition(tmp_path / "ex", "doc-0", rows[:1])
    for fmt, key, size in (("openai", "messages", 4), ("sharegpt", "conversations", 4)):
        config = ExportConfig(format=fmt, validation_ratio=0.0)
        result = build_dataset(tmp_path / "ex", ["doc-0"], tmp_path / fmt, config)
        line = _lines(result.train_uri)[0]
        assert len(line[key]) == size
