"""The demo district's requests: a few hundred in every state, with a true history (`zayavky demo`).

`zayavky demo` calls :func:`load_requests` after :func:`zayavky.demo.reference.load_reference`. The stories
are planned by :mod:`zayavky.demo.stories`; here every step is taken through the real procedure —
:mod:`zayavky.cases.workflow`'s functions, by the person the order names for each step (the general
department routes, 2.2; the unit clerk takes the card, 2.3; the head names the executor, 2.3, and submits,
2.6; the executor contacts the applicant, 2.10, 2.11, and drafts the answer with photos, 2.5; the signatory
under the distribution of duties signs, 2.4, 2.8; the clerk hands it over, 2.7; the general department
publishes it, 2.9) — never by writing a status. So the history, the dues, the answers and the files are
exactly what the system itself would have made.

The clock. The workflow takes the moment of each step from :mod:`zayavky.cases.clock`; each step here runs
inside ``clock.frozen_at(planned moment)``. Nothing else is moved: the process clock, the database's own
time, file times and the timing of the load itself stay real.

All steps of all requests run in one chronological order, so the outgoing numbers of signed answers and
the row ids follow the calendar as they would in real life. Everything happens in one transaction: a
failure leaves nothing behind (files already written to the storage excepted).

Mail. 2.7 e-mails the electronic version of each handed-over answer to the general department's mailbox.
During the load no mail is sent (``ZAYAVKY_MAIL_INLINE`` is off), and the rows of the outbox are then
marked sent at the moment of the hand-over: they are part of a made-up past, and a later `zayavky worker`
must not mail a hundred invented answers to the mailbox of the Organisation.

Deterministic: ``random.Random(seed)`` decides everything, relative to the moment of loading. Idempotent:
if any request numbered ``KC-DEMO-…`` exists, nothing is done. All names, phones, e-mails (reserved
``example.*`` domains, RFC 2606) and addresses are invented (``data/``).
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation

from zayavky import deadlines
from zayavky.accounts.models import User
from zayavky.cases import answers, clock, workflow
from zayavky.cases.errors import WorkflowError
from zayavky.cases.models import (
    Attachment,
    ContactAttempt,
    Event,
    Extension,
    Mail,
    ServiceRequest,
    Status,
    overdue_q,
)
from zayavky.catalog.models import Organisation, current_calendar
from zayavky.demo import pictures
from zayavky.demo.cast import Cast
from zayavky.demo.samples import Samples, samples
from zayavky.demo.stories import KYIV, Planner, Story

PREFIX = "KC-DEMO-"
MIN_COUNT = 20  # fewer could not show every state and every special case


class Writer(Protocol):
    def write(self, msg: str, /) -> object: ...


class Steps:
    """Each step of a story taken through the workflow, by the right person, at the clock's moment."""

    def __init__(self, seed: int, samples: Samples) -> None:
        self.run_rng = random.Random(seed + 2)
        self.samples = samples
        self.calendar = current_calendar()
        self.terms = Organisation.current().terms()
        self.cast = Cast()

    def do(self, s: Story, action: Callable[..., Any], user: User | None, **data: Any) -> None:
        assert s.request is not None and user is not None
        s.request = action(user, s.request.pk, **data)

    def receive(self, s: Story) -> None:
        s.request = workflow.receive(
            self.cast.integration,
            number=s.number,
            received_at=s.received_at,
            address=s.address,
            text=s.text,
            **s.applicant,
        )

    def contact(self, s: Story, executor: User, outcome: str) -> None:
        channel = ContactAttempt.Channel.PHONE if self.run_rng.random() < 0.9 else ContactAttempt.Channel.SMS
        note = self.run_rng.choice(self.samples.phrase(f"contact_{outcome}"))
        self.do(s, workflow.contact, executor, channel=channel, outcome=outcome, note=note)

    def attach(self, s: Story, executor: User, kind: str) -> None:
        assert s.request is not None
        local = clock.now().astimezone(KYIV)
        s.work_date = s.work_date or local.date()
        s.photos += 1
        caption = f"{s.number}  {local:%d.%m.%Y %H:%M}"
        if kind == Attachment.Kind.PHOTO:
            name, data = f"IMG_{local:%Y%m%d_%H%M%S}.jpg", pictures.photo(caption, self.run_rng)
        else:
            name, data = f"акт_обстеження_{s.number}.jpg", pictures.act_scan(caption, self.run_rng)
        s.request, _attachment = workflow.attach(executor, s.request.pk, upload=(name, data), kind=kind)

    def draft(self, s: Story, executor: User, round_: int) -> None:
        self.do(s, workflow.draft, executor, text=self.answer_text(s, round_), outcome=s.outcome)

    def submit_with_text(self, s: Story, head: User | None, round_: int, corrected: bool = False) -> None:
        self.do(s, workflow.submit, head, text=self.answer_text(s, round_, corrected=corrected), outcome=s.outcome)

    def extend(self, s: Story, head: User | None) -> None:
        """2.13: a concrete new due within the window — the next day after the regulation due, on the hour."""
        r = s.request
        assert r is not None and r.regulation_due is not None
        window = deadlines.extension_window(
            r.term_started_at or r.received_at, r.regulation_due, calendar=self.calendar, terms=self.terms
        )
        wanted = (r.regulation_due + dt.timedelta(days=1)).astimezone(KYIV).replace(minute=0, second=0, microsecond=0)
        new_due = min(wanted, window.latest_due)
        self.do(
            s,
            workflow.extend,
            head,
            new_due=new_due,
            justification=self.run_rng.choice(self.samples.phrase("extension")),
        )

    def signatory_now(self, s: Story) -> User | None:
        return self.cast.signatory(s.category.unit_id, clock.now().astimezone(KYIV).date())

    # --- the answer (2.5) --------------------------------------------------------------------------

    def answer_text(self, s: Story, round_: int, corrected: bool = False) -> str:
        r = s.request
        assert r is not None
        section = s.category.code[:2]
        work_day = s.work_date or clock.now().astimezone(KYIV).date()
        received = s.received_at.astimezone(KYIV)
        intro = (
            f"На Ваше звернення, що надійшло через Контакт-центр м. Кривого Рогу {received:%d.%m.%Y} "
            f"за № {s.number}, щодо питання «{s.category.name}» (адреса: {s.address}) повідомляємо"
        )
        if round_:
            # After a rework the letter says the request was looked at again.
            intro = "Повторно розглянувши " + intro.removeprefix("На ").replace(" повідомляємо", ", повідомляємо")
        if s.outcome == "executed":
            done = self.samples.done.get(s.category.code) or self.samples.done.get(section) or self.samples.done["08"]
            body = f"{intro}, що {done.format(date=f'{work_day:%d.%m.%Y}')}."
            if s.photos:
                body += " Фото виконаних робіт додаються."
        elif s.outcome == "explained":
            body = f"{intro} таке. {self.samples.explained.get(section) or self.samples.explained['08']}"
        elif s.outcome == "cannot_now":
            body = f"{intro} таке. {self.run_rng.choice(self.samples.phrase('cannot_now'))}"
            if s.photos:
                body += " Акт обстеження додається."
        else:
            body = f"{intro} таке. {self.run_rng.choice(self.samples.phrase('not_competent'))}"
        if corrected:
            body += " Роботи перебувають на постійному контролі відділу."
        if answers.contact_failed(r):
            body += " " + answers.unreachable_sentence(r)  # 2.11
        elif r.contacts.exists():
            body += " Про результати розгляду заявника повідомлено телефоном."
        return body

    # --- running ---------------------------------------------------------------------------------

    def run(self, stories: list[Story]) -> int:
        """Every step of every story, in the order of time, each at its moment."""
        queue = [(t, s.index, i, s, a) for s in stories for i, (t, a) in enumerate(zip(s.times, s.acts, strict=True))]
        heapq.heapify(queue)
        steps = 0
        while queue:
            at, _index, _i, s, a = heapq.heappop(queue)
            try:
                with clock.frozen_at(at):
                    a.run()
            except WorkflowError as exc:  # a plan the procedure refuses is a bug here: say which
                raise RuntimeError(f"{s.number}: «{a.name}» refused at {at:%Y-%m-%d %H:%M}: {exc}") from exc
            steps += 1
        return steps


