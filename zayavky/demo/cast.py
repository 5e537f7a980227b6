"""The demo's people at work: who takes each step of a request, found by role in the reference data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zayavky.accounts.models import Membership, Role, User
from zayavky.catalog.models import Signatory, signatories_for

# The stages of the procedure, in order (docs/design.md 2).
NEW, ROUTED, WITH_HEAD, IN_WORK, ON_SIGNATURE, SIGNED, HANDED_OVER, PUBLISHED = range(8)


@dataclass
class Staff:
    clerk: User | None
    head: User | None
    executors: list[User]


class Cast:
    """The demo personas for each step: found by their roles (Membership), not by their usernames."""

    def __init__(self) -> None:
        def first(role: str) -> User | None:
            return User.objects.filter(memberships__role=role, is_active=True).order_by("username").first()

        self.general = first(Role.GENERAL)
        self.integration = first(Role.INTEGRATION)
        self.controller = first(Role.CONTROLLER)
        self.staff: dict[int, Staff] = {}
        users: dict[int, User] = {}
        memberships = (
            Membership.objects.filter(unit__isnull=False, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
        )
        for m in memberships:
            user = users.setdefault(m.user_id, m.user)  # one object per person: its role caches are reused
            assert m.unit_id is not None  # the query asks for unit roles only
            staff = self.staff.setdefault(m.unit_id, Staff(None, None, []))
            if m.role == Role.UNIT_CLERK and staff.clerk is None:
                staff.clerk = user
            elif m.role == Role.UNIT_HEAD and staff.head is None:
                staff.head = user
            elif m.role == Role.EXECUTOR:
                staff.executors.append(user)
        self._signatory_users: dict[int, User] = {}
        self._signatories: dict[tuple[int, dt.date], User | None] = {}

    def ready(self, unit_id: int, stage: int) -> bool:
        """Can the unit's people take a request of this unit to this stage?"""
        staff = self.staff.get(unit_id)
        if stage <= ROUTED:
            return True
        if staff is None or staff.clerk is None:
            return False
        return stage <= WITH_HEAD or staff.head is not None

    def executors(self, unit_id: int) -> list[User]:
        staff = self.staff[unit_id]
        return staff.executors or [staff.head]  # type: ignore[list-item]  # 2.3: the head may do it himself

    def signatory(self, unit_id: int, on: dt.date) -> User | None:
        """The one who signs for the unit on that day under the distribution of duties (2.4)."""
        key = (unit_id, on)
        if key not in self._signatories:
            found: list[Signatory] = sorted(signatories_for(unit_id, on), key=lambda s: s.user.username)
            user = found[0].user if found else None
            if user is not None:
                user = self._signatory_users.setdefault(user.pk, user)
            self._signatories[key] = user
        return self._signatories[key]
