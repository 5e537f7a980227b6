"""The routing model: from a resident's text to the three most likely Classifier types (2.2) with a
calibrated confidence.

Pure Python on scikit-learn, no Django: the app wraps it (``zayavky routing …``), and it can be trained,
saved, loaded and evaluated alone. The choices and the figures behind them are in docs/routing.md:

* features: TF-IDF of character n-grams (2–5, within words) of the normalised text, and of the folded word
  stems with their neighbouring pairs (:mod:`zayavky.routing.text`);
* a linear SVM, one against the rest per type — the strongest of the linear models tried on a validation
  slice, and fast enough to answer one request in a few milliseconds;
* a confidence: the SVM's scores through a softmax whose temperature is fitted on the newest requests held
  out of training (temperature scaling), so that "70 %" means right about 7 times in 10;
* a type learned from fewer than :data:`MIN_EXAMPLES_PER_TYPE` requests is never suggested, and a model
  learned from fewer than :data:`MIN_HISTORY` requests suggests nothing (both measured: docs/routing.md).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from zayavky.routing.dataset import Example, newest_share
from zayavky.routing.text import has_words, normalise, stems

#: The file format. Raised whenever what is saved changes meaning; an older file is refused with a message
#: saying to retrain, never half-read.
FORMAT = 1
MAGIC = b"ZAYAVKY-ROUTING-MODEL\n"
#: How many types a suggestion proposes: the three most likely (the routing form shows them, 2.2).
TOP = 3
#: Measured by ``zayavky routing curve`` on Kyiv's 1551 (docs/routing.md): below this many routed requests
#: the right type is among the three proposed less than 3 times in 4 (top-3 < 0.75), so nothing is shown.
MIN_HISTORY = 2000
#: Measured the same way, by the same rule: a type learned from fewer requests is found among the three less
#: than 3 times in 4 (10–19 requests: 0.73; 20–49: 0.82), so it is not proposed.
MIN_EXAMPLES_PER_TYPE = 20
#: The newest share of the history held out to fit the confidence and measure the model before it is
#: refitted on everything.
CALIBRATION_SHARE = 0.15
#: Weights smaller than this are dropped from the saved model: the file stays under 100 MB and the scores
#: move by less than the noise (docs/routing.md).
PRUNE_BELOW = 1e-3


class ModelFileError(Exception):
    """The model file is missing, damaged, or of another format or library version: the routing form then
    shows no suggestion and this message is logged (the form never breaks)."""


class TrainingError(ValueError):
    """Too little to learn from (fewer than two types, or no example with words)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    category: str
    probability: float


@dataclass(frozen=True, slots=True)
class Suggestions:
    """The proposed types, most likely first, or none with the reason (``withheld``): ``empty`` (no text),
    ``no_words`` (only digits or signs), ``little_history`` (the model learned from too few requests),
    ``no_known_type`` (every likely type is retired, or too rare in the history)."""

    items: tuple[Suggestion, ...]
    withheld: str | None = None


