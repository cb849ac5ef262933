import hashlib

import dagster as dg
import pytest

from sdg_pipeline.defs.partitions import documents_partitions
from sdg_pipeline.io.keys import (
    HASH_CHARS,
    MAX_SLUG_CHARS,
    content_hash,
    document_key,
    slugify_file_name,
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_key_is_stable_for_the_same_file_and_differs_for_other_content():
    first = document_key("policy.pdf", content_hash(b"version one"))
    assert first == document_key("policy.pdf", content_hash(b"version one"))
    assert first != document_key("policy.pdf", content_hash(b"version two"))
    assert first.startswith("policy-")
    assert first.endswith(sha(b"version one")[:HASH_CHARS])


def test_files_sharing_a_name_get_distinct_keys():
    keys = {document_key("a/report.pdf", sha(b"x")), document_key("b/report.pdf", sha(b"y"))}
    assert len(keys) == 2


@pytest.mark.parametrize(
    "name",
    [
        "../x.pdf",
        "../../etc/passwd",
        "..\\windows\\evil.pdf",
        "annual report 2024 (final).pdf",
        "Ünïcödé façade — 東京.pdf",
        "x" * 300 + ".pdf",
        "...pdf",
        "a...b.pdf",
        ".hidden.pdf",
        "new\nline\ttab.pdf",
        "東京.pdf",
    ],
)
def test_hostile_names_give_valid_keys(name):
    key = document_key(name, sha(name.encode()))
    assert "/" not in key and "\\" not in key and ".." not in key
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in key)
    assert len(key) <= MAX_SLUG_CHARS + 1 + HASH_CHARS
    # Dagster itself accepts it as a dynamic partition key.
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(documents_partitions.name, [key])
    assert key in instance.get_dynamic_partitions(documents_partitions.name)


def test_slug_keeps_only_the_base_name():
    assert slugify_file_name("../secret/Quarterly Report.PDF") == "quarterly-report"
    assert slugify_file_name("東京.pdf") == "document"


def test_key_rejects_a_non_digest():
    with pytest.raises(ValueError):
        document_key("a.pdf", "not-a-hash")
