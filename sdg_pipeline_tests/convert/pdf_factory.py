"""Small PDFs drawn with reportlab at known positions, so tests control the geometry."""

from __future__ import annotations

import io
import re

from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

PAGE_W, PAGE_H = 612, 792
BODY = ("Helvetica", 10)
LEADING = 13

INTRO = (
    "Reliable conversion keeps the words of a document and also its structure. This "
    "paragraph wraps over several lines so that the converter has to join them again into "
    "one paragraph, including a hyphen-"
    "ated word at a line end. It ends with a full stop."
)
SECOND = (
    "A second paragraph follows after extra vertical space. It is long enough to wrap onto "
    "a second line as well."
)
LEFT_COLUMN = (
    "The left column starts the story of the two column page and keeps going for a while so "
    "that it fills several lines of the narrow column before it stops in the middle of a"
)
RIGHT_COLUMN = (
    "sentence which the right column finishes. The right column then adds some more text of "
    "its own, and ends properly."
)


class Writer:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=(PAGE_W, PAGE_H))
        self.y = PAGE_H - 100

    def text(self, x: float, y: float, text: str, font=BODY) -> None:
        self.canvas.setFont(*font)
        self.canvas.drawString(x, y, text)

    def heading(self, text: str, size: int = 15) -> None:
        self.y -= 10
        self.text(72, self.y, text, ("Helvetica-Bold", size))
        self.y -= size + 10

    def paragraph(self, text: str, x: float = 72, width: float = 460) -> None:
        for line in simpleSplit(text, *BODY, width):
            self.text(x, self.y, line)
            self.y -= LEADING
        self.y -= 10

    def bullet(self, text: str, glyph: str = "\u2022", glyph_font: str = "Helvetica") -> None:
        lines = simpleSplit(text, *BODY, 420)
        self.text(90, self.y, glyph, (glyph_font, 10))
        for line in lines:
            self.text(108, self.y, line)
            self.y -= LEADING
        self.y -= 2

    def furniture(self, page_no: int) -> None:
        self.text(72, PAGE_H - 40, "ACME Quarterly Review - internal draft", ("Helvetica", 8))
        self.text(PAGE_W / 2, 40, str(page_no), ("Helvetica", 8))

    def new_page(self) -> None:
        self.canvas.showPage()
        self.y = PAGE_H - 100

    def pdf(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()


def structured_pdf() -> bytes:
    """Two pages: headings, paragraphs, lists, a table, furniture, and two columns."""
    w = Writer()
    w.furniture(1)
    w.heading("1 Introduction", 16)
    w.paragraph(INTRO)
    w.paragraph(SECOND)
    w.heading("2 Methods")
    w.paragraph("The steps are listed below.")
    w.bullet(
        "First bullet item with enough words to wrap onto a second line of the page "
        "so that continuation lines are indented under the text of the item."
    )
    w.bullet("Second bullet item drawn with a dingbat glyph.", glyph="l", glyph_font="ZapfDingbats")
    w.y -= 8
    w.text(72, w.y, "1. Alpha step comes first.")
    w.y -= LEADING
    w.text(72, w.y, "2. Beta step comes second.")
    w.y -= 2 * LEADING
    w.heading("3 Results")
    columns = [72, 200, 300, 400]
    rows = [
        ["Model", "Accuracy", "Recall", "Latency"],
        ["alpha", "0.91", "0.88", "12 ms"],
        ["beta", "0.87", "0.93", "9 ms"],
        ["gamma", "0.79", "0.81", "4 ms"],
    ]
    for row in rows:
        for x, cell in zip(columns, row, strict=True):
            w.text(x, w.y, cell)
        w.y -= 16
    w.y -= 10
    w.paragraph("The table above compares three models.")
    w.new_page()
    w.furniture(2)
    w.heading("4 Discussion")
    top = w.y
    w.paragraph(LEFT_COLUMN, x=72, width=220)
    w.y = top
    w.paragraph(RIGHT_COLUMN, x=320, width=220)
    return w.pdf()


def text_pdf(pages: int = 1, text: str = "Hello from a generated page.") -> bytes:
    w = Writer()
    for page in range(pages):
        if page:
            w.new_page()
        w.paragraph(f"{text} Page {page + 1}.")
    return w.pdf()


def image_only_pdf() -> bytes:
    """A 'scanned' page: a picture and no text layer."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (200, 100), (200, 30, 30))
    w = Writer()
    w.canvas.drawImage(ImageReader(image), 72, 500, width=400, height=200)
    return w.pdf()


def encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt

    buffer = io.BytesIO()
    c = canvas.Canvas(
        buffer, encrypt=pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner")
    )
    c.drawString(72, 720, "Confidential text.")
    c.showPage()
    c.save()
    return buffer.getvalue()


def justified(w: Writer, lines: list[str], x: float = 72, width: float | None = None) -> None:
    """Draw `lines` as one justified paragraph: every line but the last ends at the margin."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width = width or max(stringWidth(line, *BODY) for line in lines)
    for i, line in enumerate(lines):
        text = w.canvas.beginText(x, w.y)
        text.setFont(*BODY)
        if i < len(lines) - 1 and line.count(" "):
            text.setWordSpace((width - stringWidth(line, *BODY)) / line.count(" "))
        text.textLine(line)
        w.canvas.drawText(text)
        w.y -= LEADING
    w.y -= 10


# Paragraphs whose wrapped lines begin with numbers that look like section numbers or
# enumerators, and one numbered paragraph: all running text, no headings or list items.
WRAPPED_NUMBERS = [
    "Boats must be keelboats with a hull length between seven and ten metres, and the class",
    "8.0 to 9.5 metres is the larger one of the two classes that race in the league this",
    "12. season; the smaller class sails the same course with a shorter time limit of one",
    "hour and fifteen minutes.",
]
NUMBERED_PARAGRAPH = [
    "2.1 The lessee pays the rent for each month in advance on the first working day of",
    "that month into the account named by the lessor in writing at the start of the lease.",
]


def wrapped_numbers_pdf() -> bytes:
    w = Writer()
    w.heading("Boats and classes")
    justified(w, WRAPPED_NUMBERS)
    justified(w, NUMBERED_PARAGRAPH)
    w.text(72, w.y, "4.2 Standalone numbered title")
    w.y -= LEADING + 10
    justified(w, ["The rules are listed below:"])
    for number, rule in enumerate(["Keep clear of the mark.", "Finish within the limit."], 1):
        w.text(72, w.y, f"{number}. {rule}")
        w.y -= LEADING
    return w.pdf()


def bold_body_pdf() -> bytes:
    """Helvetica-Bold at body size: standard fonts are not embedded, so only the real font
    name (not the /F1 resource key docling-parse reports) says it is bold."""
    w = Writer()
    w.paragraph("An opening paragraph in the regular body font, set at the body size.")
    w.text(72, w.y, "Key terms", ("Helvetica-Bold", 10))
    w.y -= LEADING
    w.paragraph("A term list follows the bold run-in label on the next line of the page.")
    return w.pdf()


def titled_pdf(numbered: bool, title_twice: bool = False) -> bytes:
    """A 20 pt title, 14 pt sections and 12 pt subsections, numbered or not."""
    w = Writer()
    w.heading("Harbour Operations Manual", 20)
    w.paragraph("Issued by the harbour office for all berth holders and visitors.")
    sections = [("1. ", "Purpose"), ("2. ", "Berths"), ("2.1 ", "Visitor berths")]
    for prefix, name in sections:
        size = 12 if "." in prefix.strip(". ") else 14
        w.heading((prefix if numbered else "") + name, size)
        w.paragraph("Berth holders follow the directions of the harbour master at all times.")
    if title_twice:
        w.heading("Harbour Appendix", 20)
        w.paragraph("Tables of tide times and fees are kept in the harbour office.")
    return w.pdf()


REPORT = (
    "The quarterly report shows that revenue grew in every region while costs stayed flat. "
    "Sales teams opened new offices in three cities and hired forty engineers. The board "
    "approved the budget for the next year and asked for a review of travel expenses."
)


def broken_font_pdf(text: str = REPORT) -> bytes:
    """Text drawn in an embedded TrueType font whose ToUnicode map sends every glyph to the
    private-use area: the page renders correctly, its text layer is glyph soup (the kind of
    file a broken font subsetter produces)."""
    from pathlib import Path

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    pdfmetrics.registerFont(TTFont("Vera", str(vera)))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=0)
    y = PAGE_H - 100
    for line in simpleSplit(text, "Vera", 12, 460):
        c.setFont("Vera", 12)
        c.drawString(72, y, line)
        y -= 16
    c.showPage()
    c.save()
    data = buffer.getvalue()
    start = data.index(b"beginbfchar")
    end = data.index(b"endbfchar", start)
    # Same length per entry, so the cross-reference offsets stay valid.
    broken = re.sub(rb"<([0-9A-F]{2})> <[0-9A-F]{4}>", rb"<\1> <E0\1>", data[start:end])
    return data[:start] + broken + data[end:]


