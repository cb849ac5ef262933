"""deploy/dagster.yaml against a real PostgreSQL server and S3 (moto): the production instance.

The whole graph runs over an s3:// data root with runs, events, partitions and check results in
Postgres and step logs in the compute-log bucket; the landing sensor ticks like the daemon's.
"""

from __future__ import annotations

import dagster as dg
import psycopg2
from dagster_aws.s3.compute_log_manager import S3ComputeLogManager
from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

from sdg_pipeline_tests.test_s3_end_to_end import PDFS, ROOT, S3Deployment, assert_nothing_local


def _tables(server) -> set[str]:
    conn = psycopg2.connect(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        dbname=server.db_name,
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return {row[0] for row in cursor.fetchall()}
    finally:
        conn.close()


def test_deploy_yaml_loads_every_storage_from_the_environment(deploy_instance, postgres_env):
    assert isinstance(deploy_instance.run_storage, PostgresRunStorage)
    assert isinstance(deploy_instance.event_log_storage, PostgresEventLogStorage)
    assert isinstance(deploy_instance.schedule_storage, PostgresScheduleStorage)
    assert isinstance(deploy_instance.compute_log_manager, S3ComputeLogManager)
    assert type(deploy_instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    assert deploy_instance.run_monitoring_enabled
    # The llm pool limit and the backfill tag limit are the local instance's.
    assert deploy_instance.global_op_concurrency_default_limit == 2
    assert {"runs", "event_logs", "jobs", "job_ticks"} <= _tables(postgres_env)


def test_whole_graph_on_postgres_over_the_s3_data_root(
    deploy_instance, s3_data, compute_log_bucket, tmp_path
):
    client, bucket = s3_data
    deployment = S3Deployment(client, bucket, deploy_instance)
    deployment.upload(PDFS)
    requests = deployment.landing_tick()
    keys = sorted(r.partition_key for r in requests)
    assert len(keys) == 2
    assert set(deploy_instance.get_dynamic_partitions("documents")) == set(keys)
    results = [deployment.execute("process_documents", request) for request in requests]
    deployment.execute("build_dataset")

    stored = deployment.keys(f"{ROOT}/")
    for asset in deployment.document_assets():
        for key in keys:
            assert f"{ROOT}/{asset}/{key}.parquet" in stored
    assert deployment.read(f"{ROOT}/dataset/train.jsonl").strip()

    # Read back through a second instance from the same yaml: the history is in Postgres.
    home = deploy_instance.root_directory
    with dg.DagsterInstance.from_config(home) as reader:
        for result in results:
            run = reader.get_run_by_id(result.run_id)
            assert run is not None and run.is_success
        assert reader.get_materialized_partitions(dg.AssetKey("training_examples")) == set(keys)
        assert reader.get_latest_materialization_event(dg.AssetKey("training_jsonl"))
    log_keys = {
        obj["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(
            Bucket=compute_log_bucket, Prefix="compute-logs/"
        )
        for obj in page.get("Contents", [])
    }
    assert any(results[0].run_id in key for key in log_keys), sorted(log_keys)[:5]
    assert_nothing_local(tmp_path)
