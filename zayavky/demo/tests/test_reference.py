"""`zayavky demo`: the demo district's reference data (docs/design.md 5) from its data files, through the command
line."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from zayavky.accounts.models import UNIT_ROLES, Membership, Role, User
from zayavky.catalog.models import (
    CalendarOverride,
    Category,
    Duty,
    Organisation,
    Position,
    Signatory,
    Unit,
    signatories_for,
)
from zayavky.deadlines import Urgency
from zayavky.demo import requests as demo_requests
from zayavky.demo.reference import DEMO_PASSWORD, users

USERS = users()

pytestmark = pytest.mark.django_db

MODELS = [
    "catalog.Unit",
    "catalog.Section",
    "catalog.Category",
    "catalog.Signatory",
    "catalog.Duty",
    "catalog.CalendarOverride",
    "catalog.Organisation",
    "accounts.User",
    "accounts.Membership",
]


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded() -> str:
    return run_demo("--no-requests")


def snapshot() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in MODELS}


def test_counts_meet_the_minimums(loaded: str) -> None:
    assert Unit.objects.filter(is_active=True).count() >= 10
    active = Category.objects.filter(is_active=True)
    assert active.count() >= 60
    minimums = {Urgency.EMERGENCY: 10, Urgency.ORDINARY: 30, Urgency.MEDIUM_TERM: 15, Urgency.LONG_TERM: 5}
    for urgency, minimum in minimums.items():
        assert active.filter(urgency=urgency.value).count() >= minimum, urgency
    assert Category.objects.filter(is_active=False).count() == 1  # a retired type stays, never deleted
    # 2.5: physical works need photos or an act; consultations do not.
    assert active.filter(evidence_required=True).exists()
    assert active.filter(evidence_required=False).exists()
    assert not active.filter(keywords="").exists()
    assert all(c.section.code == c.code.rsplit(".", 1)[0] for c in active.select_related("section"))
    assert CalendarOverride.objects.count() == 2
    org = Organisation.current()
    assert org.name == "Виконавчий комітет Саксаганської районної у місті ради"
    assert org.general_mailbox == "zagal_zv@srvk.gov.ua"  # 2.7


def test_every_unit_with_types_has_a_signatory_today(loaded: str) -> None:
    # 2.4, 2.6: the distribution of duties names who signs for every unit.
    today = timezone.localdate()
    in_force = set(Duty.objects.in_force(today).values_list("unit_id", flat=True))
    with_types = set(Category.objects.filter(is_active=True, unit__is_active=True).values_list("unit_id", flat=True))
    assert with_types <= in_force
    assert set(Unit.objects.filter(is_active=True).values_list("pk", flat=True)) <= in_force
    # The history: one closed row, and only one signatory per unit now.
    assert Duty.objects.filter(valid_to__isnull=False).count() == 1
    for unit_id in in_force:
        assert len(signatories_for(unit_id, today)) == 1


def test_three_signatories_one_per_position(loaded: str) -> None:
    assert Signatory.objects.count() == 3
    assert set(Signatory.objects.values_list("position", flat=True)) == set(Position.values)
    assert set(Signatory.objects.values_list("user__username", flat=True)) == {
        "signatory",
        "signatory2",
        "signatory3",
    }


def test_one_user_per_role(loaded: str) -> None:
    for role in Role:
        assert Membership.objects.filter(role=role).exists(), role
    for m in Membership.objects.all():
        assert (m.unit_id is not None) == (m.role in UNIT_ROLES)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()
    for d in USERS:
        user = User.objects.get(username=d.username)
        assert user.check_password(DEMO_PASSWORD)


def test_clerk_head_executor_share_a_unit_that_signatory_signs_for(loaded: str) -> None:
    units = {
        username: User.objects.get(username=username).unit_ids(role)
        for username, role in [
            ("clerk", Role.UNIT_CLERK),
            ("head", Role.UNIT_HEAD),
            ("executor", Role.EXECUTOR),
            ("executor2", Role.EXECUTOR),
        ]
    }
    assert all(len(ids) == 1 for ids in units.values())
    (unit_id,) = units["clerk"]
    assert all(ids == {unit_id} for ids in units.values())
    assert Unit.objects.get(pk=unit_id).short_name == "Відділ ЖКГ"
    signer = User.objects.get(username="signatory")
    assert signer.has_role(Role.SIGNATORY)
    assert [s.user_id for s in signatories_for(unit_id, timezone.localdate())] == [signer.pk]
    assert Category.objects.filter(unit_id=unit_id, is_active=True).count() >= 10
    for unit in ("Відділ благоустрою", "УПСЗН"):  # two more units with a full trio
        roles = set(Membership.objects.filter(unit__short_name=unit).values_list("role", flat=True))
        assert roles == set(UNIT_ROLES)


#: The usernames people already know from the README, the tests and their bookmarks: never renamed.
KNOWN_USERNAMES = {
    "general",
    "clerk",
    "head",
    "executor",
    "executor2",
    "signatory",
    "signatory2",
    "signatory3",
    "controller",
    "admin",
    "contactcenter",
    "clerk_blag",
    "head_blag",
    "executor_blag",
    "clerk_soc",
    "head_soc",
    "executor_soc",
}


def test_it_gives_every_unit_with_active_types_a_clerk_a_head_and_an_executor(loaded: str) -> None:
    # 2.3: a request routed to a unit is taken by its clerk, given to an executor by its head; 2.6: the head
    # submits the answer. A unit without them could only leave its requests «routed».
    units = Unit.objects.filter(is_active=True, categories__is_active=True).distinct()
    assert units.count() == 16
    for unit in units:
        members = Membership.objects.filter(unit=unit, user__is_active=True).select_related("user")
        assert {m.role for m in members} == set(UNIT_ROLES), unit.short_name
        for m in members:
            user = m.user
            assert user.last_name and user.first_name and user.patronymic, user.username
            assert user.check_password(DEMO_PASSWORD), user.username
            if m.role == Role.UNIT_HEAD:
                assert user.position.startswith("начальник "), user.position
            else:
                assert "спеціаліст" in user.position or user.position.startswith("діловод "), user.position
        # 2.4: and somebody signs for it.
        assert signatories_for(unit.pk, timezone.localdate()), unit.short_name


def test_it_names_the_new_trios_after_their_unit_and_keeps_the_known_usernames(loaded: str) -> None:
    usernames = set(User.objects.values_list("username", flat=True))
    assert usernames >= KNOWN_USERNAMES
    assert len(usernames) == len(USERS) == 56
    # The others: clerk_<unit>, head_<unit>, executor_<unit>, the unit's key as in clerk_blag.
    new_trios = {d.username: d.roles[0] for d in USERS if d.username not in KNOWN_USERNAMES}
    assert len(new_trios) == 13 * 3
    suffixes: dict[str, set[str]] = {}  # unit -> the usernames' suffixes of its trio
    for username, (role, unit) in new_trios.items():
        prefix = {Role.UNIT_CLERK: "clerk", Role.UNIT_HEAD: "head", Role.EXECUTOR: "executor"}[role]
        assert username.startswith(f"{prefix}_")
        suffixes.setdefault(str(unit), set()).add(username.removeprefix(f"{prefix}_"))
        membership = Membership.objects.select_related("unit").get(user__username=username)
        assert (membership.role, membership.unit.short_name) == (role, unit)
    assert len(suffixes) == 13 and all(len(keys) == 1 for keys in suffixes.values())  # one key per unit
    # Every demo person is a different person: no name or phone is used twice.
    people = list(User.objects.values_list("last_name", "first_name", "patronymic"))
    assert len(set(people)) == len(people)
    phones = list(User.objects.values_list("phone", flat=True))
    assert len(set(phones)) == len(phones)


def test_it_adds_the_trios_to_an_older_demo_database_and_then_creates_nothing(loaded: str) -> None:
    # A database loaded before the trios existed has only the ЖКГ, благоустрій and УПСЗН people.
    new_trios = [d.username for d in USERS if d.username not in KNOWN_USERNAMES]
    assert len(new_trios) == 13 * 3
    Membership.objects.filter(user__username__in=new_trios).delete()
    User.objects.filter(username__in=new_trios).delete()
    executor = User.objects.get(username="executor")
    executor.set_password("changed-by-user")
    executor.save()
    known = list(User.objects.order_by("username").values("username", "last_name", "position", "phone"))

    output = run_demo("--no-requests")
    assert f"нових записів {2 * len(new_trios)}" in output  # a user and a role each
    assert User.objects.filter(username__in=new_trios).count() == len(new_trios)
    known_now = User.objects.filter(username__in=KNOWN_USERNAMES).order_by("username")
    assert list(known_now.values("username", "last_name", "position", "phone")) == known
    executor.refresh_from_db()
    assert executor.check_password("changed-by-user")  # an existing user's password is left alone

    before = snapshot()
    users = list(User.objects.order_by("pk").values())
    memberships = list(Membership.objects.order_by("pk").values())
    output = run_demo("--no-requests")
    assert "нових записів 0" in output
    assert snapshot() == before
    assert list(User.objects.order_by("pk").values()) == users
    assert list(Membership.objects.order_by("pk").values()) == memberships


def test_running_twice_changes_nothing(loaded: str) -> None:
    before = snapshot()
    categories = list(Category.objects.values())
    duties = list(Duty.objects.values())
    output = run_demo("--no-requests")
    assert snapshot() == before
    assert list(Category.objects.values()) == categories
    assert list(Duty.objects.values()) == duties
    assert "нових записів 0" in output


def test_second_run_keeps_changed_passwords_unless_reset(loaded: str) -> None:
    user = User.objects.get(username="executor")
    user.set_password("changed-by-user")
    user.save()
    run_demo("--no-requests")
    user.refresh_from_db()
    assert user.check_password("changed-by-user")
    run_demo("--no-requests", "--reset-passwords")
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_if_empty_does_nothing_on_a_loaded_database(loaded: str) -> None:
    CalendarOverride.objects.all().delete()
    Unit.objects.filter(short_name="Відділ ЖКГ").update(email="changed@srvk.gov.ua")
    before = snapshot()
    output = run_demo("--if-empty")
    assert "уже містить Класифікатор" in output
    assert snapshot() == before
    assert CalendarOverride.objects.count() == 0
    assert Unit.objects.get(short_name="Відділ ЖКГ").email == "changed@srvk.gov.ua"


def test_if_empty_loads_an_empty_database() -> None:
    run_demo("--if-empty", "--no-requests")
    assert Category.objects.filter(is_active=True).count() >= 60


def test_print_users_prints_usernames_and_password(loaded: str) -> None:
    output = run_demo("--if-empty", "--print-users")
    words = set(output.replace(",", " ").split())
    for d in USERS:
        assert d.username in words, d.username
    assert DEMO_PASSWORD in output
    assert "Відділ ЖКГ" in output


def test_it_prints_the_users_of_each_unit_on_one_line(loaded: str) -> None:
    lines = run_demo("--if-empty", "--print-users").splitlines()
    # One row per unit with its clerk, head and executors, in that order (2.3): 56 users, far fewer rows.
    units = Unit.objects.filter(memberships__isnull=False).distinct()
    assert units.count() == 16
    for unit in units:
        (row,) = [line for line in lines if line.startswith(unit.short_name + "  ")]
        cells = row.removeprefix(unit.short_name).split()
        expected = [
            ", ".join(
                Membership.objects.filter(unit=unit, role=role)
                .order_by("user__username")
                .values_list("user__username", flat=True)
            )
            for role in (Role.UNIT_CLERK, Role.UNIT_HEAD, Role.EXECUTOR)
        ]
        assert " ".join(cells) == " ".join(expected), row
    # The people without a unit keep a row each, with their full name.
    (general,) = [line for line in lines if line.startswith("general ")]
    assert "Савченко Оксана Іванівна" in general and "загальний відділ" in general
    assert len(lines) < len(USERS)


def test_requests_are_loaded_after_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def load_requests(stdout: Any = None) -> dict[str, int]:
        calls.append(Category.objects.count())
        return {"requests": 0}

    monkeypatch.setattr("zayavky.demo.management.commands.demo.load_requests", load_requests)
    run_demo()
    assert len(calls) == 1 and calls[0] >= 60  # the Classifier was there when the requests came


def test_no_requests_skips_the_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_requests, "load_requests", lambda **kw: pytest.fail("requests loaded"))
    monkeypatch.setattr("zayavky.demo.management.commands.demo.load_requests", demo_requests.load_requests)
    output = run_demo("--no-requests")
    assert "Демонстраційні заявки не завантажуються (--no-requests)." in output
