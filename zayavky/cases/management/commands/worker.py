"""`zayavky worker`: the background worker — every job the apps register (:mod:`zayavky.cases.jobs`), e.g.
the e-mail of the answers' e-versions (2.7).

Run one per machine or several: each job claims its work with a conditional update. Stops cleanly on
SIGTERM between passes; a worker killed in the middle of a pass leaves its claims to expire and be taken
over, so nothing is lost.
"""

from __future__ import annotations

import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand

from zayavky.cases import jobs

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Runs the background jobs (e-mail, …); --once for one pass (cron), otherwise a loop until SIGTERM."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between passes")

    def handle(self, *args: Any, once: bool = False, interval: float = 5.0, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        while True:
            for job in jobs.registered():
                try:
                    summary = job.run()
                except Exception:  # one job's failure must not stop the others; it is retried next pass
                    log.exception("worker job %s failed", job.name)
                    summary = f"{job.name}: помилка, див. журнал"
                if summary or once:
                    self.stdout.write(summary or f"{job.name}: нічого робити")
            if once or stopping:
                return
            for _ in range(int(interval * 10)):
                if stopping:
                    return
                time.sleep(0.1)
