"""Replies the recipe steps ask for (summaries, conversations, restyled answers, rubric
verdicts), as pydantic models: the request schema and the validation in one place."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict

from sdg_pipeline.llm.replies import GeneratedPair, request_schema


def _text(value: Any) -> str:
    return str(value or "").strip()


Text = Annotated[str, BeforeValidator(_text)]


class SummaryReply(BaseModel):
    summary: Text


class Turn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: Literal["user", "assistant"]
    content: Text


class ConversationReply(BaseModel):
    turns: list[Turn]


class RestyledAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    answer: Text


class RestyleReply(BaseModel):
    answers: list[RestyledAnswer]


class EvolvedPair(GeneratedPair):
    id: int = 0


class EvolveReply(BaseModel):
    pairs: list[EvolvedPair]


class RubricVerdict(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    passed: bool
    reason: Text = ""


class RubricReply(BaseModel):
    verdicts: list[RubricVerdict]


SUMMARY_SCHEMA = request_schema(SummaryReply)
CONVERSATION_SCHEMA = request_schema(ConversationReply)
RESTYLE_SCHEMA = request_schema(RestyleReply)
EVOLVE_SCHEMA = request_schema(EvolveReply)
RUBRIC_SCHEMA = request_schema(RubricReply)
