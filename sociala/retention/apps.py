from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_culling_rules(sender, **kwargs):
    from .models import CullingRule
    from .rules_data import load_initial_culling_rules

    # After a flush (test databases) the migration's rows are gone; put back only what is missing.
    if not CullingRule.objects.exists():
        load_initial_culling_rules(CullingRule)


class RetentionConfig(AppConfig):
    name = "sociala.retention"
    label = "retention"

    def ready(self):
        post_migrate.connect(_ensure_culling_rules, sender=self)
