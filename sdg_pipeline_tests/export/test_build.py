import json
from pathlib import Path

import pytest
from datasets import load_dataset

import sdg_pipeline.export.build as build_module
from sdg_pipeline.export import ExportConfig, build_dataset, validate_chat_line, validate_line
from sdg_pipeline.export.formats import CONTEXT_PROMPT
from sdg_pipeline_tests.export.synthetic import example_row, random_rows, write_partition

FILES = {"train.jsonl", "valid.jsonl", "stats.json", "README.md"}


def _corpus(root: Path, docs: int, rows: int = 10, start: int = 0) -> dict[str, str]:
    """Write `docs` partitions; returns answer text -> document key."""
    owner = {}
    for d in range(start, start + docs):
        key = f"doc-{d:03d}"
        table = random_rows(key, rows, seed=1)
        write_partition(root, key, table)
        owner.update({r["answer"]: key for r in table})
    return owner


def _lines(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def _hf(result, tmp_path):
    return load_dataset(
        "json",
        data_files={"train": result.train_uri, "validation": result.valid_uri},
        cache_dir=str(tmp_path / "hf-cache"),
    )


def test_openai_jsonl_loads_with_datasets_and_passes_the_validator(tmp_path):
    _corpus(tmp_path / "ex", docs=8)
    keys = [f"doc-{d:03d}" for d in range(8)]
    result = build_dataset(
        str(tmp_path / "ex"), keys, str(tmp_path / "out"), ExportConfig(validation_ratio=0.3)
    )
    assert {p.name for p in (tmp_path / "out").iterdir()} == FILES
    ds = _hf(result, tmp_path)
    stats = result.stats
    assert ds["train"].num_rows == stats["splits"]["train"]["examples"] > 0
    assert ds["validation"].num_rows == stats["splits"]["validation"]["examples"] > 0
    assert ds["train"].num_rows + ds["validation"].num_rows == stats["examples"] == 80
    assert ds["train"].column_names == ["messages"]
    for path in (result.train_uri, result.valid_uri):
        for raw in Path(path).read_text().splitlines():
            assert validate_chat_line(raw) == []


@pytest.mark.parametrize(
    ("fmt", "columns"),
    [("alpaca", {"instruction", "input", "output", "system"}), ("sharegpt", {"conversations"})],
)
def test_other_formats_load_with_datasets(tmp_path, fmt, columns):
    _corpus(tmp_path / "ex", docs=4)
    result = build_dataset(
        str(tmp_path / "ex"),
        [f"doc-{d:03d}" for d in range(4)],
        str(tmp_path / "out"),
        ExportConfig(format=fmt, validation_ratio=0.3),
    )
    ds = _hf(result, tmp_path)
    assert set(ds["train"].column_names) == columns
    assert ds["train"].num_rows + ds["validation"].num_rows == 40
    for line in _lines(result.train_uri) + _lines(result.valid_uri):
        assert validate_line(line, fmt) == []


def _plant(root: Path) -> None:
    question = "What is the maximum operating temperature of the XR-7 pump housing?"
    answer = "The XR-7 pump housing may operate up to 85 degrees Celsius continuously."
    planted = {
        "doc-a": example_row("doc-a", 50, question, answer, score=0.6),
        "doc-b": example_row(
            "doc-b", 50, question.upper(), answer.replace("Celsius", "Celsius!!"), score=0.9
        ),
        "doc-c": example_row("doc-c", 50, "So: " + question, answer, score=0.7),
    }
    for key, row in planted.items():
        write_partition(root, key, [*random_rows(key, 5, seed=2), row])


def test_planted_near_duplicates_across_documents_keep_the_best_scored(tmp_path):
    _plant(tmp_path / "ex")
    result = build_dataset(
        str(tmp_path / "ex"), ["doc-a", "doc-b", "doc-c"], str(tmp_path / "out"), ExportConfig()
    )
    lines = _lines(result.train_uri) + _lines(result.valid_uri)
    planted = [ln for ln in lines if "XR-7" in ln["messages"][0]["content"]]
    assert len(planted) == 1
    assert planted[0]["messages"][0]["content"].isupper()  # doc-b's copy, score 0.9
    assert len(lines) == 16
    dedup = result.stats["dedup"]
    assert result.stats["removed"]["near_duplicate"] == dedup["removed"] == 2
    assert dedup["removed_cross_document"] == 2
    assert {s["kept"] for s in dedup["samples"]} == {"doc-b#50"}
    assert {s["removed"] for s in dedup["samples"]} == {"doc-a#50", "doc-c#50"}
    assert result.stats["documents"]["doc-a"]["removed"] == {"near_duplicate": 1}

    kept_all = build_dataset(
        str(tmp_path / "ex"),
        ["doc-a", "doc-b", "doc-c"],
        str(tmp_path / "out2"),
        ExportConfig(dedup=False),
    )
    assert kept_all.stats["examples"] == 18


def _splits_of(result, owner: dict[str, str]) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for split, path in (("train", result.train_uri), ("validation", result.valid_uri)):
        for line in _lines(path):
            seen.setdefault(owner[line["messages"][1]["content"]], set()).add(split)
    return seen


def test_no_document_spans_both_splits_and_splits_survive_added_documents(tmp_path):
    ex, out = tmp_path / "ex", str(tmp_path / "out")
    owner = _corpus(ex, docs=12)
    config = ExportConfig(validation_ratio=0.3, seed=13)
    first = build_dataset(str(ex), sorted(set(owner.values())), out, config)
    assert first.stats["split_rule"]["moved_to_fill_empty_split"] is None
    seen = _splits_of(first, owner)
    assert all(len(s) == 1 for s in seen.values())
    assert {next(iter(s)) for s in seen.values()} == {"train", "validation"}
    for key, splits in seen.items():
        assert first.stats["documents"][key]["split"] == next(iter(splits))

    owner.update(_corpus(ex, docs=12, start=12))
    second = build_dataset(str(ex), sorted(set(owner.values())), out, config)
    seen_again = _splits_of(second, owner)
    assert all(len(s) == 1 for s in seen_again.values())
    assert len(seen_again) == 24
    assert all(seen_again[key] == splits for key, splits in seen.items())


def test_two_documents_get_one_split_each(tmp_path):
    owner = _corpus(tmp_path / "ex", docs=2)
    result = build_dataset(
        str(tmp_path / "ex"),
        sorted(set(owner.values())),
        str(tmp_path / "out"),
        ExportConfig(validation_ratio=0.01),
    )
    assert result.stats["split_rule"]["moved_to_fill_empty_split"] is not None
    assert sorted(len(s) for s in _splits_of(result, owner).values()) == [1, 1]
    assert result.stats["splits"]["validation"]["documents"] == 1


def test_missing_partitions_are_reported_not_raised(tmp_path):
    _corpus(tmp_path / "ex", docs=2)
    result = build_dataset(
        str(tmp_path / "ex"),
        ["doc-000", "doc-001", "gone"],
        str(tmp_path / "out"),
        ExportConfig(),
        excluded={"bad-doc": "faithfulness below threshold"},
    )
    assert result.stats["partitions"]["missing"] == ["gone"]
    assert result.stats["partitions"]["read"] == 2
    card = Path(result.card_uri).read_text()
    assert "| gone |" in card and "faithfulness below threshold" in card


def test_empty_and_too_long_examples_are_filtered_with_reasons(tmp_path):
    rows = random_rows("doc-x", 4, seed=3)
    rows.append(example_row("doc-x", 10, "   ", "An answer."))
    rows.append(example_row("doc-x", 11, "Why?", "because " * 300))
    write_partition(tmp_path / "ex", "doc-x", rows)
    result = build_dataset(
        str(tmp_path / "ex"),
        ["doc-x"],
        str(tmp_path / "out"),
        ExportConfig(max_tokens_per_example=200),
    )
    assert result.stats["examples"] == 4
    assert result.stats["removed"]["empty_question_or_answer"] == 1
    assert result.stats["removed"]["too_long"] == 1
    assert result.stats["splits"]["train"]["tokens"]["max"] <= 200


def test_document_cap_keeps_the_best_of_each_question_type(tmp_path):
    rows = [
        example_row(
            "big",
            i,
            f"Factual question number {i} about pumps?",
            f"Factual answer {i} on pumps and valves.",
            score=0.9 - i / 100,
        )
        for i in range(30)
    ]
    rows += [
        example_row(
            "big",
            100 + i,
            f"How many bolts hold flange {i} in place?",
            f"Flange {i} is held by {i + 4} bolts.",
            score=0.5 - i / 100,
            question_type="numeric",
        )
        for i in range(10)
    ]
    write_partition(tmp_path / "ex", "big", rows)
    write_partition(tmp_path / "ex", "small", random_rows("small", 3, seed=4))
    result = build_dataset(
        str(tmp_path / "ex"),
        ["big", "small"],
        str(tmp_path / "out"),
        ExportConfig(max_examples_per_document=8, validation_ratio=0.0),
    )
    big = result.stats["documents"]["big"]
    assert big["exported"] == 8
    assert big["question_types"] == {"factual": 4, "numeric": 4}
    assert result.stats["documents"]["small"]["exported"] == 3
    assert result.stats["removed"]["document_cap"] == 32
    kept = {ln["messages"][0]["content"] for ln in _lines(result.train_uri)}
    assert "Factual question number 0 about pumps?" in kept  # best scored survive
    assert "Factual question number 4 about pumps?" not in kept


def test_system_prompt_and_context_in_prompt(tmp_path):
    rows = [
        example_row(
            "doc-s",
            i,
            f"What does clause {i} say?",
            f"Clause {i} says yes.",
            context=f"Clause {i}: the answer is yes. " + "Filler text. " * 20,
            system="Stored prompt.",
        )
        for i in range(3)
    ]
    rows.append(
        example_row(
            "doc-s", 9, "Long context?", "Yes.", context="Very long context sentence. " * 200
        )
    )
    write_partition(tmp_path / "ex", "doc-s", rows)
    config = ExportConfig(
        system_prompt="Answer from the document.",
        context_in_prompt=True,
        max_tokens_per_example=300,
    )
    result = build_dataset(str(tmp_path / "ex"), ["doc-s"], str(tmp_path / "out"), config)
    lines = _lines(result.train_uri)
    assert len(lines) == 3 and result.stats["removed"]["too_long"] == 1
    for i, line in enumerate(lines):
        system, user, _ = line["messages"]
        assert system == {"role": "system", "content": "Answer from the document."}
        assert user["content"] == CONTEXT_PROMPT.format(
            context=(f"Clause {i}: the answer is yes. " + "Filler text. " * 20).strip(),
            question=f"What does clause {i} say?",
        )
        assert validate_chat_line(line) == []


def test_card_and_stats_say_what_the_dataset_holds(tmp_path):
    owner = _corpus(tmp_path / "ex", docs=3)
    provenance = {
        "generator": "llm",
        "model": "gpt-x",
        "prompt_version": "qa-v3",
        "judge_model": "judge-y",
        "judge_prompt_version": "j-v2",
    }
    result = build_dataset(
        str(tmp_path / "ex"),
        sorted(set(owner.values())),
        str(tmp_path / "out"),
        ExportConfig(),
        provenance=provenance,
    )
    stats = json.loads(Path(result.stats_uri).read_text())
    assert stats == json.loads(json.dumps(result.stats))
    assert stats["provenance"] == provenance
    assert stats["question_types"] == {"factual": 9, "numeric": 9, "definition": 6, "conceptual": 6}
    doc = stats["documents"]["doc-000"]
    assert doc["exported"] == 10 and len(doc["content_hashes"][0]) == 64
    assert stats["score"]["count"] == 30 and 0.5 <= stats["score"]["median"] <= 1.0
    assert sum(stats["score_histogram"]["counts"]) == 30
    card = Path(result.card_uri).read_text()
    assert card.startswith("---\nconfigs:")
    for needle in (
        "gpt-x",
        "judge-y",
        "qa-v3",
        doc["content_hashes"][0],
        "| doc-002 |",
        "dedup_threshold",
        "near_duplicate",
    ):
        assert needle in card


def test_rebuild_of_unchanged_input_is_byte_identical(tmp_path):
    owner = _corpus(tmp_path / "ex", docs=4)
    keys, out = sorted(set(owner.values())), tmp_path / "out"
    build_dataset(str(tmp_path / "ex"), keys, str(out), ExportConfig(validation_ratio=0.3))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    build_dataset(str(tmp_path / "ex"), keys, str(out), ExportConfig(validation_ratio=0.3))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _fail_after(monkeypatch, calls: int) -> None:
    real, count = build_module.render, {"n": 0}

    def failing(*args, **kwargs):
        count["n"] += 1
        if count["n"] > calls:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "render", failing)


