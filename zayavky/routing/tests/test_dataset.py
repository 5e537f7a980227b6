"""Reading, checking and splitting CSV files of routed requests (pure: no database)."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from pathlib import Path

import pytest

from zayavky.routing.dataset import (
    KYIV,
    DatasetError,
    Example,
    newest_share,
    read_examples,
    read_file,
    split_by_time,
    write_examples,
)

DATA = Path(__file__).parent / "data"


def test_it_reads_quotes_commas_and_newlines_inside_a_text() -> None:
    examples = read_examples(DATA / "good.csv")
    assert [e.external_id for e in examples] == ["K-1", "K-2", "K-3"]
    assert examples[1].text == "Нет отопления,\nбатареи холодные"
    assert examples[2].text == 'Яма на дорозі "біля школи"'
    assert examples[0].received_at == dt.datetime(2024, 3, 1, 7, 15, tzinfo=dt.UTC)


def test_it_reads_a_gzipped_file_whatever_its_name(tmp_path: Path) -> None:
    packed = tmp_path / "history.data"
    with gzip.open(packed, "wb") as out:
        out.write((DATA / "good.csv").read_bytes())
    assert read_examples(packed) == read_examples(DATA / "good.csv")


def test_it_refuses_an_unknown_column_naming_it() -> None:
    with pytest.raises(DatasetError) as refused:
        read_examples(DATA / "unknown-column.csv")
    assert "line 1: unknown column(s): 'address'" in str(refused.value)
    assert "external_id, received_at, category, text" in str(refused.value)


def test_it_refuses_a_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("external_id,received_at,text\nK-1,2024-03-01T09:15:00+02:00,Ліфт\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="missing column.s.: category"):
        read_examples(path)


def test_it_names_every_bad_row_and_returns_nothing() -> None:
    with pytest.raises(DatasetError) as refused:
        read_examples(DATA / "bad-rows.csv")
    assert refused.value.problems == [
        "line 3: received_at '01.03.2024 10:00' is not ISO 8601 with an offset (e.g. 2014-07-02T09:42:51+02:00)",
        "line 4: empty category",
        "line 5: 3 field(s), the header has 4",
        "line 6: received_at '2024-03-02T09:30:00' is not ISO 8601 with an offset (e.g. 2014-07-02T09:42:51+02:00)",
    ]
    assert "4 problem(s), nothing was used" in str(refused.value)


def test_it_reads_an_exact_repeat_once_and_refuses_a_number_with_other_content() -> None:
    with pytest.raises(DatasetError) as refused:
        read_file(DATA / "repeated.csv")
    assert refused.value.problems == ["line 5: external_id 'K-2' was on line 4 with other content"]


def test_it_counts_exact_repeats(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    lines = (DATA / "repeated.csv").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    loaded = read_file(path)
    assert [e.external_id for e in loaded.examples] == ["K-1", "K-2"]
    assert loaded.repeated_rows == 1


def test_it_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.csv"
    path.write_bytes(
        "external_id,received_at,category,text\nK-1,2024-03-01T09:15:00+02:00,Ліфт,Ліфт\n".encode("cp1251")
    )
    with pytest.raises(DatasetError, match="not a UTF-8 CSV"):
        read_examples(path)


def test_it_refuses_an_empty_file_and_a_header_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DatasetError, match="the file is empty"):
        read_examples(empty)
    header = tmp_path / "header.csv"
    header.write_text("external_id,received_at,category,text\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="no rows after the header"):
        read_examples(header)


def test_it_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        read_examples(tmp_path / "nowhere.csv")


def test_it_writes_what_it_reads_back_gzipped(tmp_path: Path) -> None:
    examples = read_examples(DATA / "good.csv")
    write_examples(tmp_path / "out" / "copy.csv.gz", examples)
    assert (tmp_path / "out" / "copy.csv.gz").read_bytes()[:2] == b"\x1f\x8b"
    assert read_examples(tmp_path / "out" / "copy.csv.gz") == examples
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["copy.csv.gz"]  # no temporary left behind


def _at(moment: str) -> Example:
    return Example(moment, dt.datetime.fromisoformat(moment), "Ліфт", "Не працює ліфт")


def test_it_splits_at_midnight_in_kyiv() -> None:
    late_august = _at("2014-08-31T23:30:00+03:00")  # still 31 August in Kyiv
    first_of_september = _at("2014-08-31T21:30:00+00:00")  # 00:30 on 1 September in Kyiv (summer time)
    train, test = split_by_time([first_of_september, late_august], dt.date(2014, 9, 1))
    assert train == [late_august]
    assert test == [first_of_september]
    assert test[0].received_at.astimezone(KYIV).date() == dt.date(2014, 9, 1)


def test_the_validation_slice_is_the_newest_share() -> None:
    examples = [_at(f"2024-01-{day:02d}T12:00:00+02:00") for day in range(20, 0, -1)]
    older, newest = newest_share(examples, 0.15)
    assert [e.external_id[:10] for e in newest] == ["2024-01-18", "2024-01-19", "2024-01-20"]
    assert max(e.received_at for e in older) < min(e.received_at for e in newest)


def test_a_copy_of_the_committed_files_reads_the_same(tmp_path: Path) -> None:
    shutil.copy(DATA / "good.csv", tmp_path / "good.csv")
    assert read_examples(tmp_path / "good.csv") == read_examples(DATA / "good.csv")