@dataclass
class RoutingModel:
    """A trained model and what is known about it (saved in the file's header)."""

    vectorizers: list[TfidfVectorizer]
    classes: np.ndarray
    weights: sp.csr_matrix  # features × types, pruned, float32
    intercepts: np.ndarray
    temperature: float
    counts: dict[str, int]
    n_train: int
    trained_at: str
    history_from: str
    history_to: str
    train_seconds: float
    quality: dict[str, float] = field(default_factory=dict)

    # -------------------------------------------------------------------------------------------------------
    # Suggesting
    # -------------------------------------------------------------------------------------------------------

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, one row per text, one column per type of :attr:`classes`."""
        features = sp.hstack([v.transform(texts) for v in self.vectorizers], format="csr")
        scores = (features @ self.weights).toarray() + self.intercepts
        return _softmax(scores / self.temperature)

    def features_of_one(self, text: str) -> sp.csr_matrix:
        """The features of one text, the same numbers as the vectorizers' ``transform`` (a test holds them
        equal) without its per-call checks, which cost more than the work for a single request: the routing
        form asks for one request at a time and must answer within 20 ms (docs/routing.md)."""
        columns: list[int] = []
        values: list[float] = []
        offset = 0
        for vectorizer, analyse in zip(self.vectorizers, self._analysers, strict=True):
            vocabulary = vectorizer.vocabulary_
            counts = Counter(term for term in analyse(text) if term in vocabulary)
            if counts:
                indexes = np.fromiter((vocabulary[term] for term in counts), dtype=np.int64, count=len(counts))
                weights = (1 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * vectorizer.idf_[indexes]
                weights /= np.sqrt((weights**2).sum())
                columns.extend((indexes + offset).tolist())
                values.extend(weights.tolist())
            offset += len(vectorizer.idf_)
        return sp.csr_matrix(
            (np.asarray(values, dtype=np.float32), (np.zeros(len(columns), dtype=np.int64), columns)),
            shape=(1, offset),
        )

    @cached_property
    def _analysers(self) -> list[Callable[[str], list[str]]]:
        return [v.build_analyzer() for v in self.vectorizers]

    def probabilities_of_one(self, text: str) -> np.ndarray:
        """:meth:`probabilities` of one text, quickly."""
        scores = (self.features_of_one(text) @ self.weights).toarray() + self.intercepts
        return _softmax(scores / self.temperature)[0]

    def suggest(self, text: str, *, allowed: Collection[str] | None = None, top: int = TOP) -> Suggestions:
        """The ``top`` most likely types for one request. ``allowed`` is the set of types that may be proposed
        (the active ones, 2.2); a type retired since training is skipped, not replaced by a guess."""
        if not text or not text.strip():
            return Suggestions((), "empty")
        if not has_words(text):
            return Suggestions((), "no_words")
        if self.n_train < MIN_HISTORY:
            return Suggestions((), "little_history")
        row = self.probabilities_of_one(text)
        items: list[Suggestion] = []
        for index in np.argsort(-row):
            category = str(self.classes[index])
            if self.counts.get(category, 0) < MIN_EXAMPLES_PER_TYPE:
                continue
            if allowed is not None and category not in allowed:
                continue
            items.append(Suggestion(category, round(float(row[index]), 4)))
            if len(items) == top:
                break
        return Suggestions(tuple(items), None if items else "no_known_type")

    # -------------------------------------------------------------------------------------------------------
    # Saving and loading
    # -------------------------------------------------------------------------------------------------------

    def header(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "scikit_learn": sklearn.__version__,
            "trained_at": self.trained_at,
            "n_train": self.n_train,
            "n_types": len(self.classes),
            "history_from": self.history_from,
            "history_to": self.history_to,
            "train_seconds": self.train_seconds,
            "quality": self.quality,
        }

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model atomically: the file that is there is always a whole model (the old one until the
        new one is complete), so a form reading it mid-training never meets half a file."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC)
                out.write(json.dumps(self.header(), ensure_ascii=False).encode() + b"\n")
                joblib.dump(self, out, compress=3)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def read_header(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON header of a model file (date, data size, measured quality) without loading the model."""
    with _open_model(path) as (header, _):
        return header


def load(path: str | os.PathLike[str]) -> RoutingModel:
    """The model saved at ``path``, or :class:`ModelFileError` saying why not, in words an administrator can
    act on. The file is written by ``zayavky routing train`` and read only from the place it is configured to
    be: it is a pickle, so it is never taken from a user."""
    with _open_model(path) as (_, stream):
        try:
            model = joblib.load(stream)
        except Exception as exc:
            raise ModelFileError(f"the routing model {path} is damaged ({exc}); train it again") from None
    if not isinstance(model, RoutingModel):
        raise ModelFileError(f"{path} holds no routing model; train it again")
    return model


class _open_model:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self.stream: io.BufferedReader | None = None

    def __enter__(self) -> tuple[dict[str, Any], io.BufferedReader]:
        try:
            self.stream = open(self.path, "rb")
        except FileNotFoundError:
            raise ModelFileError(f"no routing model at {self.path}: run `zayavky routing train`") from None
        except OSError as exc:
            raise ModelFileError(f"the routing model {self.path} cannot be read: {exc.strerror}") from None
        if self.stream.read(len(MAGIC)) != MAGIC:
            self.stream.close()
            raise ModelFileError(f"{self.path} is not a routing model file")
        try:
            header = json.loads(self.stream.readline())
            version = int(header["format"])
        except (ValueError, KeyError, TypeError):
            self.stream.close()
            raise ModelFileError(f"the routing model {self.path} is damaged (its header); train it again") from None
        if version != FORMAT:
            self.stream.close()
            raise ModelFileError(
                f"the routing model {self.path} is of format {version}, this version of Zayavky reads format "
                f"{FORMAT}: train it again with `zayavky routing train`"
            )
        if header.get("scikit_learn") != sklearn.__version__:
            self.stream.close()
            raise ModelFileError(
                f"the routing model {self.path} was made with scikit-learn {header.get('scikit_learn')}, this "
                f"installation has {sklearn.__version__}: train it again with `zayavky routing train`"
            )
        return header, self.stream

    def __exit__(self, *exc: object) -> None:
        if self.stream is not None:
            self.stream.close()


# -----------------------------------------------------------------------------------------------------------
# Training
# -----------------------------------------------------------------------------------------------------------


def _vectorizers() -> list[TfidfVectorizer]:
    return [
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            preprocessor=normalise,
            min_df=2,
            sublinear_tf=True,
            dtype=np.float32,
        ),
        TfidfVectorizer(analyzer=stems, min_df=2, sublinear_tf=True, dtype=np.float32),
    ]


