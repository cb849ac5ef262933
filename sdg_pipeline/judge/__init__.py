"""Judging: every pair scored against its raw chunk (LLM or lexical), plus grounding checks."""
