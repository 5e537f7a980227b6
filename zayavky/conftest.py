"""Personas shared by every test (healthchecks' habit): one district, two units, one person per role.

- ``general`` — general-department clerk; ``controller``; ``integration`` (the Contact Center's account);
- unit «ЖКГ»: ``clerk``, ``head``, ``executor``, ``executor2``; unit «Благоустрій»: ``other_clerk``,
  ``other_head``, ``other_executor``;
- ``signatory`` signs for «ЖКГ» (distribution of duties in force), ``other_signatory`` for «Благоустрій».

Every persona's password is ``pw``. ``make_request`` files a request from the Contact Center and
``advance`` walks it through the procedure to a given status with the right persona at each step.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from zayavky.accounts.models import Membership, Role, User
from zayavky.catalog.models import Category, Duty, Organisation, Position, Section, Signatory, Unit

PASSWORD = "pw"

#: Tests where two real connections race (SELECT … FOR UPDATE) need PostgreSQL; SQLite has one writer.
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")


def at_once(work: Callable[[int], Any], *, barrier: bool = True) -> list[Any]:
    """Run ``work(0)`` and ``work(1)`` in two threads, each on its own database connection, released at the
    same instant (unless the work holds its own barrier). Returns what each returned or raised."""
    gate = threading.Barrier(2, timeout=30)
    results: list[Any] = [None, None]

    def run(slot: int) -> None:
        try:
            if barrier:
                gate.wait()
            results[slot] = work(slot)
        except Exception as exc:  # the test inspects what each thread got
            results[slot] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung: a lock was never released"
    return results


_numbers = itertools.count(1)

# A tiny valid JPEG (1×1 pixel), for evidence photos (2.5).
JPEG_1PX = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a"
    "1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f"
    "0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d0102"
    "0300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738"
    "393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3"
    "a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9"
    "faffda0008010100003f00fbd3ffd9"
)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Hashing a persona's password the production way costs over a second; tests need no such strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client: Any, user: User) -> Any:
    """A session as the person has it after the login page: with the second factor given where it is asked
    (administrators and signatories must have one: `zayavky.accounts.security`). The login page and the
    second-factor page themselves are tested in accounts/tests."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zayavky.accounts import security

    client.force_login(user)
    if security.asks_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def confirmation_for(user: User) -> str:
    """A code that confirms a signature (2.4, 2.8) for ``user``: a fresh one-time recovery code of their second
    factor (a TOTP code could be used only once per 30 seconds; tests sign faster than that)."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    return str(StaticToken.objects.create(device=device, token=StaticToken.random_token()).token)


@pytest.fixture
def admin_client(admin_user: User, client: Any) -> Any:
    """pytest-django's administrator's client, with the second factor an administrator must give."""
    return sign_in(client, admin_user)


@dataclass
class District:
    org: Organisation
    zhkg: Unit
    blag: Unit
    section: Section
    ordinary: Category  # ЖКГ, ordinary, no evidence needed
    emergency: Category  # ЖКГ, emergency, photo or act required (2.5)
    medium: Category  # ЖКГ, medium-term
    blag_ordinary: Category  # Благоустрій, ordinary
    general: User
    controller: User
    integration: User
    clerk: User
    head: User
    executor: User
    executor2: User
    other_clerk: User
    other_head: User
    other_executor: User
    signatory: User
    other_signatory: User
    admin: User

    def persona(self, name: str) -> User:
        return getattr(self, name)


def _user(username: str, last: str, first: str, *roles: tuple[str, Unit | None]) -> User:
    user = User.objects.create_user(username, password=PASSWORD, last_name=last, first_name=first)
    for role, unit in roles:
        Membership.objects.create(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def district(db: Any) -> District:
    org = Organisation.current()
    zhkg = Unit.objects.create(
        name="Відділ житлово-комунального господарства", short_name="ЖКГ", email="zhkg@example.org"
    )
    blag = Unit.objects.create(name="Відділ благоустрою", short_name="Благоустрій", email="blag@example.org")
    section = Section.objects.create(code="01", name="Житлово-комунальне господарство")
    ordinary = Category.objects.create(
        section=section,
        code="01.001",
        name="Відсутнє освітлення у під'їзді",
        urgency="ordinary",
        unit=zhkg,
        keywords="світло, лампа, під'їзд",
    )
    emergency = Category.objects.create(
        section=section,
        code="01.002",
        name="Порив водопроводу",
        urgency="emergency",
        unit=zhkg,
        evidence_required=True,
        keywords="вода, порив, затоплення",
    )
    medium = Category.objects.create(
        section=section, code="01.003", name="Ремонт покрівлі", urgency="medium_term", unit=zhkg
    )
    blag_ordinary = Category.objects.create(
        section=section, code="02.001", name="Несанкціоноване звалище", urgency="ordinary", unit=blag
    )
    signatory = _user("signatory", "Коваленко", "Олена", (Role.SIGNATORY, None))
    other_signatory = _user("other_signatory", "Мельник", "Ігор", (Role.SIGNATORY, None))
    s1 = Signatory.objects.create(user=signatory, position=Position.DEPUTY_HEAD_EXEC)
    s2 = Signatory.objects.create(user=other_signatory, position=Position.DEPUTY_HEAD)
    Duty.objects.create(signatory=s1, unit=zhkg, valid_from=dt.date(2020, 1, 1))
    Duty.objects.create(signatory=s2, unit=blag, valid_from=dt.date(2020, 1, 1))
    admin = _user("admin", "Адмін", "Адмін", (Role.ADMIN, None))
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return District(
        org=org,
        zhkg=zhkg,
        blag=blag,
        section=section,
        ordinary=ordinary,
        emergency=emergency,
        medium=medium,
        blag_ordinary=blag_ordinary,
        general=_user("general", "Бондаренко", "Марія", (Role.GENERAL, None)),
        controller=_user("controller", "Шевчук", "Петро", (Role.CONTROLLER, None)),
        integration=_user("integration", "Контакт-центр 1520", "", (Role.INTEGRATION, None)),
        clerk=_user("clerk", "Ткаченко", "Ірина", (Role.UNIT_CLERK, zhkg)),
        head=_user("head", "Кравченко", "Андрій", (Role.UNIT_HEAD, zhkg)),
        executor=_user("executor", "Олійник", "Василь", (Role.EXECUTOR, zhkg)),
        executor2=_user("executor2", "Лисенко", "Тарас", (Role.EXECUTOR, zhkg)),
        other_clerk=_user("other_clerk", "Савченко", "Ніна", (Role.UNIT_CLERK, blag)),
        other_head=_user("other_head", "Руденко", "Олег", (Role.UNIT_HEAD, blag)),
        other_executor=_user("other_executor", "Марченко", "Юрій", (Role.EXECUTOR, blag)),
        signatory=signatory,
        other_signatory=other_signatory,
        admin=admin,
    )


@pytest.fixture
def make_request(district: District):  # type: ignore[no-untyped-def]
    """File a new request as the Contact Center would (2.1)."""
    from zayavky.cases import workflow

    def make(**overrides: Any):  # type: ignore[no-untyped-def]
        fields: dict[str, Any] = {
            "number": f"KC-{next(_numbers):06d}",
            "received_at": timezone.now() - dt.timedelta(hours=1),
            "applicant_name": "Петренко Петро Петрович",
            "applicant_phone": "+380671234567",
            "applicant_email": "petrenko@example.org",
            "applicant_address": "вул. Шевченка, 1, кв. 2",
            "address": "вул. Шевченка, 1",
            "text": "У під'їзді не горить світло вже тиждень.",
        }
        fields.update(overrides)
        return workflow.receive(district.integration, **fields)

    return make


#: The path of a request through the procedure: (action, persona, data).
PATH = [
    ("route", "general", lambda d: {"category": d.ordinary.pk}),
    ("take", "clerk", lambda d: {}),
    ("assign", "head", lambda d: {"executor": d.executor.pk}),
    ("submit", "head", lambda d: {"text": "Світло відновлено.", "outcome": "executed"}),
    ("sign", "signatory", lambda d: {}),
    ("hand_over", "clerk", lambda d: {}),
    ("publish", "general", lambda d: {}),
]
REACHED_BY = {
    "new": 0,
    "routed": 1,
    "with_head": 2,
    "in_work": 3,
    "on_signature": 4,
    "signed": 5,
    "handed_over": 6,
    "published": 7,
}


@pytest.fixture
def advance(district: District, make_request):  # type: ignore[no-untyped-def]
    """A request of «ЖКГ» (ordinary type unless ``category`` is given) brought to ``status``."""
    from zayavky.cases import workflow

    def go(status: str, category: Category | None = None, **fields: Any):  # type: ignore[no-untyped-def]
        request = make_request(**fields)
        for action, persona, data in PATH[: REACHED_BY[status]]:
            payload = data(district)
            if action == "route" and category is not None:
                payload = {"category": category.pk}
            request = workflow.ACTIONS[action](district.persona(persona), request.pk, **payload)
        request.refresh_from_db()
        return request

    return go
