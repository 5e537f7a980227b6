"""`zayavky token USERNAME [--expires …] [--scope …]`: print a new API token for a person.

The token is printed once and only its SHA-256 is kept (`zayavky.accounts.tokens`). Typical use: the
Contact Center's integration account, whose token goes into the Contact Center's configuration with
``--scope intake`` (it can then only hand requests over, and rework or withdraw the ones it handed over).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zayavky import deadlines
from zayavky.accounts import tokens
from zayavky.accounts.models import ApiToken, User

#: The longest life a token may be given: a forgotten token must still die one day.
MAX_LIFETIME = dt.timedelta(days=2 * 365)


def parse_expiry(value: str, now: dt.datetime) -> dt.datetime:
    """``90d`` (days from now) or a date ``2027-06-30`` (the end of that day, Kyiv time)."""
    value = value.strip()
    days = re.fullmatch(r"(\d{1,4})d?", value)
    if days:
        moment = now + dt.timedelta(days=int(days.group(1)))
    else:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(
                f"--expires {value!r}: дайте кількість днів (напр. 90d) або дату (2027-06-30)."
            ) from None
        moment = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=deadlines.KYIV)
    if moment <= now:
        raise CommandError(f"--expires {value!r}: строк дії вже минув.")
    if moment - now > MAX_LIFETIME:
        raise CommandError(f"--expires {value!r}: щонайбільше {MAX_LIFETIME.days} днів.")
    return moment


class Command(BaseCommand):
    help = (
        "Створює новий токен доступу до API для користувача і друкує його. Токен показується лише один раз: "
        "зберігається тільки його SHA-256. Відкликати токен можна в адмініструванні (Токени API)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="логін користувача")
        parser.add_argument("--label", default="", help="назва токена, напр. «Контакт-центр, сервер 1»")
        parser.add_argument(
            "--expires",
            default=f"{tokens.DEFAULT_LIFETIME.days}d",
            help="строк дії: кількість днів (90d) або дата (2027-06-30); типово 365 днів, щонайбільше 730",
        )
        parser.add_argument(
            "--scope",
            default=ApiToken.Scope.FULL,
            choices=ApiToken.Scope.values,
            help="full — усе, що може сам користувач; intake — лише передавання заявок Контакт-центром, "
            "повернення на доопрацювання і відкликання переданих ним заявок",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Користувача «{username}» немає.")
        if not user.is_active:
            raise CommandError(f"Користувач «{username}» неактивний: токен не діятиме.")
        expires_at = parse_expiry(options["expires"], timezone.now())
        token = tokens.issue(user, options["label"], expires_at=expires_at, scope=options["scope"])
        # Only the token on stdout, so that `TOKEN=$(zayavky token integration)` works.
        self.stdout.write(token)
