from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zayavky.cases"
    label = "cases"
