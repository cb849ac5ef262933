"""What a saved web page's links leave in its Markdown: link text, not link targets.

docling's HTML backend keeps every hyperlink, so a Wikipedia paragraph reads
"[intrauterine devices](/wiki/Intrauterine_device) ... [[ 63 ]](#cite_note-63)" and each section
heading carries "[ [edit](/w/index.php?...) ]". For training data a link's target is noise and a
footnote marker or an edit button is page furniture: the pairs written from such text were
rejected for citation markup (a Wikipedia page of 237 content chunks gave 13 accepted pairs).
The document keeps its structure; only the markers go, and links are serialized as their text
with docling's own `include_hyperlinks` switch.
"""

from __future__ import annotations

import re
from typing import Any

# "#cite_note-63", "#fn:3", "#footnote-2", "#ref_12": a jump to a footnote or a reference entry
# ("#references", "#refund-policy": a jump to a section, whose link text is content)
_NOTE_TARGET = re.compile(
    r"^#(?:cite_note|cite_ref)\b|^#(?:fn|fnref|footnote|ref|endnote)[-_:]?\d", re.I
)
_EDIT_TARGET = re.compile(r"[?&]action=edit\b")


def is_page_furniture_link(target: str) -> bool:
    """A footnote marker's or an edit button's link target."""
    return bool(_NOTE_TARGET.match(target) or _EDIT_TARGET.search(target))


def drop_furniture_links(document: Any) -> None:
    """Deletes the text items that are footnote markers or edit buttons."""
    doomed = [
        item
        for item, _ in document.iterate_items()
        if getattr(item, "hyperlink", None) is not None
        and is_page_furniture_link(str(item.hyperlink))
    ]
    if doomed:
        document.delete_items(node_items=doomed)


# "[ ]" where an edit button stood; "control ." where an inline link ended before a full stop;
# "## Methods [ edit ]": a heading's text holds its button's label (no item of its own)
_EMPTY_BRACKETS = re.compile(r"[ \t]*\[\s*\][ \t]*")
_HEADING_EDIT = re.compile(r"(?i)^(#{1,6}\s.*?)\s*\[\s*edit(?: source)?\s*\]\s*$")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=[\w)\]”\"'])[ \t]+(?=[.,;:!?](?:\s|$))")


def tidy_inline_text(markdown: str) -> str:
    """The gaps the removed markers leave, outside code blocks and table rows."""
    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and not line.lstrip().startswith("|"):
            line = _HEADING_EDIT.sub(r"\1", line)
            line = _EMPTY_BRACKETS.sub(" ", line).rstrip()
            line = _SPACE_BEFORE_PUNCTUATION.sub("", line)
        out.append(line)
    return "\n".join(out)


def web_page_markdown(document: Any) -> str:
    """A converted web page as Markdown with link text only and no footnote or edit markers."""
    from docling_core.transforms.serializer.markdown import MarkdownDocSerializer, MarkdownParams

    drop_furniture_links(document)
    serializer = MarkdownDocSerializer(
        doc=document, params=MarkdownParams(include_hyperlinks=False)
    )
    return tidy_inline_text(serializer.serialize().text)
