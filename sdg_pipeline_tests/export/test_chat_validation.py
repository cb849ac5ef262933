import json

import pytest

from sdg_pipeline.export import validate_chat_line

GOOD = [
    {"messages": [{"role": "user", "content": "Q?"}, {"role": "assistant", "content": "A."}]},
    {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Q?"},
            {"role": "assistant", "content": "A.", "weight": 1},
            {"role": "user", "content": "More?"},
            {"role": "assistant", "content": "B.", "weight": 0},
        ]
    },
    {
        "messages": [
            {"role": "user", "content": "Weather?"},
            {
                "role": "assistant",
                "content": None,
                "function_call": {"name": "w", "arguments": "{}"},
            },
            {"role": "function", "name": "w", "content": "sunny"},
            {"role": "assistant", "content": "Sunny."},
        ]
    },
]


@pytest.mark.parametrize("obj", GOOD)
def test_valid_examples_have_no_problems(obj):
    assert validate_chat_line(obj) == []
    assert validate_chat_line(json.dumps(obj)) == []  # the raw line is parsed first


USER = {"role": "user", "content": "Q?"}
ASSISTANT = {"role": "assistant", "content": "A."}
BAD = [
    (["messages"], "data_type"),
    ({}, "missing_messages_list"),
    ({"messages": []}, "missing_messages_list"),
    ({"messages": "hi"}, "missing_messages_list"),
    ({"messages": [USER, "text"]}, "data_type"),
    ({"messages": [{"role": "user"}, ASSISTANT]}, "message_missing_key"),
    ({"messages": [{"content": "Q?"}, ASSISTANT]}, "message_missing_key"),
    ({"messages": [{**USER, "extra": 1}, ASSISTANT]}, "message_unrecognized_key"),
    ({"messages": [{"role": "human", "content": "Q?"}, ASSISTANT]}, "unrecognized_role"),
    ({"messages": [{"role": "user", "content": ""}, ASSISTANT]}, "missing_content"),
    ({"messages": [{"role": "user", "content": "  "}, ASSISTANT]}, "missing_content"),
    ({"messages": [{"role": "user", "content": ["Q?"]}, ASSISTANT]}, "missing_content"),
    ({"messages": [USER, {"role": "assistant", "content": None}]}, "missing_content"),
    ({"messages": [{"role": "system", "content": "S"}, USER]}, "example_missing_assistant"),
    ({"messages": [USER, {**ASSISTANT, "weight": 2}]}, "invalid_weight"),
    ({"messages": [{**USER, "weight": 1}, ASSISTANT]}, "invalid_weight"),
    ("{not json", "not valid JSON"),
]


@pytest.mark.parametrize(("obj", "problem"), BAD)
def test_invalid_examples_name_their_problem(obj, problem):
    problems = validate_chat_line(obj)
    assert any(problem in p for p in problems), problems


def test_token_ceiling_is_optional():
    obj = {"messages": [USER, {"role": "assistant", "content": "word " * 200}]}
    assert validate_chat_line(obj) == []
    assert any("too_long" in p for p in validate_chat_line(obj, max_tokens=100))
    assert validate_chat_line(obj, max_tokens=1000) == []
