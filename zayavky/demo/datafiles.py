"""The demo district's data files (``zayavky/demo/data/*.csv``): read, checked, handed out as rows.

The files are what a clerk would keep in Excel: «CSV UTF-8» with ``;`` between the columns, a header row
in Ukrainian, dates as ``31.12.2026``, roles and positions written as the admin pages name them. The
Classifier file is read by the loader of ``zayavky load-classifier`` itself
(:mod:`zayavky.catalog.classifier_io`), not here. ``data/README.md`` says what each file holds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from django.db.models import TextChoices
from django.utils import translation

DATA_DIR = Path(__file__).resolve().parent / "data"

_C = TypeVar("_C", bound=TextChoices)


class DemoDataError(Exception):
    """A data file of the demo is broken: the message names the file and the row."""


def path(name: str) -> Path:
    return DATA_DIR / name


def rows(name: str, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of ``name`` as (row number, {column title: text}); the header must name exactly ``columns``.

    Row numbers are the spreadsheet's (the header is row 1), so a message points at the line to fix."""
    text = path(name).read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = [cell.strip() for cell in next(reader, [])]
    if header != list(columns):
        raise DemoDataError(f"{name}: the header must be {';'.join(columns)}, not {';'.join(header)}")
    found: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            raise DemoDataError(f"{name}, row {number}: {len(cells)} cells, the header has {len(columns)}")
        values = [cell.strip() for cell in cells] + [""] * (len(columns) - len(cells))
        found.append((number, dict(zip(columns, values, strict=True))))
    return found


def column(name: str, columns: Sequence[str], title: str) -> list[str]:
    """The filled cells of one column, top to bottom (word lists of different lengths share a file)."""
    return [row[title] for _number, row in rows(name, columns) if row[title]]


def date(value: str, where: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%d.%m.%Y").date()
    except ValueError:
        raise DemoDataError(f"{where}: «{value}» is not a date like 31.12.2026") from None


def choice(choices: type[_C], value: str, where: str) -> _C:
    """A choice written as the admin pages name it in Ukrainian (any case), or by its stored value."""
    wanted = value.casefold()
    with translation.override("uk"):
        for member in choices:
            if wanted in (str(member.label).casefold(), str(member.value).casefold()):
                return member
        names = ", ".join(str(member.label) for member in choices)
    raise DemoDataError(f"{where}: «{value}» is none of: {names}")


def yes(value: str, where: str) -> bool:
    if value.casefold() in ("так", "1", "yes"):
        return True
    if value.casefold() in ("", "ні", "0", "no"):
        return False
    raise DemoDataError(f"{where}: «{value}» is not так or ні")


def grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """{key: (text, …)} in the order of the file: several rows may share a key."""
    found: dict[str, list[str]] = {}
    for key, text in pairs:
        found.setdefault(key, []).append(text)
    return {key: tuple(texts) for key, texts in found.items()}
