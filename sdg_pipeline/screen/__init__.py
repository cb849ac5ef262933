"""Screening: what must never reach generation or the dataset, and what cannot teach anything.

`secrets` (detect-secrets plus credential assignments), `pii` (emails, phone and account
numbers, redacted), `injection` (text addressed to a model) and `triage` (tables of contents,
signatures, boilerplate, garbled text), each finding with a named reason.
"""
