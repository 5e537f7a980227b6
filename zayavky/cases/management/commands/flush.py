"""Django's ``flush`` (used between transactional tests), with the append-only triggers suspended for its
own connection only (`zayavky.cases.appendonly`): emptying the whole database is the one sanctioned way
round them."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush

from zayavky.cases.appendonly import suspended


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        with suspended(options["database"]):
            super().handle(**options)
