"""Installed size of the core dependencies (pyproject `dependencies`, no extras), recursively.

    python benchmarks/install_size.py [--top 15] [--extra ocr]

Sums the files each installed distribution's RECORD lists, over the closure of the project's
core requirements (markers evaluated for this interpreter, extras followed where the
requirement names them). Also says whether torch is in the closure. The target: < 700 MB.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[1]


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def closure(requirements: list[str]) -> dict[str, md.Distribution]:
    seen: dict[str, md.Distribution] = {}
    todo = [(Requirement(r), frozenset()) for r in requirements]
    while todo:
        req, extras = todo.pop()
        if req.marker and not any(
            req.marker.evaluate({"extra": e}) for e in (extras or {""})
        ):
            continue
        name = _name(req.name)
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            print(f"not installed: {req.name}", file=sys.stderr)
            continue
        key = (name, frozenset(req.extras))
        if key in seen:
            continue
        seen[key] = dist
        for sub in dist.requires or []:
            todo.append((Requirement(sub), frozenset(req.extras)))
    return {name: dist for (name, _), dist in seen.items()}


def size(dist: md.Distribution) -> int:
    total = 0
    for file in dist.files or []:
        path = Path(dist.locate_file(file))
        if path.is_file():
            total += path.stat().st_size
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--extra", action="append", default=[], help="add an optional extra")
    args = parser.parse_args()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in args.extra:
        requirements += project["optional-dependencies"][extra]
    dists = closure(requirements)
    sizes = sorted(((size(d), n) for n, d in dists.items()), reverse=True)
    total = sum(s for s, _ in sizes)
    for s, n in sizes[: args.top]:
        print(f"{s / 1e6:8.1f} MB  {n}")
    label = "core dependencies" + "".join(f" + [{e}]" for e in args.extra)
    print(f"{total / 1e6:8.1f} MB  total over {len(sizes)} distributions ({label})")
    print("torch in the closure:", "torch" in dists)
    return 0


if __name__ == "__main__":
    sys.exit(main())
