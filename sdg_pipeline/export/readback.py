"""Read a built dataset back, line by line, with the document each line came from.

The JSONL lines hold only the training record, so the document is recovered from the build's
own stats: partitions are written in sorted key order, each document's exported rows together
(see build.py). The dataset's expectation suite runs on this frame, i.e. on what was written.
"""

from __future__ import annotations

import json

import pandas as pd

from sdg_pipeline.export.config import ExportResult
from sdg_pipeline.io.paths import as_upath

SPLIT_FILES = {"train": "train_uri", "validation": "valid_uri"}
TRAIN_SPLIT = "train"
GOLDEN_OWNER = "(golden examples)"  # the "document" of the human-written lines


def dataset_lines(result: ExportResult, storage_options: dict | None = None) -> pd.DataFrame:
    """Columns split, document_key, line (the exported JSON object) for every written line."""
    documents = result.stats["documents"]
    frames = []
    for split, attribute in SPLIT_FILES.items():
        owners = [
            key
            for key in sorted(documents)
            for _ in range(int(documents[key].get("exported", 0)))
            if documents[key].get("split") == split
        ]
        if split == TRAIN_SPLIT:
            # golden examples are appended after the documents' lines and belong to none
            owners += [GOLDEN_OWNER] * int((result.stats.get("golden") or {}).get("examples", 0))
        path = as_upath(getattr(result, attribute), storage_options)
        lines = []
        if path.exists():
            with path.open("r", encoding="utf-8") as handle:
                lines = [json.loads(raw) for raw in handle if raw.strip()]
        if len(lines) != len(owners):
            raise ValueError(
                f"{split} file has {len(lines)} lines but the build stats account for {len(owners)}"
            )
        frames.append(pd.DataFrame({"split": split, "document_key": owners, "line": lines}))
    return pd.concat(frames, ignore_index=True)
