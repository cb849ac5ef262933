"""Chunk invariants: bounds, whole tables, heading paths, pages, exact offsets."""

from __future__ import annotations

import re

import pytest

from sdg_pipeline.chunk import chunk_markdown
from sdg_pipeline.convert import convert_document
from sdg_pipeline.tokens import count_tokens

SENTENCE = "The pump moves {n} litres of water every minute when the valve is fully open. "


def _doc() -> tuple[str, list[int]]:
    intro = "# Manual\n\nThis manual explains the pump.\n\n"
    setup = "## Setup\n\n" + "".join(SENTENCE.format(n=i) for i in range(60)).strip() + "\n\n"
    rows = "\n".join(f"| pump {i} | {i * 10} litres | model {i} |" for i in range(80))
    table = "## Specs\n\n| Pump | Flow | Model |\n|---|---|---|\n" + rows + "\n\n"
    tiny = "### Notes\n\nKeep it dry.\n\n"
    care = "## Care\n\n- Clean the filter weekly.\n- Check the seals monthly.\n"
    markdown = intro + setup + table + tiny + care
    page_two = markdown.index("## Specs")
    return markdown, [0, page_two]


@pytest.fixture(scope="module")
def chunks():
    markdown, page_starts = _doc()
    return markdown, chunk_markdown(markdown, page_starts, min_tokens=40, max_tokens=200)


def test_offsets_map_back_exactly(chunks) -> None:
    markdown, result = chunks
    for chunk in result:
        assert markdown[chunk.char_start : chunk.char_end] == chunk.text
        assert chunk.text == chunk.text.strip()
    assert [c.chunk_index for c in result] == list(range(len(result)))
    starts = [c.char_start for c in result]
    assert starts == sorted(starts)


def test_token_bounds_hold_except_for_an_oversized_table(chunks) -> None:
    _, result = chunks
    for chunk in result:
        assert chunk.token_count == count_tokens(chunk.text)
        if chunk.token_count > 200:
            assert chunk.has_table
    assert any(c.has_table and c.token_count > 200 for c in result)


def test_table_is_never_split(chunks) -> None:
    markdown, result = chunks
    table_start = markdown.index("| Pump | Flow |")
    table_end = markdown.index("| pump 79 |")
    holding = [c for c in result if c.char_start <= table_start < c.char_end]
    assert len(holding) == 1
    assert holding[0].char_end > table_end
    assert holding[0].has_table


def test_long_section_splits_at_sentence_ends(chunks) -> None:
    _, result = chunks
    setup = [c for c in result if c.heading_path == ["Manual", "Setup"]]
    assert len(setup) >= 2
    for chunk in setup:
        assert chunk.text.endswith("fully open.")


def test_heading_paths_and_pages(chunks) -> None:
    _, result = chunks
    assert result[0].heading_path == ["Manual"]
    assert result[0].page_start == 1
    table_chunk = next(c for c in result if c.has_table)
    assert table_chunk.heading_path == ["Manual", "Specs"]
    assert table_chunk.page_start == table_chunk.page_end == 2
    assert result[-1].page_end == 2


def test_tiny_sections_merge_with_a_neighbour(chunks) -> None:
    _, result = chunks
    notes = [c for c in result if "Keep it dry." in c.text]
    assert len(notes) == 1
    assert "Clean the filter weekly." in notes[0].text  # joined with the next section


def test_whitespace_only_and_empty_markdown() -> None:
    assert chunk_markdown("", [0]) == []
    assert chunk_markdown("  \n\n ", [0]) == []


def test_min_above_max_is_rejected() -> None:
    with pytest.raises(ValueError):
        chunk_markdown("text", [0], min_tokens=600, max_tokens=512)


def test_unbreakable_run_is_cut_at_words() -> None:
    markdown = "## Log\n\n" + " ".join(f"token{i}" for i in range(600))
    result = chunk_markdown(markdown, [0], min_tokens=10, max_tokens=100)
    assert all(c.token_count <= 100 for c in result)
    assert all(markdown[c.char_start : c.char_end] == c.text for c in result)


