"""`zayavky worker`: the background worker (e-mail of the answers' e-versions, 2.7; the hourly retention
pass that anonymises personal data past its period).

Run one per machine or several: work is claimed with a conditional update. Stops cleanly on SIGTERM.
"""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from zayavky.cases import anonymise
from zayavky.cases.mail import deliver_due

#: The retention pass (personal data past its period, `cases.anonymise`) runs this often.
ANONYMISE_EVERY = 3600.0


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
        last_retention = -ANONYMISE_EVERY
        while True:
            if time.monotonic() - last_retention >= ANONYMISE_EVERY:
                report = anonymise.run(timezone.now())
                last_retention = time.monotonic()
                if report.requests or any(report.orphans.values()):
                    self.stdout.write(f"знеособлено заявок: {len(report.requests)}")
            sent, failed = deliver_due()
            if sent or failed or once:
                self.stdout.write(f"надіслано: {sent}, помилок: {failed}")
            if once or stopping:
                return
            for _ in range(int(interval * 10)):
                if stopping:
                    return
                time.sleep(0.1)
