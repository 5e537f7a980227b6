"""The written answer to the applicant as an official letter (2.4–2.6), in DOCX and in PDF.

The DOCX is filled from a template *file* with docxtpl, so an administrator can replace the shipped
``letter_templates/answer.docx`` with the committee's own letterhead (settings ``ZAYAVKY_LETTER_TEMPLATE``;
the placeholders are listed in ``docs/letter-template.md``). The PDF is drawn with reportlab from the same
data, so both say the same thing.

The letter is an official document of a Ukrainian body: it is always written in Ukrainian, whatever
language the person who downloads it uses the pages in.

The mail of 2.7 (``zayavky.documents.outbox``) attaches :func:`answer_docx` under :func:`answer_filename`.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zayavky.accounts.models import User
from zayavky.cases import answers
from zayavky.cases.models import Attachment, ServiceRequest
from zayavky.catalog.models import Organisation, Signatory, signatories_for
from zayavky.deadlines import KYIV

#: The shipped template; ``settings.ZAYAVKY_LETTER_TEMPLATE`` names a replacement.
DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "letter_templates" / "answer.docx"
#: What a letter not yet signed shows for its outgoing number and date: the clerk fills them in by hand.
BLANK_NUMBER = "________"
BLANK_DATE = "____________"
LETTER_LANGUAGE = "uk"

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"


class LetterTemplateError(ImproperlyConfigured):
    """The letter template configured by the administrator is missing or is not a usable .docx."""


class PdfFontMissing(ImproperlyConfigured):
    """No TrueType font with Cyrillic letters was found for the PDF."""


# --- the data of the letter ------------------------------------------------------------------------------


def _date(moment: dt.datetime | None) -> str:
    return moment.astimezone(KYIV).strftime("%d.%m.%Y") if moment else ""


def signature_name(user: User) -> str:
    """«Власне ім'я ПРІЗВИЩЕ»: how a signature is written under ДСТУ 4163-2020."""
    if not user.last_name:
        return user.get_full_name() or user.username
    return " ".join(p for p in (user.first_name, user.last_name.upper()) if p)


def _position_of(user: User, signatory: Signatory | None) -> str:
    # The person's own title, typed by the administrator, is the exact one for the letter; the position
    # of the distribution of duties (2.4) is the fallback.
    if user.position:
        return user.position
    if signatory is not None:
        return str(signatory.get_position_display())
    return ""


def letter_signatory(request: ServiceRequest) -> tuple[User, str] | None:
    """Who signs the letter and in what position (2.4, 2.6).

    Once signed: the person who signed. Before: the signatory for the request's unit under the distribution
    of duties in force on the signing day, or today.
    """
    if request.signed_by_id:
        user = request.signed_by
        assert user is not None
        signatory = Signatory.objects.filter(user=user).first()
        return user, _position_of(user, signatory)
    if request.unit_id is None:
        return None
    on = timezone.localdate(request.signed_at, KYIV) if request.signed_at else timezone.localdate(timezone=KYIV)
    found = signatories_for(request.unit_id, on)
    if not found:
        return None
    return found[0].user, _position_of(found[0].user, found[0])


def _attachment_kind(kind: str) -> str:
    labels: dict[str, str] = {
        Attachment.Kind.PHOTO: _("photo"),
        Attachment.Kind.ACT: _("act of execution"),
        Attachment.Kind.DOCUMENT: _("document"),
    }
    return labels.get(kind, _("document"))


