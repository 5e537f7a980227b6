"""Loading the Classifier (1.3) from the spreadsheet an official keeps: XLSX, or CSV saved by Excel.

The file is checked as a whole before anything is written: every problem is reported with its spreadsheet
row number (the header is row 1), and a file with a single bad row changes nothing (docs/design.md 5). A valid
file is written in one transaction: request types are matched by their stable code and created or updated;
a type that is absent from the file is left alone unless ``retire_missing`` asks to retire it. Nothing is
ever deleted: requests filed under a type keep it.

The layout of the file is documented for officials in ``docs/classifier-import.md``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from django.db import transaction
from django.utils.translation import gettext as _

from zayavky.catalog.models import Category, Section, Unit
from zayavky.deadlines import Urgency

__all__ = [
    "COLUMNS",
    "ClassifierFileError",
    "ImportSummary",
    "Problem",
    "load_classifier",
    "read_classifier",
]

Cell = str | int | float | bool | None


# --------------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    title: str  # the Ukrainian header an official writes; also how messages name the column
    aliases: tuple[str, ...]  # other accepted headers, English ones included
    required: bool
    max_length: int | None = None


def _max_length(model: type[Any], name: str) -> int:
    return int(model._meta.get_field(name).max_length)


COLUMNS: tuple[Column, ...] = (
    Column("section_code", "Код розділу", ("section code", "section_code"), True, _max_length(Section, "code")),
    Column(
        "section_name",
        "Розділ",
        ("назва розділу", "section", "section name", "section_name"),
        True,
        _max_length(Section, "name"),
    ),
    Column("code", "Код", ("код типу", "code", "type code"), True, _max_length(Category, "code")),
    Column("name", "Назва", ("назва типу", "name", "type name"), True, _max_length(Category, "name")),
    Column("urgency", "Тип", ("тип заявки", "urgency", "type"), True),
    Column("unit", "Підрозділ", ("структурний підрозділ", "unit"), True),
    Column(
        "evidence",
        "Фото/акт",
        ("фото / акт", "фото або акт", "photo/act", "evidence", "evidence_required"),
        True,
    ),
    Column("description", "Опис", ("description",), False),
    Column("keywords", "Ключові слова", ("keywords",), False),
    Column("active", "Діє", ("active", "is_active"), False),
)
_BY_KEY = {c.key: c for c in COLUMNS}
#: The columns that only a request type row fills in; a row with none of them is a section heading.
_TYPE_COLUMNS = ("code", "name", "urgency", "unit", "evidence", "description", "keywords", "active")

_URGENCY_WORDS: dict[str, Urgency] = {
    "аварійна": Urgency.EMERGENCY,
    "emergency": Urgency.EMERGENCY,
    "звичайна": Urgency.ORDINARY,
    "ordinary": Urgency.ORDINARY,
    "середньострокова": Urgency.MEDIUM_TERM,
    "medium_term": Urgency.MEDIUM_TERM,
    "довгострокова": Urgency.LONG_TERM,
    "long_term": Urgency.LONG_TERM,
}
_YES = {"так", "т", "yes", "y", "1", "+", "true", "істина"}
_NO = {"ні", "н", "no", "n", "0", "-", "false", "хибність"}

# A code: parts without spaces separated by single dots ("01", "01.02", "01.02.003").
_CODE_RE = re.compile(r"[^\s.]+(?:\.[^\s.]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'", "«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})


def _header_key(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").casefold().split()).replace(" / ", "/")


_HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.title, *_column.aliases):
        _HEADER_LOOKUP[_header_key(_name)] = _column.key


# --------------------------------------------------------------------------------------------------
# Results and problems
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the file; ``row`` is the spreadsheet row number, None for the file as a whole."""

    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


