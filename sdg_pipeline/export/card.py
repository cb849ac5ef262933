"""The dataset card (README.md next to the files), rendered from the export stats.

The card holds no figure that is not in stats.json, so the asset metadata, the card and the
JSON never disagree. The YAML header lets the Hugging Face Hub (and `load_dataset(<folder>)`)
find the splits.
"""

from __future__ import annotations

import json

REASON_TEXT = {
    "empty_question_or_answer": "question or answer missing or blank",
    "too_long": "estimated tokens above max_tokens_per_example",
    "near_duplicate": "near-duplicate of a better-scored example (MinHash)",
    "document_cap": "beyond max_examples_per_document",
    "invalid_format": "rendered line failed the format validator",
}
FORMAT_TEXT = {
    "openai": '`{"messages": [{"role": "system"|"user"|"assistant", "content": ...}]}` '
    "(OpenAI chat fine-tuning)",
    "alpaca": '`{"instruction", "input", "output", "system"}` (Alpaca; system is "" when none)',
    "sharegpt": '`{"conversations": [{"from": "system"|"human"|"gpt", "value": ...}]}` (ShareGPT)',
}


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def _recipe_lines(stats: dict) -> list[str]:
    """What the recipe adds: an evaluation file beside the splits, golden examples mixed in."""
    out = []
    evaluation = stats.get("evaluation") or {}
    if evaluation.get("examples"):
        out += [
            f"Evaluation set: {evaluation['examples']} samples in `eval.jsonl` "
            f"({evaluation['fields']}), never part of train or validation.",
            "",
        ]
    golden = stats.get("golden") or {}
    if golden.get("examples"):
        out += [
            f"Golden examples: {golden['examples']} human-written examples (of "
            f"{golden['available']}) mixed into `train.jsonl` at a share of {golden['share']}; "
            'every line says `"origin": "human"` or `"generated"`.',
            "",
        ]
    recipes = sorted(
        {
            f"{p['recipe']}@{p['recipe_version']}"
            for p in (stats.get("provenance") or {}).get("generation", [])
            if isinstance(p, dict) and p.get("recipe")
        }
    )
    if recipes:
        out += [f"Recipe: {', '.join(recipes)} (see docs/recipes.md).", ""]
    return out


