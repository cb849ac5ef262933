"""Score offline PDF conversion against reference Markdown and measure its speed.

    python benchmarks/conversion_quality.py [--corpus ../shared/corpus] [--mode native] [--json]

For each PDF in <corpus>/pdf with a non-empty <corpus>/reference_md/<stem>.md it reports:
content F1 (bag of words), reading order (share of the common words that appear in the same
order), heading recall/precision, paragraph F1, list-item recall and table recall (blocks
match when their word bags overlap with Dice >= 0.8; a reference table is recovered when one
of our tables holds at least half its words), then macro averages and pages per second end to
end (conversion only, after one warm-up document), also for the bundled samples
(samples/documents, non-embedded standard fonts). `--baseline` also scores docling's plain
native output (one paragraph per text line) for comparison.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sdg_pipeline.convert import ConversionOptions, convert_document  # noqa: E402

_WORD = re.compile(r"\w+", re.UNICODE)
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(.*)$")
MATCH = 0.8


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


@dataclass
class Parsed:
    headings: list[list[str]]
    paragraphs: list[list[str]]
    list_items: list[list[str]]
    tables: list[list[str]]
    all_words: list[str]


def parse_markdown(markdown: str) -> Parsed:
    headings, paragraphs, items, tables, everything = [], [], [], [], []
    paragraph: list[str] = []
    table: list[str] = []
    in_code = False

    def flush() -> None:
        if paragraph:
            paragraphs.append(words(" ".join(paragraph)))
            paragraph.clear()
        if table:
            tables.append(words(" ".join(table)))
            table.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            everything += words(line)
            continue
        if not line or line.startswith("<!--"):
            flush()
            continue
        if line.startswith("|"):
            if paragraph:
                flush()
            if not re.fullmatch(r"[|\s:-]+", line):
                table.append(line)
                everything += words(line)
            continue
        if table:
            flush()
        everything += words(line)
        heading = _HEADING.match(line)
        if heading:
            flush()
            headings.append(words(heading.group(1)))
            continue
        item = _LIST.match(raw)
        if item:
            flush()
            items.append(words(item.group(1)))
            continue
        paragraph.append(line.lstrip("\\"))
    flush()
    return Parsed(headings, paragraphs, items, tables, everything)


def dice(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    overlap = sum((Counter(a) & Counter(b)).values())
    return 2 * overlap / (len(a) + len(b))


def matched(ours: list[list[str]], reference: list[list[str]]) -> int:
    """Greedy one-to-one matching of blocks by word-bag similarity."""
    pairs = sorted(
        ((dice(o, r), i, j) for i, o in enumerate(ours) for j, r in enumerate(reference)),
        reverse=True,
    )
    used_o, used_r, count = set(), set(), 0
    for score, i, j in pairs:
        if score < MATCH:
            break
        if i not in used_o and j not in used_r:
            used_o.add(i)
            used_r.add(j)
            count += 1
    return count


def ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def score(markdown: str, reference: str) -> dict[str, float | None]:
    ours, ref = parse_markdown(markdown), parse_markdown(reference)
    overlap = sum((Counter(ours.all_words) & Counter(ref.all_words)).values())
    content_p = ratio(overlap, len(ours.all_words)) or 0.0
    content_r = ratio(overlap, len(ref.all_words)) or 0.0
    common = Counter(ours.all_words) & Counter(ref.all_words)
    a = [w for w in ours.all_words if w in common]
    b = [w for w in ref.all_words if w in common]
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    in_order = sum(block.size for block in blocks)
    heading_hits = matched(ours.headings, ref.headings)
    paragraph_hits = matched(ours.paragraphs, ref.paragraphs)
    list_hits = matched(ours.list_items, ref.list_items)
    table_hits = sum(
        1
        for table in ref.tables
        if any(
            sum((Counter(table) & Counter(mine)).values()) >= 0.5 * len(table)
            for mine in ours.tables
        )
    )
    return {
        "content_f1": f1(content_p, content_r),
        "reading_order": ratio(in_order, max(len(a), len(b))),
        "heading_recall": ratio(heading_hits, len(ref.headings)),
        "heading_precision": ratio(heading_hits, len(ours.headings)),
        "paragraph_f1": f1(
            ratio(paragraph_hits, len(ours.paragraphs)) or 0.0,
            ratio(paragraph_hits, len(ref.paragraphs)),
        ),
        "list_recall": ratio(list_hits, len(ref.list_items)),
        "table_recall": ratio(table_hits, len(ref.tables)),
    }


def baseline_markdown(path: Path) -> str:
    """docling's native pipeline as it comes: one text item (paragraph) per text line."""
    from sdg_pipeline.convert.pdf import _native_pages

    pages = _native_pages(path.read_bytes(), path.name, 10_000)
    return "\n\n".join(span.text for page in pages for span in page.spans)


