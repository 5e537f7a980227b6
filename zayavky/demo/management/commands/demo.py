"""`zayavky demo`: loads the demo district (docs/design.md 5) — reference data, then demo requests.

The reference data come from :func:`zayavky.demo.reference.load_reference`, the requests from
:func:`zayavky.demo.requests.load_requests`. ``make run`` calls ``zayavky demo --if-empty --print-users``.
It runs only on a developer's machine (``DEBUG=1`` or ``ZAYAVKY_INSECURE_DEV=1``): the demo's people, an
administrator among them, have a password printed in the README.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zayavky.accounts.models import Role, User
from zayavky.catalog.models import Category
from zayavky.demo.reference import DEMO_PASSWORD, ROLE_LABELS_UK, load_reference, users
from zayavky.demo.requests import load_requests

#: The columns of the units' table of ``--print-users``: the order in which a request meets them (2.3).
UNIT_ROLE_ORDER = (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.EXECUTOR)

REFUSAL = (
    "zayavky demo створює користувачів з оприлюдненим паролем (і адміністратора) і працює лише на машині "
    "розробника: задайте DEBUG=1 або ZAYAVKY_INSECURE_DEV=1."
)

#: How the requests' figures read in the summary, in its order.
REQUEST_FIGURES = (
    ("events", "рядків історії"),
    ("contacts", "контактів із заявниками"),
    ("attachments", "файлів"),
    ("extensions", "подовжень терміну"),
    ("reworked", "повернутих на доопрацювання"),
    ("overdue", "прострочених"),
)


class Command(BaseCommand):
    help = (
        "Завантажує демонстраційний район: структурні підрозділи, Класифікатор, підписантів і розподіл "
        "обов'язків, користувачів для кожної ролі, а потім демонстраційні заявки. Повторний запуск нічого "
        "не дублює. Лише для розробки: потрібно DEBUG=1 або ZAYAVKY_INSECURE_DEV=1."
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
        if not (settings.DEBUG or getattr(settings, "ZAYAVKY_INSECURE_DEV", False)):
            raise CommandError(REFUSAL)
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
                result = load_requests(stdout=self.stdout)
                if result.get("requests"):
                    listed = ", ".join(f"{label} {result[key]}" for key, label in REQUEST_FIGURES)
                    self.stdout.write(self.style.SUCCESS(f"Демонстраційні заявки — {listed}."))
        if options["print_users"]:
            self._print_users()

    def _print_users(self) -> None:
        """Two short tables instead of one row per person: the users without a unit, then one row per unit
        with its clerk, head and executors (2.3) — every username is still listed."""
        demo_users = users()
        found = {
            u.username: u
            for u in User.objects.filter(username__in=[d.username for d in demo_users]).prefetch_related(
                "memberships__unit"
            )
        }
        if not found:
            self.stdout.write("Демонстраційних користувачів у базі немає: запустіть zayavky demo.")
            return
        people: list[tuple[str, ...]] = []
        units: dict[int, tuple[str, dict[str, list[str]]]] = {}  # unit id -> (name, role -> usernames)
        for d in demo_users:  # the order of people.csv: the ЖКГ trio of the README first
            user = found.get(d.username)
            if user is None:
                continue
            memberships = sorted(user.memberships.all(), key=lambda m: (m.role, m.unit_id or 0))
            for m in memberships:
                if m.unit is not None:
                    _name, by_role = units.setdefault(m.unit.pk, (m.unit.short_name, {}))
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
