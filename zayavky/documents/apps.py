from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zayavky.documents"
    label = "documents"

    def ready(self) -> None:
        from zayavky.cases import jobs
        from zayavky.cases.signals import mail_queued
        from zayavky.documents import outbox

        mail_queued.connect(outbox.deliver_after_commit, dispatch_uid="documents.outbox")
        jobs.register("mail", outbox.job)
