from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


def _ensure_rules(sender, **kwargs):
    from .models import (
        JobStimulus,
        NationalNorm,
        NationalNormChildCost,
        NationalNormCommonCost,
        PriceBaseAmount,
    )
    from .rules_data import load_initial_rules

    # After a flush (test databases) the migration's rows are gone; put back only what is missing.
    if not NationalNorm.objects.exists():
        load_initial_rules(
            NationalNorm, NationalNormChildCost, NationalNormCommonCost, PriceBaseAmount, JobStimulus
        )


def _forget_tables(sender, **kwargs):
    from .norms import clear_norm_tables

    # A changed rule row must not be served from this process's cache of loaded tables.
    clear_norm_tables()


class BenefitsConfig(AppConfig):
    name = "sociala.benefits"
    label = "benefits"

    def ready(self):
        from . import models

        post_migrate.connect(_ensure_rules, sender=self)
        for model in (
            models.NationalNorm,
            models.NationalNormChildCost,
            models.NationalNormCommonCost,
            models.PriceBaseAmount,
            models.JobStimulus,
        ):
            post_save.connect(_forget_tables, sender=model, dispatch_uid=f"benefits_forget_{model.__name__}")
            post_delete.connect(
                _forget_tables, sender=model, dispatch_uid=f"benefits_forget_del_{model.__name__}"
            )
