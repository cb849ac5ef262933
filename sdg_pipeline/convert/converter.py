"""`convert_document`: bytes in, one `ConversionResult` out, never an exception for a bad file."""

from __future__ import annotations

import importlib.metadata
import logging
import re
import time
from pathlib import PurePath

from sdg_pipeline.convert import media
from sdg_pipeline.convert.metadata import metadata_title
from sdg_pipeline.convert.office import OfficeProblem, office_markdown
from sdg_pipeline.convert.pdf import (
    PdfProblem,
    layout_markdown,
    layout_models_problem,
    native_markdown,
)
from sdg_pipeline.convert.results import ConversionOptions, ConversionResult, ConversionStatus

log = logging.getLogger(__name__)

# Bumped whenever the offline reconstruction changes its output, so stored results can be
# told apart from fresh ones.
RECONSTRUCTION_VERSION = "10"  # 10: MacRoman fonts read as WinAnsi are read back


def _docling_version() -> str:
    for distribution in ("docling-slim", "docling"):
        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "unknown"


# Changes when either our reconstruction or the installed docling (whose parse it reads)
# changes: the code version of the conversion asset.
CONVERTER_VERSION = f"reconstruct-{RECONSTRUCTION_VERSION}+docling-{_docling_version()}"


_DEFAULT_OPTIONS = ConversionOptions()

_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
# Never hold children, or may be closed implicitly by a sibling: counting them would make
# ordinary sloppy HTML look deep.
_NOT_NESTING = {
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr", b"p", b"li", b"dt", b"dd", b"tr", b"td", b"th", b"option",
    b"thead", b"tbody", b"tfoot", b"colgroup", b"optgroup", b"rp", b"rt",
}  # fmt: skip


def html_depth(data: bytes, stop_at: int) -> int:
    """Element nesting depth of an HTML document, counted up to `stop_at` (a linear scan)."""
    stack: list[bytes] = []
    for match in _TAG.finditer(_COMMENT.sub(b"", data)):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _NOT_NESTING or self_closing:
            continue
        if not closing:
            stack.append(name)
            if len(stack) > stop_at:
                return len(stack)
        elif name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name) :]
    return len(stack)


def _memory_message(file_name: str, options: ConversionOptions) -> str:
    if options.max_memory_mb:
        return (
            f"{file_name}: conversion stopped at the memory limit of {options.max_memory_mb} MB "
            "(limit SDG_CONVERT_MAX_MEMORY_MB / max_memory_mb)"
        )
    return f"{file_name}: conversion ran out of memory"


def _nesting_message(file_name: str) -> str:
    return f"{file_name}: nesting too deep (the converter hit Python's recursion limit)"


