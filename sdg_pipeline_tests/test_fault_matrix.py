"""benchmarks/fault_matrix.py runs its cases and judges them (two cheap ones here, not timed)."""

from __future__ import annotations

import importlib.util
import sys

from sdg_pipeline_tests.conftest import REPO


def _matrix():
    spec = importlib.util.spec_from_file_location(
        "fault_matrix", REPO / "benchmarks" / "fault_matrix.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses resolve their annotations through it
    spec.loader.exec_module(module)
    return module


def test_the_matrix_covers_every_numbered_case_of_the_issue() -> None:
    ids = [case.id for case in _matrix().CASES]
    for number in range(1, 12):
        assert any(case_id.split()[0].rstrip("abcd") == str(number) for case_id in ids), number
    assert sum(case_id.startswith("LLM ") for case_id in ids) >= 5


def test_the_case_table_runs_cases_in_temp_folders_and_prints_them(tmp_path) -> None:
    matrix = _matrix()
    rows = matrix.case_table(["6a", "8 "], workdir=tmp_path)
    assert [row.case.split()[0] for row in rows] == ["6a", "8"]
    assert all(row.passed and row.lost == 0 for row in rows), rows
    table = matrix.format_table(rows)
    assert table.splitlines()[0].startswith("| case | expected | observed |")
    assert "exit 2; stderr: error: cannot write" in table
    assert list(tmp_path.iterdir()) == []  # its temp folders are gone
