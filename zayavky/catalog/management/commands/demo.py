"""`zayavky demo`: loads the demo district (DESIGN.md 5) — reference data, then demo requests.

The reference data come from :func:`zayavky.catalog.demo.load_reference`; the requests from
``zayavky.cases.demo.load_requests`` when that module exists. ``make run`` calls
``zayavky demo --if-empty --print-users``.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zayavky.accounts.models import Role, User
from zayavky.catalog.demo import DEMO_PASSWORD, ROLE_LABELS_UK, USERS, load_reference
from zayavky.catalog.models import Category

REQUESTS_MODULE = "zayavky.cases.demo"
#: The columns of the units' table of ``--print-users``: the order in which a request meets them (2.3).
UNIT_ROLE_ORDER = (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.EXECUTOR)


class Command(BaseCommand):
    help = (
        "Завантажує демонстраційний район: структурні підрозділи, Класифікатор, підписантів і розподіл "
        "обов'язків, користувачів для кожної ролі, а потім демонстраційні заявки. Повторний запуск нічого "
        "не дублює."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="нічого не робити, якщо в базі вже є Класифікатор (хоча б один тип заявки)",
        )
        parser.add_argument(
            "--print-users",
            action="store_true",
            help="надрукувати демонстраційних користувачів (без підрозділу; за підрозділами) і їхній пароль",
        )
        parser.add_argument("--no-requests", action="store_true", help="не завантажувати демонстраційні заявки")
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help=f"повернути всім демонстраційним користувачам пароль {DEMO_PASSWORD}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Category.objects.exists():
            self.stdout.write(
                "База даних уже містить Класифікатор: демонстраційні дані не завантажуються (--if-empty)."
            )
        else:
            counts = load_reference(stdout=self.stdout, reset_passwords=options["reset_passwords"])
            self.stdout.write(self.style.SUCCESS(_summary(counts)))
            if options["no_requests"]:
                self.stdout.write("Демонстраційні заявки не завантажуються (--no-requests).")
            else:
                self._load_requests()
        if options["print_users"]:
            self._print_users()

    def _load_requests(self) -> None:
        try:
            module = importlib.import_module(REQUESTS_MODULE)
        except ModuleNotFoundError as exc:
            if exc.name != REQUESTS_MODULE:  # a missing import inside the module is a real error
                raise
            self.stdout.write(f"Модуля {REQUESTS_MODULE} ще немає: демонстраційні заявки пропущено.")
            return
        load_requests = getattr(module, "load_requests", None)
        if not callable(load_requests):
            raise CommandError(f"Модуль {REQUESTS_MODULE} не визначає функцію load_requests(stdout=...).")
        result = load_requests(stdout=self.stdout)
        if isinstance(result, dict) and result:
            listed = ", ".join(f"{key}: {value}" for key, value in result.items())
            self.stdout.write(self.style.SUCCESS(f"Демонстраційні заявки — {listed}"))

    def _print_users(self) -> None:
        """Two short tables instead of one row per person: the users without a unit, then one row per unit
        with its clerk, head and executors (2.3) — every username is still listed."""
        found = {
            u.username: u
            for u in User.objects.filter(username__in=[d.username for d in USERS]).prefetch_related("memberships__unit")
        }
        if not found:
            self.stdout.write("Демонстраційних користувачів у базі немає: запустіть zayavky demo.")
            return
        people: list[tuple[str, ...]] = []
        units: dict[int, tuple[str, dict[str, list[str]]]] = {}  # unit id -> (name, role -> usernames)
        for d in USERS:  # the order of USERS: the ЖКГ trio of the README first
            user = found.get(d.username)
            if user is None:
                continue
            memberships = sorted(user.memberships.all(), key=lambda m: (m.role, m.unit_id or 0))
            for m in memberships:
                if m.unit is not None:
                    _name, by_role = units.setdefault(m.unit_id, (m.unit.short_name, {}))
                    by_role.setdefault(m.role, []).append(user.username)
            general = [m for m in memberships if m.unit is None]
            if general or not memberships:
                roles = ", ".join(ROLE_LABELS_UK.get(m.role, m.role) for m in general) or "—"
                people.append((user.username, user.full_name, roles))
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Демонстраційні користувачі"))
        if people:
            self._table(("Логін", "ПІБ", "Роль"), people)
        if units:
            self.stdout.write("")
            self._table(
                ("Підрозділ", "Діловодство", "Керівник", "Виконавці"),
                [
                    (name, *(", ".join(by_role.get(role, [])) or "—" for role in UNIT_ROLE_ORDER))
                    for name, by_role in units.values()
                ],
            )
        self.stdout.write(
            f"Пароль усіх демонстраційних користувачів — {DEMO_PASSWORD} (якщо його не змінили; "
            "повернути: zayavky demo --reset-passwords)."
        )

    def _table(self, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        self.stdout.write(line(header))
        self.stdout.write(line(tuple("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line(row))


def _summary(counts: dict[str, int]) -> str:
    return (
        f"Демонстраційний район готовий: підрозділів {counts['units']}, "
        f"розділів Класифікатора {counts['sections']}, типів заявок {counts['categories']} "
        f"(чинних {counts['categories_active']}: аварійних {counts['categories_emergency']}, "
        f"звичайних {counts['categories_ordinary']}, середньострокових {counts['categories_medium_term']}, "
        f"довгострокових {counts['categories_long_term']}; виведених {counts['categories_retired']}), "
        f"підписантів {counts['signatories']}, рядків розподілу обов'язків {counts['duties']}, "
        f"винятків календаря {counts['calendar_overrides']}, користувачів {counts['users']}, "
        f"ролей {counts['memberships']}; нових записів {counts['created']}."
    )
