"""Reference Markdown for the office-exported part of the development corpus.

    python benchmarks/devset/conversion/make_office_references.py SRC_DIR OUT_DIR [--extra PATH]

Each source (DOCX/PPTX/XLSX) goes through docling's own declarative backend, which reads the
document's structure (styles, list numbering, table grid) rather than its rendering; the PDF
in `pdf/` is LibreOffice's export of the same file. The outputs were then reviewed by hand
(see manifest.json `review`). `--extra` adds a folder with openpyxl/python-pptx to sys.path:
docling needs them for XLSX/PPTX and the shared venv does not carry them (a dev tool only).
"""

from __future__ import annotations

import argparse
import sys
from io import BytesIO
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--extra", default=None)
    args = parser.parse_args()
    if args.extra:
        sys.path.append(args.extra)
    from docling.backend.msexcel_backend import MsExcelDocumentBackend
    from docling.backend.mspowerpoint_backend import MsPowerpointDocumentBackend
    from docling.backend.msword_backend import MsWordDocumentBackend
    from docling.datamodel.base_models import InputFormat
    from docling.datamodel.document import InputDocument
    from docling.datamodel.pipeline_options import ConvertPipelineOptions
    from docling.pipeline.simple_pipeline import SimplePipeline

    backends = {
        ".docx": (InputFormat.DOCX, MsWordDocumentBackend),
        ".pptx": (InputFormat.PPTX, MsPowerpointDocumentBackend),
        ".xlsx": (InputFormat.XLSX, MsExcelDocumentBackend),
    }
    pipeline = SimplePipeline(ConvertPipelineOptions())
    args.out.mkdir(parents=True, exist_ok=True)
    for src in sorted(args.src.iterdir()):
        if src.suffix not in backends:
            continue
        fmt, backend = backends[src.suffix]
        document = InputDocument(
            path_or_stream=BytesIO(src.read_bytes()), format=fmt, backend=backend,
            filename=src.name,
        )
        result = pipeline.execute(document, raises_on_error=False)
        markdown = result.document.export_to_markdown()
        (args.out / f"{src.stem}.md").write_text(markdown + "\n")
        print(f"{src.name}: {result.status} {len(markdown.split())} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
