"""Offline extractive generator: structure-driven questions, answers taken from the chunk."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from sdg_pipeline.generate.ids import pair_id
from sdg_pipeline.generate.offline import (
    GENERATOR_NAME,
    OFFLINE_PROMPT_VERSION,
    generate_pairs_offline,
)
from sdg_pipeline.judge.grounding import check_grounding, standalone_issues
from sdg_pipeline.schemas import QA_PAIRS

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"

LEAVE_CHUNK = """## Annual Leave

Annual leave is the paid time off that employees may take each year. Full-time employees
receive 25 days of paid leave per year. Part-time staff accrue leave pro rata.

- **Carry-over**: Unused leave of up to 5 days may be moved into the next year.

The leave policy was introduced in 2019 by the HR board and revised on 1 March 2024.

Table 2. Leave entitlement by grade.

| Grade | Days of leave | Notice period |
|---|---|---|
| Junior | 22 | 1 week |
| Senior | 25 | 2 weeks |
| Director | 30 | 4 weeks |
"""


def make_chunks(
    texts: list[str],
    heading_paths: list[list[str]] | None = None,
    subject: str | None = None,
) -> pd.DataFrame:
    heading_paths = heading_paths or [["Employee Handbook", "Annual Leave"]] * len(texts)
    return pd.DataFrame(
        {
            "document_subject": [subject] * len(texts),
            "chunk_id": [f"doc-{i}" for i in range(len(texts))],
            "document_key": ["hr/handbook.pdf"] * len(texts),
            "content_hash": ["abc"] * len(texts),
            "chunk_index": list(range(len(texts))),
            "heading_path": heading_paths,
            "page_start": [1] * len(texts),
            "page_end": [1] * len(texts),
            "char_start": [0] * len(texts),
            "char_end": [len(t) for t in texts],
            "text": texts,
            "token_count": [0] * len(texts),
            "has_table": ["|" in t for t in texts],
        }
    )


def bare(question: str, subject: str = "Employee Handbook") -> str:
    """The question without the "According to <subject>, " the generator puts before it."""
    prefix = f"According to {subject}, "
    if question.startswith(prefix):
        rest = question[len(prefix) :]
        return rest[:1].upper() + rest[1:]
    return question


@pytest.fixture(scope="module")
def leave_pairs() -> pd.DataFrame:
    chunks = make_chunks([LEAVE_CHUNK], subject="Employee Handbook")
    return generate_pairs_offline(chunks, max_pairs_per_chunk=8)


def test_columns_match_the_qa_pairs_contract(leave_pairs):
    assert list(leave_pairs.columns) == QA_PAIRS.names


FIGURES_CHUNK = """## Results of operations

Revenue grew in every region as the new product lines reached the shops in spring.

Table 3. Revenue by region (in millions)

