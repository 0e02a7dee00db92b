from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_areas(sender, **kwargs):
    from .models import BbicArea
    from .rules_data import load_bbic_areas

    # After a flush (test databases) the migration's rows are gone; put back only what is missing.
    if not BbicArea.objects.exists():
        load_bbic_areas(BbicArea)


class ChildrenConfig(AppConfig):
    name = "sociala.children"
    label = "children"

    def ready(self):
        post_migrate.connect(_ensure_areas, sender=self)
