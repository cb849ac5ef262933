"""Two terminal runs at once on the production (Postgres) instance: no duplicated work, no
corruption."""

from __future__ import annotations

import os
import subprocess
import sys

import dagster as dg

from sdg_pipeline_tests.conftest import REPO, copy_samples


def test_two_concurrent_cli_runs_on_postgres_do_each_document_once(
    deploy_instance, deploy_home, tmp_path
) -> None:
    docs = tmp_path / "docs"
    copy_samples(docs, ["onboarding_faq.md", "acme_travel_policy.pdf"])
    env = {**os.environ, "DAGSTER_HOME": str(deploy_home)}
    command = [sys.executable, "-m", "sdg_pipeline.cli", "run", "--docs", str(docs)]
    procs = [
        subprocess.Popen(
            [*command, "--out", str(tmp_path / "out")],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert any("2 up to date" in out for out, _ in outputs)
    runs = deploy_instance.get_runs(dg.RunsFilter(job_name="process_documents"))
    assert [r.status for r in runs] == [dg.DagsterRunStatus.SUCCESS] * 2
    assert len(deploy_instance.get_dynamic_partitions("documents")) == 2