METRICS = [
    "content_f1",
    "reading_order",
    "heading_recall",
    "heading_precision",
    "paragraph_f1",
    "list_recall",
    "table_recall",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--mode", default="native", choices=["native", "auto", "layout"])
    parser.add_argument("--models", default=None, help="layout_models_path for auto/layout")
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", help="print our markdown for this file stem")
    parser.add_argument(
        "--samples",
        type=Path,
        default=REPO / "samples" / "documents",
        help="PDFs timed separately: the bundled samples use non-embedded standard fonts, so "
        "they also pay for recovering font names",
    )
    args = parser.parse_args()

    options = ConversionOptions(mode=args.mode, layout_models_path=args.models)
    pdfs = sorted((args.corpus / "pdf").glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs under {args.corpus / 'pdf'}", file=sys.stderr)
        return 1
    convert_document(pdfs[0].read_bytes(), pdfs[0].name, options)  # warm-up: imports

    pages = 0
    seconds = 0.0
    rows: dict[str, dict] = {}
    baseline_rows: dict[str, dict] = {}
    for path in pdfs:
        data = path.read_bytes()
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = convert_document(data, path.name, options)
            seconds += time.perf_counter() - started
            pages += result.page_count
        if args.show == path.stem:
            print(result.markdown)
            print("page_starts", result.page_starts)
        reference_path = args.corpus / "reference_md" / f"{path.stem}.md"
        reference = reference_path.read_text() if reference_path.exists() else ""
        if not reference.strip():
            continue
        rows[path.name] = {"status": result.status.value, "mode": result.mode} | score(
            result.markdown, reference
        )
        if args.baseline:
            baseline_rows[path.name] = score(baseline_markdown(path), reference)

    sample_pages = 0
    sample_seconds = 0.0
    sample_pdfs = sorted(args.samples.glob("*.pdf")) if args.samples.is_dir() else []
    for path in sample_pdfs:
        data = path.read_bytes()
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = convert_document(data, path.name, options)
            sample_seconds += time.perf_counter() - started
            sample_pages += result.page_count

    def macro(table: dict[str, dict]) -> dict[str, float]:
        out = {}
        for metric in METRICS:
            values = [row[metric] for row in table.values() if row[metric] is not None]
            out[metric] = sum(values) / len(values) if values else float("nan")
        return out

    summary = {
        "files": rows,
        "macro": macro(rows),
        "pages_per_second": pages / seconds if seconds else float("nan"),
        "pages": pages // args.repeat,
        "pdfs": len(pdfs),
        "samples_pages_per_second": (
            sample_pages / sample_seconds if sample_seconds else float("nan")
        ),
        "samples_pages": sample_pages // args.repeat,
    }
    if args.baseline:
        summary["baseline_macro"] = macro(baseline_rows)
        summary["baseline_files"] = baseline_rows
    if args.json:
        print(json.dumps(summary, indent=2, default=lambda o: asdict(o)))
        return 0

    def fmt(value) -> str:
        return "   -  " if value is None else f"{value:6.3f}"

    header = "file".ljust(28) + " ".join(m[:12].rjust(12) for m in METRICS)
    print(header)
    for name, row in rows.items():
        print(name[:28].ljust(28) + " ".join(fmt(row[m]).rjust(12) for m in METRICS))
    print("MACRO".ljust(28) + " ".join(fmt(summary["macro"][m]).rjust(12) for m in METRICS))
    if args.baseline:
        print(
            "BASELINE (native, raw)".ljust(28)
            + " ".join(fmt(summary["baseline_macro"][m]).rjust(12) for m in METRICS)
        )
    print(
        f"speed: {summary['pages_per_second']:.1f} pages/s over {summary['pages']} pages in "
        f"{len(pdfs)} PDFs (mode={args.mode}, x{args.repeat})"
    )
    if sample_pdfs:
        print(
            f"speed (samples, standard fonts): {summary['samples_pages_per_second']:.1f} pages/s "
            f"over {summary['samples_pages']} pages in {len(sample_pdfs)} PDFs"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
