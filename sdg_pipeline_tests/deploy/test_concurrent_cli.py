"""Two terminal runs at once on the production (Postgres) instance: no duplicated work, no
corruption."""

from __future__ import annotations

import dagster as dg

from sdg_pipeline_tests.conftest import copy_samples, run_cli_at_once


def test_two_concurrent_cli_runs_on_postgres_do_each_document_once(
    deploy_instance, deploy_home, tmp_path
) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md", "acme_travel_policy.pdf"])
    results = run_cli_at_once(docs, tmp_path / "out", deploy_home)
    assert [code for code, _ in results] == [0, 0], results
    assert any("2 up to date" in out for _, out in results)
    # The CLI sends both documents in one batch run; the second CLI finds them done.
    runs = deploy_instance.get_runs(dg.RunsFilter(job_name="process_documents"))
    assert [r.status for r in runs] == [dg.DagsterRunStatus.SUCCESS]
    keys = deploy_instance.get_dynamic_partitions("documents")
    assert len(keys) == 2
    for key in keys:  # each document's chain ran once
        records = deploy_instance.fetch_materializations(
            dg.AssetRecordsFilter(
                asset_key=dg.AssetKey("training_examples"), asset_partitions=[key]
            ),
            limit=10,
        ).records
        assert len(records) == 1, key
