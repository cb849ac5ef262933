"""One test per call into docling's or Dagster's private API (the adapters), so an upgrade that
moves one of them fails here, by name, rather than deep inside a run."""

from __future__ import annotations

from io import BytesIO

import dagster as dg

from sdg_pipeline.convert.docling_private import cells_only_pipeline, rejection_message
from sdg_pipeline.defs.dagster_private import (
    add_partition_metadata,
    check_target,
    partition_key_filter,
    partition_range_tags,
)
from sdg_pipeline_tests.conftest import SAMPLES


def test_rejection_message_names_why_docling_refused_a_document() -> None:
    from docling.backend.docling_parse_backend import ThreadedDoclingParseDocumentBackend
    from docling.datamodel.base_models import InputFormat
    from docling.datamodel.document import InputDocument

    document = InputDocument(
        path_or_stream=BytesIO(b"%PDF-1.7 this is not a pdf"),
        format=InputFormat.PDF,
        backend=ThreadedDoclingParseDocumentBackend,
        filename="broken.pdf",
    )
    assert not document.valid
    message = rejection_message(document)
    assert isinstance(message, str) and message.strip()


def test_cells_only_pipeline_returns_parsed_pages_without_assembling_a_document() -> None:
    from docling.backend.docling_parse_backend import ThreadedDoclingParseDocumentBackend
    from docling.datamodel.base_models import InputFormat
    from docling.datamodel.document import InputDocument
    from docling.datamodel.pipeline_options import NativePdfPipelineOptions

    data = (SAMPLES / "acme_travel_policy.pdf").read_bytes()
    document = InputDocument(
        path_or_stream=BytesIO(data),
        format=InputFormat.PDF,
        backend=ThreadedDoclingParseDocumentBackend,
        filename="acme_travel_policy.pdf",
    )
    pipeline = cells_only_pipeline(NativePdfPipelineOptions(generate_page_images=False))
    result = pipeline.execute(document, raises_on_error=False)
    assert result.pages and all(page.parsed_page is not None for page in result.pages)
    assert not result.document.texts  # the skipped assembly step leaves docling's document empty


def test_partition_key_filter_selects_one_partitions_check_history() -> None:
    parts = dg.StaticPartitionsDefinition(["a", "b"])

    spec = dg.AssetCheckSpec("ok", asset="thing", partitions_def=parts)

    @dg.asset(partitions_def=parts, check_specs=[spec])
    def thing(context):
        yield dg.Output(1)
        yield dg.AssetCheckResult(passed=context.partition_key == "a")

    instance = dg.DagsterInstance.ephemeral()
    for key in ("a", "b"):
        assert dg.materialize([thing], instance=instance, partition_key=key).success
    check_key = dg.AssetCheckKey(dg.AssetKey("thing"), "ok")
    history = {
        key: instance.event_log_storage.get_asset_check_execution_history(
            check_key, limit=5, partition_filter=partition_key_filter(key)
        )
        for key in ("a", "b")
    }
    assert [r.status.value for r in history["a"]] == ["SUCCEEDED"]
    assert [r.status.value for r in history["b"]] == ["FAILED"]


def test_partition_range_tags_run_one_step_over_several_partitions() -> None:
    parts = dg.DynamicPartitionsDefinition(name="docs")
    seen: list[list[str]] = []

    @dg.asset(partitions_def=parts, backfill_policy=dg.BackfillPolicy.single_run())
    def thing(context) -> None:
        seen.append(list(context.partition_keys))

    job = dg.define_asset_job("things", partitions_def=parts)
    defs = dg.Definitions(assets=[thing], jobs=[job])
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("docs", ["a", "b", "c"])
    result = defs.resolve_job_def("things").execute_in_process(
        instance=instance, tags=partition_range_tags("a", "b")
    )
    assert result.success and seen == [["a", "b"]]


def test_check_target_makes_a_partitions_check_current() -> None:
    parts = dg.DynamicPartitionsDefinition(name="docs")
    spec = dg.AssetCheckSpec("ok", asset="thing", partitions_def=parts)

    @dg.asset(
        partitions_def=parts, check_specs=[spec], backfill_policy=dg.BackfillPolicy.single_run()
    )
    def thing(context):
        yield dg.MaterializeResult()
        yield dg.Output(
            None,
            output_name=context.assets_def.get_output_name_for_asset_check_key(
                dg.AssetCheckKey(dg.AssetKey("thing"), "ok")
            ),
        )
        for key in context.partition_keys:
            record = context.instance.fetch_materializations(
                dg.AssetRecordsFilter(asset_key=dg.AssetKey("thing"), asset_partitions=[key]),
                limit=1,
            ).records[0]
            yield dg.AssetCheckEvaluation(
                check_name="ok",
                asset_key=dg.AssetKey("thing"),
                passed=True,
                partition=key,
                target_materialization_data=check_target(
                    record.storage_id, record.run_id, record.timestamp
                ),
            )

    job = dg.define_asset_job("things", partitions_def=parts)
    defs = dg.Definitions(assets=[thing], jobs=[job])
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("docs", ["a", "b"])
    assert (
        defs.resolve_job_def("things")
        .execute_in_process(instance=instance, tags=partition_range_tags("a", "b"))
        .success
    )
    infos = instance.event_log_storage.get_asset_check_partition_info(
        [dg.AssetCheckKey(dg.AssetKey("thing"), "ok")], partition_keys=["a", "b"]
    )
    assert sorted(i.partition_key for i in infos if i.is_current) == ["a", "b"]


def test_add_partition_metadata_lands_on_that_partitions_materialization() -> None:
    parts = dg.DynamicPartitionsDefinition(name="docs")

    @dg.asset(partitions_def=parts, backfill_policy=dg.BackfillPolicy.single_run())
    def thing(context):
        for key in context.partition_keys:
            add_partition_metadata(context, dg.AssetKey("thing"), key, {"which": key})
        return dg.MaterializeResult()

    job = dg.define_asset_job("things", partitions_def=parts)
    defs = dg.Definitions(assets=[thing], jobs=[job])
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("docs", ["a", "b"])
    result = defs.resolve_job_def("things").execute_in_process(
        instance=instance, tags=partition_range_tags("a", "b")
    )
    seen = {
        m.partition: m.metadata["which"].value
        for m in result.asset_materializations_for_node("thing")
    }
    assert seen == {"a": "a", "b": "b"}
