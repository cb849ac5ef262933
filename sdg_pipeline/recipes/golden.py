"""Golden examples: human-written question/answer pairs a recipe mixes into the dataset.

A golden file is JSON Lines, one {"question": ..., "answer": ...} object per line (an optional
"context" is kept for eval shapes); a folder is read file by file in name order. A bad line is
an error naming the file, the line and the field, raised before any request is sent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sdg_pipeline.recipes.loader import RecipeError


@dataclass(frozen=True)
class GoldenExample:
    question: str
    answer: str
    context: str | None
    source: str  # file:line, for the card and for error messages

    @property
    def example_id(self) -> str:
        digest = hashlib.sha256(f"{self.question}\n{self.answer}".encode()).hexdigest()
        return f"golden-{digest[:16]}"


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix == ".jsonl" and p.is_file())
    if path.is_file():
        return [path]
    raise RecipeError(f"golden examples {path}: no such file or folder")


def load_golden(path: str | Path) -> list[GoldenExample]:
    out: list[GoldenExample] = []
    for file in _files(Path(path)):
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{file}:{number}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RecipeError(f"golden example {where}: not valid JSON ({exc})") from None
            if not isinstance(obj, dict):
                raise RecipeError(f"golden example {where}: expected a JSON object")
            for field in ("question", "answer"):
                value = obj.get(field)
                if not isinstance(value, str) or not value.strip():
                    raise RecipeError(
                        f"golden example {where}: field {field!r}: expected a non-empty string"
                    )
            context = obj.get("context")
            out.append(
                GoldenExample(
                    question=obj["question"].strip(),
                    answer=obj["answer"].strip(),
                    context=context.strip() if isinstance(context, str) else None,
                    source=where,
                )
            )
    if not out:
        raise RecipeError(f"golden examples {path}: no example found")
    return out
