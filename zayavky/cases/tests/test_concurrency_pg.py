"""Two people take the same step on the same request at the same moment (two concurrent actions): exactly one wins,
the other is told someone was quicker (Conflict), and the history gets exactly one row for the step.

On PostgreSQL two threads with two connections really race (``SELECT … FOR UPDATE`` must serialise them);
on SQLite the same property is checked one after the other (its test database cannot take two writers).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from zayavky.accounts.models import User
from zayavky.cases import workflow
from zayavky.cases.errors import Conflict
from zayavky.cases.models import Event, OutgoingCounter, ServiceRequest
from zayavky.conftest import District, at_once, on_postgres


def race(action: str, username: str, request_id: int, kwargs: dict[str, Any]) -> list[Any]:
    """Run the action from two threads, each with its own connection, released at the same instant."""
    users = [User.objects.get(username=username) for _ in (0, 1)]  # each thread acts as its own instance
    return at_once(lambda slot: workflow.ACTIONS[action](users[slot], request_id, **kwargs))


@pytest.fixture
def slow_history(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the winner inside its transaction a little, so the loser is surely waiting on the row lock
    (without it, one thread might simply finish before the other starts, and the test prove nothing)."""
    record = workflow._record

    def slow(*args: Any, **kwargs: Any) -> Event:
        time.sleep(0.3)
        return record(*args, **kwargs)

    monkeypatch.setattr(workflow, "_record", slow)


def _one_winner(results: list[Any], request_id: int, action: str) -> None:
    wins = [r for r in results if isinstance(r, ServiceRequest)]
    losses = [r for r in results if isinstance(r, Conflict)]
    assert (len(wins), len(losses)) == (1, 1), results
    assert losses[0].code == "wrong_state"
    assert Event.objects.filter(request_id=request_id, action=action).count() == 1


@on_postgres
@pytest.mark.postgres
@pytest.mark.parametrize("attempt", range(3))
def test_it_lets_one_of_two_simultaneous_routings_win(
    transactional_db: None,
    district: District,
    make_request: Callable[..., ServiceRequest],
    slow_history: None,
    attempt: int,
) -> None:
    request = make_request()
    # Two clerks of the general department (or one double click), each sure the request is still new.
    results = race("route", "general", request.pk, {"category": district.ordinary.pk})
    _one_winner(results, request.pk, "route")
    request.refresh_from_db()
    assert (request.status, request.unit) == ("routed", district.zhkg)


@on_postgres
@pytest.mark.postgres
def test_it_lets_one_of_two_simultaneous_signatures_win(
    transactional_db: None, district: District, advance: Callable[..., ServiceRequest], slow_history: None
) -> None:
    request = advance("on_signature")
    results = race("sign", "signatory", request.pk, {})
    _one_winner(results, request.pk, "sign")
    request.refresh_from_db()
    assert request.status == "signed"
    # One signature, one outgoing number used.
    assert request.outgoing_number.startswith("1/")
    assert list(OutgoingCounter.objects.values_list("last", flat=True)) == [1]


def test_it_refuses_the_second_of_two_identical_steps(
    district: District, make_request: Callable[..., ServiceRequest]
) -> None:
    """The same property without threads (every database): the second click finds the step taken."""
    request = make_request()
    first = workflow.route(district.general, request.pk, category=district.ordinary.pk)
    with pytest.raises(Conflict) as info:
        workflow.route(district.general, request.pk, category=district.blag_ordinary.pk)
    assert info.value.code == "wrong_state"
    assert first.unit == district.zhkg
    request.refresh_from_db()
    assert request.unit == district.zhkg
    assert Event.objects.filter(request=request, action="route").count() == 1