def _say(stdout: Writer | None, msg: str) -> None:
    if stdout is not None:
        stdout.write(msg + "\n")


# --------------------------------------------------------------------------------------------------
# The entry point
# --------------------------------------------------------------------------------------------------


def load_requests(stdout: Writer | None = None, count: int = 300, seed: int = 2026) -> dict[str, int]:
    """Create ``count`` demo requests with a true history; nothing if demo requests exist already.

    Returns how many requests, history rows, contacts, files, extensions were made and how many requests
    are in each state (empty counts when nothing was done).
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < MIN_COUNT:
        raise ValueError(f"count must be a whole number of at least {MIN_COUNT}, got {count!r}")
    existing = ServiceRequest.objects.filter(number__startswith=PREFIX).count()
    if existing:
        _say(stdout, f"Демонстраційні заявки вже є ({existing}, номери {PREFIX}…): нових не додано.")
        return {"requests": 0, "existing": existing}
    loader_now = timezone.now()
    steps = Steps(seed, samples())
    planner = Planner(count, seed, loader_now, steps.samples, steps)
    if steps.cast.general is None or not planner.categories:
        _say(
            stdout,
            "Немає довідкових даних (загальний відділ, Класифікатор): демонстраційні заявки не завантажено.",
        )
        return {"requests": 0}

    started = time.perf_counter()
    stories = [planner.story(i, scenario) for i, scenario in enumerate(planner.scenarios())]
    for story in stories:
        planner.schedule(story)
    # Numbers follow the order of receipt, as the Contact Center's would.
    for n, story in enumerate(sorted(stories, key=lambda s: s.received_at), start=1):
        story.number = f"{PREFIX}{n:06d}"

    inline = getattr(settings, "ZAYAVKY_MAIL_INLINE", True)
    settings.ZAYAVKY_MAIL_INLINE = False  # nothing reaches an SMTP server while the past is written
    try:
        with translation.override("uk"), transaction.atomic():
            taken = steps.run(stories)
            # 2.7's e-mails of this made-up past count as sent at the hand-over, never to be sent for real.
            handed_over = ServiceRequest.objects.filter(pk=OuterRef("request_id")).values("handed_over_at")
            Mail.objects.filter(request__number__startswith=PREFIX, state=Mail.State.PENDING).update(
                state=Mail.State.SENT, sent_at=Subquery(handed_over), attempts=1
            )
    finally:
        settings.ZAYAVKY_MAIL_INLINE = inline
    seconds = time.perf_counter() - started

    demo = ServiceRequest.objects.filter(number__startswith=PREFIX)
    by_status = Counter(demo.values_list("status", flat=True))
    result: dict[str, int] = {
        "requests": demo.count(),
        "events": Event.objects.filter(request__in=demo).count(),
        "contacts": ContactAttempt.objects.filter(request__in=demo).count(),
        "attachments": Attachment.objects.filter(request__in=demo).count(),
        "extensions": Extension.objects.filter(request__in=demo).count(),
        "reworked": demo.filter(rework_count__gt=0).count(),
        "overdue": demo.filter(overdue_q(loader_now)).count(),
    }
    result |= {status: by_status.get(status, 0) for status in Status.values}
    with translation.override("uk"):
        labels = ", ".join(f"«{Status(s).label}» {by_status.get(s, 0)}" for s in Status.values)
    took = f"{seconds:.1f}".replace(".", ",")  # a decimal comma, as Ukrainian writes it
    _say(
        stdout,
        f"Демонстраційні заявки: {result['requests']} ({taken} кроків процедури за {took} с); за станами: {labels}.",
    )
    return result