def _attachments(request: ServiceRequest) -> tuple[list[dict[str, Any]], str]:
    """2.5: photos of the completed work or acts of execution go with the answer, one sheet each."""
    files = list(request.attachments.filter(round=request.rework_count).order_by("uploaded_at", "pk"))
    items: list[dict[str, Any]] = [
        {"name": a.original_name, "kind": _attachment_kind(a.kind), "sheets": 1} for a in files
    ]
    counts: dict[str, int] = {}
    for item in items:
        counts[item["kind"]] = counts.get(item["kind"], 0) + item["sheets"]
    summary = "; ".join(_("%(kind)s on %(n)d sh. in 1 copy") % {"kind": kind, "n": n} for kind, n in counts.items())
    return items, summary


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks inside a paragraph are kept as breaks."""
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [p.strip() for p in parts if p.strip()]


def letter_context(request: ServiceRequest, *, personal: bool = True) -> dict[str, Any]:
    """Everything the letter says, as plain data (the template sees no model objects).

    ``personal=False`` leaves the applicant's name and postal address out, for a reader who may see the
    request but not the applicant's personal data (the controller).
    """
    with translation.override(LETTER_LANGUAGE):
        return _letter_context(request, personal)


def _letter_context(request: ServiceRequest, personal: bool) -> dict[str, Any]:
    org = Organisation.current()
    answer = answers.current_answer(request)
    text = answer.text if answer else ""
    # 2.11: an applicant who could not be reached is told so in the written answer (once).
    unreachable = ""
    if answers.contact_failed(request):
        sentence = answers.unreachable_sentence(request)
        if sentence not in text:
            unreachable = sentence
    signer = letter_signatory(request)
    executor = request.executor
    attachments, summary = _attachments(request)
    number = request.outgoing_number if request.signed_at else ""
    date = _date(request.signed_at)
    contacts = [org.address]
    if org.phone:
        contacts.append(_("tel. %(phone)s") % {"phone": org.phone})
    if org.general_mailbox:
        contacts.append(_("e-mail: %(email)s") % {"email": org.general_mailbox})
    return {
        "org": {
            "name": org.name,
            "name_upper": org.name.upper(),
            "short_name": org.short_name,
            "address": org.address,
            "phone": org.phone,
            "email": org.general_mailbox,
            "contacts": ", ".join(c for c in contacts if c),
        },
        "outgoing": {
            "number": number,
            "date": date,
            "line": _("No. %(number)s of %(date)s") % {"number": number or BLANK_NUMBER, "date": date or BLANK_DATE},
        },
        "request": {
            "number": request.number,
            "received_date": _date(request.received_at),
            "address": request.address,
            "text": request.text,
        },
        "subject": _("Re: request No. %(number)s of %(date)s")
        % {"number": request.number, "date": _date(request.received_at)},
        "applicant": {
            "name": request.applicant_name if personal else "",
            "address": request.applicant_address if personal else "",
        },
        "answer": {
            "text": text,
            "paragraphs": _paragraphs(text),
            "outcome": str(answer.get_outcome_display()) if answer else "",
        },
        "unreachable": unreachable,
        "attachments": attachments,
        "attachments_summary": summary,
        "signatory": {
            "position": signer[1] if signer else "",
            "name": signature_name(signer[0]) if signer else "",
            "full_name": signer[0].full_name if signer else "",
            "short_name": signer[0].short_name if signer else "",
        },
        "executor": {
            "name": " ".join(p for p in (executor.first_name, executor.last_name) if p) if executor else "",
            "full_name": executor.full_name if executor else "",
            "short_name": executor.short_name if executor else "",
            "phone": executor.phone if executor else "",
        },
        "unit": {
            "name": request.unit.name if request.unit else "",
            "short_name": request.unit.short_name if request.unit else "",
        },
        "today": _date(timezone.now()),
    }


# --- DOCX ------------------------------------------------------------------------------------------------


def template_path() -> Path:
    configured = getattr(settings, "ZAYAVKY_LETTER_TEMPLATE", "") or ""
    path = Path(configured) if configured else DEFAULT_TEMPLATE
    if not path.is_file():
        raise LetterTemplateError(
            f"ZAYAVKY_LETTER_TEMPLATE: the letter template {str(path)!r} does not exist or is not a file."
        )
    return path


def answer_docx(request: ServiceRequest, *, personal: bool = True) -> bytes:
    """The answer letter as an editable .docx, filled from the letter template."""
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    path = template_path()
    context = letter_context(request, personal=personal)
    try:
        template = DocxTemplate(str(path))
        # Autoescape: the applicant's words may hold «<» and «&», which would break the document's XML.
        # Sandboxed: the template is a file from outside the code.
        template.render(context, jinja_env=SandboxedEnvironment(), autoescape=True)
    except Exception as exc:  # a broken .docx or a Jinja error in the administrator's template
        raise LetterTemplateError(f"The letter template {str(path)!r} cannot be filled: {exc}") from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------------------

#: (regular, bold) TrueType files with Cyrillic. Liberation Serif has the metrics of Times New Roman, the
#: typeface of Ukrainian office letters (the DOCX uses it); DejaVu comes with Debian's fonts-dejavu-core.
FONT_CANDIDATES = [
    (
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
]


def _bold_sibling(regular: Path) -> Path:
    for name in (regular.stem.replace("-Regular", "") + "-Bold", regular.stem + "-Bold"):
        candidate = regular.with_name(name + regular.suffix)
        if candidate.is_file():
            return candidate
    return regular


def find_pdf_font() -> tuple[Path, Path]:
    """The (regular, bold) font files for the PDF: ``ZAYAVKY_PDF_FONT`` first, then the system's."""
    configured = getattr(settings, "ZAYAVKY_PDF_FONT", "") or ""
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise PdfFontMissing(f"ZAYAVKY_PDF_FONT: the font file {configured!r} does not exist.")
        return path, _bold_sibling(path)
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file():
            return Path(regular), Path(bold) if Path(bold).is_file() else Path(regular)
    raise PdfFontMissing(
        "No TrueType font with Cyrillic letters for the PDF letter: install Debian's fonts-dejavu-core "
        "(/usr/share/fonts/truetype/dejavu/) or set ZAYAVKY_PDF_FONT to the path of a .ttf file."
    )


