"""What the cases app announces to the floors above it, which it must not import (docs/design.md 4).

``mail_queued`` is sent after the commit of an action that wrote rows to the outbox (:class:`Mail`), with
``mail_ids``: the app that builds and sends the mail (``zayavky.documents``) may try them at once. Whether
or not anyone listens, the rows stay pending until a worker sends them: nothing is lost.
"""

from django.dispatch import Signal

mail_queued = Signal()
