from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zayavky.api"
    label = "api"
