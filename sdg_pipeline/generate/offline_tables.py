"""Questions drawn from a chunk's pipe tables: one cell per question, named by row and column.

A table needs a header row above its separator and a key column whose values name the rows
(two key columns when the first repeats); multi-level headers repeated as body rows are folded
into the header. At most a few rows are asked, spread over the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sdg_pipeline.generate.offline_phrasing import finish_question
from sdg_pipeline.generate.offline_reading import (
    Candidate,
    ChunkBlock,
    ChunkContext,
    clean_inline,
)
from sdg_pipeline.judge.pair_checks import repeats_three_words

_MAX_TABLE_ROWS_ASKED = 3


_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_CAPTION = re.compile(r"^(?:table|tab\.)\s*[\dIVX]+[.:]?\s*", re.IGNORECASE)


def _split_row(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]


def _cell_text(cell: str) -> str:
    return clean_inline(cell.replace("\\|", "/"))


def _caption(above: list[ChunkBlock]) -> str | None:
    """What the lines above the table say it is: a "Table 3: ..." caption, or a title set as
    a short line ("CONSOLIDATED BALANCE SHEETS" over "DECEMBER 31, 2021 AND 2020";
    "Disaggregation of revenue" over "The following table disaggregates ..."), passing over
    the date line or the sentence that introduces the table."""
    for block in reversed(above[-2:]):
        if block.kind != "paragraph":
            return None
        caption = clean_inline(block.raw)
        if _CAPTION.match(caption):
            clause = re.split(r"[.;:,](?:\s|$)", _CAPTION.sub("", caption), maxsplit=1)[0]
            clause = re.sub(r"\s*\[\d+(?:,\s*\d+)*\]", "", clause).strip()
            return clause if 1 <= len(clause.split()) <= 10 else None
        if _DATE_LINE.match(caption) or _INTRODUCES_TABLE.match(caption):
            continue
        words = caption.split()
        title = 2 <= len(words) <= 8 and not caption.endswith((".", ":", ";", ","))
        if title and caption[:1].isupper() and re.search(r"[A-Za-z]{3,}", caption):
            return caption
        return None
    return None


_VAGUE_ROW = re.compile(
    r"^(?:total|subtotal|other|net|interest|(?:beginning|ending|opening|closing)? ?balance)\b"
    r".{0,15}$",
    re.IGNORECASE,
)
_INTRODUCES_TABLE = re.compile(r"^(?:the|this) following (?:table|schedule)\b", re.IGNORECASE)
# "DECEMBER 31, 2021 AND 2020", "For the years ended 31 March 2021 and 2020"
_DATE_LINE = re.compile(
    r"^(?:(?:as (?:at|of)|for the (?:years?|periods?|quarters?|six months) ended|years? ended)\s+)?"
    r"[\w ,]{0,30}(?:19|20)\d{2}(?:\s*(?:and|&)\s*(?:19|20)?\d{2,4})?$",
    re.IGNORECASE,
)


_PERIOD = re.compile(
    r"^(?:(?:FY|fiscal )?(?:19|20)\d{2}(?:/\d{2})?|(?:as (?:at|of)|year ended|years ended) "
    r"[\w ,]*(?:19|20)\d{2})$",
    re.IGNORECASE,
)


def _merge_spanned_columns(
    header: list[str], body: list[tuple[str, list[str]]]
) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """One column per header: HTML filings span a year over a "$" cell and its figure ("2021 |
    2021" over "$ | 16,058,714") and pad with empty columns; their cells are joined ("$
    16,058,714") and the empty columns dropped."""
    groups: list[list[int]] = []
    for i, name in enumerate(header):
        if not name and i and all(not cells[i] for _, cells in body):
            continue  # an empty spacer column
        if groups and name and header[groups[-1][-1]] == name:
            groups[-1].append(i)
        else:
            groups.append([i])
    # A span over two figures in one row ("High | Low" under "2021 | 2021") is two columns.
    groups = [
        g
        for group in groups
        for g in ([group] if _one_figure_per_row(group, body) else [[i] for i in group])
    ]
    if len(groups) == len(header):
        return header, body
    merged_header = [header[g[0]] for g in groups]
    merged_body = [
        (line, [" ".join(cells[i] for i in g if cells[i]) for g in groups]) for line, cells in body
    ]
    return merged_header, merged_body


def _one_figure_per_row(group: list[int], body: list[tuple[str, list[str]]]) -> bool:
    return all(
        sum(bool(cells[i]) and cells[i] not in _UNIT_CELLS for i in group) <= 1 for _, cells in body
    )


def _abbreviation(text: str) -> bool:
    """ "LIBOR", "mCRC", "ASU": one short token, mostly capitals."""
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return " " not in text.strip() and len(text) <= 10 and upper >= 2 and upper * 2 >= len(letters)


_FIGURE_TOKEN = re.compile(r"^\(?[$€£¥]?\d[\d,.]*\)?%?$|^[-–—]$")


def _two_cells_in_one(cell: str) -> bool:
    """A cell of two figures or placeholders ("1,057 -", "29 6"), not one amount ("$ 39,304",
    "(0.3)%")."""
    tokens = [t for t in cell.split() if t not in _UNIT_CELLS]
    return len(tokens) > 1 and all(_FIGURE_TOKEN.match(t) for t in tokens)


_EMPTY_VALUE = re.compile(r"^[$€£¥]?\s*(?:[-–—]|n/a|N/A)?\s*$")
_UNIT_CELLS = {"$", "€", "£", "¥", "%", "(", ")", "$(", ")%"}


# An exhibit index or a filing's cover grid lists documents and form fields, not facts.
_SIGNATORY = re.compile(
    r"^(?:DIN|PAN|Membership No\.?|Place|Date)\s*[:.-]|\b(?:Director|Chairman|Chairperson|"
    r"Chief Executive Officer|Chief Financial Officer|CEO|CFO|Company Secretary|Partner)\b"
    r"(?:\s*(?:&|and)\s*(?:CEO|CFO|Secretary))?\s*$"
)
_INDEX_HEADER = re.compile(r"^(?:exhibit|exhibit (?:no\.?|number)|form|item|page)$", re.I)


def table_candidates(context: ChunkContext) -> Iterator[Candidate]:
    for index, block in enumerate(context.blocks):
        if block.kind == "table":
            yield from _one_table(block, context.blocks[max(0, index - 2) : index], context)


def _one_table(
    block: ChunkBlock, above: list[ChunkBlock], context: ChunkContext
) -> Iterator[Candidate]:
    raw_lines = [line for line in block.raw.splitlines() if line.strip()]
    rows = [_split_row(line) for line in raw_lines]
    sep_index = next(
        (i for i, row in enumerate(rows) if row and all(_SEPARATOR_CELL.match(c) for c in row)),
        None,
    )
    if sep_index is None or sep_index == 0:
        return
    header = [_cell_text(c) for c in rows[sep_index - 1]]
    body = [
        (raw_lines[i], [_cell_text(c) for c in rows[i]]) for i in range(sep_index + 1, len(rows))
    ]
    # Docling repeats multi-level headers as body rows starting with the same key header.
    while body and body[0][1] and header and body[0][1][0] == header[0]:
        extra = body.pop(0)[1]
        header = [
            h if i >= len(extra) or extra[i] == h or not extra[i] else f"{h} {extra[i]}".strip()
            for i, h in enumerate(header)
        ]
    body = [(line, cells) for line, cells in body if len(cells) == len(header) and cells[0]]
    if len(header) < 2 or not body:
        return
    # "1,057 -", "29 6", "- -": two columns' figures in one cell, so the columns are misaligned
    # and no cell of this table can be trusted to sit under its header.
    if any(_two_cells_in_one(cell) for _, cells in body for cell in cells[1:]):
        return
    header, body = _merge_spanned_columns(header, body)
    # "Current assets:" over its rows labels a group; it holds no figure to ask for.
    body = [(line, cells) for line, cells in body if any(cells[1:])]
    if not body:
        return
    headers = [re.sub(r"^#\s*", "", h).strip() for h in header]
    keys = [cells[0] for _, cells in body]
    # "Chaitanya Kamat | Makarand Padalkar" over "Managing Director & CEO | Whole-time Director
    # & CFO" and "DIN: 00969094" (OFSS, read 19): a signature block laid out side by side
    cells_all = [c for _, cells in body for c in cells if c]
    if cells_all and sum(bool(_SIGNATORY.search(c)) for c in cells_all) * 2 >= len(cells_all):
        return
    # "LIBOR | London Interbank Offered Rate" over "mCRC | metastatic colorectal cancer": a
    # list of abbreviations has no header; its first entry was read as one.
    abbreviations = sum(_abbreviation(k) for k in keys)
    if len(headers) == 2 and _abbreviation(headers[0]) and abbreviations * 2 > len(keys):
        return
    # Repeated row names ("6 | 6 | 0.965", encoder and decoder layers) need two columns to name
    # a row, and a period question names it by one.
    if len(set(keys)) != len(keys):
        return
    caption = _caption(above)
    unit = _unit(" ".join([*(b.raw for b in above), *headers]))
    # Without a caption or the document's subject, "What is the Industry for Total in gender?"
    # says nothing of whose figures they are.
    if caption is None and context.subject is None:
        return
    if any(_INDEX_HEADER.match(h) for h in headers[:2]):
        return
    # A one-word heading over a table ("Ownership") is often the table's own header cell; the
    # question then names the subject instead ("... in Ownership?" read as junk).
    section = context.section(block.heading)
    section = section if section and len(section.split()) > 1 else None
    # A table named only by the document ("What is the Daily for Trader in THE NIGERIAN RICE
    # ECONOMY ...?") says nothing of what its figures measure: 3 of 14 such pairs were good in
    # reads 5-14, against 14 of 33 under a caption or a section.
    if caption is None and section is None:
        return
    topic = caption or section
    # "Number of stores % of Total Number of stores % of Total" (Weis Markets, read 20): header
    # cells run together twice are no caption
    if repeats_three_words(topic.lower().split()):
        return
    # Only a period's column is asked ("What was Revenue in 2021 ...?"). "What is the <column>
    # for <row>?" read as a thing was good in 10 of 47 labelled pairs of reads 5-19 (column
    # scraps "Recognizes", "Daily for Trader", codes for rows), the period form in 9 of 16.
    value_columns = [
        i
        for i in range(1, len(headers))
        if headers[i] and headers.count(headers[i]) == 1 and _PERIOD.match(headers[i])
    ]
    if not value_columns:
        return
    picks = sorted({0, len(body) // 2, len(body) - 1})[:_MAX_TABLE_ROWS_ASKED]
    for n, row_index in enumerate(picks):
        line, cells = body[row_index]
        column = value_columns[n % len(value_columns)]
        value = cells[column]
        if not value or _SEPARATOR_CELL.match(value) or _EMPTY_VALUE.match(value):
            continue
        # "$948 $930" under "Investment Balance 2022 2021": two columns merged into one cell.
        if len(re.findall(r"\d[\d,.]*", value)) > 1 and re.fullmatch(r"[\d$€£¥%,.()\s-]+", value):
            continue
        # "U.S. government contracts (1)": the footnote marker is no part of the name
        key = re.sub(r"\s*\(\d{1,2}\)$", "", cells[0])
        if not re.search(r"[A-Za-z]{3,}", key):
            continue  # a bare number or code names no row
        if not re.search(r"\d", value):
            continue  # a period's column holds figures: "Closed" there is a header row's word
        if caption is None and _VAGUE_ROW.match(key):
            continue  # "What was Ending balance in 2021?" of what, the title would say
        # "2021", "As at 31 March 2021": a period, asked as one ("What was Revenue in 2021
        # ...?"), not as a thing ("What is the 2021 for Revenue?").
        column_name = headers[column]
        period = (
            column_name[:1].lower() + column_name[1:] if column_name[:2] == "As" else column_name
        )
        question = f"What was {key} {'' if period.startswith('as ') else 'in '}{period}"
        if topic:
            question += f" in {topic}"
        answer = f"{key} {'' if period.startswith('as ') else 'in '}{period} was "
        answer += f"{_with_unit(value, unit, key)}."
        yield Candidate("table", finish_question(question), answer, line)


# "Real estate consisted of the following at December 31 (in thousands):", "(in millions,
# except per share data)": the scale every figure of the table is written in. Read 10 and 12
# found "Land in 2015 was 4,806,021." misleading without it.
_UNIT = re.compile(
    r"\((?:(?:\$|dollars|amounts|figures|all amounts|rupees)\s+)?in\s+"
    r"(?P<currency>(?:[$₹€£¥]|rs\.?|inr|usd|eur|gbp)\s*)?"
    r"(?P<scale>thousands?|millions?|billions?|lakhs?|crores?)\b"
    r"(?P<rest>[^)]{0,80})\)",
    re.IGNORECASE,
)
_PLAIN_FIGURE = re.compile(r"[$₹€£¥]?\s*\(?\d[\d,]*(?:\.\d+)?\)?")
_NOT_IN_SCALE = re.compile(r"per share|shares|%|percent|ratio|par value|number of", re.IGNORECASE)


def _unit(text: str) -> tuple[str, bool] | None:
    """The table's scale ("in thousands") and whether some rows are excepted from it."""
    found = _UNIT.search(text)
    if found is None:
        return None
    # "(Amounts in ₹ million)" (OFSS, read 19): the currency is part of what the figure means
    currency = (found.group("currency") or "").strip()
    scale = f"{currency} {found.group('scale').lower()}".strip()
    return f"in {scale}", "except" in found.group("rest").lower()


def _with_unit(value: str, unit: tuple[str, bool] | None, key: str) -> str:
    if unit is None or not _PLAIN_FIGURE.fullmatch(value.strip()):
        return value
    scale, excepted = unit
    if excepted and _NOT_IN_SCALE.search(key):
        return value  # "(in millions, except per share data)": EPS is not in millions
    return f"{value} ({scale})"
