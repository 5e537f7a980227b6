"""The answer letter (2.4–2.6) as DOCX and PDF, downloaded the way the head of the unit does it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from pypdf import PdfReader

from zayavky.cases import answers, workflow
from zayavky.catalog.models import Duty, Position
from zayavky.conftest import JPEG_1PX, District, sign_in
from zayavky.deadlines import KYIV
from zayavky.documents import letter

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    sign_in(client, user)
    return client


def docx_text(body: bytes) -> str:
    """All the text of a .docx: paragraphs and table cells, one per line."""
    document = docx.Document(io.BytesIO(body))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def pdf_text(body: bytes) -> str:
    """The text of a PDF with the line breaks of its layout undone (a sentence may wrap)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.split())


def get_docx(user, request) -> str:  # type: ignore[no-untyped-def]
    response = client_for(user).get(f"/requests/{request.pk}/letter.docx")
    assert response.status_code == 200
    return docx_text(response.content)


def uk(func, *args):  # type: ignore[no-untyped-def]
    with translation.override("uk"):
        return str(func(*args))


def fail_contact(district: District, request, outcome: str = "no_answer") -> None:  # type: ignore[no-untyped-def]
    workflow.contact(district.executor, request.pk, channel="phone", outcome=outcome)


def test_it_makes_the_signed_letter_as_docx(district: District, advance) -> None:
    district.org.address = "вул. Героїв АТО, 1, м. Кривий Ріг, 50000"
    district.org.phone = "(056) 401-00-00"
    district.org.save()
    district.executor.phone = "+380501112233"
    district.executor.save()
    request = advance("signed")
    response = client_for(district.head).get(f"/requests/{request.pk}/letter.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == f'attachment; filename="vidpovid-{request.number}.docx"'
    text = docx_text(response.content)
    # Letterhead.
    assert district.org.name.upper() in text
    assert "вул. Героїв АТО, 1, м. Кривий Ріг, 50000, тел. (056) 401-00-00, e-mail: zagal_zv@srvk.gov.ua" in text
    # Outgoing number and the signing date.
    signed = request.signed_at.astimezone(KYIV).strftime("%d.%m.%Y")
    assert f"№ {request.outgoing_number} від {signed}" in text
    # Addressee: the applicant.
    assert "Петренко Петро Петрович" in text
    assert "вул. Шевченка, 1, кв. 2" in text
    received = request.received_at.astimezone(KYIV).strftime("%d.%m.%Y")
    assert f"Щодо заявки № {request.number} від {received}" in text
    assert "Світло відновлено." in text
    # The signatory under the distribution of duties (2.4): position and «Ім'я ПРІЗВИЩЕ».
    assert uk(lambda: Position.DEPUTY_HEAD_EXEC.label) in text
    assert "Олена КОВАЛЕНКО" in text
    assert "Виконавець: Василь Олійник, тел. +380501112233" in text
    # Not reached / not tried: no 2.11 sentence, no attachments line.
    assert "Додаток" not in text


def test_it_says_the_applicant_could_not_be_reached(district: District, advance) -> None:
    request = advance("in_work")
    fail_contact(district, request, "phone_off")
    fail_contact(district, request, "no_answer")
    workflow.submit(district.head, request.pk, text="Світло відновлено.", outcome="executed")
    request.refresh_from_db()
    sentence = uk(answers.unreachable_sentence, request)
    text = get_docx(district.head, request)
    assert sentence in text
    assert text.count(sentence) == 1
    assert sentence in pdf_text(client_for(district.head).get(f"/requests/{request.pk}/letter.pdf").content)


def test_it_does_not_repeat_the_sentence_the_executor_already_wrote(district: District, advance) -> None:
    request = advance("in_work")
    fail_contact(district, request)
    request.refresh_from_db()
    sentence = uk(answers.unreachable_sentence, request)
    workflow.submit(district.head, request.pk, text=f"Світло відновлено.\n\n{sentence}", outcome="executed")
    text = get_docx(district.head, request)
    assert text.count(sentence) == 1


def test_it_leaves_the_sentence_out_when_the_applicant_was_reached(district: District, advance) -> None:
    request = advance("in_work")
    fail_contact(district, request, "no_answer")
    fail_contact(district, request, "reached")
    workflow.submit(district.head, request.pk, text="Світло відновлено.", outcome="executed")
    request.refresh_from_db()
    assert not answers.contact_failed(request)
    text = get_docx(district.head, request)
    assert "Світло відновлено." in text
    assert uk(answers.unreachable_sentence, request) not in text


def test_it_leaves_blanks_for_the_number_of_a_letter_not_yet_signed(district: District, advance) -> None:
    request = advance("on_signature")
    text = get_docx(district.head, request)
    assert f"№ {letter.BLANK_NUMBER} від {letter.BLANK_DATE}" in text
    # Who will sign: the distribution of duties in force today.
    assert "Олена КОВАЛЕНКО" in text


def test_it_names_who_signed_even_after_the_duties_change(district: District, advance) -> None:
    request = advance("signed")
    district.signatory.position = "Заступник голови районної у місті ради"
    district.signatory.save()
    # The duties are redistributed after the signature: the letter still names the one who signed.
    Duty.objects.filter(unit=district.zhkg).update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    Duty.objects.create(
        signatory=district.other_signatory.signatory, unit=district.zhkg, valid_from=timezone.localdate()
    )
    text = get_docx(district.head, request)
    assert "Заступник голови районної у місті ради" in text
    assert "Олена КОВАЛЕНКО" in text
    assert "Ігор МЕЛЬНИК" not in text


def test_it_names_the_signatory_of_the_duties_in_force_before_signing(district: District, advance) -> None:
    request = advance("on_signature")
    Duty.objects.filter(unit=district.zhkg).update(valid_to=timezone.localdate() - dt.timedelta(days=1))
    Duty.objects.create(
        signatory=district.other_signatory.signatory, unit=district.zhkg, valid_from=timezone.localdate()
    )
    text = get_docx(district.head, request)
    assert "Ігор МЕЛЬНИК" in text
    assert uk(lambda: Position.DEPUTY_HEAD.label) in text
    assert "Олена КОВАЛЕНКО" not in text


def test_it_lists_the_photos_of_the_current_round(district: District, advance) -> None:
    request = advance("in_work")
    for name in ("before.jpg", "after.jpg"):
        upload = SimpleUploadedFile(name, JPEG_1PX, content_type="image/jpeg")
        workflow.attach(district.executor, request.pk, upload=upload, kind="photo")
    workflow.submit(district.head, request.pk, text="Світло відновлено.", outcome="executed")
    text = get_docx(district.head, request)
    assert "Додаток: фото на 2 арк. в 1 прим." in text
    assert "прим.." not in text


def test_it_makes_the_letter_as_pdf(district: District, advance) -> None:
    request = advance("signed")
    response = client_for(district.head).get(f"/requests/{request.pk}/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="vidpovid-{request.number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = pdf_text(response.content)
    for value in (
        request.number,
        "Петренко Петро Петрович",
        "Світло відновлено.",
        "Щодо заявки",
        f"№ {request.outgoing_number}",
        "Олена КОВАЛЕНКО",
        "Виконавець: Василь Олійник",
        district.org.name.upper(),
    ):
        assert value in text, value
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts  # an embedded TrueType font: Cyrillic needs one
    assert reader.metadata is not None and request.number in (reader.metadata.title or "")


def test_it_escapes_what_the_applicant_and_the_executor_wrote(district: District, advance) -> None:
    request = advance("in_work", applicant_name="ТОВ «Ріг & Ко» <test>")
    workflow.submit(
        district.head,
        request.pk,
        text="Умова: a < b & c > d.\n\nДругий абзац,\nз новим рядком.",
        outcome="explained",
    )
    text = get_docx(district.head, request)
    assert "ТОВ «Ріг & Ко» <test>" in text
    assert "Умова: a < b & c > d." in text
    assert "Другий абзац,\nз новим рядком." in text  # a line break inside a paragraph stays one
    pdf = pdf_text(client_for(district.head).get(f"/requests/{request.pk}/letter.pdf").content)
    assert "a < b & c > d." in pdf


def test_it_leaves_the_applicant_out_for_the_controller(district: District, advance) -> None:
    request = advance("signed")
    text = get_docx(district.controller, request)
    assert "Світло відновлено." in text
    assert "Петренко Петро Петрович" not in text and "вул. Шевченка, 1, кв. 2" not in text


@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_it_refuses_a_letter_before_there_is_an_answer(district: District, advance, ext: str) -> None:
    request = advance("in_work")
    response = client_for(district.head).get(f"/requests/{request.pk}/letter.{ext}")
    assert response.status_code == 409
    body = response.content.decode()
    assert request.number in body and "п. 2.5" in body
    assert "attachment" not in response.get("Content-Disposition", "")


@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_it_is_404_for_another_unit_and_login_for_a_stranger(district: District, advance, ext: str) -> None:
    request = advance("signed")
    url = f"/requests/{request.pk}/letter.{ext}"
    response = client_for(district.other_head).get(url)
    assert response.status_code == 404
    assert b"Petrenko" not in response.content and request.number.encode() not in response.content
    stranger = Client().get(url)
    assert stranger.status_code == 302 and stranger["Location"].startswith("/login/")


def test_it_fills_the_template_the_administrator_put_in_its_place(
    district: District, advance, settings, tmp_path: Path
) -> None:
    custom = docx.Document()
    custom.add_paragraph("НАШ БЛАНК {{ org.short_name }}")
    custom.add_paragraph("Заявка {{ request.number }}, підписує {{ signatory.name }}")
    path = tmp_path / "our-letter.docx"
    custom.save(str(path))
    settings.ZAYAVKY_LETTER_TEMPLATE = str(path)
    request = advance("signed")
    text = get_docx(district.head, request)
    assert f"НАШ БЛАНК {district.org.short_name}" in text
    assert f"Заявка {request.number}, підписує Олена КОВАЛЕНКО" in text
    assert "Щодо заявки" not in text  # not the shipped template


def test_it_names_the_setting_when_the_template_is_missing(district: District, advance, settings, tmp_path) -> None:
    settings.ZAYAVKY_LETTER_TEMPLATE = str(tmp_path / "nowhere.docx")
    request = advance("signed")
    with pytest.raises(letter.LetterTemplateError, match="ZAYAVKY_LETTER_TEMPLATE"):
        letter.answer_docx(request)


def test_it_says_what_is_wrong_in_a_broken_template(district: District, advance, settings, tmp_path) -> None:
    custom = docx.Document()
    custom.add_paragraph("{{ request.number ")
    path = tmp_path / "broken.docx"
    custom.save(str(path))
    settings.ZAYAVKY_LETTER_TEMPLATE = str(path)
    request = advance("signed")
    with pytest.raises(letter.LetterTemplateError, match="broken.docx"):
        letter.answer_docx(request)


def test_it_keeps_the_template_away_from_the_code(district: District, advance, settings, tmp_path) -> None:
    # The template is a file from outside: it sees plain data only, in a sandbox.
    custom = docx.Document()
    custom.add_paragraph("{{ ''.__class__.__mro__ }}")
    path = tmp_path / "nosy.docx"
    custom.save(str(path))
    settings.ZAYAVKY_LETTER_TEMPLATE = str(path)
    request = advance("signed")
    with pytest.raises(letter.LetterTemplateError):
        letter.answer_docx(request)


def test_it_says_which_font_is_missing_for_the_pdf(district: District, advance, settings, monkeypatch) -> None:
    request = advance("signed")
    settings.ZAYAVKY_PDF_FONT = "/nowhere/Font.ttf"
    with pytest.raises(letter.PdfFontMissing, match="ZAYAVKY_PDF_FONT"):
        letter.answer_pdf(request)
    settings.ZAYAVKY_PDF_FONT = ""
    monkeypatch.setattr(letter, "FONT_CANDIDATES", [("/nowhere/a.ttf", "/nowhere/b.ttf")])
    with pytest.raises(letter.PdfFontMissing, match="fonts-dejavu-core"):
        letter.answer_pdf(request)


def test_it_uses_the_font_the_administrator_names(district: District, advance, settings) -> None:
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.is_file():
        pytest.skip("Debian's fonts-dejavu-core is not installed")
    settings.ZAYAVKY_PDF_FONT = str(font)
    request = advance("signed")
    body = letter.answer_pdf(request)
    fonts = {
        str(f.get_object()["/BaseFont"]) for f in PdfReader(io.BytesIO(body)).pages[0]["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSans" in name for name in fonts)
    assert request.number in pdf_text(body)


def test_it_attaches_the_letter_to_the_mail_of_2_7(
    district: District, advance, django_capture_on_commit_callbacks
) -> None:
    request = advance("signed")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.hand_over(district.clerk, request.pk)
    assert len(mail.outbox) == 1
    ((name, body, content_type),) = mail.outbox[0].attachments
    assert name == f"vidpovid-{request.number}.docx"
    assert content_type == DOCX
    assert "Петренко Петро Петрович" in docx_text(body) and "Світло відновлено." in docx_text(body)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("KC-000123", "vidpovid-KC-000123.docx"),
        ("КЦ/2025 12", "vidpovid-KTs-2025-12.docx"),
        ("Щ'я№1", "vidpovid-Shchia-1.docx"),
        ("№№", "vidpovid-request.docx"),
    ],
)
def test_it_makes_ascii_file_names(number: str, expected: str) -> None:
    from zayavky.cases.models import ServiceRequest

    assert letter.answer_filename(ServiceRequest(number=number), "docx") == expected
    assert letter.answer_filename(ServiceRequest(number=number), ".pdf") == expected[:-4] + "pdf"


def test_the_shipped_template_is_what_the_script_builds(tmp_path: Path) -> None:
    from zayavky.documents.build_template import build

    built = docx.Document(str(build(tmp_path / "answer.docx")))
    shipped = docx.Document(str(letter.DEFAULT_TEMPLATE))
    assert [p.text for p in built.paragraphs] == [p.text for p in shipped.paragraphs]
    assert [c.text for t in built.tables for c in t._cells] == [c.text for t in shipped.tables for c in t._cells]
    # ДСТУ 4163: A4, margins 20/10/20/30 mm; Times New Roman 14.
    section = shipped.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert tuple(round(m.mm) for m in margins) == (20, 10, 20, 30)
    normal = shipped.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
