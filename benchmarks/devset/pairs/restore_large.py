"""Put back the development documents too large to keep in this repository (over 2 MiB).

They are public test files of other repositories, pinned to a commit and checked by their git
blob id, so what comes back is byte for byte what the figures in docs/quality.md were measured
on. Source: a local git directory of the repository (the `fetch` tool's mirror by default, or
any clone: `--git-dir`), or, with network access, GitHub's raw file URL (`--download`).

    python benchmarks/devset/pairs/restore_large.py [--git-dir DIR] [--download]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Large:
    target: str  # under documents/
    repo: str
    commit: str
    path: str
    blob: str  # git blob id of the file at that commit


LARGE = (
    Large(
        "tune/unstructured__example-10k.html",
        "Unstructured-IO/unstructured",
        "3e5482bfc",
        "example-docs/example-10k.html",
        "a8b215e2044849c3266ea8732da08e72fada301a",
    ),
    Large(
        "tune/unstructured__pdf2image-memory-error-test-400p.pdf",
        "Unstructured-IO/unstructured",
        "3e5482bfc",
        "example-docs/pdf/pdf2image-memory-error-test-400p.pdf",
        "ed1467bad64722520932a466e852dddb9973586b",
    ),
    # batches 11-15 (2026-12-03): whole files of their repositories (a cut, which no source
    # holds, is cut to stay under 2 MiB instead: see MANIFEST.md)
    Large(
        "tune/olmocr__load_v_error.pdf",
        "allenai/olmocr",
        "f7cfe4c2",
        "tests/gnarly_pdfs/load_v_error.pdf",
        "342f13d353e6e45f05d513f10ced2e86e62e55ac",
    ),
    Large(
        "tune/format-corpus__008677.pdf",
        "openpreserve/format-corpus",
        "9f263890",
        "govdocs1-error-pdfs/error_set_1/008677.pdf",
        "8ebf252dfbddead08a71e780b82412af80e93a76",
    ),
    Large(
        "tune/format-corpus__178360.pdf",
        "openpreserve/format-corpus",
        "9f263890",
        "govdocs1-error-pdfs/error_set_2/178360.pdf",
        "fe021334c14f26063717271f407647eded14bbc6",
    ),
    Large(
        "tune/pdfcpu__CenterOfWhy.pdf",
        "pdfcpu/pdfcpu",
        "105c0c28",
        "pkg/testdata/CenterOfWhy.pdf",
        "d2dbe22418234ffe88f658e0cc3564316f9c7c60",
    ),
    Large(
        "tune/kreuzberg__world_war_ii.html",
        "kreuzberg-dev/kreuzberg",
        "fd569f92",
        "test_documents/web/world_war_ii.html",
        "8a4e134950a054a9fe0859084215a075bf332163",
    ),
    Large(
        "tune/kreuzberg__tatr.pdf",
        "kreuzberg-dev/kreuzberg",
        "fd569f92",
        "test_documents/gmft/tatr.pdf",
        "5e5aba2f9723b7dccffdde77c1afc534c62be39e",
    ),
    # batch 25 (tune since its read)
    Large(
        "tune/EBB__BIGTREETECH_EBB36_CAN_V1.1_User_Manual.pdf",
        "bigtreetech/EBB",
        "eb85a78b",
        "EBB CAN V1.1 and V1.2 (STM32G0B1)/EBB36 CAN V1.1 and V1.2/"
        "BIGTREETECH EBB36 CAN V1.1 User Manual.pdf",
        "23175b1c385227f1785a99359dbbfa592df20b81",
    ),
    Large(
        "tune/novo-holdings-annual-report-2024__performance-report-2024.pdf",
        "kontrapunkt-code/novo-holdings-annual-report-2024",
        "a4d6d6a7",
        "apps/web/public/assets/performance-report-2024.pdf",
        "b594205832ebff3b095cf5232cbd48e2a167dcda",
    ),
    Large(
        "tune/sustainability-report-chat__sustainability-report_2014.pdf",
        "rabiaedayilmaz/sustainability-report-chat",
        "f6ed31cb",
        "data/2014/sustainability-report_2014.pdf",
        "30884d385ca35a496241c6f105c310ccdf1c178c",
    ),
)


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def missing() -> list[Large]:
    return [item for item in LARGE if not (HERE / "documents" / item.target).exists()]


def _from_git(item: Large, git_dir: Path) -> bytes:
    done = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{item.commit}:{item.path}"],
        capture_output=True,
    )
    if done.returncode:
        raise OSError(done.stderr.decode(errors="replace").strip())
    return done.stdout


def _from_github(item: Large) -> bytes:
    url = f"https://raw.githubusercontent.com/{item.repo}/{item.commit}/{item.path}"
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--git-dir", type=Path, default=None)
    parser.add_argument("--download", action="store_true")
    args = parser.parse_args()
    failed = 0
    for item in missing():
        git_dir = args.git_dir or Path(f"/work/.mirror/{item.repo.replace('/', '+')}/repo")
        try:
            data = _from_github(item) if args.download else _from_git(item, git_dir)
        except OSError as error:
            print(f"not restored: {item.target}: {error}", file=sys.stderr)
            failed += 1
            continue
        if blob_id(data) != item.blob:
            print(f"not restored: {item.target}: content differs from {item.blob}", file=sys.stderr)
            failed += 1
            continue
        target = HERE / "documents" / item.target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"restored {item.target} ({len(data):,} bytes)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