| Region | 2023 | 2022 |
|---|---|---|
| Europe | 1,204 | 1,118 |
| Asia Pacific | 877 | 802 |
| Americas | 2,310 | 2,044 |
"""


def test_every_question_type_is_drawn_from_a_mixed_chunk(leave_pairs):
    assert {"definition", "numeric", "factual"} <= set(leave_pairs["question_type"])
    figures = generate_pairs_offline(make_chunks([FIGURES_CHUNK], subject="Northwind plc"))
    assert "table" in set(figures["question_type"])


def test_table_question_asks_a_rows_figure_for_a_period_answered_by_the_cell():
    pairs = generate_pairs_offline(make_chunks([FIGURES_CHUNK], subject="Northwind plc"))
    tables = pairs[pairs["question_type"] == "table"]
    first = tables.iloc[0]
    assert bare(first["question"], "Northwind plc") == (
        "What was Europe in 2023 in Revenue by region (in millions)?"
    )
    assert first["answer"] == "Europe in 2023 was 1,204 (in millions)."
    assert first["evidence"] == "| Europe | 1,204 | 1,118 |"
    # Rows are spread over the table and columns vary, so questions differ.
    assert tables["question"].nunique() == len(tables) >= 2


def test_a_table_of_things_not_periods_is_asked_nothing(leave_pairs):
    # "What is the days of leave for Junior?": reads 5-19 found 10 of 47 such pairs good
    assert "table" not in set(leave_pairs["question_type"])


def test_definition_question_asks_for_the_term(leave_pairs):
    definitions = leave_pairs[leave_pairs["question_type"] == "definition"]
    by_question = dict(zip(definitions["question"].map(bare), definitions["answer"], strict=True))
    assert by_question["What is Annual leave?"] == (
        "Annual leave is the paid time off that employees may take each year."
    )
    glossary = [q for q in by_question if q.startswith("What is Carry-over")]
    assert glossary and by_question[glossary[0]].startswith("Carry-over: Unused leave")


def test_numeric_sentences_become_wh_questions(leave_pairs):
    numeric = dict(
        zip(
            leave_pairs.loc[leave_pairs["question_type"] == "numeric", "question"].map(bare),
            leave_pairs.loc[leave_pairs["question_type"] == "numeric", "answer"],
            strict=True,
        )
    )
    assert numeric["How many days of paid leave do Full-time employees receive?"] == (
        "Full-time employees receive 25 days of paid leave per year."
    )
    # "the policy" alone names nothing (read 23's "when was the transaction completed?")
    assert "When was the leave policy introduced by the HR board?" in numeric or (
        "When was the leave policy introduced?" in numeric
    )


def test_factual_question_names_document_and_section(leave_pairs):
    factual = leave_pairs[leave_pairs["question_type"] == "factual"].iloc[0]
    assert factual["question"] == "What does Employee Handbook say about Annual Leave?"
    assert factual["answer"].startswith("Annual leave is the paid time off")


def test_answers_are_grounded_plain_text_and_questions_standalone(leave_pairs):
    for row in leave_pairs.itertuples():
        assert check_grounding(row.answer, LEAVE_CHUNK).ok, row.answer
        assert standalone_issues(row.question) == [], row.question
        assert row.question.endswith("?")
        assert row.answer.strip() and row.answer != row.question
        assert not re.search(r"[|#]|\*\*", row.answer), row.answer
        assert row.evidence.replace("\n", " ") in re.sub(r"\s*\n\s*", " ", LEAVE_CHUNK)


def test_provenance_columns(leave_pairs):
    assert set(leave_pairs["generator"]) == {GENERATOR_NAME}
    assert set(leave_pairs["prompt_version"]) == {OFFLINE_PROMPT_VERSION}
    assert leave_pairs["model"].isna().all()
    assert leave_pairs["error"].isna().all()
    assert set(leave_pairs["chunk_id"]) == {"doc-0"}
    assert set(leave_pairs["content_hash"]) == {"abc"}


def test_pair_ids_are_unique_and_stable(leave_pairs):
    assert leave_pairs["pair_id"].is_unique
    first = leave_pairs.iloc[0]
    assert first["pair_id"] == pair_id(first["chunk_id"], first["question"])
    assert pair_id("c1", "What is X?") != pair_id("c2", "What is X?")
    assert pair_id("c1", "What is X?") != pair_id("c1", "What is Y?")
    assert pair_id("c1", "What  is X? ") == pair_id("c1", "What is X?")


def test_generation_is_deterministic_and_independent_of_row_order():
    chunks = make_chunks([LEAVE_CHUNK, LEAVE_CHUNK.replace("Annual", "Parental")])
    first = generate_pairs_offline(chunks)
    second = generate_pairs_offline(chunks.iloc[::-1].reset_index(drop=True))
    pd.testing.assert_frame_equal(first, second)


def test_max_pairs_per_chunk_caps_output_and_keeps_type_variety():
    pairs = generate_pairs_offline(make_chunks([LEAVE_CHUNK], subject="Handbook"), 4)
    assert len(pairs) == 4
    # One of each type before a second of any, in priority order.
    assert list(pairs["question_type"])[:3] == ["definition", "numeric", "factual"]
    assert generate_pairs_offline(make_chunks([LEAVE_CHUNK]), max_pairs_per_chunk=0).empty


def test_questions_are_unique_within_a_document():
    pairs = generate_pairs_offline(make_chunks([LEAVE_CHUNK, LEAVE_CHUNK], subject="Handbook"))
    assert pairs["question"].str.lower().is_unique
    # A repeated chunk can only contribute questions the first copy had no room for.
    everything = generate_pairs_offline(make_chunks([LEAVE_CHUNK], subject="Handbook"), 100)
    assert set(pairs["question"]) <= set(everything["question"])
    assert len(pairs) == min(8, len(everything))


def test_tiny_heading_only_and_non_english_chunks_yield_nothing():
    chunks = make_chunks(
        [
            "## Annual Leave\n",
            "Leave is good.",
            "## تحسين الإنتاجية\n\nتعتبر البرمجة بلغة R و Python من الأدوات القوية التي يمكن أن "
            "تعزز الإنتاجية وتساعد في إيجاد حلول فعالة للمشكلات وتحليل البيانات.",
        ]
    )
    pairs = generate_pairs_offline(chunks)
    assert pairs.empty
    assert list(pairs.columns) == QA_PAIRS.names


def test_table_with_repeated_keys_uses_two_key_columns_and_merged_headers():
    chunk = """## Hyper Parameter Optimization

