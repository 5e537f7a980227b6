"""`zayavky token USERNAME`: print a new API token for a person.

The token is printed once and only its SHA-256 is kept (`zayavky.accounts.tokens`). Typical use: the
Contact Center's integration account, whose token goes into the Contact Center's configuration.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zayavky.accounts import tokens
from zayavky.accounts.models import User


class Command(BaseCommand):
    help = (
        "Створює новий токен доступу до API для користувача і друкує його. Токен показується лише один раз: "
        "зберігається тільки його SHA-256."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="логін користувача")
        parser.add_argument("--label", default="", help="позначка токена, напр. «Контакт-центр, сервер 1»")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Користувача «{username}» немає.")
        if not user.is_active:
            raise CommandError(f"Користувач «{username}» неактивний: токен не діятиме.")
        # Only the token on stdout, so that `TOKEN=$(zayavky token integration)` works.
        self.stdout.write(tokens.issue(user, options["label"]))
