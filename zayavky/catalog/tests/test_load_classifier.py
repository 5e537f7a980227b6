"""``zayavky load-classifier FILE``: the Classifier (1.3) loaded from the spreadsheet an official keeps.

Files are written the way Excel writes them: XLSX, and CSV "UTF-8" with a BOM and ";" between the
columns (a Ukrainian Windows uses the comma for decimals, so Excel separates columns with ";").
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from zayavky.catalog.models import Category, Section, Unit

pytestmark = pytest.mark.django_db

HEADER = "Код розділу;Розділ;Код;Назва;Тип;Підрозділ;Фото/акт;Опис;Ключові слова;Діє".split(";")


def row(
    section_code: Any,
    section: str,
    code: Any = "",
    name: str = "",
    urgency: str = "",
    unit: str = "",
    evidence: Any = "",
    description: str = "",
    keywords: str = "",
    active: Any = "",
) -> list[Any]:
    """A row of the spreadsheet, in the order of HEADER."""
    return [section_code, section, code, name, urgency, unit, evidence, description, keywords, active]


WATER = ("01.01", "Водопостачання")
FAMILY = ("02", "Сім'я та молодь")
SECTION_ROWS = [row("01", "Житлово-комунальне господарство"), row(*WATER)]  # rows 2-3
GOOD_ROWS = [  # rows 4-7 after SECTION_ROWS
    row(*WATER, "01.01.001", "Відсутнє холодне водопостачання", "аварійна", "ВЖКГ", "так", keywords="вода"),
    row(*WATER, "01.01.002", "Низький тиск води", "звичайна", "ВЖКГ", "ні", keywords="тиск", active="так"),
    row("01.02", "Благоустрій", "01.02.001", "Ремонт дитячого майданчика", "середньострокова", "ВЖКГ", "+"),
    row(
        *FAMILY,
        "02.001",
        "Оздоровлення дітей",
        "довгострокова",
        "ВСМ",
        description="Путівки",
        keywords="табір",
    ),
]
Rows = Sequence[Sequence[Any]]


@pytest.fixture
def units(unit: Unit, other_unit: Unit) -> tuple[Unit, Unit]:
    return unit, other_unit


def write_xlsx(path: Path, rows: Rows, header: Sequence[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Класифікатор"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def write_csv(path: Path, rows: Rows, *, delimiter: str = ";", bom: bool = True, encoding: str = "utf-8") -> Path:
    text = io.StringIO()
    for row in [HEADER, *rows]:
        text.write(delimiter.join(_csv_cell(str(cell), delimiter) for cell in row) + "\r\n")
    data = text.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def _csv_cell(value: str, delimiter: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if delimiter in value or '"' in value else value


def load(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("load-classifier", str(path), *args, stdout=out)
    return out.getvalue()


def refusal(path: Path, *args: str) -> str:
    with pytest.raises(CommandError) as info:
        load(path, *args)
    return str(info.value)


def snapshot() -> list[tuple[Any, ...]]:
    return list(Category.objects.order_by("code").values_list("code", "name", "urgency", "unit", "is_active"))


# --------------------------------------------------------------------------------------------------
# Good files
# --------------------------------------------------------------------------------------------------


def test_it_loads_an_xlsx_classifier(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    housing, family = units
    path = write_xlsx(tmp_path / "klasyfikator.xlsx", [*SECTION_ROWS, *GOOD_ROWS])

    output = load(path)

    water = Category.objects.get(code="01.01.001")
    assert (water.name, water.urgency, water.unit, water.evidence_required, water.is_active) == (
        "Відсутнє холодне водопостачання",
        "emergency",
        housing,
        True,
        True,
    )
    assert water.section.code == "01.01"
    assert [s.code for s in water.section.path()] == ["01", "01.01"]
    camp = Category.objects.get(code="02.001")
    assert (camp.urgency, camp.unit, camp.evidence_required, camp.description) == (
        "long_term",
        family,
        False,
        "Путівки",
    )
    assert Category.objects.get(code="01.02.001").evidence_required is True  # "+"
    assert Section.objects.get(code="01.02").parent == Section.objects.get(code="01")
    assert Section.objects.get(code="02").parent is None
    # The file's order is the sections' order.
    assert list(Section.objects.values_list("code", flat=True)) == ["01", "01.01", "01.02", "02"]
    assert "4" in output


def test_it_loads_a_csv_saved_by_ukrainian_excel(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    path = write_csv(tmp_path / "klasyfikator.csv", [*SECTION_ROWS, *GOOD_ROWS], delimiter=";", bom=True)

    load(path)

    assert Category.objects.count() == 4
    assert Category.objects.get(code="02.001").section.name == "Сім'я та молодь"


def test_it_loads_a_csv_with_commas_and_no_bom(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    rows = [*SECTION_ROWS, *GOOD_ROWS, row(*FAMILY, "02.002", "Табір, путівка", "звичайна", "ВСМ")]
    path = write_csv(tmp_path / "klasyfikator.csv", rows, delimiter=",", bom=False)

    load(path)

    assert Category.objects.get(code="02.002").name == "Табір, путівка"


def test_it_loads_a_windows_1251_csv(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    # Excel's plain "CSV" on a Ukrainian Windows.
    path = write_csv(tmp_path / "klasyfikator.csv", [*SECTION_ROWS, *GOOD_ROWS], bom=False, encoding="cp1251")

    load(path)

    assert Category.objects.get(code="01.01.002").name == "Низький тиск води"


def test_it_accepts_english_column_names_in_any_order(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    header = ["code", "name", "urgency", "unit", "evidence", "section code", "section", "active"]
    housing = "Відділ житлово-комунального господарства"
    rows = [
        ["01.001", "Burst pipe", "emergency", "вжкг", "yes", "01", "Housing", "1"],
        ["01.002", "Old bench", "medium_term", housing, "no", "01", "Housing", "0"],
    ]
    path = write_xlsx(tmp_path / "en.xlsx", rows, header=header)

    load(path)

    assert snapshot() == [
        ("01.001", "Burst pipe", "emergency", units[0].pk, True),
        ("01.002", "Old bench", "medium_term", units[0].pk, False),
    ]


def test_it_finds_the_unit_by_its_full_name_whatever_the_apostrophe(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    # Excel turns ' into ’ as one types; the unit is still the same.
    rows = [row(*FAMILY, "02.001", "Оздоровлення", "звичайна", "Відділ у справах сім’ї та молоді", "ні")]
    path = write_xlsx(tmp_path / "k.xlsx", rows)

    load(path)

    assert Category.objects.get().unit == units[1]


def test_it_reads_whole_numbers_typed_as_numbers(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    rows = [row(1, "Житло", 101, "Протікання даху", "звичайна", "ВЖКГ", 1, active=True)]
    path = write_xlsx(tmp_path / "k.xlsx", rows)

    load(path)

    roof = Category.objects.get()
    assert (roof.code, roof.section.code, roof.evidence_required) == ("101", "1", True)


def test_it_ignores_empty_rows_and_extra_columns(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    header = ["№ з/п", *HEADER, "Примітка"]
    rows = [[1, *GOOD_ROWS[0], "перевірено"], [None] * 12, [2, *GOOD_ROWS[1], ""], [None] * 12]
    path = write_xlsx(tmp_path / "k.xlsx", [*([None, *r, None] for r in SECTION_ROWS), *rows], header=header)

    output = load(path)

    assert Category.objects.count() == 2
    assert "«№ з/п»" in output
    assert "«Примітка»" in output


def test_it_reads_the_named_sheet(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    path = write_xlsx(tmp_path / "k.xlsx", [*SECTION_ROWS, *GOOD_ROWS])
    book = openpyxl.load_workbook(path)
    book.create_sheet("Інструкція", 0).append(["Заповнюйте аркуш «Класифікатор»"])
    book.save(path)

    load(path, "--sheet", "Класифікатор")

    assert Category.objects.count() == 4
    assert "Інструкція" in refusal(path, "--sheet", "Немає")


def test_it_prints_the_summary_in_ukrainian(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    path = write_xlsx(tmp_path / "k.xlsx", [*SECTION_ROWS, *GOOD_ROWS])

    with translation.override("uk"):
        output = load(path)

    assert "Види заявок: створено 4, оновлено 0, без змін 0, припинено дію 0." in output
    assert "Розділи: створено 4, оновлено 0." in output


# --------------------------------------------------------------------------------------------------
# Upsert and retire
# --------------------------------------------------------------------------------------------------


def test_it_updates_types_by_code_and_keeps_those_absent_from_the_file(
    tmp_path: Path, units: tuple[Unit, Unit]
) -> None:
    load(write_xlsx(tmp_path / "first.xlsx", [*SECTION_ROWS, *GOOD_ROWS]))
    renamed = ("01.01", "Водопостачання і водовідведення")
    changed = [
        row(*renamed, "01.01.001", "Немає води", "аварійна", "ВЖКГ", "так"),  # renamed
        row(*renamed, "01.01.003", "Засмічення каналізації", "аварійна", "ВЖКГ", "ні"),  # new
        row("01.02", "Благоустрій", "01.01.002", "Низький тиск води", "середньострокова", "ВСМ", "так"),  # moved
    ]

    with translation.override("uk"):
        output = load(write_xlsx(tmp_path / "second.xlsx", changed))

    assert Category.objects.get(code="01.01.001").name == "Немає води"
    assert Category.objects.get(code="01.01.003").unit == units[0]
    moved = Category.objects.get(code="01.01.002")
    assert (moved.section.code, moved.unit, moved.urgency, moved.evidence_required) == (
        "01.02",
        units[1],
        "medium_term",
        True,
    )
    assert Category.objects.filter(code__in=["01.02.001", "02.001"], is_active=True).count() == 2  # untouched
    assert Section.objects.get(code="01.01").name == "Водопостачання і водовідведення"
    assert "створено 1, оновлено 2, без змін 0, припинено дію 0" in output
    assert "Розділи: створено 0, оновлено 2." in output  # 01.01 renamed, 01.02 now first in the file's order


def test_it_changes_nothing_when_the_same_file_is_loaded_again(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    path = write_xlsx(tmp_path / "k.xlsx", [*SECTION_ROWS, *GOOD_ROWS])
    load(path)

    with translation.override("uk"):
        output = load(path)

    assert "створено 0, оновлено 0, без змін 4, припинено дію 0" in output
    assert "Розділи: створено 0, оновлено 0." in output


def test_it_retires_missing_types_when_asked_and_never_deletes(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    load(write_xlsx(tmp_path / "first.xlsx", [*SECTION_ROWS, *GOOD_ROWS]))

    with translation.override("uk"):
        output = load(write_xlsx(tmp_path / "second.xlsx", GOOD_ROWS[:1]), "--retire-missing")

    assert Category.objects.count() == 4
    assert list(Category.objects.filter(is_active=True).values_list("code", flat=True)) == ["01.01.001"]
    assert "припинено дію 3" in output


def test_it_retires_and_restores_a_type_by_the_active_column(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    roof = ("01", "Житло", "01.001", "Протікання даху", "звичайна", "ВЖКГ", "ні")
    load(write_xlsx(tmp_path / "a.xlsx", [row(*roof, active="ні")]))
    assert Category.objects.get().is_active is False

    load(write_xlsx(tmp_path / "b.xlsx", [row(*roof)]))  # empty "Діє": in force

    assert Category.objects.get().is_active is True


def test_it_only_checks_on_a_dry_run(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    path = write_xlsx(tmp_path / "k.xlsx", [*SECTION_ROWS, *GOOD_ROWS])

    with translation.override("uk"):
        output = load(path, "--dry-run")

    assert not Category.objects.exists()
    assert not Section.objects.exists()
    assert "створено 4" in output
    assert "нічого не змінено" in output


# --------------------------------------------------------------------------------------------------
# Bad files: every problem reported by row, and nothing imported
# --------------------------------------------------------------------------------------------------

LIFT = "01.01.009", "Ліфт"
BAD_ROWS: dict[str, tuple[list[Any], str]] = {
    "unknown unit": (row(*WATER, *LIFT, "звичайна", "Відділ ліфтів", "ні"), "Відділ ліфтів"),
    "unknown urgency": (row(*WATER, *LIFT, "термінова", "ВЖКГ", "ні"), "термінова"),
    "empty urgency": (row(*WATER, *LIFT, "", "ВЖКГ", "ні"), "«Тип»"),
    "empty code": (row(*WATER, "", "Ліфт", "звичайна", "ВЖКГ", "ні"), "«Код»"),
    "empty name": (row(*WATER, "01.01.009", "", "звичайна", "ВЖКГ", "ні"), "«Назва»"),
    "empty unit": (row(*WATER, *LIFT, "звичайна", "", "ні"), "«Підрозділ»"),
    "empty section code": (row("", "Житло", "01.009", "Ліфт", "звичайна", "ВЖКГ", "ні"), "«Код розділу»"),
    "bad yes/no": (row(*WATER, *LIFT, "звичайна", "ВЖКГ", "можливо"), "можливо"),
    "bad active": (row(*WATER, *LIFT, "звичайна", "ВЖКГ", "ні", active="інколи"), "інколи"),
    "code with spaces": (row(*WATER, "01.01 009", "Ліфт", "звичайна", "ВЖКГ", "ні"), "01.01 009"),
    "too long name": (row(*WATER, "01.01.009", "Л" * 501, "звичайна", "ВЖКГ", "ні"), "500"),
    "unknown parent": (row("07.01", "Транспорт", "07.01.001", "Ліфт", "звичайна", "ВЖКГ", "ні"), "07"),
    "section renamed": (row("01.01", "Водогін", *LIFT, "звичайна", "ВЖКГ", "ні"), "Водогін"),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_it_reports_a_bad_row_by_its_number_and_imports_nothing(
    tmp_path: Path, units: tuple[Unit, Unit], kind: str
) -> None:
    bad, detail = BAD_ROWS[kind]
    # Rows 2-3: sections, rows 4-7: good types, row 8: the bad one, row 9: good again.
    rows = [*SECTION_ROWS, *GOOD_ROWS, bad, row(*FAMILY, "02.002", "Табір", "звичайна", "ВСМ")]
    path = write_xlsx(tmp_path / "k.xlsx", rows)

    with translation.override("uk"):
        message = refusal(path)

    assert "Рядок 8:" in message
    assert detail in message
    assert "Рядок 4" not in message and "Рядок 9" not in message
    assert "нічого не змінено" in message.casefold()
    assert not Category.objects.exists()
    assert not Section.objects.exists()


def test_it_reports_a_duplicate_code_with_both_rows(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    rows = [*SECTION_ROWS, *GOOD_ROWS, GOOD_ROWS[1]]
    path = write_csv(tmp_path / "k.csv", rows)

    with translation.override("uk"):
        message = refusal(path)

    assert "Рядок 8: код 01.01.002 вже використано в рядку 5." in message
    assert not Category.objects.exists()


def test_it_refuses_a_number_typed_where_a_code_keeps_its_zeros(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    # "01.10" typed into a number cell is stored as 1.1: the code cannot be trusted.
    rows = [row("01", "Житло", 1.1, "Ліфт", "звичайна", "ВЖКГ", "ні")]

    message = refusal(write_xlsx(tmp_path / "k.xlsx", rows))

    assert "1.1" in message
    assert not Category.objects.exists()


def test_it_refuses_an_active_type_for_a_retired_unit(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    Unit.objects.filter(short_name="ВСМ").update(is_active=False)
    path = write_xlsx(tmp_path / "k.xlsx", [*SECTION_ROWS, *GOOD_ROWS])

    with translation.override("uk"):
        message = refusal(path)

    assert "Рядок 7:" in message  # the type of the unit «ВСМ»
    assert not Category.objects.exists()


def test_it_lists_every_problem_of_the_file(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    rows = [
        *SECTION_ROWS,
        GOOD_ROWS[0],
        row(*WATER, "01.01.005", "", "звичайна", "Невідомий", "ні"),  # row 5: no name, unknown unit
        GOOD_ROWS[1],
        row(*WATER, "01.01.004", "Тиск", "швидка", "ВЖКГ", "може"),  # row 7: bad urgency, bad yes/no
        GOOD_ROWS[0],  # row 8: the code of row 4 again
    ]

    with translation.override("uk"):
        message = refusal(write_xlsx(tmp_path / "k.xlsx", rows))

    lines = [line.strip() for line in message.splitlines()[1:]]
    assert [line.split(":")[0] for line in lines] == ["Рядок 5", "Рядок 5", "Рядок 7", "Рядок 7", "Рядок 8"]
    assert "знайдено помилок: 5" in message.splitlines()[0]


def test_it_names_every_missing_column(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    header = ["Код розділу", "Розділ", "Код", "Назва", "Опис"]

    with translation.override("uk"):
        message = refusal(write_xlsx(tmp_path / "k.xlsx", [["01", "Житло", "01.001", "Дах", ""]], header=header))

    for column in ("Тип", "Підрозділ", "Фото/акт"):
        assert f"відсутній обов'язковий стовпець «{column}»" in message
    assert "Рядок 1:" in message
    assert not Category.objects.exists()


def test_it_refuses_a_column_given_twice(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    message = refusal(write_xlsx(tmp_path / "k.xlsx", GOOD_ROWS, header=[*HEADER[:9], "Code"]))

    assert "«Код»" in message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("k.xls", b"\xd0\xcf\x11\xe0"),
        ("k.ods", b"PK"),
        ("k.xlsx", b"not a zip"),
        ("k.csv", b""),
        ("k.csv", b"\x98\x98\x98"),  # neither UTF-8 nor Windows-1251
    ],
)
def test_it_refuses_a_file_it_cannot_read(tmp_path: Path, units: tuple[Unit, Unit], name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    message = refusal(path)

    assert message
    assert not Category.objects.exists()


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    assert "nowhere.xlsx" in refusal(tmp_path / "nowhere.xlsx")


def test_it_loads_the_example_of_the_documentation(tmp_path: Path, units: tuple[Unit, Unit]) -> None:
    doc = Path(__file__).resolve().parents[3] / "docs" / "classifier-import.md"
    if not doc.exists():
        pytest.skip("docs/ is not part of an installed package")
    example = doc.read_text(encoding="utf-8").split("```text\n")[1].split("```")[0]
    path = tmp_path / "example.csv"
    path.write_text(example, encoding="utf-8")

    with translation.override("uk"):
        output = load(path)

    assert "Види заявок: створено 5, оновлено 0, без змін 0, припинено дію 0." in output
    assert "Розділи: створено 4, оновлено 0." in output
    assert output.strip() in doc.read_text(encoding="utf-8")