Results of the search are summarised below for each configuration that was trained.

| # enc-layers | # dec-layers | TEDs | mAP |
| - | - | - | - |
| # enc-layers | # dec-layers | simple | (0.75) |
| 6 | 6 | 0.965 | 0.88 |
| 4 | 4 | 0.938 | 0.853 |
| 4 | 2 | 0.952 | 0.857 |
"""
    pairs = generate_pairs_offline(
        make_chunks([chunk], [["Paper", "Hyper Parameter Optimization"]], subject="TableFormer")
    )
    # parameters named by two numeric keys: no period, no row name, nothing to ask
    assert "table" not in set(pairs["question_type"]), list(pairs["question"])


def test_a_table_with_two_figures_in_a_cell_asks_nothing_of_any_cell():
    # Best Buy's 10-K as converted: "1,057 -" is two columns read into one, so no figure of
    # the table can be trusted to sit under its year.
    chunk = """## International Segment Properties

The following table summarizes the distribution centers of our International segment.

| Country | 2022 | 2021 |
| --- | --- | --- |
| Canada | 1,057 - | 980 |
| Mexico | 89 - | 77 |
| United States | 402 | 398 |
"""
    pairs = generate_pairs_offline(
        make_chunks([chunk], [["10-K", "International Segment Properties"]], subject="Best Buy")
    )
    assert "table" not in set(pairs["question_type"])
    # the same table with its cells in place is asked
    fixed = chunk.replace("1,057 -", "1,057").replace("89 -", "89")
    pairs = generate_pairs_offline(
        make_chunks([fixed], [["10-K", "International Segment Properties"]], subject="Best Buy")
    )
    assert "table" in set(pairs["question_type"])


def test_a_word_under_a_period_column_is_a_header_row_not_a_figure():
    chunk = """## Store Count

The following table reconciles our International segment stores open at the end of each year.

| Row | Fiscal 2018 | Fiscal 2019 |
| --- | --- | --- |
| Total Stores | Stores | Stores |
| Fiscal Year | Closed | Opened |
| Canada stores | 134 | 132 |
"""
    pairs = generate_pairs_offline(
        make_chunks([chunk], [["10-K", "Store Count"]], subject="Best Buy")
    )
    tables = pairs[pairs["question_type"] == "table"]
    assert not tables.empty
    # "Fiscal Year in Fiscal 2019 was Opened.": a header row's word given as the figure
    assert not any(re.search(r" (?:was|is) [A-Za-z]+\.$", a) for a in tables["answer"])


def test_a_list_of_abbreviations_has_no_header_and_no_cell_equals_its_column():
    glossary = """## Defined Terms

Pfizer uses the following abbreviations throughout its annual report on Form 10-K.

| LIBOR | London Interbank Offered Rate |
| --- | --- |
| mCRC | metastatic colorectal cancer |
| NYSE | New York Stock Exchange |
| ASU | Accounting Standards Update |
"""
    registered = """## Securities Registered

The following notes of Pfizer are registered on the exchange listed beside each of them.

