"""The workflow's clock: a step is recorded at the moment :func:`clock.frozen_at` states, and only for the code
that stated it; otherwise at the real time."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.utils import timezone

from zayavky.cases import clock, workflow
from zayavky.cases.models import Status

KYIV = dt.timezone(dt.timedelta(hours=2))  # a fixed offset: the test states its moment whatever the day


def test_it_is_the_real_time_unless_a_moment_is_stated() -> None:
    before = timezone.now()
    assert before <= clock.now() <= timezone.now()


def test_it_says_the_stated_moment_inside_the_block_only() -> None:
    first = dt.datetime(2026, 3, 29, 2, 30, tzinfo=dt.UTC)  # the night of the spring switch in Kyiv
    second = dt.datetime(2026, 12, 31, 23, 30, tzinfo=KYIV)
    with clock.frozen_at(first):
        assert clock.now() == first
        with clock.frozen_at(second):
            assert clock.now() == second
        assert clock.now() == first
    assert clock.now() != first


def test_it_keeps_the_real_time_for_another_thread() -> None:
    seen: list[dt.datetime] = []
    with clock.frozen_at(dt.datetime(2020, 1, 1, tzinfo=dt.UTC)):
        thread = threading.Thread(target=lambda: seen.append(clock.now()))
        thread.start()
        thread.join()
    assert seen[0].year > 2020


def test_it_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="aware"), clock.frozen_at(dt.datetime(2026, 1, 1, 10, 0)):
        pass


def test_it_stamps_every_step_of_the_workflow_with_the_stated_moment(district: Any, make_request: Any) -> None:
    received = dt.datetime(2026, 11, 23, 9, 0, tzinfo=KYIV)  # a Monday
    with clock.frozen_at(received + dt.timedelta(minutes=5)):
        request = make_request(received_at=received)
    routed_at = received + dt.timedelta(hours=1)
    with clock.frozen_at(routed_at):
        request = workflow.route(district.general, request.pk, category=district.ordinary.pk)
    with clock.frozen_at(routed_at + dt.timedelta(hours=1)):
        request = workflow.take(district.clerk, request.pk)
    with clock.frozen_at(routed_at + dt.timedelta(hours=2)):
        request = workflow.assign(district.head, request.pk, executor=district.executor.pk)
    drafted_at = routed_at + dt.timedelta(hours=3)
    with clock.frozen_at(drafted_at):
        workflow.draft(district.executor, request.pk, text="Світло відновлено.", outcome="executed")

    request.refresh_from_db()
    assert request.status == Status.IN_WORK
    assert request.routed_at == routed_at
    assert [e.at for e in request.events.all()] == [
        received + dt.timedelta(minutes=5),
        routed_at,
        routed_at + dt.timedelta(hours=1),
        routed_at + dt.timedelta(hours=2),
        drafted_at,
    ]
    assert request.answers.get().updated_at == drafted_at  # the answer's time is its step's, not Django's