def render_card(stats: dict) -> str:
    splits = stats["splits"]
    train, valid = splits["train"], splits["validation"]
    config = stats["config"]
    # `datasets` refuses a declared split whose file is empty, so list only non-empty ones.
    declared = [("train", "train.jsonl")] if train["examples"] or not valid["examples"] else []
    declared += [("validation", "valid.jsonl")] if valid["examples"] else []
    out = ["---", "configs:", "- config_name: default", "  data_files:"]
    for split, path in declared:
        out += [f"  - split: {split}", f"    path: {path}"]
    out += [
        "---",
        "",
        "# Synthetic question-answer fine-tuning dataset",
        "",
        f"{stats['examples']} examples from {len(stats['documents'])} documents: "
        f"{train['examples']} for training ({train['documents']} documents) in `train.jsonl`, "
        f"{valid['examples']} for validation ({valid['documents']} documents) in `valid.jsonl`. "
        f"{stats['rows_read']} candidate rows were read; {stats['removed_total']} were removed "
        "(see Filtering).",
        "",
        f"Format: {FORMAT_TEXT[stats['format']]}, one JSON object per line."
        + (
            " The source chunk is part of the prompt (context-in-prompt)."
            if config["context_in_prompt"]
            else ""
        ),
        "",
        "```python",
        "from datasets import load_dataset",
        'ds = load_dataset("json", data_files={"train": "train.jsonl", '
        '"validation": "valid.jsonl"})',
        "```",
        "",
        "Rows are grouped by document; shuffle before training (most trainers do).",
        "",
        *_recipe_lines(stats),
        "## Provenance",
        "",
    ]
    provenance = stats["provenance"]
    if provenance:
        out += _table(["field", "value"], [[k, v] for k, v in sorted(provenance.items())])
    else:
        out += ["No generator/judge provenance was supplied.", ""]
    out += [f"Token counts: {stats['token_counter']}.", "", "## Settings and thresholds", ""]
    out += _table(["setting", "value"], [[k, v] for k, v in sorted(config.items())])

    out += ["## Counts", ""]
    out += _table(
        ["split", "examples", "documents", "median score", "median tokens", "max tokens"],
        [
            [
                name,
                s["examples"],
                s["documents"],
                s["score"].get("median"),
                s["tokens"].get("median"),
                s["tokens"].get("max"),
            ]
            for name, s in splits.items()
        ],
    )
    types = sorted(stats["question_types"])
    out += ["### Question types", ""]
    out += _table(
        ["question type", "train", "validation", "total"],
        [
            [
                t,
                train["question_types"].get(t, 0),
                valid["question_types"].get(t, 0),
                stats["question_types"][t],
            ]
            for t in types
        ],
    )
    out += ["### Judge score distribution", ""]
    names = ["count", "mean", "min", "p10", "p25", "median", "p75", "p90", "max"]
    out += _table(
        ["split", *names, "unscored"],
        [[n, *(s["score"].get(k) for k in names), s["score_missing"]] for n, s in splits.items()],
    )
    histogram = stats["score_histogram"]
    if histogram["counts"]:
        edges = histogram["edges"]
        out += _table(
            ["score bin", "examples"],
            [
                [f"[{edges[i]}, {edges[i + 1]}{']' if i == len(edges) - 2 else ')'}", c]
                for i, c in enumerate(histogram["counts"])
            ],
        )

    out += ["## Filtering", ""]
    out += _table(
        ["reason", "removed", "meaning"],
        [[r, c, REASON_TEXT[r]] for r, c in stats["removed"].items()],
    )
    dedup = stats["dedup"]
    if dedup.get("enabled") and "bands" in dedup:
        out += [
            f"Near-duplicates: MinHash over {dedup['shingle']} shingles of question + answer "
            f"(lower-cased, punctuation removed), {dedup['num_perm']} permutations, LSH with "
            f"{dedup['bands']} bands x {dedup['rows_per_band']} rows; candidates are kept as "
            f"duplicates when the estimated Jaccard similarity is at least {dedup['threshold']}. "
            "Each cluster keeps its best-scored example. "
            f"Removed {dedup['removed']} ({dedup['removed_cross_document']} across documents, "
            f"{dedup['removed_same_document']} within a document) from "
            f"{dedup['clusters_with_duplicates']} clusters; dedup runs before the split, so no "
            "near-duplicate spans train and validation.",
            "",
        ]
        if dedup["samples"]:
            out += _table(
                ["removed", "kept", "removed doc", "kept doc", "scores (removed/kept)", "jaccard"],
                [
                    [
                        s["removed"],
                        s["kept"],
                        s["removed_document"],
                        s["kept_document"],
                        f"{s['removed_score']}/{s['kept_score']}",
                        s["estimated_jaccard"],
                    ]
                    for s in dedup["samples"]
                ],
            )
    else:
        out += ["Near-duplicate removal was disabled.", ""]
    if stats["invalid_samples"]:
        out += _table(
            ["invalid example", "problems"],
            [[s["example_id"], "; ".join(s["problems"])] for s in stats["invalid_samples"]],
        )

    rule = stats["split_rule"]
    out += [
        "## Split",
        "",
        "By document, never by row: a document goes to validation when the first 8 bytes of "
        f'blake2b("{rule["seed"]}:<document_key>") / 2^64 < {rule["validation_ratio"]} '
        "(its `split_draw` below). Adding documents never moves existing ones. With two or more "
        "documents and a positive ratio, if every document lands on one side, the document with "
        "the most extreme draw is moved to the other side.",
        "",
        f"Moved by that rule: {rule['moved_to_fill_empty_split'] or 'none'}.",
        "",
        "## Partitions",
        "",
    ]
    parts = stats["partitions"]
    out += [
        f"{parts['listed']} listed, {parts['read']} read, {len(parts['missing'])} listed without a "
        f"file, {len(parts['excluded'])} excluded upstream.",
        "",
    ]
    if parts["missing"]:
        out += _table(["missing partition"], [[k] for k in parts["missing"]])
    if parts["excluded"]:
        out += _table(["excluded partition", "reason"], list(map(list, parts["excluded"].items())))

    out += ["## Documents", ""]
    out += _table(
        [
            "document",
            "split",
            "split_draw",
            "exported",
            "rows",
            "removed",
            "question types",
            "content sha256",
        ],
        [
            [
                name,
                d["split"],
                d["split_draw"],
                d["exported"],
                d["rows"],
                d["removed"] or None,
                d["question_types"] or None,
                ", ".join(d["content_hashes"]) or None,
            ]
            for name, d in sorted(stats["documents"].items())
        ],
    )
    return "\n".join(out).rstrip() + "\n"