| Title of each class | Name of each exchange on which registered |
| --- | --- |
| 1.000% Notes due 2027 | New York Stock Exchange |
| 0.250% Notes due 2022 | New York Stock Exchange |
| Common Stock | Name of each exchange on which registered |
"""
    pairs = generate_pairs_offline(
        make_chunks(
            [glossary, registered],
            [["10-K", "Defined Terms"], ["10-K", "Securities"]],
            subject="Pfizer Inc.",
        )
    )
    tables = pairs[pairs["question_type"] == "table"]
    assert "London Interbank" not in " ".join(tables["question"])
    assert not any(
        a.endswith("is Name of each exchange on which registered.") for a in tables["answer"]
    )


def split_by_headings(path: Path) -> list[tuple[list[str], str]]:
    parts = [p for p in re.split(r"(?m)^(?=#{1,6} )", path.read_text()) if p.strip()]
    title = None
    out = []
    for part in parts:
        match = re.match(r"(#{1,6}) (.*)", part)
        heading = match.group(2).strip() if match else None
        if title is None and match and match.group(1) == "#":
            title = heading
        path_ = [h for h in dict.fromkeys([title, heading]) if h]
        out.append((path_, part))
    return out


@pytest.mark.skipif(not (CORPUS / "reference_md").is_dir(), reason="shared corpus absent")
def test_reference_markdown_yields_grounded_pairs():
    rows = []
    for path in sorted((CORPUS / "reference_md").glob("*.md")):
        for index, (heading_path, text) in enumerate(split_by_headings(path)):
            rows.append((f"{path.stem}-{index}", path.name, index, heading_path, text))
    chunks = make_chunks([r[4] for r in rows], [r[3] for r in rows])
    # each document's subject is its title (its first heading), as the chunks asset finds it
    titles: dict[str, str | None] = {}
    for r in rows:
        titles.setdefault(r[1], r[3][0] if r[3] else None)
    chunks["document_subject"] = [titles[r[1]] for r in rows]
    chunks["chunk_id"] = [r[0] for r in rows]
    chunks["document_key"] = [r[1] for r in rows]
    pairs = generate_pairs_offline(chunks)
    assert len(pairs) >= len(chunks) // 2
    texts = dict(zip(chunks["chunk_id"], chunks["text"], strict=True))
    for row in pairs.itertuples():
        assert check_grounding(row.answer, texts[row.chunk_id]).ok, row.answer
        assert standalone_issues(row.question) == [], row.question
    # The corpus's one table stacks two models' figures in each cell ("0.965 0.969"): no cell
    # under its header, so no table question (test_a_table_with_two_figures_in_a_cell_...).
    assert {"definition", "numeric", "factual"} <= set(pairs["question_type"])


def test_names_keep_their_capital_even_when_an_address_spells_them_lowercase():
    text = (
        "## Booking travel\n\nThis policy explains how Acme Corp employees book flights, hotels "
        "and rail travel for business trips, and which fares they may choose. "
        "Questions go to travel@acme.example. Acme Corp reviews the policy every 12 months."
    )
    chunks = pd.DataFrame(
        [
            {
                "chunk_id": "acme-c0000",
                "document_key": "acme-travel-policy-33afdff2bb72",
                "content_hash": "h",
                "chunk_index": 0,
                "heading_path": ["Acme Corp Travel Policy", "Purpose"],
                "document_subject": "Acme Corp Travel Policy",
                "text": text,
            }
        ]
    )
    questions = " ".join(generate_pairs_offline(chunks)["question"])
    assert questions and "acme Corp" not in questions


CREW_AND_SAFETY = """### 3.2 Crew

A Division A boat sails with 3 to 5 crew, including the skipper, and the total crew weight may
not exceed 400 kg. A Division B boat sails with 3 or 4 crew. Every crew member must wear a
personal flotation device when the wind is above 20 knots or when the Race Committee flies flag Y.

### 3.3 Safety equipment

