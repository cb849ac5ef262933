"""Heading-aware, token-bounded chunks of a Markdown document.

The Markdown is read as blocks (headings, paragraphs, lists, tables, code) by
`sdg_pipeline.text`, as CommonMark with pipe tables. A heading starts a new chunk, which fills
up to `max_tokens` with whole blocks; only a block too big on its own is cut, at list items,
then sentences, then words. A table is never cut: one larger than `max_tokens` becomes a chunk
of its own. Chunks under `min_tokens` are merged with a neighbour
when the result still fits, so a merged chunk may hold several (tiny) sections. Offsets always
point into the Markdown: `markdown[chunk.char_start:chunk.char_end] == chunk.text`, so chunks
are trimmed by choosing offsets, never by editing text.

`heading_path` is the deepest section that contains the whole chunk (the common prefix of the
paths of everything in it). Consumers attribute the chunk's text by reading it in order: text
before the chunk's first heading lies in `heading_path[-1]` (possibly in a subsection of it
that began in an earlier chunk), and text after a heading of the chunk lies in that heading's
section. So `heading_path` never names a section the chunk only partly belongs to.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from sdg_pipeline.text import parse_blocks, sentence_spans
from sdg_pipeline.tokens import count_tokens

# Bumped whenever chunk boundaries or chunk fields change for the same Markdown.
CHUNKER_VERSION = "6"  # 6: "Sdn.", "Pvt.", "Pte." end no sentence either


@dataclass(frozen=True)
class Chunk:
    chunk_index: int
    heading_path: list[str]
    page_start: int  # 1-based
    page_end: int
    char_start: int
    char_end: int
    text: str
    token_count: int
    has_table: bool


@dataclass
class _Block:
    kind: str  # heading | paragraph | list | table | code
    start: int
    end: int
    path: tuple[str, ...]
    items: tuple[int, ...] = ()  # where each item of a list starts, nested ones included


@dataclass
class _Piece:
    start: int
    end: int
    tokens: int
    path: tuple[str, ...]
    kind: str


# Containers and raw HTML are prose to the chunker: cut, if at all, at sentences.
_CHUNK_KINDS = {"quote": "paragraph", "html": "paragraph", "rule": "paragraph"}


def _blocks(markdown: str) -> list[_Block]:
    blocks: list[_Block] = []
    path: list[tuple[int, str]] = []
    for block in parse_blocks(markdown):
        if block.kind == "heading":
            while path and path[-1][0] >= block.level:
                path.pop()
            path.append((block.level, block.title))
        kind = _CHUNK_KINDS.get(block.kind, block.kind)
        items = tuple(part.start for part in block.parts if part.kind == "list_item")
        path_titles = tuple(title for _, title in path)
        blocks.append(_Block(kind, block.start, block.end, path_titles, items))
    return blocks


def _trim(markdown: str, start: int, end: int) -> tuple[int, int]:
    while start < end and markdown[start].isspace():
        start += 1
    while end > start and markdown[end - 1].isspace():
        end -= 1
    return start, end


def _spans(markdown: str, start: int, end: int, breaks: list[int]) -> list[tuple[int, int]]:
    edges = [start, *breaks, end]
    spans = []
    for a, b in itertools.pairwise(edges):
        a, b = _trim(markdown, a, b)
        if a < b:
            spans.append((a, b))
    return spans


def _word_pieces(markdown: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    pieces = []
    piece_start = start
    piece_tokens = 0
    for match in re.finditer(r"\S+", markdown[start:end]):
        word_tokens = count_tokens(match.group(0))
        if piece_tokens and piece_tokens + word_tokens > max_tokens:
            pieces.append(_trim(markdown, piece_start, start + match.start()))
            piece_start, piece_tokens = start + match.start(), 0
        piece_tokens += word_tokens
    pieces.append(_trim(markdown, piece_start, end))
    return [p for p in pieces if p[0] < p[1]]


def _split(markdown: str, block: _Block, max_tokens: int) -> list[tuple[int, int]]:
    """Spans of one block, cut only as far as needed to fit max_tokens."""
    start, end = block.start, block.end
    if block.kind == "table" or count_tokens(markdown[start:end]) <= max_tokens:
        return [(start, end)]
    if block.kind == "list":
        spans = _spans(markdown, start, end, [i for i in block.items if i > start])
    elif block.kind == "code":
        breaks = [m.end() + start for m in re.finditer(r"\n", markdown[start:end])]
        spans = _spans(markdown, start, end, breaks)
    else:
        spans = sentence_spans(markdown, start, end)
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if count_tokens(markdown[a:b]) <= max_tokens:
            out.append((a, b))
        elif block.kind == "list":
            out += [
                piece
                for s0, s1 in sentence_spans(markdown, a, b)
                for piece in (
                    [(s0, s1)]
                    if count_tokens(markdown[s0:s1]) <= max_tokens
                    else _word_pieces(markdown, s0, s1, max_tokens)
                )
            ]
        else:
            out += _word_pieces(markdown, a, b, max_tokens)
    return out


def _pieces(markdown: str, max_tokens: int) -> list[_Piece]:
    pieces = []
    for block in _blocks(markdown):
        for a, b in _split(markdown, block, max_tokens):
            pieces.append(_Piece(a, b, count_tokens(markdown[a:b]), block.path, block.kind))
    return pieces


@dataclass
class _Draft:
    pieces: list[_Piece]

    @property
    def tokens(self) -> int:
        return sum(p.tokens for p in self.pieces)

    @property
    def starts_section(self) -> bool:
        return self.pieces[0].kind == "heading"

    @property
    def heading_only(self) -> bool:
        return all(p.kind == "heading" for p in self.pieces)

    @property
    def has_table(self) -> bool:
        return any(p.kind == "table" for p in self.pieces)


def _pack(pieces: list[_Piece], max_tokens: int) -> list[_Draft]:
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for piece in pieces:
        if current is not None:
            new_section = piece.kind == "heading" and not current.heading_only
            if not new_section and current.tokens + piece.tokens <= max_tokens:
                current.pieces.append(piece)
                continue
            drafts.append(current)
        current = _Draft([piece])
    if current is not None:
        drafts.append(current)
    return drafts


def _merge_small(drafts: list[_Draft], min_tokens: int, max_tokens: int) -> list[_Draft]:
    changed = True
    while changed and len(drafts) > 1:
        changed = False
        for i, draft in enumerate(drafts):
            if draft.tokens >= min_tokens:
                continue
            before = drafts[i - 1] if i > 0 else None
            after = drafts[i + 1] if i + 1 < len(drafts) else None
            # A short section opening (a heading with a line or two) joins what follows;
            # a short tail joins what precedes.
            order = (
                [("after", after)]
                if draft.heading_only
                else [("after", after), ("before", before)]
                if draft.starts_section
                else [("before", before), ("after", after)]
            )
            for side, other in order:
                if other is None or other.tokens + draft.tokens > max_tokens:
                    continue
                if side == "after" and other.heading_only and not draft.heading_only:
                    continue  # a chunk must not end on a heading cut off from its text
                if side == "after":
                    drafts[i : i + 2] = [_Draft(draft.pieces + other.pieces)]
                else:
                    drafts[i - 1 : i + 1] = [_Draft(other.pieces + draft.pieces)]
                changed = True
                break
            if changed:
                break
    return drafts


def _common_path(pieces: list[_Piece]) -> list[str]:
    """The deepest section holding every piece: the longest prefix their paths share."""
    common = list(pieces[0].path)
    for piece in pieces[1:]:
        shared = 0
        for mine, theirs in zip(common, piece.path, strict=False):
            if mine != theirs:
                break
            shared += 1
        del common[shared:]
    return common


def _page_of(page_starts: list[int], offset: int) -> int:
    return max(bisect.bisect_right(page_starts, offset), 1)


def chunk_markdown(
    markdown: str, page_starts: list[int], min_tokens: int = 80, max_tokens: int = 512
) -> list[Chunk]:
    """Chunks of `markdown`; `page_starts[i]` is where page i+1 begins ([0] if pageless)."""
    if min_tokens > max_tokens:
        raise ValueError(f"min_tokens {min_tokens} exceeds max_tokens {max_tokens}")
    page_starts = list(page_starts) or [0]
    drafts = _merge_small(_pack(_pieces(markdown, max_tokens), max_tokens), min_tokens, max_tokens)
    # Headings with no text under them (a bare outline, a trailing heading) carry nothing to ask
    # about; the merge step already joined those that had a neighbour with room.
    drafts = [draft for draft in drafts if not draft.heading_only]
    chunks = []
    for index, draft in enumerate(drafts):
        start, end = draft.pieces[0].start, draft.pieces[-1].end
        text = markdown[start:end]
        chunks.append(
            Chunk(
                chunk_index=index,
                heading_path=_common_path(draft.pieces),
                page_start=_page_of(page_starts, start),
                page_end=_page_of(page_starts, end - 1),
                char_start=start,
                char_end=end,
                text=text,
                token_count=count_tokens(text),
                has_table=draft.has_table,
            )
        )
    return chunks
