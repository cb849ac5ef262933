"""Chunking: heading-aware, token-bounded pieces of a document's Markdown, with exact offsets."""

from sdg_pipeline.chunk.chunker import CHUNKER_VERSION, Chunk, chunk_markdown

__all__ = ["CHUNKER_VERSION", "Chunk", "chunk_markdown"]
