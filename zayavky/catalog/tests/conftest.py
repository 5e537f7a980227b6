"""Shared reference data for the catalog tests: two units, a small Classifier, people and signatories."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from zayavky.accounts.models import Membership, Role, User
from zayavky.catalog.models import Category, Position, Section, Signatory, Unit


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # Each user made here has a password; the real hasher is slow on purpose and these tests do not need it.
    # The real ones stay listed after it, so a hash made with them is still recognised.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def unit(db: None) -> Unit:
    return Unit.objects.create(
        name="Відділ житлово-комунального господарства", short_name="ВЖКГ", email="vzhkg@example.org"
    )


@pytest.fixture
def other_unit(db: None) -> Unit:
    return Unit.objects.create(name="Відділ у справах сім'ї та молоді", short_name="ВСМ")


@pytest.fixture
def section(db: None) -> Section:
    root = Section.objects.create(code="01", name="Житлово-комунальне господарство", position=1)
    return Section.objects.create(code="01.02", name="Благоустрій", parent=root, position=2)


@pytest.fixture
def category(section: Section, unit: Unit) -> Category:
    return Category.objects.create(
        section=section,
        code="01.02.001",
        name="Прибирання сміття на прибудинковій території",
        urgency="ordinary",
        unit=unit,
        evidence_required=True,
        keywords="сміття, прибирання",
    )


@pytest.fixture
def alice(db: None) -> User:
    """The head of the housing unit."""
    user = User.objects.create_user(
        "alice", password="x", first_name="Аліна", last_name="Коваль", patronymic="Петрівна"
    )
    return user


@pytest.fixture
def bob(db: None) -> User:
    """A deputy head of the district council, who signs answers (2.4)."""
    return User.objects.create_user("bob", password="x", first_name="Богдан", last_name="Шевчук", patronymic="Іванович")


@pytest.fixture
def carol(db: None) -> User:
    """The manager of affairs of the executive committee, who also signs (2.4)."""
    return User.objects.create_user(
        "carol", password="x", first_name="Ірина", last_name="Мельник", patronymic="Олександрівна"
    )


@pytest.fixture
def head_of_unit(alice: User, unit: Unit) -> User:
    Membership.objects.create(user=alice, role=Role.UNIT_HEAD, unit=unit)
    return alice


@pytest.fixture
def deputy(bob: User) -> Signatory:
    return Signatory.objects.create(user=bob, position=Position.DEPUTY_HEAD)


@pytest.fixture
def manager(carol: User) -> Signatory:
    return Signatory.objects.create(user=carol, position=Position.MANAGER_OF_AFFAIRS)
