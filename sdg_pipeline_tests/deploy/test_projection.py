"""docs/deploy.md's projection is benchmarks/deploy_projection.py's output, not typed by hand."""

from __future__ import annotations

import subprocess
import sys

from sdg_pipeline_tests.conftest import REPO


def test_doc_quotes_the_projection_script_verbatim():
    printed = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "deploy_projection.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "| 1,000,000 |" in printed
    assert printed.strip() in (REPO / "docs" / "deploy.md").read_text()
