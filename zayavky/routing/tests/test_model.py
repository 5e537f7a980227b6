"""The routing model on a synthetic history: what it proposes, what it withholds, and how its file is kept.

Pure: no database. The model is learned once per module from 2,400 synthetic requests (tests/synthetic.py).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pytest
import sklearn

from zayavky.routing import dataset, evaluation, model, text
from zayavky.routing.model import (
    FORMAT,
    MAGIC,
    MIN_EXAMPLES_PER_TYPE,
    MIN_HISTORY,
    ModelFileError,
    RoutingModel,
    TrainingError,
    fit_temperature,
    load,
    read_header,
    train,
)
from zayavky.routing.tests.synthetic import TYPES, history

LIFT = "Не працює пасажирський ліфт"
HEATING = "Відсутність опалення"
LIGHT = "Освітлення в приміщенні й при вході в нього"
RARE = "Вилов безпритульних тварин"


@pytest.fixture(scope="module")
def learned() -> RoutingModel:
    rare = [
        dataset.Example(f"R-{n}", e.received_at, RARE, "Бродячі собаки у дворі кусають дітей")
        for n, e in enumerate(history(MIN_EXAMPLES_PER_TYPE - 1, seed=7))
    ]
    return train(history(2400) + rare)


def first(learned: RoutingModel, request: str) -> str:
    return learned.suggest(request).items[0].category


def test_it_proposes_the_right_type_first(learned: RoutingModel) -> None:
    assert first(learned, "Третій день не працює ліфт у нашому під'їзді, прошу полагодити") == LIFT
    assert first(learned, "У квартирі холодно, батареї ледь теплі, немає опалення") == HEATING


def test_it_proposes_three_types_with_a_calibrated_confidence(learned: RoutingModel) -> None:
    suggestions = learned.suggest("Не горить світло в під'їзді, темно")
    assert suggestions.withheld is None
    assert len(suggestions.items) == 3
    assert len({s.category for s in suggestions.items}) == 3
    confidences = [s.probability for s in suggestions.items]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 <= c <= 1 for c in confidences) and sum(confidences) <= 1.0001
    assert suggestions.items[0].category == LIGHT


def test_it_reads_russian_and_a_mix_of_both_languages(learned: RoutingModel) -> None:
    assert first(learned, "Уже неделю не работает лифт, мы на девятом этаже") == LIFT
    assert first(learned, "Не работает ліфт, під'їзд 3") == LIFT
    assert first(learned, "В подъезде не горить свет, темно на сходах") == LIGHT


def test_one_word_is_enough_when_it_says_something(learned: RoutingModel) -> None:
    assert first(learned, "ліфт") == LIFT
    assert first(learned, "лифт") == LIFT
    assert first(learned, "опалення") == HEATING


def test_it_proposes_nothing_for_an_empty_text(learned: RoutingModel) -> None:
    assert learned.suggest("") == model.Suggestions((), "empty")
    assert learned.suggest("  \n\t ") == model.Suggestions((), "empty")


def test_it_proposes_nothing_for_only_digits_and_signs(learned: RoutingModel) -> None:
    assert learned.suggest("0671234567") == model.Suggestions((), "no_words")
    assert learned.suggest("12, 45 — 7/3 !!!") == model.Suggestions((), "no_words")


def test_it_reads_the_first_4000_characters_of_a_20000_character_text(learned: RoutingModel) -> None:
    head = "Не працює ліфт у під'їзді, зупинився між поверхами. " * 80
    huge = (head[: text.MAX_CHARS] + "Немає опалення, холодно. " * 1000)[:20_000]
    assert len(huge) == 20_000
    assert learned.suggest(huge) == learned.suggest(head[: text.MAX_CHARS])
    assert first(learned, huge) == LIFT


def test_a_retired_type_is_never_proposed(learned: RoutingModel) -> None:
    active = set(TYPES) - {LIFT}
    suggestions = learned.suggest("Не працює ліфт", allowed=active)
    assert suggestions.items and LIFT not in {s.category for s in suggestions.items}
    assert learned.suggest("Не працює ліфт", allowed=set()) == model.Suggestions((), "no_known_type")


def test_a_type_learned_from_too_few_requests_is_never_proposed(learned: RoutingModel) -> None:
    assert learned.counts[RARE] == MIN_EXAMPLES_PER_TYPE - 1
    assert RARE not in {s.category for s in learned.suggest("Бродячі собаки у дворі кусають дітей").items}


@pytest.mark.parametrize(
    "request_text",
    [
        "Не працює ліфт у під'їзді 3",
        "Нет отопления, батареи холодные, +14 в квартире",
        "ліфт ліфт ліфт",
        "слово, якого модель не бачила: ґрунтовщик",
        "0671234567 [телефон]",
        "x" * 5000,
    ],
)
def test_the_quick_features_of_one_request_are_the_vectorizers_own(learned: RoutingModel, request_text: str) -> None:
    expected = np.asarray(
        np.hstack([v.transform([request_text]).toarray() for v in learned.vectorizers]), dtype=np.float32
    )
    assert np.allclose(learned.features_of_one(request_text).toarray(), expected, atol=1e-6)
    assert np.allclose(learned.probabilities_of_one(request_text), learned.probabilities([request_text])[0], atol=1e-5)


def test_with_too_little_history_nothing_is_proposed() -> None:
    small = train(history(MIN_HISTORY - 1), calibrate=False)
    assert small.suggest("Не працює ліфт") == model.Suggestions((), "little_history")


def test_it_refuses_to_learn_a_single_type() -> None:
    with pytest.raises(TrainingError):
        train([e for e in history(100) if e.category == LIFT])


def test_it_saves_its_quality_measured_on_newer_requests(learned: RoutingModel) -> None:
    assert learned.n_train == 2400 + MIN_EXAMPLES_PER_TYPE - 1
    assert learned.quality["top1"] > 0.9 and learned.quality["top3"] > 0.95
    assert learned.quality["ece"] < 0.1  # a confidence that says how often it is right


def test_the_saved_model_suggests_the_same(learned: RoutingModel, tmp_path: Path) -> None:
    path = tmp_path / "models" / "routing.model"
    learned.save(path)
    again = load(path)
    for request in ("Не працює ліфт", "Нет отопления", "Яма на дорозі"):
        assert again.suggest(request) == learned.suggest(request)
    header = read_header(path)
    assert header["format"] == FORMAT and header["n_train"] == learned.n_train
    assert header["quality"] == learned.quality and header["trained_at"] == learned.trained_at
    assert [p.name for p in path.parent.iterdir()] == ["routing.model"]  # written whole or not at all


def test_a_missing_model_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="no routing model at .*routing train"):
        load(tmp_path / "routing.model")


def _with_header(path: Path, learned: RoutingModel, **changes: object) -> Path:
    learned.save(path)
    body = path.read_bytes()[len(MAGIC) :].split(b"\n", 1)[1]
    header = {**learned.header(), **changes}
    path.write_bytes(MAGIC + json.dumps(header).encode() + b"\n" + body)
    return path


def test_a_model_of_an_older_format_is_refused_with_what_to_do(learned: RoutingModel, tmp_path: Path) -> None:
    path = _with_header(tmp_path / "old.model", learned, format=FORMAT - 1)
    with pytest.raises(ModelFileError, match=f"format {FORMAT - 1}.*reads format {FORMAT}.*routing train"):
        load(path)


def test_a_model_of_another_scikit_learn_is_refused(learned: RoutingModel, tmp_path: Path) -> None:
    path = _with_header(tmp_path / "other.model", learned, scikit_learn="0.24.2")
    with pytest.raises(ModelFileError, match=f"scikit-learn 0.24.2, this installation has {sklearn.__version__}"):
        load(path)


def test_a_damaged_or_foreign_file_is_refused(learned: RoutingModel, tmp_path: Path) -> None:
    path = tmp_path / "cut.model"
    learned.save(path)
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(ModelFileError, match="damaged"):
        load(path)
    foreign = tmp_path / "notes.txt"
    foreign.write_text("hello", encoding="utf-8")
    with pytest.raises(ModelFileError, match="not a routing model file"):
        load(foreign)
    broken_header = tmp_path / "header.model"
    broken_header.write_bytes(MAGIC + b"{not json\n")
    with pytest.raises(ModelFileError, match="damaged .its header"):
        load(broken_header)


def test_the_temperature_makes_an_overconfident_model_honest() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 4, size=4000)
    scores = rng.normal(size=(4000, 4))
    right = rng.random(4000) < 0.6
    scores[np.arange(4000), truth] += np.where(right, 10.0, 0.0)  # huge margins, right only 60 % of the time
    temperature = fit_temperature(scores, truth)
    calibrated = model._softmax(scores / temperature).max(axis=1)
    assert temperature > 1.5
    assert abs(calibrated.mean() - (scores.argmax(axis=1) == truth).mean()) < 0.05


def test_the_learning_core_imports_nothing_from_django() -> None:
    """The model is trained and evaluated alone; the Django app only wraps it."""
    for module in (dataset, text, model, evaluation):
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        imported = [
            name
            for node in ast.walk(tree)
            for name in (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [getattr(node, "module", "") or ""]
            )
            if isinstance(node, ast.Import | ast.ImportFrom)
        ]
        assert imported
        assert not [m for m in imported if m.split(".")[0] == "django"], module.__name__
