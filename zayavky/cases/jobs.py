"""The background jobs `zayavky worker` runs, registered by the apps that own them.

The worker lives in the cases app (the floor every app stands on); the jobs live where their work is: the
outbox's mail in ``zayavky.documents`` (it builds the letters the mail carries), and later the deadline
watch, the mailbox reader and others. Each app registers its jobs in its ``AppConfig.ready``. A job is one
pass over its work: it claims what it does with a conditional UPDATE, so any number of workers on any
number of machines can run side by side, and returns a one-line summary (or "" when there was nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], str]


_JOBS: dict[str, Job] = {}


def register(name: str, run: Callable[[], str]) -> None:
    """Add a job (idempotent: registering the same name again replaces it)."""
    _JOBS[name] = Job(name, run)


def registered() -> list[Job]:
    return list(_JOBS.values())
