"""Labelled examples for the routing suggestion (2.2): reading, checking and splitting them by time.

Pure Python, no Django: the evaluation runs on any CSV of past requests, and the district's own history
(phase of training from the database) is turned into the same :class:`Example` rows.

A CSV holds exactly the columns ``external_id``, ``received_at``, ``category``, ``text`` (UTF-8, gzip
accepted). The whole file is checked before anything is used: one bad row or an unknown column stops the
reading with a message naming the line, so a measurement is never made on half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast
from zoneinfo import ZoneInfo

COLUMNS: tuple[str, ...] = ("external_id", "received_at", "category", "text")
#: The district's clock: a split "from 1 September" means from midnight in Kyiv.
KYIV = ZoneInfo("Europe/Kyiv")
#: A resident's text can be long; the csv module's default field limit (128 KiB) is kept, and one field
#: over it is reported as a bad row instead of a traceback.
MAX_PROBLEMS_LISTED = 20


@dataclass(frozen=True, slots=True)
class Example:
    """One routed request: what the resident wrote and the Classifier type it was finally handled under."""

    external_id: str
    received_at: dt.datetime
    category: str
    text: str


class DatasetError(Exception):
    """The file cannot be used; ``problems`` lists each one with its line number."""

    def __init__(self, path: str, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS_LISTED]
        more = len(self.problems) - len(shown)
        lines = [f"{path}: {len(self.problems)} problem(s), nothing was used:", *(f"  {p}" for p in shown)]
        if more:
            lines.append(f"  … and {more} more")
        super().__init__("\n".join(lines))


def _open_text(path: str) -> IO[str]:
    """UTF-8 text (a BOM is accepted), gunzipped when the file starts with gzip's magic bytes."""
    with open(path, "rb") as raw:
        magic = raw.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def parse_moment(value: str) -> dt.datetime:
    """ISO 8601 with a UTC offset (``2014-07-02T09:42:51+02:00``); a moment without an offset is ambiguous
    across the DST switch and is refused."""
    moment = dt.datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        raise ValueError("no UTC offset")
    return moment


@dataclass(frozen=True, slots=True)
class ExampleFile:
    examples: list[Example]
    #: Rows identical in every field to an earlier row, read once (Kyiv's 1551 export repeats 2,983 rows).
    repeated_rows: int


def read_examples(path: str | os.PathLike[str]) -> list[Example]:
    """The examples of :func:`read_file`."""
    return read_file(path).examples


def read_file(path: str | os.PathLike[str]) -> ExampleFile:
    """Every row of the CSV at ``path`` as an :class:`Example`, or :class:`DatasetError` listing every
    problem (unknown or missing column, a row with a wrong number of fields, an empty field, a moment that
    is not ISO 8601 with an offset, an ``external_id`` repeated with other content, text that is not UTF-8).
    A row identical in every field to an earlier one is the same request exported twice: it is read once
    and counted, so it neither weighs double in training nor counts twice in a measurement."""
    name = str(path)
    problems: list[str] = []
    examples: list[Example] = []
    seen: dict[str, tuple[int, Example]] = {}
    repeated = 0
    try:
        with _open_text(name) as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise DatasetError(name, ["the file is empty: expected a header " + ", ".join(COLUMNS)])
            header = [column.strip() for column in header]
            unknown = [c for c in header if c not in COLUMNS]
            missing = [c for c in COLUMNS if c not in header]
            if unknown or missing or len(header) != len(set(header)):
                detail = []
                if unknown:
                    detail.append("unknown column(s): " + ", ".join(repr(c) for c in unknown))
                if missing:
                    detail.append("missing column(s): " + ", ".join(missing))
                if len(header) != len(set(header)):
                    detail.append("a column is repeated")
                raise DatasetError(
                    name, [f"line 1: {'; '.join(detail)}; the columns must be exactly {', '.join(COLUMNS)}"]
                )
            index = {column: header.index(column) for column in COLUMNS}
            for row in _rows(reader, problems):
                line, fields = row
                example = _example(line, fields, index, len(header), problems)
                if example is None:
                    continue
                if example.external_id in seen:
                    first_line, first = seen[example.external_id]
                    if first == example:
                        repeated += 1
                    else:
                        problems.append(
                            f"line {line}: external_id {example.external_id!r} was on line {first_line} "
                            "with other content"
                        )
                    continue
                seen[example.external_id] = (line, example)
                examples.append(example)
    except FileNotFoundError:
        raise DatasetError(name, ["no such file"]) from None
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as exc:
        raise DatasetError(name, [f"not a UTF-8 CSV (or a broken gzip): {exc}"]) from None
    if problems:
        raise DatasetError(name, problems)
    if not examples:
        raise DatasetError(name, ["no rows after the header"])
    return ExampleFile(examples, repeated)


