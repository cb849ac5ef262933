"""Build the training dataset: filter, deduplicate, cap, split by document, write, describe.
(Over 400 lines, one idea: the two-pass streaming build.)

Two passes keep memory bounded by one partition plus a few numbers per row:
1. Scan: read only the light columns of each partition (ids, keys, type, score, token count,
   question and answer for MinHash; context or messages only when the config changes the
   prompt length). Keep per-row numbers and a 63-slot MinHash signature, nothing else.
2. Write: decide every row's fate from those numbers, then read each partition again and
   stream its surviving rows, rendered in the chosen format, into the staged train/valid files.
Partitions are visited in sorted key order and rows in file order, so rebuilding the same input
gives byte-identical files.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from itertools import islice

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from upath import UPath

from sdg_pipeline.export.card import render_card
from sdg_pipeline.export.chat_validation import TOKENS_PER_MESSAGE, TOKENS_PER_REPLY
from sdg_pipeline.export.config import ExportConfig, ExportResult
from sdg_pipeline.export.dedup import MinHasher, near_duplicate_clusters
from sdg_pipeline.export.formats import (
    CONTEXT_PROMPT_TOKENS,
    exchange_from_row,
    is_multi_turn,
    render,
    render_conversation,
    validate_line,
)
from sdg_pipeline.export.split import TRAIN, VALIDATION, assign_splits, document_draw
from sdg_pipeline.io.paths import as_upath
from sdg_pipeline.io.publish import Location, StagedFiles, existing_partitions, join_uri
from sdg_pipeline.recipes.golden import GoldenExample
from sdg_pipeline.schemas import TRAINING_EXAMPLES
from sdg_pipeline.tokens import count_tokens

log = logging.getLogger(__name__)

TRAIN_FILE, VALID_FILE = "train.jsonl", "valid.jsonl"
EVAL_FILE = "eval.jsonl"  # evaluation-shape rows (rag-eval): never in train or valid
STATS_FILE, CARD_FILE = "stats.json", "README.md"

# Row fates, in the order the filters apply; a row keeps the first reason that hits it.
KEPT, EMPTY, TOO_LONG, NEAR_DUPLICATE, DOCUMENT_CAP, INVALID_FORMAT = range(6)
REASONS = {
    EMPTY: "empty_question_or_answer",
    TOO_LONG: "too_long",
    NEAR_DUPLICATE: "near_duplicate",
    DOCUMENT_CAP: "document_cap",
    INVALID_FORMAT: "invalid_format",
}
_PREFETCH = 8  # partitions read ahead by worker threads (bounds memory and S3 latency)
_SAMPLES = 20  # removed/invalid examples quoted in the stats


@dataclass
class _Scan:
    """Per-row numbers of pass 1, concatenated once at the end."""

    partition_rows: list[int] = field(default_factory=list)
    doc_codes: list[np.ndarray] = field(default_factory=list)
    type_codes: list[np.ndarray] = field(default_factory=list)
    scores: list[np.ndarray] = field(default_factory=list)
    tokens: list[np.ndarray] = field(default_factory=list)
    empty: list[np.ndarray] = field(default_factory=list)
    signatures: list[np.ndarray] = field(default_factory=list)
    example_ids: list[pa.Array] = field(default_factory=list)
    documents: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    content_hashes: dict[str, set[str]] = field(default_factory=dict)
    document_partition: dict[str, str] = field(default_factory=dict)


def _prefetched(read: Callable[[str], pa.Table], keys: Iterable[str]) -> Iterator[pa.Table]:
    """`read` of each key, in order, with a bounded number of reads running ahead."""
    with ThreadPoolExecutor(_PREFETCH) as pool:
        keys = iter(keys)
        pending = deque(pool.submit(read, k) for k in islice(keys, _PREFETCH))
        while pending:
            table = pending.popleft().result()
            for key in islice(keys, 1):
                pending.append(pool.submit(read, key))
            yield table


def _codes(column: pa.ChunkedArray, lookup: dict[str, int]) -> np.ndarray:
    """Global integer codes of a string column (null -> "")."""
    encoded = pc.dictionary_encode(pc.fill_null(column, "")).combine_chunks()
    local = np.array(
        [lookup.setdefault(v, len(lookup)) for v in encoded.dictionary.to_pylist()], dtype=np.int32
    )
    return (
        local[encoded.indices.to_numpy(zero_copy_only=False)]
        if len(local)
        else np.zeros(0, dtype=np.int32)
    )


def _per_unique(column: pa.ChunkedArray, func: Callable[[str], int]) -> np.ndarray:
    """func(value) for every row, evaluated once per distinct value (null -> func(""))."""
    encoded = pc.dictionary_encode(pc.fill_null(column, "")).combine_chunks()
    values = np.array([func(v) for v in encoded.dictionary.to_pylist()], dtype=np.int64)
    if not len(values):
        return np.zeros(len(column), dtype=np.int64)
    return values[encoded.indices.to_numpy(zero_copy_only=False)]


def _blank(column: pa.ChunkedArray) -> np.ndarray:
    trimmed = pc.utf8_trim_whitespace(pc.fill_null(column, ""))
    return pc.equal(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False)


def _prompt_tokens(table: pa.Table, config: ExportConfig) -> np.ndarray:
    """Estimated tokens of each rendered example.

    `token_count` (the stored messages' estimate) is the base; the config's changes are added:
    a replaced system prompt and, for context-in-prompt, the chunk and the template around it.
    Rows without a stored count are estimated from question and answer.
    """
    base = table.column("token_count").to_numpy(zero_copy_only=False)
    base = np.asarray(base, dtype=np.float64)
    missing = np.isnan(base)
    if missing.any():
        idx = np.flatnonzero(missing)
        questions = table.column("question").take(idx).to_pylist()
        answers = table.column("answer").take(idx).to_pylist()
        base[idx] = [
            count_tokens(q) + count_tokens(a) + 2 * TOKENS_PER_MESSAGE + TOKENS_PER_REPLY
            for q, a in zip(questions, answers, strict=True)
        ]
    tokens = base.astype(np.int64)
    if config.system_prompt is not None:
        messages = table.column("messages").combine_chunks()
        flat = pc.list_flatten(messages)
        parents = pc.list_parent_indices(messages).to_numpy(zero_copy_only=False)
        is_system = pc.fill_null(pc.equal(flat.field("role"), "system"), False)
        stored = np.zeros(len(table), dtype=np.int64)
        if len(flat):
            rows = parents[is_system.to_numpy(zero_copy_only=False)]
            counts = _per_unique(
                pa.chunked_array([flat.field("content").filter(is_system)]), count_tokens
            )
            np.add.at(stored, rows, counts + TOKENS_PER_MESSAGE)
        tokens += count_tokens(config.system_prompt) + TOKENS_PER_MESSAGE - stored
    if config.context_in_prompt:
        tokens += _per_unique(table.column("context"), count_tokens) + CONTEXT_PROMPT_TOKENS
    return tokens


def _read_columns(path: UPath, wanted: list[str]) -> pa.Table:
    with path.open("rb") as handle:
        parquet = pq.ParquetFile(handle)
        names = parquet.schema_arrow.names
        table = parquet.read(columns=[c for c in wanted if c in names])
    # Columns absent from an older file read as nulls of the contract's type.
    for name in wanted:
        if name not in table.column_names:
            typ = TRAINING_EXAMPLES.field(name).type
            table = table.append_column(name, pa.nulls(len(table), typ))
    return table


def _scan(paths: dict[str, UPath], config: ExportConfig, hasher: MinHasher) -> _Scan:
    columns = [
        "example_id",
        "document_key",
        "content_hash",
        "question_type",
        "question",
        "answer",
        "score",
        "token_count",
    ]
    if config.context_in_prompt:
        columns.append("context")
    if config.system_prompt is not None:
        columns.append("messages")
    scan = _Scan()
    tables = _prefetched(lambda key: _read_columns(paths[key], columns), paths)
    for key, table in zip(paths, tables, strict=True):
        scan.partition_rows.append(len(table))
        scan.doc_codes.append(_codes(table.column("document_key"), scan.documents))
        scan.type_codes.append(_codes(table.column("question_type"), scan.types))
        scores = table.column("score").to_numpy(zero_copy_only=False)
        scan.scores.append(np.asarray(scores, dtype=np.float64))
        scan.tokens.append(_prompt_tokens(table, config))
        scan.empty.append(_blank(table.column("question")) | _blank(table.column("answer")))
        scan.example_ids.append(table.column("example_id").combine_chunks())
        pairs = (
            table.select(["document_key", "content_hash"])
            .group_by(["document_key", "content_hash"])
            .aggregate([])
        )
        for doc, digest in zip(*(pairs.column(i).to_pylist() for i in range(2)), strict=True):
            scan.content_hashes.setdefault(doc or "", set())
            if digest:
                scan.content_hashes[doc or ""].add(digest)
            scan.document_partition.setdefault(doc or "", key)
        if config.dedup:
            text = pc.binary_join_element_wise(
                pc.fill_null(table.column("question"), ""),
                pc.fill_null(table.column("answer"), ""),
                "\n",
            )
            scan.signatures.append(hasher.signatures(text))
    return scan


def _cat(parts: list[np.ndarray], dtype) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _rank_within(groups: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Position of each row within its group, given `order` sorted by group first."""
    ranks = np.empty(len(order), dtype=np.int64)
    sorted_groups = groups[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = sorted_groups[1:] != sorted_groups[:-1]
    first = np.flatnonzero(starts)[np.cumsum(starts) - 1]
    ranks[order] = np.arange(len(order)) - first
    return ranks


def _quantiles(values: np.ndarray) -> dict:
    values = values[~np.isnan(values)] if values.dtype.kind == "f" else values
    if not len(values):
        return {"count": 0}
    qs = np.quantile(values, [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
    names = ["min", "p10", "p25", "median", "p75", "p90", "max"]
    out = {"count": len(values), "mean": round(float(values.mean()), 4)}
    out.update({n: round(float(q), 4) for n, q in zip(names, qs, strict=True)})
    return out


def _histogram(values: np.ndarray) -> dict:
    values = values[~np.isnan(values)]
    if not len(values):
        return {"edges": [], "counts": []}
    unit = values.min() >= 0.0 and values.max() <= 1.0
    counts, edges = np.histogram(values, bins=10, range=(0.0, 1.0) if unit else None)
    return {"edges": [round(float(e), 4) for e in edges], "counts": counts.tolist()}


def build_dataset(
    examples_root: Location,
    partition_keys: list[str],
    out_root: Location,
    config: ExportConfig,
    excluded: dict[str, str] | None = None,
    provenance: dict | None = None,
    *,
    storage_options: dict | None = None,
    verify: Callable[[ExportResult], bool] | None = None,
    golden: Sequence[GoldenExample] = (),
) -> ExportResult:
    """Write train.jsonl, valid.jsonl, stats.json and README.md (the card) under `out_root`.

    `partition_keys` name `<examples_root>/<key>.parquet` files (TRAINING_EXAMPLES columns);
    keys without a file are reported in the stats, not raised. `excluded` (key -> reason) and
    `provenance` (generator/judge models, prompt versions, ...) only go into the card.
    Roots are UPaths (which carry their filesystem options), folders or URIs; `storage_options`
    go with URI roots given as strings (e.g. an S3 endpoint).
    `verify` sees the staged files before publication; when it returns False nothing is
    published (the previous dataset stays) and the result says `published=False`.
    Rows of an evaluation-shape recipe go to eval.jsonl (never train/valid); `golden` examples
    are mixed into train.jsonl at `config.golden_share`, each line marked "origin": "human".
    """
    in_root = as_upath(examples_root, storage_options)
    out_uri = str(out_root)  # the published files' URIs, as the caller named the root
    keys = sorted(set(partition_keys))
    present = existing_partitions(in_root, keys)
    paths = {k: in_root / f"{k}.parquet" for k in keys if k in present}
    missing = [k for k in keys if k not in present]
    if missing:
        log.warning("%d listed partitions have no file, e.g. %s", len(missing), missing[:5])

    hasher = MinHasher()
    scan = _scan(paths, config, hasher)
    doc = _cat(scan.doc_codes, np.int32)
    qtype = _cat(scan.type_codes, np.int32)
    score = _cat(scan.scores, np.float64)
    tokens = _cat(scan.tokens, np.int64)
    n = len(doc)
    order_score = np.where(np.isnan(score), -np.inf, score)  # unscored rows rank last
    fate = np.full(n, KEPT, dtype=np.int8)
    fate[_cat(scan.empty, bool)] = EMPTY
    fate[(fate == KEPT) & (tokens > config.max_tokens_per_example)] = TOO_LONG

    # Near-duplicates among rows still in: keep the best scored (earliest on ties) per cluster.
    dedup_info: dict = {"enabled": config.dedup, "threshold": config.dedup_threshold}
    duplicate_of = np.full(n, -1, dtype=np.int64)
    if config.dedup and n:
        alive = np.flatnonzero(fate == KEPT)
        signatures = np.concatenate(scan.signatures)[alive]
        labels, info = near_duplicate_clusters(signatures, config.dedup_threshold)
        dedup_info.update(info)
        order = np.lexsort((alive, -order_score[alive], labels))
        head = np.ones(len(order), dtype=bool)
        head[1:] = labels[order][1:] != labels[order][:-1]
        best = order[np.flatnonzero(head)[np.cumsum(head) - 1]]
        dropped = order[~head]
        fate[alive[dropped]] = NEAR_DUPLICATE
        duplicate_of[alive[dropped]] = alive[best[~head]]
        removed, kept_for = alive[dropped], alive[best[~head]]
        similar = (signatures[dropped] == signatures[best[~head]]).mean(axis=1)
        dedup_info["clusters_with_duplicates"] = len(np.unique(labels[dropped]))
        dedup_info["removed"] = len(removed)
        dedup_info["removed_cross_document"] = int((doc[removed] != doc[kept_for]).sum())
        dedup_info["removed_same_document"] = int((doc[removed] == doc[kept_for]).sum())
        ids = pa.chunked_array(scan.example_ids, type=pa.string()) if scan.example_ids else None
        doc_names = list(scan.documents)
        dedup_info["samples"] = [
            {
                "removed": ids[int(r)].as_py(),
                "kept": ids[int(k)].as_py(),
                "removed_document": doc_names[doc[r]],
                "kept_document": doc_names[doc[k]],
                "removed_score": None if np.isnan(score[r]) else float(score[r]),
                "kept_score": None if np.isnan(score[k]) else float(score[k]),
                "estimated_jaccard": round(float(s), 3),
            }
            for r, k, s in islice(zip(removed, kept_for, similar, strict=True), _SAMPLES)
        ]
    del scan.signatures

    # Per-document cap, balanced over question types: take the best of each type in turn.
    if config.max_examples_per_document is not None and n:
        alive = np.flatnonzero(fate == KEPT)
        by_type = np.lexsort((alive, -order_score[alive], qtype[alive], doc[alive]))
        group = doc[alive].astype(np.int64) * (len(scan.types) + 1) + qtype[alive]
        turn = _rank_within(group, by_type)
        by_turn = np.lexsort((alive, -order_score[alive], turn, doc[alive]))
        position = _rank_within(doc[alive], by_turn)
        fate[alive[position >= config.max_examples_per_document]] = DOCUMENT_CAP

    doc_names = list(scan.documents)
    exported_docs = np.unique(doc[fate == KEPT])
    splits, moved = assign_splits(
        [doc_names[d] for d in exported_docs], config.validation_ratio, config.seed
    )
    is_valid_doc = np.array([splits.get(d) == VALIDATION for d in doc_names], dtype=bool)

    staged = StagedFiles(out_root, storage_options)
    try:
        written = _write_examples(
            staged, paths, scan, fate, doc, is_valid_doc, config, golden=golden
        )
        invalid_samples = written.invalid
        golden_lines = written.golden
        is_eval = np.zeros(len(fate), dtype=bool)
        is_eval[np.asarray(written.eval_rows, dtype=np.int64)] = True
        # An earlier build's eval file must not outlive the rows it held.
        eval_files = [EVAL_FILE] if written.eval_lines or _exists(out_root, storage_options) else []
        if eval_files:
            staged.write_text(EVAL_FILE, "".join(f"{line}\n" for line in written.eval_lines))
        stats = _stats(
            config,
            scan,
            fate,
            doc,
            qtype,
            score,
            tokens,
            is_valid_doc,
            splits,
            moved,
            dedup_info,
            invalid_samples,
            missing,
            excluded or {},
            provenance or {},
            paths,
            out_uri,
            is_eval=is_eval,
        )
        stats["evaluation"] = {
            "examples": len(written.eval_lines),
            "file": join_uri(out_uri, EVAL_FILE) if written.eval_lines else None,
            "fields": "user_input, reference, reference_contexts (ragas SingleTurnSample)",
        }
        stats["golden"] = {
            "share": config.golden_share,
            "available": len(golden),
            "examples": len(golden_lines),
            "sources": [g.source for g, _ in golden_lines][:_SAMPLES],
        }
        staged.write_text(STATS_FILE, json.dumps(stats, indent=2, sort_keys=True) + "\n")
        staged.write_text(CARD_FILE, render_card(stats))
        staged.close_all()
        candidate = ExportResult(
            *(staged.staged_uri(n) for n in (TRAIN_FILE, VALID_FILE, CARD_FILE, STATS_FILE)),
            stats=stats,
        )
        published = verify is None or verify(candidate)
        if published:
            staged.commit([TRAIN_FILE, VALID_FILE, *eval_files, STATS_FILE, CARD_FILE])
        else:
            staged.abort()
    except BaseException:
        staged.abort()
        raise
    return ExportResult(
        train_uri=join_uri(out_uri, TRAIN_FILE),
        valid_uri=join_uri(out_uri, VALID_FILE),
        card_uri=join_uri(out_uri, CARD_FILE),
        stats_uri=join_uri(out_uri, STATS_FILE),
        eval_uri=join_uri(out_uri, EVAL_FILE) if written.eval_lines else None,
        stats=stats,
        published=published,
    )


def _exists(out_root: Location, storage_options: dict | None) -> bool:
    return (as_upath(out_root, storage_options) / EVAL_FILE).exists()


def _write_examples(
    staged: StagedFiles,
    paths: dict[str, UPath],
    scan: _Scan,
    fate: np.ndarray,
    doc: np.ndarray,
    is_valid_doc: np.ndarray,
    config: ExportConfig,
    *,
    golden: Sequence[GoldenExample] = (),
) -> _Written:
    """Pass 2: stream the kept rows of every partition into the staged train/valid files;
    evaluation-shape rows go to the eval file instead (their global row numbers are returned
    in `out.eval_rows`)."""
    train, valid = staged.open(TRAIN_FILE), staged.open(VALID_FILE)
    columns = ["example_id", "messages", "question", "answer", "output_shape"]
    if config.context_in_prompt:
        columns.append("context")
    marked = config.golden_share > 0  # with golden examples mixed in, every line says its origin
    offsets = np.concatenate([[0], np.cumsum(scan.partition_rows)]).astype(np.int64)
    wanted = [k for i, k in enumerate(paths) if (fate[offsets[i] : offsets[i + 1]] == KEPT).any()]
    index = {k: i for i, k in enumerate(paths)}
    invalid: list[dict] = []
    out = _Written()
    tables = _prefetched(lambda key: _read_columns(paths[key], columns), wanted)
    for key, table in zip(wanted, tables, strict=True):
        lo, hi = offsets[index[key]], offsets[index[key] + 1]
        if len(table) != hi - lo:
            raise RuntimeError(f"partition {key} changed while the dataset was being built")
        rows = np.flatnonzero(fate[lo:hi] == KEPT)
        part = table.take(rows).to_pydict()
        contexts = part.get("context") or [None] * len(rows)
        shapes = part["output_shape"]
        if "eval" in shapes:
            eval_table = _read_columns(paths[key], [*EVAL_COLUMNS, "output_shape"]).take(rows)
            for j, record in enumerate(eval_table.to_pylist()):
                if shapes[j] == "eval":
                    out.eval_lines.append(json.dumps(eval_record(record), ensure_ascii=False))
                    out.eval_rows.append(int(lo + rows[j]))
        train_lines, valid_lines = [], []
        for j, row in enumerate(rows):
            if shapes[j] == "eval":
                continue
            messages = part["messages"][j]
            problems = []
            if is_multi_turn(messages):
                try:
                    obj = render_conversation(
                        messages,
                        config.format,
                        config.system_prompt,
                        contexts[j],
                        config.context_in_prompt,
                    )
                except ValueError as exc:
                    obj, problems = {}, [str(exc)]
            else:
                exchange = exchange_from_row(
                    messages,
                    part["question"][j],
                    part["answer"][j],
                    contexts[j],
                    config.system_prompt,
                    config.context_in_prompt,
                )
                obj = render(exchange, config.format, config.context_in_prompt)
            problems = problems or validate_line(obj, config.format)
            if marked:
                obj["origin"] = "generated"
            if problems:
                fate[lo + row] = INVALID_FORMAT
                if len(invalid) < _SAMPLES:
                    invalid.append({"example_id": part["example_id"][j], "problems": problems})
                continue
            line = json.dumps(obj, ensure_ascii=False)
            (valid_lines if is_valid_doc[doc[lo + row]] else train_lines).append(line)
        if train_lines:
            train.write("\n".join(train_lines) + "\n")
        if valid_lines:
            valid.write("\n".join(valid_lines) + "\n")
        out.train_lines += len(train_lines)
    out.invalid = invalid
    out.golden = _golden_lines(golden, out.train_lines, config)
    if out.golden:
        train.write("\n".join(json.dumps(o, ensure_ascii=False) for _, o in out.golden) + "\n")
    return out


EVAL_COLUMNS = ["example_id", "document_key", "chunk_id", "page_start", "page_end", "question",
                "answer", "context", "recipe", "recipe_version", "language"]  # fmt: skip


def eval_record(row: dict) -> dict:
    """One evaluation sample in the field names ragas (SingleTurnSample) reads: user_input,
    reference (the reference answer) and reference_contexts, plus the lineage."""
    return {
        "user_input": row["question"],
        "reference": row["answer"],
        "reference_contexts": [row["context"]] if row.get("context") else [],
        "document_key": row["document_key"],
        "chunk_id": row["chunk_id"],
        "pages": [row["page_start"], row["page_end"]],
        "recipe": row.get("recipe"),
        "recipe_version": row.get("recipe_version"),
        "language": row.get("language"),
        "example_id": row["example_id"],
    }


@dataclass
class _Written:
    invalid: list[dict] = field(default_factory=list)
    train_lines: int = 0
    eval_lines: list[str] = field(default_factory=list)
    eval_rows: list[int] = field(default_factory=list)
    golden: list[tuple[GoldenExample, dict]] = field(default_factory=list)


def _golden_lines(golden: Sequence[GoldenExample], train_lines: int, config: ExportConfig):
    """The golden examples to mix in: enough that they make `golden_share` of the training file
    (as many as there are, at most), picked by a seeded hash so a rebuild picks the same."""
    share = config.golden_share
    if not golden or share <= 0:
        return []
    wanted = min(len(golden), max(1, round(share * train_lines / (1.0 - share))))
    ranked = sorted(golden, key=lambda g: document_draw(g.example_id, config.seed))[:wanted]
    lines = []
    for example in ranked:
        exchange = exchange_from_row(
            None,
            example.question,
            example.answer,
            example.context,
            config.system_prompt,
            config.context_in_prompt,
        )
        obj = render(exchange, config.format, config.context_in_prompt)
        lines.append((example, obj | {"origin": "human"}))
    return lines


def _stats(
    config: ExportConfig,
    scan: _Scan,
    fate: np.ndarray,
    doc: np.ndarray,
    qtype: np.ndarray,
    score: np.ndarray,
    tokens: np.ndarray,
    is_valid_doc: np.ndarray,
    splits: dict[str, str],
    moved: str | None,
    dedup_info: dict,
    invalid_samples: list[dict],
    missing: list[str],
    excluded: dict[str, str],
    provenance: dict,
    paths: dict[str, UPath],
    out_root: str,
    *,
    is_eval: np.ndarray | None = None,
) -> dict:
    doc_names, type_names = list(scan.documents), list(scan.types)
    # evaluation rows were written to their own file: they are no training example
    kept = fate == KEPT
    if is_eval is not None:
        kept &= ~is_eval
    in_valid = is_valid_doc[doc] if len(doc) else np.zeros(0, dtype=bool)
    masks = {TRAIN: kept & ~in_valid, VALIDATION: kept & in_valid}

    def by_type(mask: np.ndarray) -> dict[str, int]:
        counts = np.bincount(qtype[mask], minlength=len(type_names))
        return {type_names[i]: int(c) for i, c in enumerate(counts) if c}

    n_docs = len(doc_names)
    fate_by_doc = np.zeros((n_docs, len(REASONS) + 1), dtype=np.int64)
    np.add.at(fate_by_doc, (doc, fate), 1)
    exported_by_doc = np.bincount(doc[kept], minlength=n_docs)
    documents = {}
    for d, name in enumerate(doc_names):
        exported = int(exported_by_doc[d])
        documents[name] = {
            "partition": scan.document_partition.get(name),
            "content_hashes": sorted(scan.content_hashes.get(name, ())),
            "split": splits.get(name),  # None: nothing exported from this document
            "split_draw": round(document_draw(name, config.seed), 6),
            "rows": int(fate_by_doc[d].sum()),
            "exported": exported,
            "question_types": by_type(kept & (doc == d)) if exported else {},
            "removed": {REASONS[f]: int(fate_by_doc[d, f]) for f in REASONS if fate_by_doc[d, f]},
        }

    split_stats = {}
    for split, mask in masks.items():
        split_stats[split] = {
            "examples": int(mask.sum()),
            "documents": len(np.unique(doc[mask])),
            "question_types": by_type(mask),
            "score": _quantiles(score[mask]),
            "score_missing": int(np.isnan(score[mask]).sum()),
            "tokens": _quantiles(tokens[mask].astype(np.float64)),
        }
    removed = {REASONS[f]: int((fate == f).sum()) for f in REASONS}
    return {
        "format": config.format,
        "files": {
            "train": join_uri(out_root, TRAIN_FILE),
            "validation": join_uri(out_root, VALID_FILE),
        },
        "config": asdict(config),
        "provenance": provenance,
        "token_counter": "sdg_pipeline.tokens.count_tokens (offline conservative estimate)",
        "rows_read": len(fate),
        "examples": int(kept.sum()),
        "splits": split_stats,
        "question_types": by_type(kept),
        "score": _quantiles(score[kept]),
        "score_histogram": _histogram(score[kept]),
        "removed": removed,
        "removed_total": int(sum(removed.values())),
        "dedup": dedup_info,
        "invalid_samples": invalid_samples,
        "split_rule": {
            "method": "blake2b(seed:document_key) < validation_ratio -> validation",
            "validation_ratio": config.validation_ratio,
            "seed": config.seed,
            "moved_to_fill_empty_split": moved,
        },
        "partitions": {
            "listed": len(paths) + len(missing),
            "read": len(paths),
            "missing": missing,
            "excluded": dict(sorted(excluded.items())),
        },
        "documents": documents,
    }
