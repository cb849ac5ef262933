"""Landing zones: a folder and an S3 prefix list, read and hash through the same code."""

from __future__ import annotations

import hashlib

import pytest

from sdg_pipeline.defs.resources.landing import LandingZoneResource
from sdg_pipeline.io.landing import LocalLanding, S3Landing
from sdg_pipeline.io.publish import atomic_write_bytes

FILES = {
    "b.md": b"beta",
    "a.md": b"alpha",
    "empty.md": b"",
    "sub/c.md": b"gamma" * 1000,
    "sub/big.md": bytes(range(256)) * 8192,  # 2 MiB: more than one hash block
    "sub/.swap.md": b"x",
}


@pytest.fixture
def zone(root):
    for name, data in FILES.items():
        atomic_write_bytes(root / name, data)
    if root.protocol == "s3":
        return S3Landing(root, page_size=1)
    return LocalLanding(root.path)


def test_listing_is_sorted_skips_hidden_files_and_resumes(zone):
    listed = ["a.md", "b.md", "empty.md", "sub/big.md", "sub/c.md"]
    assert [f.name for f in zone.list_files()] == listed
    assert [f.name for f in zone.list_files("a.md")] == listed[1:]
    assert [f.name for f in zone.list_files("sub/c.md")] == []


def test_read_and_hash_agree_with_the_bytes(zone):
    for landed in zone.list_files():
        data = FILES[landed.name]
        assert landed.size == len(data)
        assert zone.read(landed.uri) == data
        assert zone.sha256(landed.uri) == (hashlib.sha256(data).hexdigest(), len(data))
        assert zone.uri_for(landed.name) == landed.uri


def test_s3_fingerprints_are_etags(zone):
    landed = next(iter(zone.list_files()))
    if isinstance(zone, S3Landing):
        assert landed.etag == hashlib.md5(b"alpha").hexdigest()
        assert landed.fingerprint == f"5:{landed.etag}"
    else:
        assert landed.etag is None


def test_missing_file_is_file_not_found(zone):
    with pytest.raises(FileNotFoundError):
        zone.read(zone.uri_for("gone.pdf"))
    with pytest.raises(FileNotFoundError):
        zone.sha256(zone.uri_for("gone.pdf"))


def test_resource_reads_sources_with_its_endpoint(s3_bucket, moto_endpoint):
    client, bucket = s3_bucket
    client.put_object(Bucket=bucket, Key="elsewhere/x.md", Body=b"# X")
    resource = LandingZoneResource(uri=f"s3://{bucket}/incoming", s3_endpoint_url=moto_endpoint)
    assert resource.open().root == f"s3://{bucket}/incoming"
    assert resource.read(f"s3://{bucket}/elsewhere/x.md") == b"# X"
