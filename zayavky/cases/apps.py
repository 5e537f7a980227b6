from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zayavky.cases"
    label = "cases"
    verbose_name = _("Requests")

    def ready(self) -> None:
        from zayavky import sqlite
        from zayavky.cases import (
            anonymise,
            appendonly,  # noqa: F401 - defines the SQLite function its triggers ask
            jobs,
        )

        sqlite.install()
        jobs.register("retention", anonymise.job)  # personal data past its period (Law on Personal Data)
