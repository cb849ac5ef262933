"""End-to-end PDF conversion speed over a long, table-heavy report, and the cost of each path.

    python benchmarks/conversion_speed.py [--pages 120] [--repeat 2] [--models]

The report is the table-heavy real PDFs of benchmarks/devset/conversion/speed (a state WARN
report, expenditure and firearm-check tables, rate sheets, spreadsheet exports of a half-year
segment analysis) concatenated, repeated to `--pages` pages, then converted end to end by
`convert_document` (native path, in process, after one warm-up document). Then, per path, the
cost per page:

- native: the same report (docling-parse + reconstruction, including ruling lines);
- ruling lines alone (pdfium path objects, part of native);
- OCR: the image-only devset page(s) (rendering + PP-OCRv4 detection and recognition);
- with `--models`: rapid-layout's CDLA layout detector per page and rapid-table's SLANet-plus
  per detected table, measured for comparison (they are not on the default path).

The machine is shared (2 cores, other jobs running): quote figures with the load average.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sdg_pipeline.convert import ConversionOptions, convert_document  # noqa: E402

DEVSET = REPO / "benchmarks" / "devset" / "conversion"


def long_report(pages: int) -> bytes:
    import pypdfium2 as pdfium

    sources = sorted((DEVSET / "speed").glob("*.pdf"))
    report = pdfium.PdfDocument.new()
    while len(report) < pages:
        for path in sources:
            source = pdfium.PdfDocument(path.read_bytes())
            take = min(len(source), pages - len(report))
            report.import_pages(source, list(range(take)))
            source.close()
            if len(report) >= pages:
                break
    buffer = io.BytesIO()
    report.save(buffer)
    return buffer.getvalue()


def _tables(markdown: str) -> int:
    return sum(1 for line in markdown.splitlines() if line.startswith("|---"))


def timed(data: bytes, name: str, options: ConversionOptions, repeat: int) -> tuple[float, object]:
    seconds = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = convert_document(data, name, options)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def model_costs(data: bytes, pages: int) -> dict[str, float]:
    import numpy as np
    import pypdfium2 as pdfium
    import rapid_layout
    from rapid_layout import ModelType, RapidLayout, RapidLayoutInput
    from rapid_table import RapidTable

    # The wheel's own model file, named explicitly: the default config points at a URL.
    bundled = Path(rapid_layout.__file__).parent / "models" / "layout_cdla.onnx"
    layout = RapidLayout(
        cfg=RapidLayoutInput(model_type=ModelType.PP_LAYOUT_CDLA, model_dir_or_path=str(bundled))
    )
    table = RapidTable()
    document = pdfium.PdfDocument(data)
    layout_seconds, table_seconds, tables = 0.0, 0.0, 0
    for index in range(min(pages, len(document))):
        page = document[index]
        image = np.ascontiguousarray(page.render(scale=1.5).to_numpy()[:, :, :3])
        started = time.perf_counter()
        found = layout(image)
        layout_seconds += time.perf_counter() - started
        for box, name in zip(found.boxes or [], found.class_names or [], strict=False):
            if name != "table":
                continue
            x0, y0, x1, y1 = (int(v) for v in box)
            crop = np.ascontiguousarray(image[y0:y1, x0:x1])
            # Words from the text layer would feed it in use; time the structure model only.
            ocr = [[[[0, 0], [10, 0], [10, 10], [0, 10]], "x", 1.0]]
            started = time.perf_counter()
            table(crop, ocr)
            table_seconds += time.perf_counter() - started
            tables += 1
    count = min(pages, len(document))
    return {
        "layout_s_per_page": layout_seconds / count,
        "table_s_per_table": table_seconds / tables if tables else float("nan"),
        "tables": tables,
        "pages": count,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--models", action="store_true", help="also time rapid-layout/table")
    args = parser.parse_args()
    options = ConversionOptions(mode="native", max_pages=max(args.pages, 1000))
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 shared cores)")

    report = long_report(args.pages)
    warm = (DEVSET / "pdf" / "uio__fake-memo.pdf").read_bytes()
    convert_document(warm, "warm.pdf", options)
    seconds, result = timed(report, "report.pdf", options, args.repeat)
    print(
        f"end to end: {result.page_count / seconds:.1f} pages/s over a {result.page_count}-page "
        f"table-heavy report ({_tables(result.markdown)} tables, "
        f"paths {result.page_path_counts}, median of {args.repeat})"
    )
    print(f"native path: {1000 * seconds / result.page_count:.1f} ms/page")

    import pypdfium2  # noqa: F401

    from sdg_pipeline.convert.pdf import _native_pages
    from sdg_pipeline.convert.rules import add_rules

    pages = _native_pages(report, "report.pdf", 10_000)
    started = time.perf_counter()
    add_rules(report, pages)
    rules_seconds = time.perf_counter() - started
    print(f"  of which ruling lines: {1000 * rules_seconds / len(pages):.1f} ms/page")

    scans = sorted((DEVSET / "pdf").glob("scan__*.pdf"))
    ocr_pages, ocr_seconds = 0, 0.0
    convert_document(scans[0].read_bytes(), scans[0].name, options)  # loads the OCR models
    for path in scans:
        seconds, result = timed(path.read_bytes(), path.name, options, 1)
        ocr_pages += result.page_count
        ocr_seconds += seconds
    print(f"OCR path: {ocr_seconds / ocr_pages:.2f} s/page over {ocr_pages} scanned page(s)")

    if args.models:
        costs = model_costs(report, 20)
        print(
            f"rapid-layout CDLA (not on the default path): {costs['layout_s_per_page']:.2f} "
            f"s/page at 1.5x over {costs['pages']} pages; rapid-table SLANet-plus: "
            f"{costs['table_s_per_table']:.2f} s/table over {costs['tables']} tables"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
