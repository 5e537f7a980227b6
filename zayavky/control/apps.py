from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "zayavky.control"
    label = "control"
