"""training_jsonl: the train/validation JSONL, built from every partition whose checks passed."""

import dagster as dg

from sdg_pipeline.defs.checks import check_asset, gate_partitions
from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline.defs.resources.storage import StorageResource
from sdg_pipeline.expectations.suites import CHECK_NAME
from sdg_pipeline.export import ExportResult, build_dataset
from sdg_pipeline.export.provenance import generation_provenance
from sdg_pipeline.export.readback import dataset_lines


@dg.asset(
    group_name="dataset",
    kinds={"json"},
    deps=["training_examples"],
    check_specs=[
        dg.AssetCheckSpec(
            CHECK_NAME["training_jsonl"],
            asset="training_jsonl",
            blocking=True,
            description="Every written line valid chat format, no document in both splits, "
            "no exact duplicates, lengths under the limit.",
        )
    ],
    code_version="1",
    description=(
        "train.jsonl / valid.jsonl (split by document), stats.json and a dataset card, built from "
        "the training examples of every current document whose expectation checks all passed."
    ),
)
def training_jsonl(
    context: dg.AssetExecutionContext,
    storage: StorageResource,
    settings: PipelineSettings,
) -> dg.MaterializeResult:
    # Only partitions that still exist: a deleted (withdrawn or superseded) document leaves here.
    keys = sorted(context.instance.get_dynamic_partitions(documents_partitions.name))
    passing, excluded = gate_partitions(context.instance, keys)
    for key, reason in excluded.items():
        context.log.warning(f"document {key} excluded from the dataset: {reason}")
    checked: list[dg.AssetCheckResult] = []

    def verify(candidate: ExportResult) -> bool:
        # The suite reads the staged lines; a failing build is never published, so the previous
        # dataset stays in place for whoever trains from it.
        if not passing:
            # Nothing may stay in the dataset (every document withdrawn or failing): publish the
            # empty files rather than keep training on withdrawn content, and say so.
            checked.append(
                dg.AssetCheckResult(
                    passed=False,
                    severity=dg.AssetCheckSeverity.WARN,
                    description="no document passed its checks: the dataset is empty",
                )
            )
            return True
        evaluation = candidate.stats.get("evaluation", {}).get("examples", 0)
        if candidate.stats["examples"] == 0 and evaluation:
            # An evaluation recipe (rag-eval) writes eval.jsonl only: empty splits are its
            # design, not a broken build.
            checked.append(
                dg.AssetCheckResult(
                    passed=False,
                    severity=dg.AssetCheckSeverity.WARN,
                    description=f"no training examples: the recipe wrote an evaluation set "
                    f"({evaluation} samples in eval.jsonl) and nothing for train/valid",
                )
            )
            return True
        lines = dataset_lines(candidate, storage.storage_options())
        checked.append(check_asset("training_jsonl", lines, settings.check_thresholds()))
        return checked[-1].passed or checked[-1].severity == dg.AssetCheckSeverity.WARN

    result = build_dataset(
        storage.path("training_examples"),
        passing,
        storage.path("dataset"),
        settings.export_config(),
        excluded=excluded,
        provenance={"generation": generation_provenance(storage.path("judged_pairs"), passing)},
        verify=verify,
        golden=settings.golden_examples(),
    )
    stats = result.stats
    if not result.published:
        context.log.error(
            "dataset not published, the previous files stay: " + (checked[-1].description or "")
        )
    # The per-document breakdown lives in stats.json and the card; metadata keeps the totals.
    summary = {name: value for name, value in stats.items() if name not in ("documents",)}
    return dg.MaterializeResult(
        check_results=checked,
        metadata={
            "published": result.published,
            "train_uri": result.train_uri,
            "valid_uri": result.valid_uri,
            "card_uri": result.card_uri,
            "eval_uri": result.eval_uri,
            "eval_examples": stats.get("evaluation", {}).get("examples", 0),
            "golden_examples": stats.get("golden", {}).get("examples", 0),
            "recipe": settings.recipe,
            "documents_included": len(passing),
            "documents_excluded": len(excluded),
            "excluded": dg.MetadataValue.json(excluded),
            "train_examples": stats["splits"].get("train", {}).get("examples", 0),
            "valid_examples": stats["splits"].get("validation", {}).get("examples", 0),
            "removed_total": stats.get("removed_total", 0),
            "stats": dg.MetadataValue.json(summary),
        },
    )
