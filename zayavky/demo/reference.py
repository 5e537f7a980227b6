"""The demo district's reference data, from the files in ``data/`` (`zayavky demo`).

:func:`load_reference` creates the Organisation (``organisation.csv``), the structural units (``units.csv``),
the Classifier (1.3, 2.2; ``classifier.csv``, loaded by the same loader as ``zayavky load-classifier``), the
people and their roles (``people.csv``: one per role, and a clerk, a head and an executor in every unit with
request types, 2.3), the signatories and the distribution of duties (2.4, 2.6; ``duties.csv``) and two
overrides of the working-day calendar (``calendar.csv``).

It is idempotent: every row is found by a stable key (a unit's name, a code, a username, a signatory and
unit and start date) and brought to the values of the files, so a second run creates nothing and changes
nothing; a database loaded before a unit had its people gets them on the next run. Passwords of users that
already exist are left alone unless ``reset_passwords=True``.

The names, codes and e-mails are invented but follow a Kryvyi Rih district council and the city
Classifier; nothing here is real personal data.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import NamedTuple, Protocol

from django.contrib.auth.hashers import make_password
from django.db import transaction

from zayavky.accounts.models import Membership, Role, User
from zayavky.catalog.classifier_io import load_classifier, read_classifier
from zayavky.catalog.models import CalendarOverride, Category, Duty, Organisation, Position, Section, Signatory, Unit
from zayavky.deadlines import Urgency
from zayavky.demo import datafiles
from zayavky.demo.datafiles import DemoDataError

#: The password of every demo user; printed by ``zayavky demo --print-users``.
DEMO_PASSWORD = "demo12345"  # published: `zayavky demo` runs only on a developer's machine

ORGANISATION_COLUMNS = ("Назва", "Скорочена назва", "Адреса", "Телефон", "Скринька загального відділу")
UNIT_COLUMNS = ("Назва", "Скорочена назва", "E-mail")
PEOPLE_COLUMNS = ("Логін", "Прізвище", "Ім'я", "По батькові", "Посада", "Телефон", "Роль", "Підрозділ", "Адміністратор")
DUTY_COLUMNS = ("Підписант (логін)", "Посада підписанта", "Підрозділ", "Діє з", "Діє по", "Підстава")
CALENDAR_COLUMNS = ("Дата", "Вид", "Примітка")


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


class UnitDef(NamedTuple):
    name: str  # the stable key in the database
    short_name: str
    email: str


class UserDef(NamedTuple):
    username: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    phone: str
    roles: tuple[tuple[Role, str | None], ...]  # (role, the unit's short name or None)
    admin: bool = False


class DutyDef(NamedTuple):
    username: str
    position: Position
    unit: str  # the unit's short name
    valid_from: dt.date
    valid_to: dt.date | None
    basis: str


@cache
def units() -> tuple[UnitDef, ...]:
    found = datafiles.rows("units.csv", UNIT_COLUMNS)
    return tuple(UnitDef(r["Назва"], r["Скорочена назва"], r["E-mail"]) for _n, r in found)


@cache
def users() -> tuple[UserDef, ...]:
    """The demo people in the order of ``people.csv`` (the ЖКГ trio of the README first). A login on
    several rows holds several roles."""
    found: dict[str, UserDef] = {}
    for number, r in datafiles.rows("people.csv", PEOPLE_COLUMNS):
        where = f"people.csv, row {number}"
        role = datafiles.choice(Role, r["Роль"], where)
        unit = r["Підрозділ"] or None
        if (role in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.EXECUTOR)) != (unit is not None):
            raise DemoDataError(f"{where}: a unit is named for a clerk, a head or an executor, and only for them")
        known = found.get(r["Логін"])
        if known is not None:
            found[known.username] = known._replace(roles=(*known.roles, (role, unit)))
            continue
        found[r["Логін"]] = UserDef(
            username=r["Логін"],
            last_name=r["Прізвище"],
            first_name=r["Ім'я"],
            patronymic=r["По батькові"],
            position=r["Посада"],
            phone=r["Телефон"],
            roles=((role, unit),),
            admin=datafiles.yes(r["Адміністратор"], where),
        )
    return tuple(found.values())


@cache
def duties() -> tuple[DutyDef, ...]:
    found = []
    for number, r in datafiles.rows("duties.csv", DUTY_COLUMNS):
        where = f"duties.csv, row {number}"
        found.append(
            DutyDef(
                username=r["Підписант (логін)"],
                position=datafiles.choice(Position, r["Посада підписанта"], where),
                unit=r["Підрозділ"],
                valid_from=datafiles.date(r["Діє з"], where),
                valid_to=datafiles.date(r["Діє по"], where) if r["Діє по"] else None,
                basis=r["Підстава"],
            )
        )
    return tuple(found)


#: Ukrainian names of the roles for the users table of ``zayavky demo --print-users``.
ROLE_LABELS_UK: dict[str, str] = {
    Role.GENERAL: "загальний відділ",
    Role.UNIT_CLERK: "відповідальна за діловодство",
    Role.UNIT_HEAD: "керівник підрозділу",
    Role.EXECUTOR: "виконавець",
    Role.SIGNATORY: "підписант",
    Role.CONTROLLER: "контролер",
    Role.INTEGRATION: "інтеграція з Контакт-центром",
    Role.ADMIN: "адміністратор",
}


def demo_user_email(username: str) -> str:
    """Demo users get addresses in a reserved domain (RFC 2606), so no real mailbox is ever written to."""
    return f"{username}@zayavky.example"


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


def _say(stdout: Writer | None, msg: str) -> None:
    if stdout is not None:
        stdout.write(msg + "\n")


def load_reference(stdout: Writer | None = None, *, reset_passwords: bool = False) -> dict[str, int]:
    """Create or bring up to date the demo district's reference data; return how many of each there are.

    Idempotent: a second run finds every row by its stable key and creates nothing. Passwords of
    existing users are kept unless ``reset_passwords`` (new users always get :data:`DEMO_PASSWORD`).
    """
    created = 0
    with transaction.atomic():
        # The organisation (2.7: its general mailbox receives the e-version of every answer).
        ((_n, o),) = datafiles.rows("organisation.csv", ORGANISATION_COLUMNS)
        org = Organisation.current()
        wanted = {
            "name": o["Назва"],
            "short_name": o["Скорочена назва"],
            "address": o["Адреса"],
            "phone": o["Телефон"],
            "general_mailbox": o["Скринька загального відділу"],
        }
        changed = [f for f, v in wanted.items() if getattr(org, f) != v]
        for field in changed:
            setattr(org, field, wanted[field])
        if changed:
            org.save(update_fields=changed)
        _say(stdout, f"Організація: {org.name}")

        # Structural units, by their full name; referred to by their short name in the other files.
        by_short: dict[str, Unit] = {}
        for u in units():
            by_short[u.short_name], new = Unit.objects.update_or_create(
                name=u.name, defaults={"short_name": u.short_name, "email": u.email, "is_active": True}
            )
            created += new
        _say(stdout, f"Структурні підрозділи: {len(by_short)}")

        # The Classifier (1.3), through the loader the general department uses for its own file.
        classifier_file = datafiles.path("classifier.csv")
        summary = load_classifier(classifier_file)
        created += summary.created + summary.sections_created
        codes = [row.code for row in read_classifier(classifier_file).types]
        demo_types = Category.objects.filter(code__in=codes)
        active = demo_types.filter(is_active=True).count()
        _say(stdout, f"Класифікатор: розділів {Section.objects.count()}, типів заявок {len(codes)} (чинних {active})")

        # Users and their roles. One hash for all new users: the password is the same published one.
        password_hash: str | None = None
        people: dict[str, User] = {}
        memberships = 0
        for d in users():
            user, new = User.objects.update_or_create(
                username=d.username,
                defaults={
                    "last_name": d.last_name,
                    "first_name": d.first_name,
                    "patronymic": d.patronymic,
                    "position": d.position,
                    "phone": d.phone,
                    "email": demo_user_email(d.username),
                    "is_staff": d.admin,
                    "is_superuser": d.admin,
                },
            )
            created += new
            if new or reset_passwords:
                password_hash = password_hash or make_password(DEMO_PASSWORD)
                user.password = password_hash
                user.save(update_fields=["password"])
            for role, unit in d.roles:
                _m, new = Membership.objects.get_or_create(user=user, role=role, unit=by_short[unit] if unit else None)
                created += new
                memberships += 1
            people[d.username] = user
        _say(stdout, f"Користувачі: {len(people)} (пароль для нових: {DEMO_PASSWORD})")

        # Signatories and the distribution of duties (2.4, 2.6).
        signatories: dict[str, Signatory] = {}
        for duty in duties():
            signatory = signatories.get(duty.username)
            if signatory is None:
                signatory, new = Signatory.objects.update_or_create(
                    user=people[duty.username], defaults={"position": duty.position, "is_active": True}
                )
                signatories[duty.username] = signatory
                created += new
            created += _ensure_duty(signatory, by_short[duty.unit], duty.valid_from, duty.valid_to, duty.basis)
        _say(stdout, f"Підписанти: {len(signatories)}, рядків розподілу обов'язків: {len(duties())}")

        # The working-day calendar's overrides (docs/design.md 3).
        overrides = 0
        for number, r in datafiles.rows("calendar.csv", CALENDAR_COLUMNS):
            where = f"calendar.csv, row {number}"
            kind = datafiles.choice(CalendarOverride.Kind, r["Вид"], where)
            _o, new = CalendarOverride.objects.update_or_create(
                date=datafiles.date(r["Дата"], where), defaults={"kind": kind, "note": r["Примітка"]}
            )
            created += new
            overrides += 1
        _say(stdout, f"Винятки робочого календаря: {overrides}")

    counts: dict[str, int] = {
        "units": len(by_short),
        "sections": Section.objects.count(),
        "categories": len(codes),
        "categories_active": active,
        "categories_retired": len(codes) - active,
    }
    for urgency in Urgency:
        counts[f"categories_{urgency.value}"] = demo_types.filter(is_active=True, urgency=urgency.value).count()
    counts |= {
        "signatories": len(signatories),
        "duties": len(duties()),
        "calendar_overrides": overrides,
        "users": len(people),
        "memberships": memberships,
        "created": created,
    }
    return counts


def _ensure_duty(signatory: Signatory, unit: Unit, valid_from: dt.date, valid_to: dt.date | None, basis: str) -> bool:
    """One row of the distribution of duties, found by (signatory, unit, start date); True if created."""
    duty, new = Duty.objects.get_or_create(
        signatory=signatory,
        unit=unit,
        valid_from=valid_from,
        defaults={"valid_to": valid_to, "basis": basis},
    )
    if not new and (duty.valid_to, duty.basis) != (valid_to, basis):
        duty.valid_to, duty.basis = valid_to, basis
        duty.save(update_fields=["valid_to", "basis"])
    return new
