"""`make bench`: figures of speed, measured here and now (never a timed test).

    python -m zayavky.bench                   # 200 000 requests in a fresh SQLite file
    BENCH_REQUESTS=1000000 python -m zayavky.bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/zv_bench python -m zayavky.bench

It measures the deadline engine (dues per second) and, on a database filled with generated requests,
the queries behind the queues and lists: what a unit head, an executor, the general department and the
controller open first thing in the morning. Each query runs several times; the median is printed.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any


def _timeit(fn: Callable[[], Any], repeat: int = 7) -> tuple[float, Any]:
    fn()  # warm-up
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def bench_deadlines(n: int = 200_000) -> None:
    from zayavky.deadlines import KYIV, Calendar, Urgency, due_dates, extension_window

    rnd = random.Random(1)
    base = dt.datetime(2026, 1, 1, tzinfo=KYIV)
    moments = [base + dt.timedelta(minutes=rnd.randrange(0, 60 * 24 * 365)) for _ in range(n)]
    urgencies = [rnd.choice(list(Urgency)) for _ in range(n)]
    cal = Calendar()
    start = time.perf_counter()
    for moment, urgency in zip(moments, urgencies, strict=True):
        dues = due_dates(moment, urgency, calendar=cal)
        if urgency is Urgency.EMERGENCY:
            extension_window(moment, dues.regulation, calendar=cal)
    elapsed = time.perf_counter() - start
    print(f"deadlines: {n} requests' dues in {elapsed:.2f} s — {n / elapsed:,.0f} per second")


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ZAYAVKY_INSECURE_DEV", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zayavky.settings")
    import django

    django.setup()


def _fill(n: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from zayavky.accounts.models import Membership, Role, User
    from zayavky.cases.models import ServiceRequest, Status
    from zayavky.catalog.models import Category, Section, Unit
    from zayavky.deadlines import due_dates

    call_command("migrate", verbosity=0)
    if ServiceRequest.objects.count() >= n:
        return
    units = [Unit.objects.get_or_create(name=f"Підрозділ {i}", short_name=f"П{i}")[0] for i in range(16)]
    section, _ = Section.objects.get_or_create(code="B", name="Bench")
    urgencies = ["emergency", "ordinary", "ordinary", "ordinary", "medium_term", "long_term"]
    categories = [
        Category.objects.get_or_create(
            code=f"B.{i:03d}",
            defaults={"section": section, "name": f"Тип {i}", "urgency": urgencies[i % 6], "unit": units[i % 16]},
        )[0]
        for i in range(120)
    ]
    executors = []
    for i, unit in enumerate(units):
        for j in range(5):
            user, created = User.objects.get_or_create(username=f"bench_exec_{i}_{j}")
            if created:
                Membership.objects.create(user=user, role=Role.EXECUTOR, unit=unit)
            executors.append((unit.pk, user.pk))
    by_unit: dict[int, list[int]] = {}
    for unit_id, user_id in executors:
        by_unit.setdefault(unit_id, []).append(user_id)
    rnd = random.Random(2026)
    now = timezone.now()
    # Mostly finished requests, as in a district after some years; the open ones near now.
    statuses = (
        [Status.PUBLISHED] * 90
        + [Status.WITHDRAWN] * 2
        + [
            Status.NEW,
            Status.ROUTED,
            Status.WITH_HEAD,
            Status.IN_WORK,
            Status.IN_WORK,
            Status.IN_WORK,
            Status.ON_SIGNATURE,
            Status.SIGNED,
        ]
    )
    batch: list[ServiceRequest] = []
    start = time.perf_counter()
    have = ServiceRequest.objects.count()
    for k in range(have, n):
        status = rnd.choice(statuses)
        age_h = (
            rnd.randrange(1, 24 * 30)
            if status not in (Status.PUBLISHED, Status.WITHDRAWN)
            else rnd.randrange(24, 24 * 365 * 4)
        )
        received = now - dt.timedelta(hours=age_h, minutes=rnd.randrange(60))
        cat = rnd.choice(categories)
        dues = due_dates(received, cat.urgency)
        routed = status != Status.NEW
        request = ServiceRequest(
            number=f"B-{k:08d}",
            received_at=received,
            applicant_name="Бенч Бенч",
            text="Текст заявки для вимірювань",
            address="вул. Тестова, 1",
            category=cat if routed else None,
            unit_id=cat.unit_id if routed else None,
            urgency=cat.urgency if routed else "",
            status=status,
            executor_id=rnd.choice(by_unit[cat.unit_id])
            if status not in (Status.NEW, Status.ROUTED, Status.WITH_HEAD)
            else None,
            term_started_at=received if routed else None,
            internal_due=dues.internal if routed else None,
            regulation_due=dues.regulation if routed else None,
            control_due=dues.internal if routed else None,
        )
        request.sync_dues()  # the due that runs now, as the workflow would store it
        batch.append(request)
        if len(batch) == 5000:
            ServiceRequest.objects.bulk_create(batch)
            batch.clear()
    if batch:
        ServiceRequest.objects.bulk_create(batch)
    print(f"filled: {n - have} requests in {time.perf_counter() - start:.1f} s")


def bench_queries() -> None:
    from django.db import connection
    from django.utils import timezone

    from zayavky.cases.models import ServiceRequest, Status
    from zayavky.cases.queries import filter_requests, order_requests

    unit_id = ServiceRequest.objects.exclude(unit=None).values_list("unit_id", flat=True).first() or 0
    executor_id = ServiceRequest.objects.exclude(executor=None).values_list("executor_id", flat=True).first()
    now = timezone.now()
    total = ServiceRequest.objects.count()
    print(f"database: {connection.vendor}, {total:,} requests")
    cases: list[tuple[str, Callable[[], Any]]] = [
        (
            "general: new requests to route (top 100)",
            lambda: list(ServiceRequest.objects.filter(status=Status.NEW).order_by("received_at", "pk")[:100]),
        ),
        (
            "unit head: requests to assign (top 100)",
            lambda: list(
                ServiceRequest.objects.filter(unit_id=unit_id, status=Status.WITH_HEAD).order_by("control_due")[:100]
            ),
        ),
        (
            "executor: my requests in work",
            lambda: list(
                ServiceRequest.objects.filter(executor_id=executor_id, status=Status.IN_WORK).order_by("control_due")[
                    :100
                ]
            ),
        ),
        ("controller: count overdue", lambda: ServiceRequest.objects.overdue(now).count()),
        (
            "list: status=in_work, unit, page 1 of 50 + count",
            lambda: (
                filter_requests(ServiceRequest.objects.all(), {"status": "in_work", "unit": str(unit_id)}).count(),
                list(
                    order_requests(
                        filter_requests(ServiceRequest.objects.all(), {"status": "in_work", "unit": str(unit_id)}),
                        "due",
                    )[:50]
                ),
            ),
        ),
        (
            "list: received in the last 7 days, page 1",
            lambda: list(
                order_requests(
                    filter_requests(
                        ServiceRequest.objects.all(), {"received_from": (now - dt.timedelta(days=7)).date().isoformat()}
                    ),
                    "-received",
                )[:50]
            ),
        ),
        ("request by number", lambda: ServiceRequest.objects.filter(number="B-00000042").first()),
    ]
    for label, fn in cases:
        seconds, result = _timeit(fn)
        size = result if isinstance(result, int) else (len(result) if isinstance(result, list) else "")
        print(f"  {label:<52} {seconds * 1000:8.2f} ms   ({size})")


def main() -> int:
    bench_deadlines(int(os.environ.get("BENCH_DEADLINES", "200000")))
    n = int(os.environ.get("BENCH_REQUESTS", "200000"))
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        path = os.path.join(tempfile.gettempdir(), f"zayavky-bench-{n}.sqlite3")
        url = f"sqlite:///{path}"
    _setup_django(url)
    _fill(n)
    bench_queries()
    return 0


if __name__ == "__main__":
    sys.exit(main())