class ClassifierFileError(Exception):
    """The file cannot be loaded; ``problems`` lists every reason found. Nothing was changed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(slots=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    sections_created: int = 0
    sections_updated: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class SectionRow:
    row: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class TypeRow:
    row: int
    section_code: str
    code: str
    name: str
    urgency: Urgency
    unit: Unit
    evidence_required: bool
    description: str
    keywords: str
    is_active: bool


@dataclass(slots=True)
class Classifier:
    """The content of a valid file: sections in the order met in the file, and request types."""

    sections: dict[str, SectionRow]
    types: list[TypeRow]
    ignored_columns: list[str]


# --------------------------------------------------------------------------------------------------
# Reading the file
# --------------------------------------------------------------------------------------------------


def _unreadable(message: str, row: int | None = None) -> ClassifierFileError:
    return ClassifierFileError([Problem(row, message)])


def _read_xlsx(path: Path, sheet: str | None) -> list[tuple[int, list[Cell]]]:
    import openpyxl  # imported here: only this branch needs it, and the import is not free
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, data_only=True)  # data_only: a formula's value, not its text
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise _unreadable(_("Cannot read the XLSX file: %(error)s") % {"error": exc}) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            sheets = ", ".join(book.sheetnames)
            raise _unreadable(
                _("The workbook has no sheet «%(sheet)s»; it has: %(sheets)s.") % {"sheet": sheet, "sheets": sheets}
            )
        return [(number, list(values)) for number, values in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # with or without the BOM Excel writes for "CSV UTF-8"
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Ukrainian Windows is Windows-1251; a file in any other encoding would
        # come out as nonsense and fail the header check below, so this guess cannot slip through quietly.
        return data.decode("cp1251", errors="strict")


def _read_csv(path: Path) -> list[tuple[int, list[Cell]]]:
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError:
        raise _unreadable(_("The CSV file is neither UTF-8 nor Windows-1251 text.")) from None
    except OSError as exc:
        raise _unreadable(_("Cannot read the file: %(error)s") % {"error": exc}) from None
    first_line = text.split("\n", 1)[0]
    # Excel saves CSV with ";" where the decimal separator is a comma (Ukrainian settings), "," elsewhere.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, list(values)) for number, values in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise _unreadable(_("Cannot read the CSV file: %(error)s") % {"error": exc}, reader.line_num) from None


def _read_rows(path: Path, sheet: str | None) -> list[tuple[int, list[Cell]]]:
    if not path.is_file():
        raise _unreadable(_("File not found: %(path)s") % {"path": path})
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix == ".xls":
        raise _unreadable(_("The old .xls format is not supported: save the file as .xlsx."))
    raise _unreadable(_("Unsupported file type %(suffix)s: give an .xlsx or .csv file.") % {"suffix": suffix or "—"})


# --------------------------------------------------------------------------------------------------
# Cell values
# --------------------------------------------------------------------------------------------------


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _one_line(value: Cell) -> str:
    return " ".join(_text(value).split())


def _lookup_key(value: str) -> str:
    return " ".join(value.translate(_APOSTROPHES).casefold().split())


class _RowChecker:
    """Reads the cells of one row, noting each problem against the row's number."""

    def __init__(self, number: int, cells: list[Cell], columns: dict[str, int], problems: list[Problem]) -> None:
        self.number = number
        self.cells = cells
        self.columns = columns
        self.problems = problems

    def raw(self, key: str) -> Cell:
        index = self.columns.get(key)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def problem(self, message: str) -> None:
        self.problems.append(Problem(self.number, message))

    def empty(self, key: str) -> None:
        self.problem(_("the column «%(column)s» is empty.") % {"column": _BY_KEY[key].title})

    def is_blank(self, keys: Iterable[str]) -> bool:
        return all(_text(self.raw(k)) == "" for k in keys)

    def code(self, key: str) -> str:
        column = _BY_KEY[key]
        raw = self.raw(key)
        if isinstance(raw, float) and not raw.is_integer():
            # A code such as 01.10 typed into a number cell arrives as 1.1: it cannot be trusted.
            self.problem(
                _(
                    "the column «%(column)s» holds the number %(value)s, not a code: format the column "
                    "as text so that a code like 01.10 keeps its zeros."
                )
                % {"column": column.title, "value": raw}
            )
            return ""
        value = _text(raw).rstrip(".")  # "01.02." and "01.02" are the same code
        if not value:
            self.empty(key)
        elif not _CODE_RE.fullmatch(value):
            self.problem(
                _(
                    "«%(value)s» in the column «%(column)s» is not a code: use digits or letters "
                    "separated by dots, without spaces."
                )
                % {"value": value, "column": column.title}
            )
        elif column.max_length and len(value) > column.max_length:
            self._too_long(column, value)
        return value

    def name(self, key: str) -> str:
        column = _BY_KEY[key]
        value = _one_line(self.raw(key))
        if not value:
            self.empty(key)
        elif column.max_length and len(value) > column.max_length:
            self._too_long(column, value)
        return value

    def _too_long(self, column: Column, value: str) -> None:
        self.problem(
            _("the column «%(column)s» is longer than %(max)d characters (%(length)d).")
            % {"column": column.title, "max": column.max_length, "length": len(value)}
        )

    def urgency(self) -> Urgency | None:
        value = _one_line(self.raw("urgency"))
        key = value.casefold().replace("-", "_").replace(" ", "_")
        if key in _URGENCY_WORDS:
            return _URGENCY_WORDS[key]
        if not value:
            self.empty("urgency")
        else:
            self.problem(
                _("unknown urgency type «%(value)s»; allowed: аварійна, звичайна, середньострокова, довгострокова.")
                % {"value": value}
            )
        return None

    def yes_no(self, key: str, default: bool) -> bool:
        raw = self.raw(key)
        if isinstance(raw, bool):
            return raw
        value = _one_line(raw).casefold()
        if value == "":
            return default
        if value in _YES:
            return True
        if value in _NO:
            return False
        self.problem(
            _("«%(value)s» in the column «%(column)s» is not a yes/no value; write так or ні.")
            % {"value": _one_line(raw), "column": _BY_KEY[key].title}
        )
        return default


