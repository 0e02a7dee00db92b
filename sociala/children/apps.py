from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "sociala.children"
    label = "children"
