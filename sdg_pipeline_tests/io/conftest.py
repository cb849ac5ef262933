"""A local folder and an S3 prefix (moto) as UPaths: every helper here runs on both."""

from __future__ import annotations

import pytest
from upath import UPath

from sdg_pipeline.io.paths import to_upath


@pytest.fixture(params=["local", "s3"])
def root(request, tmp_path) -> UPath:
    if request.param == "local":
        return to_upath(str(tmp_path / "root"))
    _, bucket = request.getfixturevalue("s3_bucket")
    return to_upath(f"s3://{bucket}/root", request.getfixturevalue("moto_endpoint"))


def names(root: UPath) -> list[str]:
    """Every file under `root`, relative, hidden ones included (temp files must not linger)."""
    root.fs.invalidate_cache()
    if not root.exists():
        return []
    base = root.path.rstrip("/") + "/"
    return sorted(p.path.removeprefix(base) for p in root.rglob("*") if p.is_file())
