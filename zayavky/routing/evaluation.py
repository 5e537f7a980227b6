"""Measuring the routing model honestly: trained on older requests, measured on newer ones, one suggestion
timed at a time as the routing form asks for it. Pure Python, no Django.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from zayavky.routing.dataset import Example
from zayavky.routing.model import TOP, RoutingModel, measure, train

#: How many test requests are timed one by one for ``p95_ms`` (evenly spread over the test set; all when
#: fewer). Enough for a stable 95th percentile, without timing 17,000 requests singly.
TIMED_REQUESTS = 2000
#: Training sizes of the learning curve (the newest N requests before the measured months, as a district
#: that started N requests ago would have).
CURVE_SIZES = (250, 500, 1000, 2000, 4000, 8000, 16000)
#: Buckets of "how many requests of this type were learned from" for the per-type curve.
TYPE_BUCKETS = ((1, 4), (5, 9), (10, 19), (20, 49), (50, 99), (100, 199), (200, 10**9))


def latency_p95(model: RoutingModel, texts: Sequence[str], limit: int = TIMED_REQUESTS) -> tuple[float, float]:
    """The 95th percentile, in milliseconds, of one suggestion for one request, asked one at a time: by the
    wall clock (what a person waits) and by the process's CPU time (the same work without the waits for a core
    that other programs on a shared machine cause)."""
    if not texts:
        return 0.0, 0.0
    step = max(1, len(texts) // limit)
    chosen = list(texts[::step])[:limit]
    model.suggest(chosen[0])  # the first call pays for lazy imports and caches; a running server has paid
    wall, cpu = [], []
    for text in chosen:
        started, started_cpu = time.perf_counter(), time.process_time()
        model.suggest(text)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return round(float(np.percentile(wall, 95)), 2), round(float(np.percentile(cpu, 95)), 2)


def evaluate(
    train_examples: Sequence[Example], test_examples: Sequence[Example], save_to: Path | None = None
) -> dict[str, Any]:
    """The figures ``zayavky routing evaluate`` prints (docs/routing.md), with the size of the model's file as
    ``zayavky routing train`` would save it (kept at ``save_to`` when given)."""
    started = time.perf_counter()
    model = train(train_examples)
    seconds = time.perf_counter() - started
    figures = measure(model, test_examples)
    with tempfile.TemporaryDirectory() as folder:
        path = save_to or Path(folder) / "routing.model"
        model.save(path)
        model_mb = path.stat().st_size / 2**20
    p95_ms, p95_cpu_ms = latency_p95(model, [e.text for e in test_examples])
    return {
        "top1": figures["top1"],
        "top3": figures["top3"],
        "macro_f1": figures["macro_f1"],
        "ece": figures["ece"],
        "n_train": model.n_train,
        "n_test": len(test_examples),
        "n_types": len(model.classes),
        "train_seconds": round(seconds, 1),
        "p95_ms": p95_ms,
        "p95_cpu_ms": p95_cpu_ms,
        "model_mb": round(model_mb, 2),
    }


@dataclass(frozen=True, slots=True)
class CurvePoint:
    n_train: int
    top1: float
    top3: float
    macro_f1: float
    train_seconds: float


def learning_curve(
    train_examples: Sequence[Example],
    test_examples: Sequence[Example],
    sizes: Sequence[int] = CURVE_SIZES,
    progress: Callable[[str], None] = lambda line: None,
) -> tuple[list[CurvePoint], list[dict[str, Any]]]:
    """Quality against the size of the history: for each N, the newest N training requests are learned from
    and the model is measured on the test requests. Also, per type, how often it was found among the three
    proposed (recall@3) and how often a first proposal of it was right (precision@1), by how many requests
    of that type were learned from — pooled over every N, so rare types are seen at every size."""
    ordered = sorted(train_examples, key=lambda e: (e.received_at, e.external_id))
    points: list[CurvePoint] = []
    found: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # bucket -> [found among 3, requests]
    right: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # bucket -> [first and right, proposed first]
    truth = np.array([e.category for e in test_examples])
    for size in [s for s in sizes if s < len(ordered)] + [len(ordered)]:
        history = ordered[-size:]
        started = time.perf_counter()
        model = train(history, calibrate=False)
        seconds = time.perf_counter() - started
        figures = measure(model, test_examples)
        point = CurvePoint(size, figures["top1"], figures["top3"], figures["macro_f1"], round(seconds, 1))
        points.append(point)
        progress(f"n_train={size}: top1={point.top1} top3={point.top3} macro_f1={point.macro_f1}")
        probabilities = model.probabilities([e.text for e in test_examples])
        proposed = model.classes[np.argsort(-probabilities, axis=1)[:, :TOP]]
        for category, count in model.counts.items():
            bucket = _bucket(count)
            mine = truth == category
            found[bucket][0] += int((proposed[mine] == category).any(axis=1).sum())
            found[bucket][1] += int(mine.sum())
            first = proposed[:, 0] == category
            right[bucket][0] += int((truth[first] == category).sum())
            right[bucket][1] += int(first.sum())
    per_type = []
    for index, (low, high) in enumerate(TYPE_BUCKETS):
        hits, total = found[index]
        good, proposals = right[index]
        per_type.append(
            {
                "examples": f"{low}+" if high >= 10**9 else f"{low}-{high}",
                "test_requests": total,
                "recall_at_3": round(hits / total, 4) if total else None,
                "first_proposals": proposals,
                "precision_at_1": round(good / proposals, 4) if proposals else None,
            }
        )
    return points, per_type


def _bucket(count: int) -> int:
    for index, (low, high) in enumerate(TYPE_BUCKETS):
        if low <= count <= high:
            return index
    return 0
