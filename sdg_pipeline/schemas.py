"""Column contracts of the per-document assets.

One place says what each stage's Parquet holds, so the core functions, the IO manager, the
expectation suites and the export agree. Every row carries its lineage back to the document
version (`document_key` + `content_hash`); pairs also carry their `chunk_id`.
"""

from __future__ import annotations

import pyarrow as pa

MESSAGE = pa.struct([("role", pa.string()), ("content", pa.string())])

# What every generated row carries about the recipe that wrote it (sdg_pipeline/recipes/).
RECIPE_COLUMNS = [
    ("recipe", pa.string()),
    ("recipe_version", pa.int64()),
    ("origin", pa.string()),  # "generated", or "human" for golden examples
    ("language", pa.string()),  # ISO 639-1 code detected in the chunk; null: too short to tell
]

RAW_DOCUMENTS = pa.schema(
    [
        ("document_key", pa.string()),
        ("source_uri", pa.string()),
        ("file_name", pa.string()),
        ("content_hash", pa.string()),  # sha256 hex of the bytes
        ("content", pa.binary()),
        ("size_bytes", pa.int64()),
        ("page_count", pa.int64()),  # null when the format has no pages
        ("media_type", pa.string()),
        ("ingested_at", pa.timestamp("us", tz="UTC")),
    ]
)

MARKDOWN_DOCUMENTS = pa.schema(
    [
        ("document_key", pa.string()),
        ("content_hash", pa.string()),
        ("markdown", pa.string()),
        ("page_starts", pa.list_(pa.int64())),  # char offset in `markdown` where page i+1 starts
        ("page_count", pa.int64()),
        ("status", pa.string()),  # ConversionStatus value: ok, no_text, encrypted, corrupt, ...
        ("error", pa.string()),  # human-readable problem, null when ok
        ("mode", pa.string()),  # converter mode actually used: native, layout, simple
        ("converter", pa.string()),
        ("converter_version", pa.string()),
        ("seconds", pa.float64()),
        ("title", pa.string()),  # the file's metadata title (PDF Info, DOCX, <title>, front matter)
    ]
)

CHUNKS = pa.schema(
    [
        ("chunk_id", pa.string()),
        ("document_key", pa.string()),
        ("content_hash", pa.string()),
        ("chunk_index", pa.int64()),
        ("heading_path", pa.list_(pa.string())),
        ("page_start", pa.int64()),
        ("page_end", pa.int64()),
        ("char_start", pa.int64()),  # offsets into the document's markdown: text == md[start:end]
        ("char_end", pa.int64()),
        ("text", pa.string()),
        ("token_count", pa.int64()),
        ("has_table", pa.bool_()),
        ("skip_reason", pa.string()),  # why triage keeps it from generation; null: it goes
        ("document_subject", pa.string()),  # issuer/product/title questions name (chunk.subject)
    ]
)

QA_PAIRS = pa.schema(
    [
        ("pair_id", pa.string()),
        ("chunk_id", pa.string()),
        ("document_key", pa.string()),
        ("content_hash", pa.string()),
        ("question", pa.string()),
        ("answer", pa.string()),
        (
            "question_type",
            pa.string(),
        ),  # factual, numeric, table, definition, conceptual, reasoning
        ("evidence", pa.string()),  # span of the chunk the answer rests on, when known
        ("generator", pa.string()),  # "offline-extractive" or "llm"
        ("model", pa.string()),
        ("prompt_version", pa.string()),
        ("error", pa.string()),  # set when generation for this chunk failed after retries
        *RECIPE_COLUMNS,
        ("step", pa.string()),  # the recipe step that wrote it: direct_qa, summary_qa:detailed, ...
        ("turns", pa.list_(MESSAGE)),  # multi-turn recipes: the whole conversation, else null
        ("refine_iterations", pa.int64()),  # times the refine loop rewrote it (0: first draft)
    ]
)

JUDGED_PAIRS = pa.schema(
    [
        *QA_PAIRS,
        pa.field("faithfulness", pa.float64()),  # 0..1
        pa.field("faithfulness_label", pa.string()),  # supported, partial, unsupported
        pa.field("relevancy", pa.float64()),  # 0..1
        pa.field("standalone", pa.float64()),  # 0..1
        pa.field("grounding_ok", pa.bool_()),
        pa.field("grounding_issues", pa.string()),
        pa.field("reasons", pa.string()),
        pa.field("passed", pa.bool_()),
        pa.field("judge", pa.string()),  # "offline-lexical" or "llm"
        pa.field("judge_model", pa.string()),
        pa.field("judge_prompt_version", pa.string()),
        pa.field("judge_error", pa.string()),
    ]
)

TRAINING_EXAMPLES = pa.schema(
    [
        ("example_id", pa.string()),
        ("pair_id", pa.string()),
        ("chunk_id", pa.string()),
        ("document_key", pa.string()),
        ("content_hash", pa.string()),
        ("page_start", pa.int64()),
        ("page_end", pa.int64()),
        ("question_type", pa.string()),
        ("question", pa.string()),
        ("answer", pa.string()),
        ("context", pa.string()),  # the raw chunk, for context-in-prompt formats
        ("score", pa.float64()),  # judge quality, used to keep the best of near-duplicates
        ("messages", pa.list_(MESSAGE)),
        ("token_count", pa.int64()),
        *RECIPE_COLUMNS,
        ("output_shape", pa.string()),  # chat/alpaca/sharegpt: training files; eval: eval.jsonl
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "raw_documents": RAW_DOCUMENTS,
    "markdown_documents": MARKDOWN_DOCUMENTS,
    "chunks": CHUNKS,
    "qa_pairs": QA_PAIRS,
    "judged_pairs": JUDGED_PAIRS,
    "training_examples": TRAINING_EXAMPLES,
}


def column_names(asset_name: str) -> list[str]:
    return SCHEMAS[asset_name].names
