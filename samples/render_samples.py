"""Render the bundled sample PDFs that the pipeline demo runs over.

Usage: python samples/render_samples.py [output_dir]   (default: samples/documents)

The content lives in this file as plain data, so the PDFs can be rebuilt byte for byte:
reportlab's invariant mode pins the creation date and document ID, and nothing here is random.
Text is kept to plain ASCII plus the bullet glyph so every character maps cleanly through
Helvetica's WinAnsi encoding and extracts without ligature or encoding junk.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

# Pins /CreationDate, /ModDate and /ID so re-rendering yields identical files.
rl_config.invariant = 1

DOCUMENTS_DIR = Path(__file__).resolve().parent / "documents"

# A block is (kind, payload). Kinds: title, subtitle, h1, h2, p, bullets, numbered, table.
Block = tuple[str, object]


@dataclass(frozen=True)
class SampleDocument:
    """One sample PDF: its file name, running header text, content blocks and page count."""

    filename: str
    header: str
    author: str
    subject: str
    blocks: Sequence[Block]
    expected_pages: int


_BODY = ParagraphStyle("Body", fontName="Helvetica", fontSize=10.5, leading=14, spaceAfter=7)
_STYLES = {
    "title": ParagraphStyle(
        "Title", fontName="Helvetica-Bold", fontSize=20, leading=24, spaceAfter=6
    ),
    "subtitle": ParagraphStyle(
        "Subtitle",
        fontName="Helvetica",
        fontSize=9.5,
        leading=12,
        spaceAfter=14,
        textColor=colors.HexColor("#444444"),
    ),
    "h1": ParagraphStyle(
        "H1",
        fontName="Helvetica-Bold",
        fontSize=15,
        leading=19,
        spaceBefore=10,
        spaceAfter=6,
        keepWithNext=1,
    ),
    "h2": ParagraphStyle(
        "H2",
        fontName="Helvetica-Bold",
        fontSize=12.5,
        leading=16,
        spaceBefore=6,
        spaceAfter=4,
        keepWithNext=1,
    ),
    "p": _BODY,
}
_LIST_ITEM = ParagraphStyle("ListItem", parent=_BODY, spaceAfter=2)
_CELL = ParagraphStyle("Cell", fontName="Helvetica", fontSize=10, leading=12)
_CELL_HEAD = ParagraphStyle("CellHead", fontName="Helvetica-Bold", fontSize=10, leading=12)


TRAVEL_POLICY = SampleDocument(
    filename="acme_travel_policy.pdf",
    header="Acme Corp Travel and Expense Policy",
    author="Acme Corp Finance Operations",
    subject="Travel booking, per diem and expense reimbursement rules",
    expected_pages=3,
    blocks=[
        ("title", "Acme Corp Travel and Expense Policy"),
        (
            "subtitle",
            "Policy FIN-204, version 3.2. Effective 1 March 2026. "
            "Owner: Finance Operations. Next review: 1 March 2027.",
        ),
        ("h1", "1. Purpose"),
        (
            "p",
            "This policy explains how Acme Corp employees book business travel, which costs "
            "the company pays, and how expenses are claimed and reimbursed. It applies to all "
            "full-time and part-time employees, to interns, and to contractors who travel at "
            "the request of Acme. Managers approve trips before anything is booked. Finance "
            "Operations owns the policy and reviews it every 12 months; questions should be "
            "sent to the travel desk at travel@acme.example or raised in the Acme Travel "
            "Portal.",
        ),
        ("h1", "2. Booking travel"),
        (
            "p",
            "Every trip must be approved in the Acme Travel Portal at least 14 days before "
            "departure. A trip booked with less than 7 days of notice needs written approval "
            "from a vice president. Employees book through the portal or through the "
            "contracted agency, Northwind Travel, so that the company can locate every "
            "traveler in an emergency. Personal days may be added to a business trip only if "
            "they raise the airfare by no more than $150; any hotel nights for personal days "
            "are paid by the employee.",
        ),
        ("h2", "2.1 Flights"),
        (
            "p",
            "Economy class is required for flights under 6 hours. Premium economy is allowed "
            "for flights of 6 hours or longer. Business class is allowed only for flights "
            "longer than 10 hours and only with approval from the Chief Financial Officer. "
            "Tickets should be bought at least 21 days before departure whenever the trip "
            "dates are known. The company reimburses one checked bag per trip, up to $40 each "
            "way, and seat selection fees of up to $30 per flight. Frequent flyer miles belong "
            "to the employee, but choosing a more expensive flight in order to earn miles is "
            "not allowed.",
        ),
        ("h2", "2.2 Hotels"),
        (
            "p",
            "Hotels must be booked at or below the lodging cap for the destination city shown "
            "in Section 3. Employees should choose a preferred hotel from the portal, which "
            "lists negotiated rates at 240 properties. Stays longer than 14 consecutive nights "
            "should use a serviced apartment arranged by Northwind Travel. Room upgrades, "
            "minibar charges and in-room movies are not reimbursed. Reservations must be "
            "cancelled before the hotel deadline; a no-show fee is paid by the employee unless "
            "Acme cancelled the trip.",
        ),
        ("h2", "2.3 Ground transportation"),
        (
            "p",
            "Rental cars must be compact or intermediate class, and the tank must be refilled "
            "before the car is returned. Use of a personal car is reimbursed at $0.62 per "
            "mile, counted from the regular work location or from home, whichever is shorter. "
            "Taxis and rideshares are allowed for trips between the airport, the hotel and the "
            "business site. Airport parking is reimbursed up to $25 per day.",
        ),
        ("h1", "3. Per diem and meals"),
        (
            "p",
            "Meals on a business trip are covered by a daily per diem instead of itemized "
            "receipts. The standard meal per diem is $75 per day. On the first and the last "
            "day of a trip the employee receives 75 percent of the daily rate. When a meal is "
            "provided by a conference or a client, the per diem is reduced by $15 for "
            "breakfast, $20 for lunch and $30 for dinner. Alcohol is not reimbursed, except at "
            "client dinners approved in advance, where up to 2 drinks per person are allowed. "
            "Higher lodging caps and meal rates apply in the cities listed below; lodging caps "
            "are per night and exclude taxes.",
        ),
        (
            "table",
            [
                ["City", "Lodging cap", "Meals per day"],
                ["New York", "$325", "$95"],
                ["San Francisco", "$310", "$90"],
                ["Boston", "$280", "$85"],
                ["Chicago", "$245", "$80"],
                ["London", "$290", "$100"],
                ["Tokyo", "$260", "$90"],
                ["All other cities", "$180", "$75"],
            ],
        ),
        ("h1", "4. Reimbursement"),
        (
            "p",
            "Expense reports must be submitted in Acme Expense within 30 days of the return "
            "date. A report submitted more than 60 days after the return date is rejected "
            "unless a director approves the late submission. An itemized receipt is required "
            "for every expense of $25 or more, except per diem meals. Approved reports are paid "
            "by direct deposit within 10 business days. The following items are never "
            "reimbursed:",
        ),
        (
            "bullets",
            [
                "traffic tickets, parking fines and towing charges",
                "airline club memberships and airport lounge passes",
                "travel insurance beyond the coverage Acme already provides",
                "upgrades bought for personal comfort",
                "travel, meals or lodging for family members and guests",
                "lost luggage, lost personal items and late checkout fees",
            ],
        ),
        ("h2", "4.1 Corporate card"),
        (
            "p",
            "Employees who travel more than 4 times a year receive an Acme corporate card "
            "with a monthly limit of $5,000. Personal purchases on the card are not allowed; a "
            "personal purchase made by mistake must be repaid within 15 days. Cash "
            "withdrawals with the card are limited to $300 per trip.",
        ),
        ("h2", "4.2 Foreign currency"),
        (
            "p",
            "Expenses paid in a foreign currency are converted at the rate shown on the card "
            "statement. Cash expenses are converted at the rate that Finance publishes for the "
            "transaction date. Bank fees for currency exchange are reimbursed up to 3 percent "
            "of the amount exchanged.",
        ),
        ("h2", "4.3 Audits and repayment"),
        (
            "p",
            "Finance Operations audits a random 5 percent of expense reports every quarter, "
            "and every report above $2,500. Travelers must keep original receipts for 18 "
            "months after the return date. An amount paid in error, or an expense found to "
            "break this policy, must be repaid within 30 days of the audit notice; otherwise "
            "it is deducted from the next paycheck. Repeated or deliberate breaches are "
            "reported to Human Resources.",
        ),
        ("h1", "5. Definitions"),
        (
            "p",
            "A business trip is travel of more than 50 miles from the regular work location "
            "for Acme business, with or without an overnight stay.",
        ),
        (
            "p",
            "The return date is the day the employee arrives back at home or at the regular "
            "work location at the end of a business trip.",
        ),
        (
            "p",
            "Per diem means a fixed daily allowance for meals and incidental expenses that is "
            "paid without itemized receipts.",
        ),
        (
            "p",
            "A preferred hotel is a property with a rate negotiated by Acme and listed in the "
            "Acme Travel Portal.",
        ),
        (
            "p",
            "Incidental expenses are small costs on a trip such as tips for hotel staff, "
            "laundry on trips of 5 nights or more, and local public transport tickets.",
        ),
        (
            "p",
            "The regular work location is the Acme office named in the employment contract, "
            "or the home of an employee who works remotely full time.",
        ),
        (
            "p",
            "The approver is the direct manager of the traveler, or the cost center owner "
            "when the manager travels on the same trip.",
        ),
    ],
)


HARBOR_RULEBOOK = SampleDocument(
    filename="harbor_league_rulebook.pdf",
    header="Harbor Sailing League Rulebook 2026",
    author="Harbor Sailing League Race Committee",
    subject="Entry, equipment, scoring and penalty rules for the 2026 season",
    expected_pages=2,
    blocks=[
        ("title", "Harbor Sailing League Rulebook 2026"),
        (
            "subtitle",
            "Issued by the Race Committee on 10 January 2026. These rules apply to "
            "every race of the 2026 season.",
        ),
        ("h1", "1. The season"),
        (
            "p",
            "The Harbor Sailing League races on Saturdays from 4 April to 26 September 2026, "
            "with 18 race days and up to 3 races per day. The first warning signal of each "
            "race day is at 11:00, and no race starts after 16:00. Races are not started when "
            "the wind is below 4 knots or above 25 knots. Each race has a time limit of 90 "
            "minutes, and boats that do not finish within 20 minutes after the first boat are "
            "scored as did not finish.",
        ),
        ("h1", "2. Entry"),
        (
            "p",
            "The entry fee is $420 per boat if paid by 15 March 2026 and $500 if paid later, "
            "up to the final entry deadline of 1 April 2026. The skipper must be at least 16 "
            "years old and a member of the league. Each boat must carry proof of third-party "
            "liability insurance with cover of at least $1,000,000.",
        ),
        ("h1", "3. Equipment"),
        ("h2", "3.1 Boats and divisions"),
        (
            "p",
            "Boats must be keelboats with a hull length between 7.0 and 9.5 metres. Division "
            "A is for hulls from 8.0 to 9.5 metres and Division B for hulls from 7.0 to 7.99 "
            "metres. Total sail area may not exceed 46 square metres in Division A and 34 "
            "square metres in Division B. Each boat may register one mainsail and two "
            "headsails for the season.",
        ),
        ("h2", "3.2 Crew"),
        (
            "p",
            "A Division A boat sails with 3 to 5 crew, including the skipper, and the total "
            "crew weight may not exceed 400 kg. A Division B boat sails with 3 or 4 crew. "
            "Every crew member must wear a personal flotation device when the wind is above "
            "20 knots or when the Race Committee flies flag Y.",
        ),
        ("h2", "3.3 Safety equipment"),
        (
            "p",
            "Every boat carries a VHF radio tuned to channel 72, an anchor with at least 20 "
            "metres of line, a first aid kit, a bucket or bailer, and a throwable rescue line. "
            "Each skipper checks in with the Race Committee boat before the first warning "
            "signal of the day.",
        ),
        ("h1", "4. Scoring"),
        (
            "p",
            "The league uses a low point system: the boat with the lowest total wins the "
            "series. Once 12 races have been completed, each boat discards its 3 worst "
            "scores. Ties are broken first by the number of first places, then by the result "
            "of the last race. Points per race are awarded as follows:",
        ),
        (
            "table",
            [
                ["Finish position", "Points"],
                ["1st", "1"],
                ["2nd", "2"],
                ["3rd", "3"],
                ["4th to 10th", "Finish position"],
                ["11th or later", "11"],
                ["Did not finish (DNF)", "Boats entered + 1"],
                ["Disqualified (DSQ)", "Boats entered + 2"],
            ],
        ),
        ("h1", "5. Penalties"),
        (
            "p",
            "Penalties are taken or applied as listed below. A protest must be lodged within "
            "60 minutes after the last boat finishes the last race of the day, together with a "
            "protest fee of $25 that is refunded if the protest is upheld.",
        ),
        (
            "numbered",
            [
                "Touching a mark: a one-turn penalty of 360 degrees, taken promptly.",
                "Breaking a right-of-way rule: a two-turns penalty of 720 degrees.",
                "Starting early and not returning to start correctly: scored as OCS, worth boats "
                "entered + 1 points.",
                "Missing the safety check-in: 2 points added to the first race of that day.",
                "Sailing with a crew count outside the limits of rule 3.2: disqualification from "
                "that race.",
                "Unsportsmanlike conduct: exclusion from up to 3 race days, decided by the protest "
                "committee.",
            ],
        ),
        ("h1", "6. Glossary"),
        (
            "p",
            "Mark: a buoy or other object that the course requires boats to pass on a given side.",
        ),
        (
            "p",
            "OCS: on course side; a boat whose hull is over the starting line at the starting "
            "signal.",
        ),
        ("p", "Discard: a race score left out of the series total of a boat."),
        ("p", "Windward: the side of a boat or course that faces the wind."),
        ("p", "Skipper: the crew member who steers and is responsible for the boat."),
    ],
)

SAMPLES: tuple[SampleDocument, ...] = (TRAVEL_POLICY, HARBOR_RULEBOOK)


def _table(rows: list[list[str]]) -> Table:
    # Cells are Paragraphs so long values wrap instead of overflowing the column.
    data = [[Paragraph(cell, _CELL_HEAD) for cell in rows[0]]]
    data += [[Paragraph(cell, _CELL) for cell in row] for row in rows[1:]]
    widths = [2.2 * inch] + [1.6 * inch] * (len(rows[0]) - 1)
    table = Table(data, hAlign="LEFT", repeatRows=1, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E8EE")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _list(items: list[str], numbered: bool) -> ListFlowable:
    entries = [ListItem(Paragraph(item, _LIST_ITEM)) for item in items]
    if numbered:
        return ListFlowable(
            entries,
            bulletType="1",
            bulletFormat="%s.",
            bulletFontName="Helvetica",
            bulletFontSize=10.5,
            leftIndent=20,
        )
    return ListFlowable(
        entries,
        bulletType="bullet",
        start="\u2022",
        bulletFontName="Helvetica",
        bulletFontSize=10.5,
        leftIndent=20,
    )


def build_story(blocks: Sequence[Block]) -> list[Flowable]:
    """Turn content blocks into platypus flowables."""
    story: list[Flowable] = []
    for index, (kind, payload) in enumerate(blocks):
        if kind in _STYLES:
            paragraph = Paragraph(str(payload), _STYLES[kind])
            if index + 1 < len(blocks) and blocks[index + 1][0] == "table":
                # Chains the heading, the sentence introducing a table and the table itself
                # into one keep-together group: a table split over a page break would reach
                # the converter as two tables.
                paragraph.keepWithNext = 1
            story.append(paragraph)
        elif kind == "table":
            story += [_table(payload), Spacer(1, 10)]  # type: ignore[arg-type]
        elif kind in ("bullets", "numbered"):
            story += [_list(payload, kind == "numbered"), Spacer(1, 6)]  # type: ignore[arg-type]
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    return story


def _page_decorator(header: str) -> Callable[[Canvas, SimpleDocTemplate], None]:
    """Running header (document title) and page number footer, drawn on every page."""

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFont("Helvetica", 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(doc.leftMargin, height - 0.55 * inch, header)
        canvas.setStrokeColor(colors.HexColor("#AAAAAA"))
        canvas.setLineWidth(0.5)
        canvas.line(
            doc.leftMargin, height - 0.62 * inch, width - doc.rightMargin, height - 0.62 * inch
        )
        canvas.drawCentredString(width / 2, 0.5 * inch, f"Page {doc.page}")
        canvas.restoreState()

    return decorate


def render(sample: SampleDocument, out_dir: Path) -> Path:
    """Render one sample to out_dir and return the PDF path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / sample.filename
    doc = SimpleDocTemplate(
        str(path),
        pagesize=LETTER,
        invariant=1,
        leftMargin=0.9 * inch,
        rightMargin=0.9 * inch,
        topMargin=0.9 * inch,
        bottomMargin=0.85 * inch,
        title=sample.header,
        author=sample.author,
        subject=sample.subject,
        creator="samples/render_samples.py",
    )
    decorate = _page_decorator(sample.header)
    doc.build(build_story(sample.blocks), onFirstPage=decorate, onLaterPages=decorate)
    if doc.page != sample.expected_pages:
        # Layout changes that shift the page count would silently change the demo's chunks.
        raise RuntimeError(
            f"{sample.filename} rendered to {doc.page} pages, expected {sample.expected_pages}"
        )
    return path


def render_all(out_dir: Path = DOCUMENTS_DIR) -> list[Path]:
    """Render every sample PDF into out_dir."""
    return [render(sample, out_dir) for sample in SAMPLES]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DOCUMENTS_DIR
    for pdf in render_all(target):
        print(f"wrote {pdf} ({pdf.stat().st_size} bytes)")