class _Units:
    """Finds a unit by its short or full name, forgiving case, spacing, apostrophe and quote styles."""

    def __init__(self) -> None:
        self.by_key: dict[str, set[Unit]] = {}
        for unit in Unit.objects.all():
            for name in {unit.short_name, unit.name}:
                self.by_key.setdefault(_lookup_key(name), set()).add(unit)

    def find(self, value: str) -> Unit | str:
        """The unit, or the reason none is found."""
        found = self.by_key.get(_lookup_key(value), set())
        if not found:
            return _("unknown structural unit «%(value)s»; give its short or full name as in the list of units.") % {
                "value": value
            }
        if len(found) > 1:
            names = ", ".join(sorted(u.name for u in found))
            return _("«%(value)s» names more than one structural unit (%(names)s); give the full name.") % {
                "value": value,
                "names": names,
            }
        return next(iter(found))


# --------------------------------------------------------------------------------------------------
# Checking the file
# --------------------------------------------------------------------------------------------------


def _header(cells: list[Cell]) -> tuple[dict[str, int], list[str], list[Problem]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for index, cell in enumerate(cells):
        title = _one_line(cell)
        if not title:
            continue
        key = _HEADER_LOOKUP.get(_header_key(title))
        if key is None:
            ignored.append(title)
        elif key in columns:
            problems.append(Problem(1, _("the column «%(column)s» appears twice.") % {"column": _BY_KEY[key].title}))
        else:
            columns[key] = index
    for column in COLUMNS:
        if column.required and column.key not in columns:
            problems.append(Problem(1, _("the required column «%(column)s» is missing.") % {"column": column.title}))
    return columns, ignored, problems


def _parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def read_classifier(path: str | Path, *, sheet: str | None = None) -> Classifier:
    """Read and check the whole file; raise :class:`ClassifierFileError` listing every problem."""
    rows = _read_rows(Path(path), sheet)
    header_at = next((i for i, (_n, cells) in enumerate(rows) if any(_text(c) for c in cells)), None)
    if header_at is None:
        raise _unreadable(_("The file is empty."))
    if header_at != 0:
        raise _unreadable(_("the first row must be the header with the column names."), 1)
    columns, ignored, problems = _header(rows[0][1])
    if problems:
        raise ClassifierFileError(problems)

    units = _Units()
    sections: dict[str, SectionRow] = {}
    types: list[TypeRow] = []
    code_rows: dict[str, int] = {}
    for number, cells in rows[1:]:
        check = _RowChecker(number, cells, columns, problems)
        if check.is_blank(columns):
            continue  # Excel leaves empty rows at the end and between blocks
        section_code = check.code("section_code")
        section_name = check.name("section_name")
        if section_code and section_name:
            known = sections.get(section_code)
            if known is None:
                sections[section_code] = SectionRow(number, section_code, section_name)
            elif known.name != section_name:
                check.problem(
                    _("the section %(code)s is named «%(name)s» on row %(row)d and «%(other)s» here.")
                    % {"code": section_code, "name": known.name, "row": known.row, "other": section_name}
                )
        if check.is_blank(_TYPE_COLUMNS):
            continue  # a section heading: a row that names only a section

        code = check.code("code")
        name = check.name("name")
        urgency = check.urgency()
        unit_name = _one_line(check.raw("unit"))
        unit: Unit | None = None
        if not unit_name:
            check.empty("unit")
        else:
            found = units.find(unit_name)
            if isinstance(found, str):
                check.problem(found)
            else:
                unit = found
        evidence = check.yes_no("evidence", default=False)  # empty: no photo or act is needed (2.5)
        is_active = check.yes_no("active", default=True)
        if unit is not None and is_active and not unit.is_active:
            check.problem(
                _("the structural unit «%(unit)s» is not active; restore it first or choose another.") % {"unit": unit}
            )
        if code:
            if code in code_rows:
                check.problem(
                    _("the code %(code)s is already used on row %(row)d.") % {"code": code, "row": code_rows[code]}
                )
            else:
                code_rows[code] = number
        if code and name and urgency and unit and section_code:
            types.append(
                TypeRow(
                    row=number,
                    section_code=section_code,
                    code=code,
                    name=name,
                    urgency=urgency,
                    unit=unit,
                    evidence_required=evidence,
                    description=_text(check.raw("description")),
                    keywords=_one_line(check.raw("keywords")),
                    is_active=is_active,
                )
            )

    # A section nests under the section whose code is its own without the last part: 01.02 under 01.
    existing = set(Section.objects.values_list("code", flat=True))
    for section in sections.values():
        parent = _parent_code(section.code)
        if parent is not None and parent not in sections and parent not in existing:
            problems.append(
                Problem(
                    section.row,
                    _(
                        "the section %(code)s nests under the section %(parent)s, which is neither in the "
                        "file nor in the Classifier; add a row for it."
                    )
                    % {"code": section.code, "parent": parent},
                )
            )
    if not types and not sections and not problems:
        problems.append(Problem(None, _("The file has a header but no rows.")))
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise ClassifierFileError(problems)
    return Classifier(sections=sections, types=types, ignored_columns=ignored)


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def _save_changes(obj: Section | Category, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``obj`` and save only what differs; True if anything did."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


def _write_sections(classifier: Classifier, summary: ImportSummary) -> dict[str, Section]:
    wanted = set(classifier.sections)
    wanted.update(parent for code in classifier.sections if (parent := _parent_code(code)) is not None)
    by_code = {s.code: s for s in Section.objects.select_for_update().filter(code__in=wanted)}
    # The file's order becomes the sections' order; parents are written before their children.
    positions = {code: position for position, code in enumerate(classifier.sections, start=1)}
    for row in sorted(classifier.sections.values(), key=lambda r: r.code.count(".")):
        position = positions[row.code]
        parent_code = _parent_code(row.code)
        parent_section = by_code[parent_code] if parent_code else None
        values = {"name": row.name, "parent_id": parent_section.pk if parent_section else None, "position": position}
        section = by_code.get(row.code)
        if section is None:
            by_code[row.code] = Section.objects.create(code=row.code, **values)
            summary.sections_created += 1
        elif _save_changes(section, values):
            summary.sections_updated += 1
    return by_code


def _iter_type_values(classifier: Classifier, sections: dict[str, Section]) -> Iterator[tuple[str, dict[str, Any]]]:
    for row in classifier.types:
        yield (
            row.code,
            {
                "section_id": sections[row.section_code].pk,
                "name": row.name,
                "urgency": row.urgency.value,
                "unit_id": row.unit.pk,
                "evidence_required": row.evidence_required,
                "description": row.description,
                "keywords": row.keywords,
                "is_active": row.is_active,
            },
        )


def load_classifier(
    path: str | Path, *, retire_missing: bool = False, dry_run: bool = False, sheet: str | None = None
) -> ImportSummary:
    """Check the file, then create and update sections and request types in one transaction (1.3, 2.2).

    Types are matched by code. With ``retire_missing``, the active types whose code is not in the file are
    retired (``is_active=False``), never deleted. With ``dry_run`` everything is done and rolled back, so the
    summary tells what a real run would change.
    """
    classifier = read_classifier(path, sheet=sheet)
    summary = ImportSummary(ignored_columns=classifier.ignored_columns, dry_run=dry_run)
    with transaction.atomic():
        sections = _write_sections(classifier, summary)
        codes = [row.code for row in classifier.types]
        existing = {c.code: c for c in Category.objects.select_for_update().filter(code__in=codes)}
        for code, values in _iter_type_values(classifier, sections):
            category = existing.get(code)
            if category is None:
                Category.objects.create(code=code, **values)
                summary.created += 1
            elif _save_changes(category, values):
                summary.updated += 1
            else:
                summary.unchanged += 1
        if retire_missing:
            summary.retired = Category.objects.filter(is_active=True).exclude(code__in=codes).update(is_active=False)
        if dry_run:
            transaction.set_rollback(True)
    return summary
