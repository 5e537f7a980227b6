from django.apps import AppConfig


class ContactcenterConfig(AppConfig):
    name = "zayavky.contactcenter"
    label = "contactcenter"
