"""The workflow's clock: the moment a step of the procedure is recorded at.

Every step stamps its history row, its stage time («routed at», «signed at» …) and its dues (2.12, 2.13)
with :func:`now`. In service that is :func:`django.utils.timezone.now`. A caller that replays a past — the
demo district writes thirty days of history in a few seconds — states the moment of each step with
:func:`frozen_at` instead of patching Django's clock for the whole process. The override lives in a
:class:`contextvars.ContextVar`, so it holds only for the code that set it: another thread or request of the
same process keeps the real time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_moment: ContextVar[dt.datetime | None] = ContextVar("zayavky_clock_moment", default=None)


def now() -> dt.datetime:
    """The moment a step happens: the one set by :func:`frozen_at`, else the real time."""
    moment = _moment.get()
    return timezone.now() if moment is None else moment


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Within the block, :func:`now` says ``moment`` (an aware datetime: dues are counted in Kyiv time)."""
    if timezone.is_naive(moment):
        raise ValueError(f"the clock needs an aware datetime, got {moment!r}")
    token = _moment.set(moment)
    try:
        yield moment
    finally:
        _moment.reset(token)
