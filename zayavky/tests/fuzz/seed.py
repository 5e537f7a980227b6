"""A small district for the API fuzz (`make fuzz`): units, a Classifier, one person per role, requests in
every state driven through the real workflow, and an API token per role, written to a JSON file.

Run by `zayavky.tests.fuzz.run` against the fuzz's own database; never against a real one (it refuses a
database that already has users).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any


def seed(out: Path) -> None:
    from django.utils import timezone

    from zayavky.accounts import tokens
    from zayavky.accounts.models import Membership, Role, User
    from zayavky.cases import workflow
    from zayavky.catalog.models import Category, Duty, Position, Section, Signatory, Unit

    if User.objects.exists():
        raise SystemExit("the fuzz seeds only an empty database")
    zhkg = Unit.objects.create(name="Відділ ЖКГ", short_name="ЖКГ", email="zhkg@example.org")
    blag = Unit.objects.create(name="Відділ благоустрою", short_name="Благоустрій", email="blag@example.org")
    section = Section.objects.create(code="01", name="Житлово-комунальне господарство")
    ordinary = Category.objects.create(section=section, code="01.001", name="Світло", urgency="ordinary", unit=zhkg)
    emergency = Category.objects.create(section=section, code="01.002", name="Порив", urgency="emergency", unit=zhkg)
    Category.objects.create(section=section, code="02.001", name="Звалище", urgency="ordinary", unit=blag)

    def person(username: str, role: str, unit: Unit | None = None) -> User:
        user = User.objects.create_user(username, password=None, last_name=username.title(), first_name="Фаз")
        Membership.objects.create(user=user, role=role, unit=unit)
        return user

    general = person("general", Role.GENERAL)
    clerk = person("clerk", Role.UNIT_CLERK, zhkg)
    head = person("head", Role.UNIT_HEAD, zhkg)
    executor = person("executor", Role.EXECUTOR, zhkg)
    signatory = person("signatory", Role.SIGNATORY)
    controller = person("controller", Role.CONTROLLER)
    integration = person("integration", Role.INTEGRATION)
    person("other_head", Role.UNIT_HEAD, blag)
    signatory.set_password("fuzz-signatory-password-2026")  # confirms its signatures (no second factor here)
    signatory.save()
    duty_holder = Signatory.objects.create(user=signatory, position=Position.DEPUTY_HEAD_EXEC)
    Duty.objects.create(signatory=duty_holder, unit=zhkg, valid_from=dt.date(2020, 1, 1))

    steps: list[tuple[str, User, dict[str, Any]]] = [
        ("route", general, {"category": ordinary.pk}),
        ("take", clerk, {}),
        ("assign", head, {"executor": executor.pk}),
        ("submit", head, {"text": "Світло відновлено.", "outcome": "executed"}),
        ("sign", signatory, {}),
        ("hand_over", clerk, {}),
        ("publish", general, {}),
    ]
    now = timezone.now()
    for n in range(16):
        request = workflow.receive(
            integration,
            number=f"FUZZ-{n:04d}",
            received_at=now - dt.timedelta(hours=2 + n),
            applicant_name="Петренко Петро",
            applicant_phone="+380671234567",
            address="вул. Шевченка, 1",
            text="Не горить світло.",
        )
        for action, who, data in steps[: n % (len(steps) + 1)]:
            if action == "route" and n % 5 == 4:
                data = {"category": emergency.pk}
            workflow.ACTIONS[action](who, request.pk, **data)
    issued = {
        role: tokens.issue(user, f"fuzz {role}")
        for role, user in [
            ("general", general),
            ("head", head),
            ("executor", executor),
            ("signatory", signatory),
            ("controller", controller),
            ("integration", integration),
            ("clerk", clerk),
        ]
    }
    out.write_text(json.dumps(issued, indent=2))


if __name__ == "__main__":
    import django

    django.setup()
    seed(Path(sys.argv[1]))
