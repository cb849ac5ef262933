"""Reading Markdown text: the one block parser and the one sentence splitter.

`blocks` turns Markdown into blocks (headings with their level, paragraphs, list items, tables,
code, HTML) with exact character offsets, parsed by markdown-it-py as CommonMark plus pipe
tables; `sentences` cuts prose into sentences without breaking at abbreviations or decimals.
Chunking, the offline generator and the lexical judge all read Markdown through these, so a
fenced `# comment` or an "e.g." means the same thing to each of them. No Dagster here.
"""

from sdg_pipeline.text.blocks import Block, heading_titles, leaf_blocks, parse_blocks
from sdg_pipeline.text.sentences import abbreviated, sentence_spans

__all__ = [
    "Block",
    "abbreviated",
    "heading_titles",
    "leaf_blocks",
    "parse_blocks",
    "sentence_spans",
]