def convert_document(
    data: bytes, file_name: str, options: ConversionOptions = _DEFAULT_OPTIONS
) -> ConversionResult:
    """Convert one document; a bad document yields a non-OK status naming the problem.

    With `options.isolate` the conversion runs in the worker process under the options' time
    and memory budget (see isolation.py); otherwise in this process, unbudgeted.
    """
    if options.isolate:
        from sdg_pipeline.convert.isolation import convert_isolated

        return convert_isolated(data, file_name, options)
    started = time.perf_counter()
    version = _docling_version()

    def result(
        status: ConversionStatus,
        error: str | None,
        mode: str,
        converter: str = "docling",
        markdown: str = "",
        page_starts: list[int] | None = None,
        page_count: int = 0,
        warnings: list[str] | None = None,
        pages: list | None = None,
        title: str | None = None,
    ) -> ConversionResult:
        return ConversionResult(
            markdown=markdown,
            page_starts=page_starts if page_starts is not None else [0],
            page_count=page_count,
            status=status,
            error=error,
            mode=mode,
            converter=converter,
            converter_version=version,
            seconds=time.perf_counter() - started,
            warnings=warnings or [],
            page_paths=[p.path for p in pages or []],
            page_quality=[p.quality for p in pages or []],
            title=title,
        )

    media_type = media.detect_media_type(file_name, data)
    pdf_mode = "native" if options.mode == "native" else "layout"
    mode = pdf_mode if media_type == media.PDF else "simple"
    if not data:
        return result(ConversionStatus.EMPTY, f"{file_name} is empty (0 bytes)", mode)
    if len(data) > options.max_bytes:
        return result(
            ConversionStatus.TOO_LARGE,
            f"{file_name} has {len(data)} bytes, more than the limit of {options.max_bytes}",
            mode,
        )
    if media_type == media.UNKNOWN:
        suffix = PurePath(file_name).suffix or "(none)"
        return result(
            ConversionStatus.UNSUPPORTED,
            f"{file_name}: unsupported file type {suffix}; supported: "
            + ", ".join(sorted(media.SUPPORTED_EXTENSIONS)),
            mode,
        )

    if media_type != media.PDF:
        if media_type == media.HTML and options.max_html_depth:
            depth = html_depth(data, options.max_html_depth)
            if depth > options.max_html_depth:
                return result(
                    ConversionStatus.CORRUPT,
                    f"{file_name}: nesting too deep (more than {options.max_html_depth} levels "
                    "of elements; limit max_html_depth)",
                    "simple",
                )
        try:
            markdown = office_markdown(data, file_name, media_type)
        except MemoryError:
            return result(ConversionStatus.TOO_LARGE, _memory_message(file_name, options), "simple")
        except RecursionError:
            return result(ConversionStatus.CORRUPT, _nesting_message(file_name), "simple")
        except OfficeProblem as exc:
            return result(ConversionStatus.CORRUPT, f"{file_name} cannot be read: {exc}", "simple")
        except Exception as exc:  # a backend crash is this document's problem
            log.warning("conversion of %s failed", file_name, exc_info=True)
            return result(ConversionStatus.CORRUPT, f"{file_name} cannot be read: {exc}", "simple")
        if not markdown.strip():
            return result(ConversionStatus.NO_TEXT, f"{file_name} has no text", "simple")
        # Pageless formats are one logical page, so chunks cite page 1 and the count stays > 0.
        return result(
            ConversionStatus.OK,
            None,
            "simple",
            "docling/simple",
            markdown,
            [0],
            1,
            title=metadata_title(data, media_type),
        )

    warnings: list[str] = []
    use_layout = False
    if options.mode in ("auto", "layout"):
        problem = layout_models_problem(options.layout_models_path)
        if problem is None:
            use_layout = True
        elif options.mode == "layout":
            return result(
                ConversionStatus.MODELS_MISSING,
                f"layout mode needs docling's layout models: {problem}",
                "layout",
            )
    try:
        if use_layout:
            try:
                converted = layout_markdown(
                    data, file_name, options.max_pages, str(options.layout_models_path)
                )
                mode, converter = "layout", "docling/standard"
            except (PdfProblem, MemoryError, RecursionError):
                raise
            except Exception as exc:  # model stack failure: fall back in auto
                if options.mode == "layout":
                    return result(
                        ConversionStatus.MODELS_MISSING,
                        f"docling's layout pipeline failed: {exc}",
                        "layout",
                    )
                warnings.append(f"layout pipeline failed ({exc}); used the native path")
                use_layout = False
        if not use_layout:
            converted = native_markdown(data, file_name, options.max_pages, options.ocr)
            mode = "native"
            converter = f"docling/native+reconstruct-{RECONSTRUCTION_VERSION}"
            if any(p.path == "ocr" for p in converted.pages):
                converter += "+rapidocr"
    except PdfProblem as exc:
        return result(exc.status, f"{file_name}: {exc}", "layout" if use_layout else "native")
    except MemoryError:
        mode = "layout" if use_layout else "native"
        return result(ConversionStatus.TOO_LARGE, _memory_message(file_name, options), mode)
    except RecursionError:
        mode = "layout" if use_layout else "native"
        return result(ConversionStatus.CORRUPT, _nesting_message(file_name), mode)
    except Exception as exc:  # an unexpected parser failure on this file
        log.warning("conversion of %s failed", file_name, exc_info=True)
        return result(
            ConversionStatus.CORRUPT,
            f"{file_name} cannot be converted: {type(exc).__name__}: {exc}",
            "layout" if use_layout else "native",
        )
    return result(
        ConversionStatus.OK,
        None,
        mode,
        converter,
        converted.markdown,
        converted.page_starts,
        converted.page_count,
        warnings + converted.warnings,
        converted.pages,
        title=metadata_title(data, media_type),
    )