def test_chunks_of_converted_corpus_documents(corpus) -> None:
    for path in sorted((corpus / "pdf").glob("*.pdf")):
        converted = convert_document(path.read_bytes(), path.name)
        result = chunk_markdown(converted.markdown, converted.page_starts, 80, 300)
        covered = " ".join(c.text for c in result)
        assert len(covered.split()) == len(converted.markdown.split()), path.name
        for chunk in result:
            assert converted.markdown[chunk.char_start : chunk.char_end] == chunk.text
            assert chunk.token_count <= 300 or chunk.has_table
            assert 1 <= chunk.page_start <= chunk.page_end <= converted.page_count


def test_headings_without_text_make_no_chunk():
    assert chunk_markdown("# Title only\n\n## Another heading\n", [0]) == []
    chunks = chunk_markdown("# Title\n\nSome body text here.\n", [0])
    assert len(chunks) == 1 and chunks[0].heading_path == ["Title"]


def _rulebook() -> str:
    crew = " ".join(f"Boat {i} sails with {i % 3 + 3} crew on race days." for i in range(30))
    races = " ".join(f"Race {i} starts at {i} o'clock after the warning signal." for i in range(20))
    return (
        "# Rules\n\n## 3. Equipment\n\n### 3.1 Hull\n\nThe hull is painted white.\n\n"
        f"### 3.2 Crew\n\n{crew}\n\n"
        "### 3.3 Safety equipment\n\nEvery boat carries a radio and an anchor.\n\n"
        f"## 4. Racing\n\n{races}\n"
    )


def _sections_touched(markdown: str, start: int, end: int) -> list[list[str]]:
    """Heading paths in force at `start` and at every heading inside [start, end)."""
    path: list[tuple[int, str]] = []
    touched: list[list[str]] = []
    for match in re.finditer(r"(?m)^(#{1,6}) (.+)$", markdown):
        if match.start() >= end:
            break
        if match.start() > start and not touched:
            touched.append([title for _, title in path])
        level = len(match.group(1))
        path = [(lv, t) for lv, t in path if lv < level] + [(level, match.group(2))]
        if match.start() >= start:
            touched.append([title for _, title in path])
    return touched or [[title for _, title in path]]


@pytest.mark.parametrize("doc", ["manual", "rulebook"])
def test_heading_path_is_the_deepest_section_holding_the_whole_chunk(doc) -> None:
    markdown = _doc()[0] if doc == "manual" else _rulebook()
    for chunk in chunk_markdown(markdown, [0], min_tokens=40, max_tokens=200):
        touched = _sections_touched(markdown, chunk.char_start, chunk.char_end)
        common: list[str] = []
        for titles in zip(*touched, strict=False):
            if len(set(titles)) > 1:
                break
            common.append(titles[0])
        assert chunk.heading_path == common, chunk.text[:60]


def test_chunk_holding_two_sections_names_neither_of_them() -> None:
    markdown = _rulebook()
    result = chunk_markdown(markdown, [0], min_tokens=40, max_tokens=200)
    merged = next(c for c in result if "### 3.3 Safety equipment" in c.text)
    # It opens mid-way through 3.2 Crew (cut at max_tokens) and took in the tiny 3.3 section.
    assert merged.text.startswith("Boat ")
    assert merged.heading_path == ["Rules", "3. Equipment"]
    whole_crew_start = next(c for c in result if c.text.startswith("### 3.2 Crew"))
    assert whole_crew_start.heading_path == ["Rules", "3. Equipment", "3.2 Crew"]


def test_hash_lines_in_code_fences_are_no_headings_and_setext_headings_are() -> None:
    code = "```sh\n# install the pump driver\nmake install\n```"
    markdown = f"Pump guide\n==========\n\nThe guide covers the pump.\n\n{code}\n\nRun it twice.\n"
    result = chunk_markdown(markdown, [0], min_tokens=5, max_tokens=200)
    assert len(result) == 1
    assert result[0].heading_path == ["Pump guide"]
    assert result[0].text == markdown.strip()