def scanned_pdf(data: bytes, dpi: int = 150) -> bytes:
    """The pages of `data` as pictures only (no text layer), as a scanner would make them."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    images = [page.render(scale=dpi / 72).to_pil().convert("L") for page in document]
    document.close()
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return buffer.getvalue()


def bar_chart_pdf() -> bytes:
    """A report page with a bar chart: framed plot, gridlines, filled bars, value labels on
    the bars, an axis of figures and a row of category names: no table."""
    w = Writer()
    w.heading("Revenue by region")
    w.paragraph("The chart below shows revenue per region for the last financial year.")
    c = w.canvas
    x0, y0, width, height = 110, 380, 400, 220
    c.setLineWidth(0.5)
    c.rect(x0, y0, width, height, stroke=1, fill=0)
    for i in range(1, 5):
        y = y0 + i * height / 5
        c.line(x0, y, x0 + width, y)
    for i in range(6):
        w.text(x0 - 28, y0 + i * height / 5 - 3, f"{i * 20}")
    regions = ["North", "South", "East", "West", "Central"]
    values = [72, 55, 91, 38, 64]
    for i, (name, value) in enumerate(zip(regions, values, strict=True)):
        bx = x0 + 20 + i * 76
        c.setFillGray(0.5)
        c.rect(bx, y0, 40, value / 100 * height, stroke=0, fill=1)
        c.setFillGray(0)
        w.text(bx + 10, y0 + value / 100 * height + 4, str(value))
        w.text(bx + 5, y0 - 14, name)
    w.y = y0 - 50
    w.paragraph("East grew fastest; West fell behind the plan for the second year running.")
    return w.pdf()


def ruled_table_pdf() -> bytes:
    """A bordered table as a word processor exports it: a two-level header ("Revenue" over
    "2022 | 2023"), a unit row, and figures."""
    w = Writer()
    w.heading("Results")
    c = w.canvas
    columns = [72, 200, 300, 400]
    rows_y = [640, 622, 604, 586, 568, 550]
    c.setLineWidth(0.5)
    for y in rows_y:
        c.line(columns[0], y, columns[-1], y)
    for x in columns:
        c.line(x, rows_y[0], x, rows_y[-1])
    cells = [
        ["Region", "Revenue", ""],
        ["", "2022", "2023"],
        ["", "£'000", "£'000"],
        ["North", "1,200", "1,350"],
        ["South", "980", "1,015"],
    ]
    for r, row in enumerate(cells):
        for i, text in enumerate(row):
            if text:
                w.text(columns[i] + 4, rows_y[r] - 13, text)
    w.y = rows_y[-1] - 30
    w.paragraph("Both regions grew.")
    return w.pdf()


# A paragraph whose last line has no letter above the x-height ("a run."), and a second
# whose last line is one x-height word: their word boxes are a third lower than the others'.
SHORT_TAILS = [
    [
        "The crew checks the rigging every morning before the boats leave the harbour, and",
        "the skipper signs the log when the checks are done so that nothing is missed on",
        "a run.",
    ],
    [
        "Every sail is folded and stored dry after the race so that mould cannot grow in it",
        "over the winter months, which would ruin the cloth far sooner than wear does to",
        "sacrum.",
    ],
]


def short_tails_pdf() -> bytes:
    w = Writer()
    for lines in SHORT_TAILS:
        justified(w, lines)
    return w.pdf()