def _rows(reader: Iterator[list[str]], problems: list[str]) -> Iterator[tuple[int, list[str]]]:
    """The reader's rows with the line each starts on; a row the csv module cannot parse is a problem."""
    line = 1
    while True:
        start = reader.line_num + 1  # type: ignore[attr-defined]
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(f"line {start}: not a valid CSV row ({exc})")
            continue
        line = start
        if not fields:
            continue  # a blank line between rows
        yield line, fields


def _example(line: int, fields: list[str], index: dict[str, int], width: int, problems: list[str]) -> Example | None:
    if len(fields) != width:
        problems.append(f"line {line}: {len(fields)} field(s), the header has {width}")
        return None
    values = {column: fields[i] for column, i in index.items()}
    empty = [c for c in COLUMNS if not values[c].strip()]
    if empty:
        problems.append(f"line {line}: empty {', '.join(empty)}")
        return None
    try:
        received_at = parse_moment(values["received_at"])
    except ValueError:
        problems.append(
            f"line {line}: received_at {values['received_at']!r} is not ISO 8601 with an offset "
            "(e.g. 2014-07-02T09:42:51+02:00)"
        )
        return None
    return Example(
        external_id=values["external_id"].strip(),
        received_at=received_at,
        category=values["category"].strip(),
        text=values["text"],
    )


def write_examples(path: str | os.PathLike[str], examples: Iterable[Example]) -> None:
    """Write a CSV the reader accepts (gzip when the name ends in ``.gz``), atomically: a file that is
    there is complete."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as raw:
            # mtime=0: the same examples give the same bytes, whenever they are written.
            packed = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) if target.suffix == ".gz" else None
            stream = cast(IO[bytes], packed) if packed is not None else raw
            with io.TextIOWrapper(stream, encoding="utf-8", newline="") as text:
                writer = csv.writer(text)
                writer.writerow(COLUMNS)
                for example in examples:
                    writer.writerow(
                        [example.external_id, example.received_at.isoformat(), example.category, example.text]
                    )
            if packed is not None:
                packed.close()
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def start_of_day(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in Kyiv."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=KYIV)


def split_by_time(examples: Sequence[Example], test_from: dt.date) -> tuple[list[Example], list[Example]]:
    """Requests received before ``test_from`` (Kyiv) to learn from, the rest to measure on: a deployed model
    always meets requests newer than those it learned from, so a random split would flatter it."""
    cut = start_of_day(test_from)
    ordered = sorted(examples, key=lambda e: (e.received_at, e.external_id))
    return [e for e in ordered if e.received_at < cut], [e for e in ordered if e.received_at >= cut]


def newest_share(examples: Sequence[Example], share: float) -> tuple[list[Example], list[Example]]:
    """The oldest ``1 - share`` and the newest ``share`` of the examples by time: a validation slice for
    choices made inside the training period, so the test months are never looked at."""
    ordered = sorted(examples, key=lambda e: (e.received_at, e.external_id))
    cut = len(ordered) - max(1, round(len(ordered) * share))
    return ordered[:cut], ordered[cut:]
