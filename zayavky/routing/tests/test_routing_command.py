"""``zayavky routing evaluate | split | curve`` as an administrator runs them (call_command), on synthetic CSVs."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zayavky.routing.dataset import read_examples, start_of_day, write_examples
from zayavky.routing.model import load, read_header
from zayavky.routing.tests.synthetic import history

DATA = Path(__file__).parent / "data"
#: How many of the synthetic requests came before midnight of 18 July 2024 in Kyiv (the split used below).
BEFORE_18_JULY = sum(e.received_at < start_of_day(dt.date(2024, 7, 18)) for e in history(3000))


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("routing", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture(scope="module")
def history_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 requests from 9 January 2024, one every two hours (till September)."""
    path = tmp_path_factory.mktemp("history") / "history.csv.gz"
    write_examples(path, history(3000))
    return path


def test_it_evaluates_and_prints_one_json_object_last(history_file: Path, tmp_path: Path) -> None:
    examples = read_examples(history_file)
    write_examples(tmp_path / "train.csv", examples[:2400])
    write_examples(tmp_path / "test.csv", examples[2400:])
    kept = tmp_path / "kept.model"
    lines = run(
        "evaluate",
        "--train",
        str(tmp_path / "train.csv"),
        "--test",
        str(tmp_path / "test.csv"),
        "--save-model",
        str(kept),
    )
    figures = json.loads(lines[-1])
    assert {"top1", "top3", "macro_f1", "n_train", "n_test", "train_seconds", "p95_ms"} <= set(figures)
    assert figures["n_train"] == 2400 and figures["n_test"] == 600
    assert figures["top1"] > 0.9 and figures["top3"] >= figures["top1"]
    assert 0 < figures["p95_ms"] and 0 <= figures["p95_cpu_ms"] and 0 < figures["train_seconds"]
    assert 0 < figures["model_mb"] < 100
    assert load(kept).n_train == 2400 and read_header(kept)["quality"]["top1"] > 0.9


def test_it_evaluates_one_file_split_by_time(history_file: Path) -> None:
    figures = json.loads(run("evaluate", "--data", str(history_file), "--test-from", "2024-07-18")[-1])
    assert (figures["n_train"], figures["n_test"]) == (BEFORE_18_JULY, 3000 - BEFORE_18_JULY)


def test_it_splits_one_file_in_two_by_time(history_file: Path, tmp_path: Path) -> None:
    lines = run("split", str(history_file), "--test-from", "2024-07-18", "--out-dir", str(tmp_path / "split"))
    train = read_examples(tmp_path / "split" / "train.csv.gz")
    test = read_examples(tmp_path / "split" / "test.csv.gz")
    assert (len(train), len(test)) == (BEFORE_18_JULY, 3000 - BEFORE_18_JULY)
    day = dt.datetime(2024, 7, 18, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert max(e.received_at for e in train) < day <= min(e.received_at for e in test)
    assert (
        f"заявок: {BEFORE_18_JULY}, до" in lines[-1] and f"заявок: {3000 - BEFORE_18_JULY}, від 2024-07-18" in lines[-1]
    )


def test_a_bad_row_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as refused:
        run("split", str(DATA / "bad-rows.csv"), "--test-from", "2024-03-02", "--out-dir", str(tmp_path / "out"))
    assert "Файл не можна використати; нічого не зроблено." in str(refused.value)
    assert "line 3: received_at '01.03.2024 10:00'" in str(refused.value)
    assert "line 5: 3 field(s), the header has 4" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_an_unknown_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="unknown column.s.: 'address'"):
        run("evaluate", "--train", str(DATA / "unknown-column.csv"), "--test", str(DATA / "good.csv"))


def test_it_asks_for_one_way_of_naming_the_data(history_file: Path) -> None:
    with pytest.raises(CommandError, match="або --train і --test, або --data і --test-from"):
        run("evaluate", "--train", str(history_file))
    with pytest.raises(CommandError, match="або --train і --test, або --data і --test-from"):
        run("evaluate", "--train", str(history_file), "--test", str(history_file), "--data", str(history_file))
    with pytest.raises(CommandError, match="для навчання: 3000, для вимірювання: 0"):
        run("evaluate", "--data", str(history_file), "--test-from", "2030-01-01")


def test_it_measures_the_learning_curve(history_file: Path) -> None:
    lines = run("curve", "--data", str(history_file), "--test-from", "2024-07-18", "--sizes", "100,1000")
    result = json.loads(lines[-1])
    assert [point["n_train"] for point in result["curve"]] == [100, 1000, BEFORE_18_JULY]
    assert result["curve"][-1]["top3"] >= 0.9
    assert sum(bucket["test_requests"] for bucket in result["per_type"]) == 3 * (3000 - BEFORE_18_JULY)