def _fit(texts: Sequence[str], labels: Sequence[str]) -> tuple[list[TfidfVectorizer], LinearSVC]:
    vectorizers = _vectorizers()
    features = sp.hstack([v.fit_transform(texts) for v in vectorizers], format="csr")
    # C chosen on the validation slice (docs/routing.md): 0.5 beat 0.25 and 1.0.
    svm = LinearSVC(C=0.5)
    svm.fit(features, labels)
    return vectorizers, svm


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature that makes the scores the most likely probabilities of the held-out truth
    (least negative log-likelihood). ``truth`` holds column indexes; -1 (a type unseen in training) is left
    out, since no temperature can give it any probability."""
    known = truth >= 0
    scores, truth = scores[known], truth[known]
    if not len(truth):
        return 1.0

    def loss(log_t: float) -> float:
        p = _softmax(scores / np.exp(log_t))
        return float(-np.log(np.clip(p[np.arange(len(truth)), truth], 1e-12, None)).mean())

    found = minimize_scalar(loss, bounds=(np.log(0.01), np.log(10.0)), method="bounded")
    return float(np.exp(found.x))


def _build(
    vectorizers: list[TfidfVectorizer], svm: LinearSVC, temperature: float, examples: Sequence[Example], seconds: float
) -> RoutingModel:
    weights = svm.coef_.T.astype(np.float32)
    weights[np.abs(weights) < PRUNE_BELOW] = 0
    ordered = sorted(e.received_at for e in examples)
    return RoutingModel(
        vectorizers=vectorizers,
        classes=np.asarray(svm.classes_),
        weights=sp.csr_matrix(weights),
        intercepts=svm.intercept_.astype(np.float32),
        temperature=temperature,
        counts=dict(Counter(e.category for e in examples)),
        n_train=len(examples),
        trained_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        history_from=ordered[0].isoformat(),
        history_to=ordered[-1].isoformat(),
        train_seconds=round(seconds, 1),
    )


def train(examples: Sequence[Example], *, calibrate: bool = True) -> RoutingModel:
    """Learn from routed requests. With ``calibrate``, the newest :data:`CALIBRATION_SHARE` is first held out:
    the model learned from the rest fits the confidence's temperature on it and is measured on it (the
    ``quality`` saved with the model: newer requests than it learned from, as in use); then the model is
    learned again from everything."""
    usable = [e for e in examples if has_words(e.text)]
    if len({e.category for e in usable}) < 2:
        raise TrainingError("at least two types with text are needed to learn routing")
    started = time.perf_counter()
    temperature = 1.0
    quality: dict[str, float] = {}
    older, newest = newest_share(usable, CALIBRATION_SHARE)
    if calibrate and len({e.category for e in older}) >= 2:
        vectorizers, svm = _fit([e.text for e in older], [e.category for e in older])
        held_out = _build(vectorizers, svm, 1.0, older, 0.0)
        scores = np.log(np.clip(held_out.probabilities([e.text for e in newest]), 1e-30, None))
        position = {str(c): i for i, c in enumerate(held_out.classes)}
        truth = np.array([position.get(e.category, -1) for e in newest])
        temperature = fit_temperature(scores, truth)
        held_out.temperature = temperature
        quality = measure(held_out, newest)
    vectorizers, svm = _fit([e.text for e in usable], [e.category for e in usable])
    model = _build(vectorizers, svm, temperature, usable, time.perf_counter() - started)
    model.quality = quality
    return model


# -----------------------------------------------------------------------------------------------------------
# Measuring
# -----------------------------------------------------------------------------------------------------------


def measure(model: RoutingModel, examples: Sequence[Example]) -> dict[str, float]:
    """top-1, top-3 (the right type first / among the three proposed), macro-F1 of the first proposal, and the
    expected calibration error of the confidence, over ``examples``. Every type the model knows may be
    proposed here (what the model learned, before the form's filters)."""
    from sklearn.metrics import f1_score

    if not examples:
        return {"top1": 0.0, "top3": 0.0, "macro_f1": 0.0, "ece": 0.0}
    probabilities = model.probabilities([e.text for e in examples])
    order = np.argsort(-probabilities, axis=1)[:, :TOP]
    proposed = model.classes[order]
    truth = np.array([e.category for e in examples])
    first = proposed[:, 0]
    confidence = probabilities[np.arange(len(examples)), order[:, 0]]
    return {
        "top1": round(float((first == truth).mean()), 4),
        "top3": round(float((proposed == truth[:, None]).any(axis=1).mean()), 4),
        "macro_f1": round(float(f1_score(truth, first, average="macro", zero_division=0)), 4),
        "ece": round(calibration_error(confidence, first == truth), 4),
    }


def calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: the mean gap between the confidence and how often it was right, over ten
    equal-width bins weighted by their size. 0 is perfect."""
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            total += inside.mean() * abs(confidence[inside].mean() - correct[inside].mean())
    return float(total)
