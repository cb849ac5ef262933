"""The markdown asset's metadata counts the pages each conversion path handled."""

from __future__ import annotations

import dagster as dg

from sdg_pipeline.cli import register_folder
from sdg_pipeline.definitions import build_definitions
from sdg_pipeline_tests.convert.pdf_factory import scanned_pdf, text_pdf


def test_markdown_metadata_counts_pages_by_path(tmp_path, instance, landing) -> None:
    (landing / "scan.pdf").write_bytes(scanned_pdf(text_pdf(pages=2, text="Scanned words.")))
    defs = build_definitions(data_root=str(tmp_path / "data"), landing_uri=str(landing))
    keys, _ = register_folder(landing, defs.resources["storage"], instance)
    job = defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(
        instance=instance,
        partition_key=keys[0],
        asset_selection=[dg.AssetKey("raw_documents"), dg.AssetKey("markdown_documents")],
    )
    assert result.success
    event = instance.get_latest_materialization_event(dg.AssetKey("markdown_documents"))
    metadata = event.asset_materialization.metadata
    assert metadata["pages_ocr"].value == 2
    assert "pages_native" not in metadata
    assert 0.8 <= metadata["lowest_page_quality"].value <= 1.0
