"""Score PDF conversion against reference Markdown and measure its speed.

    python benchmarks/conversion_quality.py [--corpus ../shared/corpus] [--mode native] [--json]
    python benchmarks/conversion_quality.py --corpus benchmarks/devset/conversion

For each PDF in <corpus>/pdf with a non-empty <corpus>/reference_md/<stem>.md it reports the
metrics of ../shared/tools/md_quality.py (the metric the project is judged by, imported as is):
content F1, reading order, heading recall/precision, paragraph F1, list recall and table
recall, then macro averages (plain mean over the documents where a metric is defined) and
pages per second end to end (conversion only, after one warm-up document), also for the
bundled samples (samples/documents, non-embedded standard fonts). `--baseline` also scores
docling's plain native output (one paragraph per text line) for comparison.

A corpus with a manifest.json (the development corpus) has a `split` per document: `tune`
(looked at while tuning) and `holdout` (only ever scored): macro figures are reported for
each split. A document may list `metrics` it is scored on (a table-only reference of a
page with running text says nothing about its paragraphs); the others are left out.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sdg_pipeline.convert import ConversionOptions, convert_document  # noqa: E402

METRIC_PATH = REPO.parent / "shared" / "tools" / "md_quality.py"


def load_metric(path: Path = METRIC_PATH):
    """The project is judged by ../shared/tools/md_quality.py: score with exactly that code."""
    if not path.exists():
        raise SystemExit(f"metric not found: {path} (pass --metric)")
    spec = importlib.util.spec_from_file_location("md_quality", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(metric, markdown: str, reference: str) -> dict[str, float | None] | None:
    ref = metric.Doc(reference)
    if not ref.tokens:
        return None  # md_quality skips references that normalise to nothing
    result = metric.evaluate(ref, metric.Doc(markdown))
    return {name: result[key] for name, key in METRIC_KEYS.items()} | {
        "counts": result["counts"]
    }


def baseline_markdown(path: Path) -> str:
    """docling's native pipeline as it comes: one text item (paragraph) per text line."""
    from sdg_pipeline.convert.pdf import _native_pages

    pages = _native_pages(path.read_bytes(), path.name, 10_000)
    return "\n\n".join(span.text for page in pages for span in page.spans)


METRIC_KEYS = {
    "content_f1": "text_f1",
    "reading_order": "order",
    "heading_recall": "heading_recall",
    "heading_precision": "heading_precision",
    "paragraph_f1": "paragraph_f1",
    "list_recall": "list_recall",
    "table_recall": "table_recall",
}
METRICS = list(METRIC_KEYS)


def macro(rows: dict[str, dict]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for metric in METRICS:
        values = [row[metric] for row in rows.values() if row.get(metric) is not None]
        out[metric] = sum(values) / len(values) if values else None
    return out


def load_manifest(corpus: Path) -> dict[str, dict]:
    path = corpus / "manifest.json"
    if not path.exists():
        return {}
    return {entry["name"]: entry for entry in json.loads(path.read_text())["documents"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--metric", type=Path, default=METRIC_PATH)
    parser.add_argument("--mode", default="native", choices=["native", "auto", "layout"])
    parser.add_argument("--models", default=None, help="layout_models_path for auto/layout")
    parser.add_argument("--repeat", type=int, default=3, help="timing repetitions")
    parser.add_argument("--split", choices=["tune", "holdout"], help="score only this split")
    parser.add_argument(
        "--show-holdout",
        action="store_true",
        help="also print the holdout documents' own rows (never while tuning: only the "
        "holdout macro is printed by default)",
    )
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", help="print our markdown for this file stem")
    parser.add_argument("--out", type=Path, help="write our markdown per document here")
    parser.add_argument(
        "--samples",
        type=Path,
        default=REPO / "samples" / "documents",
        help="PDFs timed separately: the bundled samples use non-embedded standard fonts, so "
        "they also pay for recovering font names",
    )
    args = parser.parse_args()
    metric = load_metric(args.metric)
    manifest = load_manifest(args.corpus)

    options = ConversionOptions(mode=args.mode, layout_models_path=args.models)
    pdfs = sorted((args.corpus / "pdf").glob("*.pdf"))
    if args.split:
        pdfs = [p for p in pdfs if manifest.get(p.name, {}).get("split") == args.split]
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
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{path.stem}.md").write_text(result.markdown)
        reference_path = args.corpus / "reference_md" / f"{path.stem}.md"
        reference = reference_path.read_text() if reference_path.exists() else ""
        scored = score(metric, result.markdown, reference)
        if scored is None:
            continue
        only = manifest.get(path.name, {}).get("metrics")
        if only:
            scored = {k: (v if k in only or k == "counts" else None) for k, v in scored.items()}
        split = manifest.get(path.name, {}).get("split", "-")
        rows[path.name] = {"status": result.status.value, "mode": result.mode, "split": split}
        rows[path.name] |= scored
        rows[path.name]["paths"] = dict(getattr(result, "page_path_counts", {}) or {})
        if args.baseline:
            baseline = score(metric, baseline_markdown(path), reference)
            if only:
                baseline = {k: (v if k in only else None) for k, v in baseline.items()}
            baseline_rows[path.name] = baseline

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

    splits = sorted({row["split"] for row in rows.values()})
    summary = {
        "files": rows,
        "macro": macro(rows),
        "macro_by_split": {
            split: macro({k: r for k, r in rows.items() if r["split"] == split})
            for split in splits
        },
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
        print(json.dumps(summary, indent=2))
        return 0

    def fmt(value) -> str:
        return "   -  " if value is None else f"{value:6.3f}"

    width = max([len(name) for name in rows] + [28])
    print("file".ljust(width) + " ".join(m[:12].rjust(12) for m in METRICS) + "  split paths")
    for name, row in rows.items():
        if row["split"] == "holdout" and not (args.show_holdout or args.split == "holdout"):
            continue
        paths = ",".join(f"{k}:{v}" for k, v in row["paths"].items())
        print(
            name.ljust(width)
            + " ".join(fmt(row[m]).rjust(12) for m in METRICS)
            + f"  {row['split']:5s} {paths}"
        )
    print("MACRO".ljust(width) + " ".join(fmt(summary["macro"][m]).rjust(12) for m in METRICS))
    if len(splits) > 1 or splits != ["-"]:
        for split, values in summary["macro_by_split"].items():
            label = f"MACRO {split} ({sum(r['split'] == split for r in rows.values())} docs)"
            print(label.ljust(width) + " ".join(fmt(values[m]).rjust(12) for m in METRICS))
    if args.baseline:
        print(
            "BASELINE (native, raw)".ljust(width)
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
