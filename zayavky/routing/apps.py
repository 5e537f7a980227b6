from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "zayavky.routing"
    label = "routing"
