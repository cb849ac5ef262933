"""The bundled sample documents match the script that renders them and extract cleanly."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pypdfium2 as pdfium
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = REPO_ROOT / "samples"
DOCUMENTS_DIR = SAMPLES_DIR / "documents"

# Stated independently of the script so a layout change that shifts pages is caught here too.
EXPECTED_PAGES = {"acme_travel_policy.pdf": 3, "harbor_league_rulebook.pdf": 2}


def _load_render_script() -> ModuleType:
    # samples/ is not a package; load the script the way `python samples/render_samples.py` would.
    spec = importlib.util.spec_from_file_location(
        "render_samples", SAMPLES_DIR / "render_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses resolve the module through sys.modules while the class is being built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


render_samples = _load_render_script()
SAMPLE_NAMES = [sample.filename for sample in render_samples.SAMPLES]


def _page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


def _sample(name: str) -> render_samples.SampleDocument:
    return next(sample for sample in render_samples.SAMPLES if sample.filename == name)


def _block_texts(name: str) -> list[str]:
    texts: list[str] = []
    for kind, payload in _sample(name).blocks:
        if kind == "table":
            texts += [cell for row in payload for cell in row]
        elif kind in ("bullets", "numbered"):
            texts += list(payload)
        else:
            texts.append(payload)
    return texts


@pytest.fixture(scope="module")
def fresh_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("rendered")
    render_samples.render_all(out)
    return out


def test_script_covers_every_committed_pdf() -> None:
    committed = sorted(path.name for path in DOCUMENTS_DIR.glob("*.pdf"))
    assert committed == sorted(SAMPLE_NAMES) == sorted(EXPECTED_PAGES)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_committed_pdf_text_matches_fresh_render(name: str, fresh_dir: Path) -> None:
    assert _page_texts(DOCUMENTS_DIR / name) == _page_texts(fresh_dir / name)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_page_count(name: str, fresh_dir: Path) -> None:
    assert len(_page_texts(DOCUMENTS_DIR / name)) == EXPECTED_PAGES[name]
    assert len(_page_texts(fresh_dir / name)) == EXPECTED_PAGES[name]


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_rendering_is_byte_deterministic(name: str, fresh_dir: Path, tmp_path: Path) -> None:
    again = render_samples.render(_sample(name), tmp_path)
    assert again.read_bytes() == (fresh_dir / name).read_bytes()


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_text_extracts_cleanly(name: str) -> None:
    pages = _page_texts(DOCUMENTS_DIR / name)
    text = "\n".join(pages)
    # Only ASCII plus the list bullet: no ligatures, replacement characters or mojibake.
    assert set(ch for ch in text if ord(ch) > 127) <= {"\u2022"}
    # Every word of the source content comes back intact (no hyphenation or split glyph runs).
    extracted_words = set(text.split())
    source_words = {w for block in _block_texts(name) for w in block.split()}
    assert source_words - extracted_words == set()
    # Headings come back as whole lines, which the converter needs to rebuild the outline.
    lines = {line.strip() for line in text.splitlines()}
    headings = [str(p) for kind, p in _sample(name).blocks if kind in ("title", "h1", "h2")]
    assert [h for h in headings if h not in lines] == []
    # Running header and page-number footer on every page.
    for number, page in enumerate(pages, start=1):
        page_lines = page.splitlines()
        assert _sample(name).header in page_lines
        assert f"Page {number}" in page_lines


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_pdf_files_stay_small(name: str) -> None:
    assert (DOCUMENTS_DIR / name).stat().st_size < 100_000


def test_markdown_faq_has_headings_list_and_well_formed_table() -> None:
    text = (DOCUMENTS_DIR / "onboarding_faq.md").read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert re.search(r"^## ", text, flags=re.MULTILINE)
    assert re.search(r"^- ", text, flags=re.MULTILINE)
    table_rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table_rows) >= 3
    assert re.fullmatch(r"\|( --- \|)+", table_rows[1])
    assert len({row.count("|") for row in table_rows}) == 1