@functools.cache
def _register_font(regular: str, bold: str) -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    names = ("Letter-" + Path(regular).stem, "Letter-" + Path(bold).stem + "-b")
    try:
        pdfmetrics.registerFont(TTFont(names[0], regular))
        pdfmetrics.registerFont(TTFont(names[1], bold))
    except TTFError as exc:
        raise PdfFontMissing(f"The font {regular!r} cannot be used for the PDF: {exc}") from exc
    pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[0], boldItalic=names[1])
    return names


def answer_pdf(request: ServiceRequest, *, personal: bool = True) -> bytes:
    """The answer letter as PDF: A4, the margins of ДСТУ 4163 (20/10/20/30 mm), a Times-like 14 pt font."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

    regular, bold = find_pdf_font()
    font, font_bold = _register_font(str(regular), str(bold))
    c = letter_context(request, personal=personal)

    base = ParagraphStyle("base", fontName=font, fontSize=14, leading=17)
    head = ParagraphStyle("head", parent=base, fontName=font_bold, alignment=TA_CENTER)
    contacts = ParagraphStyle("contacts", parent=base, fontSize=10, leading=12, alignment=TA_CENTER)
    body = ParagraphStyle("body", parent=base, alignment=TA_JUSTIFY, firstLineIndent=12.5 * mm)
    right = ParagraphStyle("right", parent=base, alignment=TA_RIGHT)
    small = ParagraphStyle("small", parent=base, fontSize=12, leading=14)

    def para(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    with translation.override(LETTER_LANGUAGE):
        attachments_line = _("Attachment: %(list)s") % {"list": c["attachments_summary"]} if c["attachments"] else ""
        executor_line = ""
        if c["executor"]["name"]:
            executor_line = _("Executor: %(name)s") % {"name": c["executor"]["name"]}
            if c["executor"]["phone"]:
                executor_line += ", " + _("tel. %(phone)s") % {"phone": c["executor"]["phone"]}
        title = _("Answer to request No. %(number)s") % {"number": c["request"]["number"]}

    width = A4[0] - 40 * mm
    story: list[Any] = [para(c["org"]["name_upper"], head)]
    if c["org"]["contacts"]:
        story.append(para(c["org"]["contacts"], contacts))
    rule = Table([[""]], colWidths=[width], rowHeights=[2])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.5, "black")]))
    story += [rule, Spacer(1, 8 * mm)]

    addressee = [para(c["applicant"]["name"], base), para(c["applicant"]["address"], base)]
    header = Table([[para(c["outgoing"]["line"], base), addressee]], colWidths=[width * 0.5, width * 0.5])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (0, 0), 0)]))
    story += [header, Spacer(1, 8 * mm), para(c["subject"], base), Spacer(1, 5 * mm)]
    for paragraph in c["answer"]["paragraphs"]:
        story.append(para(paragraph, body))
    if c["unreachable"]:
        story.append(para(c["unreachable"], body))
    if attachments_line:
        story += [Spacer(1, 5 * mm), para(attachments_line, base)]
    sign = Table(
        [[para(c["signatory"]["position"], base), para(c["signatory"]["name"], right)]],
        colWidths=[width * 0.6, width * 0.4],
    )
    sign.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
            ]
        )
    )
    story += [Spacer(1, 12 * mm), sign]
    if executor_line:
        story += [Spacer(1, 15 * mm), para(executor_line, small)]

    out = io.BytesIO()
    document = BaseDocTemplate(
        out,
        pagesize=A4,
        topMargin=20 * mm,
        rightMargin=10 * mm,
        bottomMargin=20 * mm,
        leftMargin=30 * mm,
        title=title,
        author=c["org"]["short_name"],
        subject=c["subject"],
        creator="Zayavky",
    )
    # No inner padding: the text starts exactly at the 30 mm margin, like the DOCX.
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="letter", frames=[frame])])
    document.build(story)
    return out.getvalue()


# --- file names ------------------------------------------------------------------------------------------

# The official Ukrainian transliteration (Cabinet of Ministers resolution No. 55 of 27.01.2010), simplified
# to one form per letter: file names must be ASCII to travel safely through mail and every file system.
_TRANSLIT = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяʼ'",
        [
            "a",
            "b",
            "v",
            "h",
            "g",
            "d",
            "e",
            "ie",
            "zh",
            "z",
            "y",
            "i",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "iu",
            "ia",
            "",
            "",
        ],
        strict=True,
    )
)


def _ascii(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in _TRANSLIT:
            t = _TRANSLIT[low]
            out.append(t.capitalize() if ch != low else t)
        else:
            out.append(ch)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", "".join(out)).strip("-.")
    return safe or "request"


def answer_filename(request: ServiceRequest, ext: str) -> str:
    """``vidpovid-KC-000123.docx``: ASCII-safe, names the request."""
    return f"vidpovid-{_ascii(request.number)}.{ext.lstrip('.')}"
