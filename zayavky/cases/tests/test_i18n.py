"""The refusals of the procedure speak the civil servants' language (docs/design.md 4: UI in Ukrainian)."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from zayavky.cases import workflow
from zayavky.cases.errors import Conflict, Forbidden
from zayavky.cases.models import ServiceRequest
from zayavky.conftest import District

CASES = Path(workflow.__file__).resolve().parent
PO = CASES / "locale" / "uk" / "LC_MESSAGES" / "django.po"
CYRILLIC = re.compile("[А-Яа-яІіЇїЄєҐґ]")
KEYWORDS = {"_": None, "gettext": None, "gettext_lazy": None, "ngettext": (1, 2), "ngettext_lazy": (1, 2)}


def test_it_refuses_in_ukrainian(district: District, make_request: Callable[..., ServiceRequest]) -> None:
    request = make_request()
    with translation.override("uk"):
        with pytest.raises(Forbidden) as forbidden:
            workflow.route(district.controller, request.pk, category=district.ordinary.pk)
        workflow.route(district.general, request.pk, category=district.ordinary.pk)
        with pytest.raises(Conflict) as conflict:
            workflow.route(district.general, request.pk, category=district.ordinary.pk)
    message = forbidden.value.message
    assert CYRILLIC.search(message)
    assert message.startswith("Цей крок не ваш: його виконує загальний відділ")
    assert "розпорядження № 170-р, п. 2.2" in message
    assert "not yours" not in message and "general department" not in message
    assert conflict.value.message == (
        f"Заявка {request.number} зараз «передана до підрозділу»: у такому стані цей крок неможливий."
    )


def test_it_still_speaks_english_when_asked(district: District, make_request: Callable[..., ServiceRequest]) -> None:
    request = make_request()
    with translation.override("en"), pytest.raises(Forbidden) as forbidden:
        workflow.route(district.controller, request.pk, category=district.ordinary.pk)
    assert forbidden.value.message == ("This step is not yours to take: the general department (order 170-р, p. 2.2).")
    assert not CYRILLIC.search(forbidden.value.message.replace("170-р", ""))


def test_it_has_every_message_of_the_cases_code_translated() -> None:
    """Every msgid of zayavky/cases/*.py is in the catalogue with a Ukrainian translation (a string added to
    the code without `makemessages` fails here, not in front of a clerk)."""
    in_code: set[str] = set()
    for path in sorted(CASES.glob("*.py")):
        for _lineno, message, _comments, _context in extract_from_file("python", path, keywords=KEYWORDS):
            in_code.add(message if isinstance(message, str) else message[0])
    with PO.open("rb") as fh:
        catalogue = {m.id: m for m in read_po(fh) if m.id}
    missing = sorted(in_code - {str(key) for key in catalogue})
    assert not missing, f"run makemessages in zayavky/cases: {missing}"
    for msgid in in_code:
        entry = catalogue[msgid]
        assert entry.string and not entry.fuzzy, msgid
        assert CYRILLIC.search(entry.string if isinstance(entry.string, str) else entry.string[0]), msgid


def test_it_passes_the_projects_catalogue_check() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "zayavky.i18n", "check"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