Every boat carries a VHF radio tuned to channel 72, an anchor with at least 20 metres of line, a
first aid kit, a bucket or bailer, and a throwable rescue line. Each skipper checks in with the
Race Committee boat before the first warning signal of the day.
"""
# The same two sections, the chunk opening mid-way through 3.2 Crew (after a max_tokens cut).
CREW_TAIL_AND_SAFETY = CREW_AND_SAFETY.split("\n\n", 1)[1]


@pytest.mark.parametrize(
    ("text", "heading_path"),
    [
        # heading_path as the chunker now sets it (the section holding the whole chunk) ...
        (CREW_AND_SAFETY, ["Harbor Sailing League Rulebook 2026", "3. Equipment"]),
        (CREW_TAIL_AND_SAFETY, ["Harbor Sailing League Rulebook 2026", "3. Equipment"]),
        # ... and as it used to be (the section at the chunk's start).
        (CREW_AND_SAFETY, ["Harbor Sailing League Rulebook 2026", "3. Equipment", "3.2 Crew"]),
    ],
)
def test_questions_name_the_section_their_answer_comes_from(text, heading_path):
    chunks = make_chunks([text], [heading_path], subject="Harbor Sailing League Rulebook 2026")
    pairs = generate_pairs_offline(chunks, max_pairs_per_chunk=8)
    second_section = text.index("### 3.3 Safety equipment")

    def section_of(evidence: str) -> str:
        return "safety" if text.index(evidence[:40]) > second_section else "crew"

    sections = [section_of(e) for e in pairs["evidence"]]
    assert "safety" in sections and "crew" in sections  # both sections are asked about
    for question, section in zip(pairs["question"], sections, strict=True):
        other = "safety" if section == "crew" else "crew"
        assert other not in question.lower(), question


def test_a_question_heading_is_not_used_as_a_topic_inside_another_question():
    faq = """### Which laptop will I receive?

New engineers receive a 16-inch laptop with 32 GB of memory and 1 TB of storage. All other roles
receive a 14-inch laptop with 16 GB of memory and 512 GB of storage.

| System | Ready within |
|---|---|
| Email | 1 business day |
| Travel portal | 2 business days |
"""
    pairs = generate_pairs_offline(
        make_chunks(
            [faq],
            [["New Hire IT Onboarding FAQ", "Before your first day"]],
            "New Hire IT Onboarding FAQ",
        ),
        8,
    )
    non_factual = pairs[pairs["question_type"] != "factual"]
    # (the table has no caption and its only heading is the FAQ's question: no table question)
    assert "numeric" in set(non_factual["question_type"])
    for question in non_factual["question"]:
        assert "laptop will I receive" not in question, question


def test_a_hash_line_in_a_code_fence_is_no_section_heading():
    text = """## Installation

The installer copies the driver files into the system folder, registers the pump service
with the operating system and writes a default configuration for the connected pump.

```sh
# Uninstall notes
make install
```

