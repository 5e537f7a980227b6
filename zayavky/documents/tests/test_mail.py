"""2.7: the unit e-mails the electronic version of the signed answer to the general department's mailbox.

Against a real SMTP server (aiosmtpd on 127.0.0.1): the mail is written to the outbox in the hand-over's
transaction, sent after the commit, and — when the server is down — kept and sent later by `zayavky
worker`, exactly once, whichever worker claims it.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import socket
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone, translation

from zayavky.cases import workflow
from zayavky.cases.models import Mail, ServiceRequest
from zayavky.catalog.models import Organisation
from zayavky.conftest import District
from zayavky.documents import outbox

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # aiosmtpd's name
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_port(settings: Any) -> int:
    """Django talks SMTP to 127.0.0.1 on a free port (nothing listens there until a server is started)."""
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.ZAYAVKY_MAIL_INLINE = True
    return port


@pytest.fixture
def start_smtp(smtp_port: int) -> Iterator[Callable[[], Inbox]]:
    controllers: list[Controller] = []

    def start() -> Inbox:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        controllers.append(controller)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def mailbox(district: District) -> str:
    Organisation.objects.filter(pk=Organisation.current().pk).update(general_mailbox="zagal@example.org")
    return "zagal@example.org"


def hand_over(d: District, request: ServiceRequest, capture: Any) -> Mail:
    with capture(execute=True):  # run what the commit would run: the first attempt to send
        workflow.hand_over(d.clerk, request.pk)
    return Mail.objects.get(request=request)


def test_it_mails_the_answer_to_the_general_mailbox(
    district: District,
    mailbox: str,
    advance: Callable[..., ServiceRequest],
    start_smtp: Callable[[], Inbox],
    django_capture_on_commit_callbacks: Any,
    caplog: Any,
) -> None:
    inbox = start_smtp()
    request = advance("signed")
    mail = hand_over(district, request, django_capture_on_commit_callbacks)

    assert (mail.state, mail.attempts, mail.last_error) == ("sent", 1, "")
    assert mail.sent_at is not None
    assert len(inbox.messages) == 1
    recipients, message = inbox.messages[0]
    assert recipients == [mailbox]
    assert message["To"] == mailbox
    assert request.number in message["Subject"]
    assert request.outgoing_number in message["Subject"]
    attachments = list(message.iter_attachments())
    # The electronic version of the answer itself (a .docx file starts as a ZIP archive).
    assert [a.get_content_type() for a in attachments] == [DOCX]
    assert attachments[0].get_content()[:2] == b"PK"
    assert attachments[0].get_filename().endswith(".docx")


def test_it_keeps_the_mail_while_the_server_is_down_and_the_worker_sends_it_once(
    district: District,
    mailbox: str,
    advance: Callable[..., ServiceRequest],
    start_smtp: Callable[[], Inbox],
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = advance("signed")
    mail = hand_over(district, request, django_capture_on_commit_callbacks)  # nothing listens on the port

    request.refresh_from_db()
    assert request.status == "handed_over"  # the hand-over itself is not undone by a mail server
    assert (mail.state, mail.attempts) == ("pending", 1)
    assert mail.last_error  # e.g. "ConnectionRefusedError: [Errno 111] Connection refused"
    assert mail.next_try_at > timezone.now()  # retried after a pause, not hammered

    inbox = start_smtp()
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert inbox.messages == []  # the pause has not passed yet
    Mail.objects.filter(pk=mail.pk).update(next_try_at=timezone.now())  # ... and now it has

    call_command("worker", "--once", stdout=out)
    call_command("worker", "--once", stdout=out)  # a second pass finds nothing left to send
    mail.refresh_from_db()
    assert (mail.state, mail.attempts, mail.last_error) == ("sent", 2, "")
    assert len(inbox.messages) == 1
    assert inbox.messages[0][0] == [mailbox]
    assert "надіслано: 1" in out.getvalue()


def test_it_lets_only_one_worker_claim_a_mail(
    district: District, mailbox: str, advance: Callable[..., ServiceRequest], settings: Any
) -> None:
    settings.ZAYAVKY_MAIL_INLINE = False  # leave it all to the workers
    request = advance("signed")
    workflow.hand_over(district.clerk, request.pk)
    mail = Mail.objects.get(request=request)
    assert mail.state == "pending"

    assert outbox.claim(mail.pk) is True
    assert outbox.claim(mail.pk) is False  # the second worker loses
    assert outbox.deliver(mail.pk) is False  # ... and so sends nothing
    assert outbox.due_mail_ids() == []
    # A worker that claimed it and died: after the stale-claim pause another one may take it over.
    Mail.objects.filter(pk=mail.pk).update(claimed_at=timezone.now() - outbox.STALE_CLAIM - dt.timedelta(seconds=1))
    assert outbox.due_mail_ids() == [mail.pk]
    assert outbox.claim(mail.pk) is True
    assert outbox.claim(mail.pk) is False


def test_it_writes_the_letter_in_ukrainian_whatever_the_clerks_language(
    district: District, mailbox: str, advance: Callable[..., ServiceRequest], settings: Any
) -> None:
    settings.ZAYAVKY_MAIL_INLINE = False
    request = advance("signed")
    with translation.override("en"):
        workflow.hand_over(district.clerk, request.pk)
    mail = Mail.objects.get(request=request)
    assert mail.subject == f"Відповідь на заявку {request.number}, вих. № {request.outgoing_number}"
    assert "п. 2.7" in mail.body


def test_it_retries_when_the_letter_cannot_be_made(
    district: District,
    mailbox: str,
    advance: Callable[..., ServiceRequest],
    start_smtp: Callable[[], Inbox],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A failure while making the letter is not a reason to send the notice without the answer."""

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("the letter template is broken")

    inbox = start_smtp()
    monkeypatch.setattr(outbox, "answer_docx", broken)
    request = advance("signed")
    mail = hand_over(district, request, django_capture_on_commit_callbacks)
    assert (mail.state, inbox.messages) == ("pending", [])
    assert "the letter template is broken" in mail.last_error
