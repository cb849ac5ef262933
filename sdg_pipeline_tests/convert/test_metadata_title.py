"""The file's metadata title reaches the conversion result and then the document subject."""

import io
import zipfile

from sdg_pipeline.convert import convert_document, media
from sdg_pipeline.convert.metadata import metadata_title
from sdg_pipeline.defs.chunks import chunk_document
from sdg_pipeline.defs.resources.settings import PipelineSettings
from sdg_pipeline_tests.expectations.frames import markdown_documents


def _pdf_with_title(title: str) -> bytes:
    """A one-page PDF with an Info dictionary, written by hand (offsets computed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (" + title.encode("latin-1") + b") >>",
    ]
    stream = b"BT /F1 12 Tf 72 720 Td (Pumps must be inspected every three months.) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _docx_core(title: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "docProps/core.xml",
            '<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y">'
            f"<dc:title>{title}</dc:title></cp:coreProperties>",
        )
    return buffer.getvalue()


def test_titles_are_read_from_each_format() -> None:
    assert metadata_title(_pdf_with_title("Pump Maintenance Manual"), media.PDF) == (
        "Pump Maintenance Manual"
    )
    assert metadata_title(_docx_core("Travel &amp; Expenses Policy"), media.DOCX) == (
        "Travel & Expenses Policy"
    )
    assert (
        metadata_title(
            b"<html><head><title>\n Acme  Annual Report 2021 </title></head></html>", media.HTML
        )
        == "Acme Annual Report 2021"
    )
    assert metadata_title(b"---\ntitle: Field Guide\n---\n# Intro\n", media.MARKDOWN) == (
        "Field Guide"
    )
    assert metadata_title(b"not a pdf", media.PDF) is None
    assert metadata_title(b"<html><body>no title</body></html>", media.HTML) is None


def test_the_conversion_result_carries_the_pdf_title() -> None:
    result = convert_document(_pdf_with_title("Pump Maintenance Manual"), "p.pdf")
    assert result.ok, result.error
    assert result.title == "Pump Maintenance Manual"
    front = convert_document(b"---\ntitle: Field Guide\n---\nSome text here.\n", "g.md")
    assert front.title == "Field Guide"
    assert "Field Guide" not in front.markdown


def test_the_metadata_title_becomes_the_document_subject() -> None:
    settings = PipelineSettings()
    text = "Pumps must be inspected every three months by a certified technician, who signs."
    frame, metadata = chunk_document(
        markdown_documents(text, title="Pump Maintenance Manual"), settings
    )
    assert set(frame["document_subject"]) == {"Pump Maintenance Manual"}
    assert metadata["document_subject"] == "Pump Maintenance Manual"
    # Documents converted before the title was kept have no such column value.
    frame, _ = chunk_document(markdown_documents(text, title=None), settings)
    assert frame["document_subject"].isna().all()


def test_a_document_naming_nothing_takes_its_file_name_when_the_text_bears_it_out() -> None:
    settings = PipelineSettings()
    text = "Twilio grew revenue in Q4 2023. Twilio Segment customers rose by 4% in the quarter."
    frame, metadata = chunk_document(
        markdown_documents(text, document_key="twilio-q4-2023-0123456789ab"), settings
    )
    assert set(frame["document_subject"]) == {"Twilio Q4 2023"}
    assert metadata["document_subject"] == "Twilio Q4 2023"
