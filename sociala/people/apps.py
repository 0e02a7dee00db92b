from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "sociala.people"
    label = "people"
