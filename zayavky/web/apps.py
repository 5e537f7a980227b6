from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zayavky.web"
    label = "web"
