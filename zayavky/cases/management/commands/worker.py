"""`zayavky worker`: the background worker (e-mail of the answers' e-versions, 2.7).

Run one per machine or several: work is claimed with a conditional update. Stops cleanly on SIGTERM.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand

from zayavky.cases.mail import deliver_due


class Command(BaseCommand):
    help = "Sends pending e-mails; --once for one pass (cron), otherwise a loop until SIGTERM."

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
            sent, failed = deliver_due()
            if sent or failed or once:
                self.stdout.write(f"надіслано: {sent}, помилок: {failed}")
            if once or stopping:
                return
            for _ in range(int(interval * 10)):
                if stopping:
                    return
                time.sleep(0.1)
