from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sociala.documents"
    label = "documents"
