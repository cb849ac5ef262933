import pytest

from sdg_pipeline.export.formats import (
    CONTEXT_PROMPT,
    exchange_from_row,
    render,
    validate_alpaca_line,
    validate_line,
    validate_sharegpt_line,
)

MESSAGES = [
    {"role": "system", "content": "Stored system."},
    {"role": "user", "content": "What is X?"},
    {"role": "assistant", "content": "X is Y."},
]


def test_stored_messages_render_as_openai_chat():
    ex = exchange_from_row(MESSAGES, "What is X?", "X is Y.", "chunk", None, False)
    assert render(ex, "openai", False) == {"messages": MESSAGES}


def test_configured_system_prompt_replaces_the_stored_one():
    ex = exchange_from_row(MESSAGES, "What is X?", "X is Y.", "chunk", "Be exact.", False)
    out = render(ex, "openai", False)
    assert out["messages"][0] == {"role": "system", "content": "Be exact."}
    assert len(out["messages"]) == 3


def test_missing_messages_fall_back_to_question_and_answer():
    ex = exchange_from_row(None, "Q?", "A.", None, None, False)
    assert render(ex, "openai", False) == {
        "messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A."}]
    }


def test_context_in_prompt_puts_the_chunk_before_the_question():
    ex = exchange_from_row(MESSAGES[1:], "What is X?", "X is Y.", " The chunk. ", None, True)
    user = render(ex, "openai", True)["messages"][0]["content"]
    assert user == CONTEXT_PROMPT.format(context="The chunk.", question="What is X?")
    alpaca = render(ex, "alpaca", True)
    assert (alpaca["instruction"], alpaca["input"]) == ("What is X?", "The chunk.")


def test_alpaca_and_sharegpt_shapes():
    ex = exchange_from_row(MESSAGES, "What is X?", "X is Y.", None, None, False)
    assert render(ex, "alpaca", False) == {
        "instruction": "What is X?",
        "input": "",
        "output": "X is Y.",
        "system": "Stored system.",
    }
    assert render(ex, "sharegpt", False) == {
        "conversations": [
            {"from": "system", "value": "Stored system."},
            {"from": "human", "value": "What is X?"},
            {"from": "gpt", "value": "X is Y."},
        ]
    }
    for fmt in ("openai", "alpaca", "sharegpt"):
        assert validate_line(render(ex, fmt, False), fmt) == []


@pytest.mark.parametrize(
    "obj",
    [
        {"instruction": "Q", "output": "A"},
        {"instruction": "", "input": "", "output": "A"},
        {"instruction": "Q", "input": 3, "output": "A"},
        "text",
    ],
)
def test_bad_alpaca_lines(obj):
    assert validate_alpaca_line(obj)


@pytest.mark.parametrize(
    "obj",
    [
        {"conversations": []},
        {"conversations": [{"from": "gpt", "value": "A"}]},
        {"conversations": [{"from": "human", "value": "Q"}]},
        {"conversations": [{"from": "human", "value": "Q"}, {"from": "human", "value": "Q"}]},
        {"conversations": [{"from": "user", "value": "Q"}, {"from": "gpt", "value": "A"}]},
        {"conversations": [{"from": "human", "value": ""}, {"from": "gpt", "value": "A"}]},
    ],
)
def test_bad_sharegpt_lines(obj):
    assert validate_sharegpt_line(obj)
