"""Which generators, judges, models and prompt versions the dataset's pairs came from."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.dataset as pads
from upath import UPath

from sdg_pipeline.io.paths import fs_path
from sdg_pipeline.io.publish import existing_partitions
from sdg_pipeline.schemas import JUDGED_PAIRS

PROVENANCE_COLUMNS = [
    "generator",
    "model",
    "prompt_version",
    "judge",
    "judge_model",
    "judge_prompt_version",
    "recipe",
    "recipe_version",
]


def generation_provenance(judged_root: UPath, keys: list[str]) -> list[dict]:
    """Distinct (generator, model, prompt version, judge, ...) combinations, with pair counts.

    `judged_root` holds one `<key>.parquet` of judged pairs per document; keys without a file
    are left out.
    """
    present = existing_partitions(judged_root, keys)  # one listing, not a HEAD per document
    if not present:
        return []
    files = [fs_path(judged_root / f"{key}.parquet") for key in sorted(present)]
    # pyarrow wraps an fsspec filesystem itself: local folders and S3 take the same path here.
    # The contract's schema, not the first file's: partitions judged before recipes existed
    # read their recipe columns as nulls.
    schema = pa.schema([JUDGED_PAIRS.field(name) for name in PROVENANCE_COLUMNS])
    dataset = pads.dataset(files, format="parquet", filesystem=judged_root.fs, schema=schema)
    table = dataset.to_table(columns=PROVENANCE_COLUMNS)
    combos = table.group_by(PROVENANCE_COLUMNS).aggregate([([], "count_all")])
    return combos.rename_columns([*PROVENANCE_COLUMNS, "pairs"]).to_pylist()
