"""Build the shipped answer-letter template ``letter_templates/answer.docx`` with python-docx.

    python -m zayavky.documents.build_template [OUTPUT.docx]

The result is an ordinary Word document with Jinja placeholders (``{{ org.name_upper }}``,
``{%p for paragraph in answer.paragraphs %}`` …, listed in ``docs/letter-template.md``) that docxtpl fills.
An administrator may open it in Word or LibreOffice, restyle it, add the coat of arms, and point
``ZAYAVKY_LETTER_TEMPLATE`` at the edited copy.

Office style of ДСТУ 4163-2020 (the Ukrainian standard for official documents): A4, margins top 20, right 10,
bottom 20, left 30 mm; Times New Roman 14; paragraphs justified with a 1.25 cm first-line indent; the
signature as «Власне ім'я ПРІЗВИЩЕ»; the executor's name and phone at the bottom.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

#: The same path as ``zayavky.documents.letter.DEFAULT_TEMPLATE`` (not imported: no Django needed here).
DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "letter_templates" / "answer.docx"
FONT = "Times New Roman"
TEXT_WIDTH = Mm(210 - 30 - 10)


def _set_fonts(rpr: BaseOxmlElement, size: Pt) -> None:
    """Times New Roman for every script (Cyrillic is «cs»/«hAnsi» to Word), no theme fonts, Ukrainian."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for kind in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(kind), FONT)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(int(size.pt * 2)))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "uk-UA")


def _paragraph(
    container,  # Document or _Cell
    text: str = "",
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    bold: bool = False,
    size: int | None = None,
    indent: bool = False,
    space_after: int = 0,
) -> Paragraph:
    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Cm(1.25)
    return p


def _bottom_border(p: Paragraph) -> None:
    """The double rule under the letterhead."""
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "double")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.append(borders)


def _borderless(table: Table, widths: list[Mm]) -> None:
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            # python-docx opens each cell with an empty paragraph; the builders below fill it.


def _cell_text(cell, lines: list[str], *, align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.add_run(line)
        p.paragraph_format.space_after = Pt(0)
        if align is not None:
            p.alignment = align


def build(path: Path = DEFAULT_TEMPLATE) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.right_margin = Mm(20), Mm(10)
    section.bottom_margin, section.left_margin = Mm(20), Mm(30)

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            _set_fonts(rpr, Pt(14))
    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), Pt(14))
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    props = doc.core_properties
    props.title = "Відповідь заявнику"
    props.author = "Zayavky"
    props.comments = "Шаблон листа-відповіді; заповнюється docxtpl. Поля: docs/letter-template.md"

    # Letterhead of the district executive committee.
    _paragraph(doc, "{{ org.name_upper }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    contacts = _paragraph(doc, "{{ org.contacts }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=10, space_after=2)
    _bottom_border(contacts)
    _paragraph(doc)

    # Outgoing number and date (left), addressee: the applicant (right).
    table = doc.add_table(rows=1, cols=2)
    _borderless(table, [Mm(85), Mm(85)])
    left, right = table.rows[0].cells
    _cell_text(left, ["{{ outgoing.line }}"])
    _cell_text(right, ["{{ applicant.name }}", "{{ applicant.address }}"])
    _paragraph(doc)

    _paragraph(doc, "{{ subject }}")
    _paragraph(doc)

    # The answer (2.5), then the 2.11 sentence when the applicant could not be reached.
    _paragraph(doc, "{%p for paragraph in answer.paragraphs %}")
    _paragraph(doc, "{{ paragraph }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    _paragraph(doc, "{%p endfor %}")
    _paragraph(doc, "{%p if unreachable %}")
    _paragraph(doc, "{{ unreachable }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    _paragraph(doc, "{%p endif %}")

    # 2.5: photos of the completed work, acts of execution.
    _paragraph(doc, "{%p if attachments %}")
    _paragraph(doc)
    _paragraph(doc, "Додаток: {{ attachments_summary }}")
    _paragraph(doc, "{%p endif %}")
    _paragraph(doc)
    _paragraph(doc)

    # The signatory under the distribution of duties (2.4, 2.6).
    sign = doc.add_table(rows=1, cols=2)
    _borderless(sign, [Mm(105), Mm(65)])
    left, right = sign.rows[0].cells
    _cell_text(left, ["{{ signatory.position }}"])
    _cell_text(right, ["{{ signatory.name }}"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
    _paragraph(doc)
    _paragraph(doc)
    _paragraph(doc)

    # The executor, at the bottom as Ukrainian letters do (ДСТУ 4163-2020).
    _paragraph(
        doc,
        "{% if executor.name %}Виконавець: {{ executor.name }}{% if executor.phone %}, "
        "тел. {{ executor.phone }}{% endif %}{% endif %}",
        size=12,
    )

    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def main(argv: list[str]) -> int:
    out = build(Path(argv[1])) if len(argv) > 1 else build()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
