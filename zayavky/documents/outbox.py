"""Sending the e-mails the procedure asks for (2.7), from the durable outbox (:class:`Mail`).

The workflow writes the outbox's rows in the transaction of the action that causes them; this module, a
floor above it, builds what they carry (the answer letter) and sends them. A row is claimed with a
conditional ``UPDATE … WHERE state = 'pending'`` so several workers on several machines never send the
same mail twice; a failed attempt is retried with a growing pause. The first attempt is made right after
the action's commit (:data:`zayavky.cases.signals.mail_queued`) unless ``ZAYAVKY_MAIL_INLINE=0``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone

from zayavky.cases.models import Mail
from zayavky.documents.letter import answer_docx, answer_filename

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
STALE_CLAIM = dt.timedelta(minutes=10)


def deliver_after_commit(sender: object = None, *, mail_ids: list[int], **kwargs: object) -> None:
    """Try at once after the commit; whatever fails stays pending for `zayavky worker`.

    The receiver of :data:`zayavky.cases.signals.mail_queued` (connected in ``DocumentsConfig.ready``)."""
    if not getattr(settings, "ZAYAVKY_MAIL_INLINE", True):
        return
    for pk in mail_ids:
        try:
            deliver(pk)
        except Exception:  # the row keeps the error; the worker retries it
            log.exception("mail %s: first attempt failed", pk)


def _due(now: dt.datetime) -> Q:
    """Pending and due, or claimed by a worker that died more than :data:`STALE_CLAIM` ago."""
    return Q(state=Mail.State.PENDING, next_try_at__lte=now) | Q(
        state=Mail.State.SENDING, claimed_at__lt=now - STALE_CLAIM
    )


def claim(pk: int) -> bool:
    """Take the mail for this process: a conditional UPDATE, so of two workers exactly one wins."""
    now = timezone.now()
    return bool(Mail.objects.filter(pk=pk).filter(_due(now)).update(state=Mail.State.SENDING, claimed_at=now))


def deliver(pk: int) -> bool:
    """Send one mail if this process wins the claim. True when it was sent."""
    if not claim(pk):
        return False
    mail = Mail.objects.select_related("request").get(pk=pk)
    try:
        message = EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to])
        if mail.attach_answer and mail.request is not None:
            _attach_answer(message, mail)
        message.send(fail_silently=False)
    except Exception as exc:
        attempts = mail.attempts + 1
        state = Mail.State.FAILED if attempts >= MAX_ATTEMPTS else Mail.State.PENDING
        Mail.objects.filter(pk=pk).update(
            state=state,
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_try_at=timezone.now() + dt.timedelta(minutes=2**attempts),
        )
        raise
    Mail.objects.filter(pk=pk).update(
        state=Mail.State.SENT, sent_at=timezone.now(), attempts=mail.attempts + 1, last_error=""
    )
    return True


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attach_answer(message: EmailMessage, mail: Mail) -> None:
    """2.7: the electronic version of the signed answer goes with the letter, as the .docx letter. An error
    while making the letter fails the attempt, so the worker tries again rather than sending an answer-less
    mail for good."""
    assert mail.request is not None
    message.attach(answer_filename(mail.request, "docx"), answer_docx(mail.request), DOCX)


def due_mail_ids(limit: int = 50) -> list[int]:
    now = timezone.now()
    return list(Mail.objects.filter(_due(now)).order_by("next_try_at").values_list("pk", flat=True)[:limit])


def deliver_due(limit: int = 50) -> tuple[int, int]:
    """One pass over the outbox: (sent, failed)."""
    sent = failed = 0
    for pk in due_mail_ids(limit):
        try:
            if deliver(pk):
                sent += 1
        except Exception:
            failed += 1
            log.warning("mail %s: attempt failed, will retry", pk, exc_info=True)
    return sent, failed


def job() -> str:
    """The worker's job (:mod:`zayavky.cases.jobs`): one pass over the outbox."""
    sent, failed = deliver_due()
    return f"надіслано: {sent}, помилок: {failed}" if sent or failed else ""
