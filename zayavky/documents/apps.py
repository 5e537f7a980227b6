from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "zayavky.documents"
    label = "documents"
