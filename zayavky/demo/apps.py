from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo district (`zayavky demo`): the top floor, imported by nothing in the product."""

    name = "zayavky.demo"
    label = "demo"
    verbose_name = _("Demo district")
