"""The replies the pipeline asks an LLM for, as pydantic models.

Each model is both the JSON schema sent with the request (`request_schema`) and the validation
of the reply, so the two cannot drift apart. Validation is deliberately lenient where models are
sloppy in harmless ways (a synonym for a question type, a grade given as "4" or as a fraction,
quotes around a question) and strict where guessing would change meaning (an unknown
faithfulness label, a grade that is not a number).
"""

from __future__ import annotations

import copy
import re
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    WithJsonSchema,
)

from sdg_pipeline.llm.json_output import MalformedOutput, parse_json_object

QuestionType = Literal["factual", "numeric", "table", "definition", "conceptual", "reasoning"]
FaithfulnessLabel = Literal["supported", "partial", "unsupported"]
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)
FAITHFULNESS_LABELS: tuple[str, ...] = get_args(FaithfulnessLabel)

M = TypeVar("M", bound=BaseModel)

_SPACE = re.compile(r"\s+")
# Opening quote → its closing quote, for questions the model wrapped in quotes.
_QUOTE_PAIRS = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb"}
_CLOSING_QUOTES = "\"'\u201d\u2019\u00bb"
_MARK_INSIDE_QUOTES = re.compile(rf"(.*)\?([{_CLOSING_QUOTES}]+)", re.DOTALL)

_TYPE_SYNONYMS = {
    "numerical": "numeric",
    "number": "numeric",
    "quantitative": "numeric",
    "table lookup": "table",
    "table_lookup": "table",
    "lookup": "table",
    "fact": "factual",
    "definitional": "definition",
    "concept": "conceptual",
    "inference": "reasoning",
    "multi-hop": "reasoning",
}
_LABEL_SYNONYMS = {
    "faithful": "supported",
    "fully supported": "supported",
    "yes": "supported",
    "partially supported": "partial",
    "partially": "partial",
    "partly supported": "partial",
    "not supported": "unsupported",
    "unfaithful": "unsupported",
    "contradicted": "unsupported",
    "no": "unsupported",
}


def clean_question(value: Any) -> str:
    """The question as stored: single-spaced, without quotes wrapped around it, and with a '?'
    that sits inside closing quotes moved after them (the suite wants '?' last)."""
    question = _SPACE.sub(" ", str(value or "")).strip()
    while len(question) >= 2 and _QUOTE_PAIRS.get(question[0]) == question[-1]:
        inner = question[1:-1]
        if question[0] in inner or question[-1] in inner:
            break  # 'a "b" c' style: the quotes are not a wrapper
        question = inner.strip()
    match = _MARK_INSIDE_QUOTES.fullmatch(question)
    if match:
        question = f"{match.group(1).rstrip()}{match.group(2)}?"
    return question


def normalise_question_type(value: Any) -> str:
    """A known question type; synonyms are mapped and anything else is 'factual', since the
    type only steers the mix and is never worth losing a pair over."""
    text = _SPACE.sub(" ", str(value or "")).strip().lower()
    if text in QUESTION_TYPES:
        return text
    return _TYPE_SYNONYMS.get(text, "factual")


def _plain_text(value: Any) -> str:
    return str(value or "").strip()


def _label(value: Any) -> str:
    text = str(value or "").strip().lower().replace("_", " ")
    label = text if text in FAITHFULNESS_LABELS else _LABEL_SYNONYMS.get(text)
    if label is None:
        raise ValueError(f"must be supported, partial or unsupported, got {value!r}")
    return label


def _grade(value: Any) -> float:
    """A 1-5 grade as 0..1; a fraction in [0, 1] given as a float is taken as already scaled."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number from 1 to 5, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"must be a number from 1 to 5, got {value!r}") from None
    if isinstance(value, float) and 0.0 <= number <= 1.0 and not number.is_integer():
        return number
    return (min(5.0, max(1.0, number)) - 1.0) / 4.0


# What the model is asked for is a 1-5 integer; what validation keeps is the 0..1 score.
Grade = Annotated[
    float,
    BeforeValidator(_grade),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 5}),
]


class GeneratedPair(BaseModel):
    """One question-answer pair; `evidence` is the model's claim, located in the chunk later."""

    model_config = ConfigDict(extra="ignore")

    question: Annotated[str, BeforeValidator(clean_question)] = ""
    answer: Annotated[str, BeforeValidator(_plain_text)] = ""
    question_type: Annotated[QuestionType, BeforeValidator(normalise_question_type)] = "factual"
    evidence: Annotated[str, BeforeValidator(_plain_text)] = ""


class GenerationReply(BaseModel):
    pairs: list[GeneratedPair]


def _passage_number(value: Any) -> int:
    try:
        return int(str(value).strip().strip("#"))
    except (TypeError, ValueError):
        return 0


class PackedPair(GeneratedPair):
    """A pair of a request that carried several passages: `passage` names the one it is from
    (0 when the model left it out or gave no number: such a pair is dropped, not guessed)."""

    passage: Annotated[int, BeforeValidator(_passage_number)] = 0


class PackedGenerationReply(BaseModel):
    pairs: list[PackedPair]


def _fact_list(value: Any) -> Any:
    # Numbers are facts too; nulls, objects and blank strings are noise, not a reason to re-ask.
    if not isinstance(value, list):
        return value
    kept = [str(v).strip() for v in value if isinstance(v, str | int | float)]
    return [v for v in kept if v]


class FactsReply(BaseModel):
    facts: Annotated[list[str], BeforeValidator(_fact_list)]


class JudgeVerdict(BaseModel):
    """One pair's verdict; relevancy and standalone hold the grade scaled to 0..1."""

    model_config = ConfigDict(extra="ignore")

    id: int
    faithfulness: Annotated[FaithfulnessLabel, BeforeValidator(_label)]
    relevancy: Grade
    standalone: Grade
    reason: Annotated[str, BeforeValidator(_plain_text)] = ""


class JudgeReply(BaseModel):
    verdicts: list[JudgeVerdict]


# Docstrings and defaults are for readers of this module; sent, they would only cost tokens.
_DROPPED_KEYS = ("title", "default", "description", "$defs")


def _strict(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_strict(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _strict(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    out = {k: _strict(v, defs) for k, v in node.items() if k not in _DROPPED_KEYS}
    if out.get("type") == "object" and "properties" in out:
        # Strict structured output wants every property required and no others allowed.
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


def request_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema as a strict `response_format` wants it: references inlined,
    every property required, no extra properties, no titles, descriptions or defaults."""
    schema = copy.deepcopy(model.model_json_schema())
    return _strict(schema, schema.get("$defs", {}))


GENERATION_SCHEMA = request_schema(GenerationReply)
PACKED_GENERATION_SCHEMA = request_schema(PackedGenerationReply)
FACTS_SCHEMA = request_schema(FactsReply)
JUDGE_SCHEMA = request_schema(JudgeReply)


def describe_errors(error: ValidationError) -> str:
    """A short account of a validation error, fit to quote in a re-ask prompt."""
    parts = []
    for item in error.errors(include_url=False, include_input=False)[:5]:
        where = ".".join(str(p) for p in item["loc"]) or "reply"
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def validate_reply(model: type[M], data: Any) -> M:
    """`model.model_validate(data)`, with a failure raised as MalformedOutput for the re-ask."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise MalformedOutput(describe_errors(exc)) from None


def parse_reply(model: type[M], text: str | None, list_key: str) -> M:
    """The reply text as `model`: the JSON is found in prose or fences first (json_output),
    then validated."""
    return validate_reply(model, parse_json_object(text, list_key))
