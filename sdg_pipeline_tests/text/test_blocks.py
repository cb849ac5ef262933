"""Markdown blocks: exact offsets, heading levels, whole tables, list items, code fences."""

from __future__ import annotations

import pytest

from sdg_pipeline.text import heading_titles, leaf_blocks, parse_blocks

DOC = """# Manual #

Intro line one
wrapped line two.

## Setup

- First item
  continues here.
  - Nested item.
- Second item

  Second paragraph of it.

| Part | Size |
|---|---|
| bolt | 5 mm |
| nut | 6 mm |

```sh
# not a heading
make install
```

<!-- image -->

> A quoted line.

Setext title
------------
"""


def _kinds(blocks) -> list[str]:
    return [block.kind for block in blocks]


def test_top_level_blocks_and_their_offsets() -> None:
    blocks = parse_blocks(DOC)
    assert _kinds(blocks) == [
        "heading", "paragraph", "heading", "list", "table", "code", "html", "quote", "heading",
    ]  # fmt: skip
    texts = [DOC[b.start : b.end] for b in blocks]
    assert texts[0] == "# Manual #"
    assert texts[1] == "Intro line one\nwrapped line two."
    assert texts[3].startswith("- First item") and texts[3].endswith("Second paragraph of it.")
    assert texts[4] == "| Part | Size |\n|---|---|\n| bolt | 5 mm |\n| nut | 6 mm |"
    assert texts[5] == "```sh\n# not a heading\nmake install\n```"
    assert texts[6] == "<!-- image -->"
    assert texts[8] == "Setext title\n------------"


def test_headings_carry_level_and_title() -> None:
    headings = [b for b in parse_blocks(DOC) if b.kind == "heading"]
    assert [(h.level, h.title) for h in headings] == [
        (1, "Manual"),
        (2, "Setup"),
        (2, "Setext title"),
    ]
    assert heading_titles("# Guide to C#\n\ntext\n") == ["Guide to C#"]


def test_hash_lines_inside_a_code_fence_are_not_headings() -> None:
    markdown = "# Real\n\n```\n# comment\n## another\n```\n\n~~~\n# tilde fence\n~~~\n"
    assert heading_titles(markdown) == ["Real"]
    assert _kinds(parse_blocks(markdown)) == ["heading", "code", "code"]


def test_list_items_are_leaves_starting_at_their_marker() -> None:
    blocks = parse_blocks(DOC)
    lists = [b for b in blocks if b.kind == "list"]
    assert len(lists) == 1
    parts = lists[0].parts
    assert [(p.kind, p.level, DOC[p.start : p.end]) for p in parts] == [
        ("list_item", 1, "- First item\n  continues here."),
        ("list_item", 2, "  - Nested item."),
        ("list_item", 1, "- Second item"),
        ("paragraph", 0, "  Second paragraph of it."),
    ]
    inside = [b for b in leaf_blocks(DOC) if lists[0].start <= b.start < lists[0].end]
    assert inside == list(parts)


def test_a_table_is_one_block_however_long() -> None:
    rows = "\n".join(f"| row {i} | {i} |" for i in range(200))
    markdown = f"Intro.\n\n| Key | Value |\n|---|---|\n{rows}\n\nAfter.\n"
    tables = [b for b in parse_blocks(markdown) if b.kind == "table"]
    assert len(tables) == 1
    assert markdown[tables[0].start : tables[0].end].endswith("| row 199 | 199 |")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_offsets_are_exact_whatever_the_line_ends(newline: str) -> None:
    markdown = DOC.replace("\n", newline)
    for block in leaf_blocks(markdown):
        text = markdown[block.start : block.end]
        assert text == text.rstrip() and text.strip(), repr(text)
        assert text.replace(newline, "\n") in DOC


def test_indented_first_line_keeps_its_indentation_and_blank_input_has_no_blocks() -> None:
    markdown = "   # Indented heading\n\n  Indented paragraph.\n"
    blocks = parse_blocks(markdown)
    assert [markdown[b.start : b.end] for b in blocks] == [
        "   # Indented heading",
        "  Indented paragraph.",
    ]
    assert parse_blocks("") == [] and parse_blocks(" \n\n \n") == []