The service starts automatically after the next reboot of the machine.
"""
    chunks = make_chunks([text], [["Pump Manual", "Installation"]], subject="Pump Manual")
    pairs = generate_pairs_offline(chunks, 8)
    assert not pairs.empty
    assert not pairs["question"].str.contains("Uninstall").any()
    assert pairs["question"].str.contains("Installation").any()


def test_questions_name_the_document_subject_and_skip_what_the_judges_reject():
    text = (
        "## Dividend policy\n\nThe board proposes a final dividend of 12 pence per share, paid "
        "in July to shareholders on the register in June. The policy is reviewed every year.\n\n"
        "| 598 | As at 31 March 2021 | 456 |\n| --- | --- | --- |\n"
        "| Net book value | 1,204 | 1,118 |\n| Depreciation | 88 | 80 |\n"
    )
    chunks = make_chunks([text], [["Annual report", "Dividend policy"]])
    without = generate_pairs_offline(chunks)
    chunks["document_subject"] = "Northwind Holdings plc"
    pairs = generate_pairs_offline(chunks)
    assert any("Northwind Holdings plc" in q for q in pairs["question"])
    assert not any("Northwind" in q for q in without["question"])
    # The data-value header row yields no table question ("What is the 598 for ...?").
    assert not any("598" in q for q in pairs["question"])
    assert "table" not in set(pairs["question_type"])


def test_duties_and_permissions_are_asked_no_question():
    # US DOJ, Handbook for Chapter 13 Standing Trustees (public domain). "What must the standing
    # trustee obtain regarding REQUIRED INSURANCE?" was asked of each duty; none of the six such
    # pairs of held-out reads 5-9 was training signal, so no duty becomes a question.
    text = (
        "## REQUIRED INSURANCE\n\n"
        "The standing trustee must obtain a reasonable amount of fidelity coverage on "
        "employees. A standing trustee must pay all approved actual and necessary expenses "
        "before receiving compensation. The standing trustee must notify the United States "
        "Trustee of any claim on the bond. The records must show the financial position as of "
        "a certain date. Appropriate action may include referral to the United States Trustee.\n"
    )
    chunks = make_chunks(
        [text, text.replace("## REQUIRED INSURANCE\n\n", "")],
        [["Handbook", "REQUIRED INSURANCE"]] * 2,
        subject="Handbook",
    )
    questions = list(generate_pairs_offline(chunks, 8)["question"])
    assert not any(
        re.search(r"\bwhat (?:must|may|should)\b", q, re.IGNORECASE) for q in questions
    ), questions


def test_a_chunks_protagonist_is_no_topic_one_sentence_answers():
    # Named in sentence after sentence, "the standing trustee" is what the whole chunk is about:
    # "What does bond state about the standing trustee?" would take one sentence for the answer.
    text = (
        "## Bond\n\nThe standing trustee must keep a bond of $50,000. The standing trustee files "
        "12 reports a year. The standing trustee must pay 3 clerks.\n"
    )
    pairs = generate_pairs_offline(make_chunks([text], [["Handbook", "Bond"]], "Handbook"), 8)
    assert not any("about the standing trustee" in q for q in pairs["question"])


def test_continued_headings_keep_their_name_and_column_headers_are_no_topic() -> None:
    from sdg_pipeline.generate.offline_reading import question_topic

    # read 16: a table carried over a page break asked "in ... Transmit Numbers, continued?"
    assert question_topic("Export Change Table Values for Field Transmit Numbers, continued") == (
        "Export Change Table Values for Field Transmit Numbers"
    )
    assert question_topic("NOTES TO FINANCIAL STATEMENTS (continued)") == (
        "NOTES TO FINANCIAL STATEMENTS"
    )
    assert question_topic('"In Harm\'s Way" continued from page 21') == '"In Harm\'s Way"'
    assert question_topic("Continued") is None
    assert question_topic("Loss from discontinued operations") == (
        "Loss from discontinued operations"
    )
    # "#### % Change" over a filing's table: a column header set as a heading
    assert question_topic("% Change") is None
    assert question_topic("$ Change") is None


def test_a_section_opening_on_a_caption_is_not_what_the_section_says():
    caption = """## Long Context Capabilities

Table 11: Performances of Qwen2-Instruct models on our in-house English automatic evaluation
benchmark, with scores averaged over five runs of every model and every one of the tasks.
"""
    prose = caption.replace("Table 11: Performances", "The performances")
    asked = []
    for text in (caption, prose):
        pairs = generate_pairs_offline(
            make_chunks(
                [text],
                [["Qwen2 Technical Report", "Long Context Capabilities"]],
                "Qwen2 Technical Report",
            ),
            8,
        )
        asked.append(any("say about" in q for q in pairs["question"]))
    assert asked == [False, True]


def test_a_date_heading_is_no_section() -> None:
    from sdg_pipeline.generate.offline_reading import question_topic

    # "... in the context of December 31, 2022?" (read 17): a period column set as a heading
    for heading in ("December 31, 2022", "31 March 2021", "As at 31 March 2021", "Fiscal 2022"):
        assert question_topic(heading) is None, heading
    assert question_topic("Results of 2022") == "Results of 2022"
    assert question_topic("Mayflower Compact") == "Mayflower Compact"


def test_a_chunk_opening_mid_section_is_not_asked_what_the_section_says() -> None:
    # read 40: "Revenue miles", a heading 70 lines up, over a paragraph on net income
    text = (
        "The Company reported net income of $7,190,000, or $1.98 per share, compared to "
        "$625,000, or $.18 per share, in the same period last year, helped by real estate sales."
    )
    path = [["Patriot Transportation Holding Annual Report", "Revenue miles"]]
    subject = "Patriot Transportation Holding"
    first = generate_pairs_offline(make_chunks([text], path, subject))
    assert any("say about Revenue miles" in q for q in first["question"])
    later = make_chunks([text], path, subject)
    later["chunk_index"] = [3]
    asked = generate_pairs_offline(later)["question"]
    assert not any("say about Revenue miles" in q for q in asked)
