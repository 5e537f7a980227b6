"""`zayavky anonymise [--dry-run]`: anonymise the applicants' personal data of requests closed longer ago
than the retention period (Адміністрування → Організація; Law «On Personal Data Protection», art. 6).

The worker runs it every hour; this command is for a look ahead (``--dry-run``) or a run by hand.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from zayavky.cases import anonymise
from zayavky.catalog.models import Organisation


class Command(BaseCommand):
    help = (
        "Знеособлює ім'я, телефон, e-mail і поштову адресу заявників у заявках, закритих раніше за строк "
        "зберігання, і в усіх їхніх копіях; --dry-run лише показує, що буде знеособлено."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="показати, що буде знеособлено, нічого не змінюючи")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        years = Organisation.current().retention_years
        report = anonymise.run(timezone.now(), dry_run=dry_run)
        verb = "Буде знеособлено" if dry_run else "Знеособлено"
        self.stdout.write(f"Строк зберігання: {years} р. після закриття заявки.")
        self.stdout.write(f"{verb} заявок: {len(report.requests)}" + (":" if report.requests else "."))
        for number in report.requests[:200]:
            self.stdout.write(f"  {number}")
        if len(report.requests) > 200:
            self.stdout.write(f"  … і ще {len(report.requests) - 200}")
        for label, count in sorted(report.rows.items()):
            self.stdout.write(f"  {label}: рядків {count}")
        for label, count in sorted(report.orphans.items()):
            self.stdout.write(f"{verb} записів без заявки ({label}, напр. відхилені передавання): {count}")