def test_failed_rebuild_leaves_the_previous_dataset_intact(tmp_path, monkeypatch):
    owner = _corpus(tmp_path / "ex", docs=4)
    keys, out = sorted(set(owner.values())), tmp_path / "out"
    build_dataset(str(tmp_path / "ex"), keys[:2], str(out), ExportConfig())
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _fail_after(monkeypatch, 25)
    with pytest.raises(RuntimeError, match="disk full"):
        build_dataset(str(tmp_path / "ex"), keys, str(out), ExportConfig())
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp files either


@pytest.mark.parametrize("docs", [1, 5])
def test_output_folder_loads_by_its_card(tmp_path, docs):
    owner = _corpus(tmp_path / "ex", docs=docs)
    result = build_dataset(
        str(tmp_path / "ex"),
        sorted(set(owner.values())),
        str(tmp_path / "out"),
        ExportConfig(validation_ratio=0.3),
    )
    ds = load_dataset(str(tmp_path / "out"), cache_dir=str(tmp_path / "hf-cache"))
    expected = {name: s["examples"] for name, s in result.stats["splits"].items() if s["examples"]}
    assert {name: d.num_rows for name, d in ds.items()} == expected
    assert len(expected) == min(docs, 2)  # one document: no validation split at all


def test_rows_that_render_invalid_are_dropped_and_quoted(tmp_path):
    broken = example_row("doc-i", 7, "What is X?", "X is Y.")
    broken["messages"][1]["content"] = ""  # stored assistant turn empty, plain answer not
    write_partition(tmp_path / "ex", "doc-i", [*random_rows("doc-i", 3, seed=6), broken])
    result = build_dataset(str(tmp_path / "ex"), ["doc-i"], str(tmp_path / "out"), ExportConfig())
    assert result.stats["removed"]["invalid_format"] == 1
    assert result.stats["examples"] == 3
    [sample] = result.stats["invalid_samples"]
    assert sample["example_id"] == "doc-i#7"
    assert any("missing_content" in p for p in sample["problems"])
