from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_fee_rules(sender, **kwargs):
    from .models import FeeFormula, MinimumAmountRaise, PriceBaseAmount
    from .rules_data import load_initial_fee_rules

    # After a flush (test databases) the migration's rows are gone; put back only what is missing.
    if not PriceBaseAmount.objects.exists():
        load_initial_fee_rules(PriceBaseAmount, FeeFormula, MinimumAmountRaise)
    from .models import PriceListEntry
    from .rules_data import load_price_list

    if not PriceListEntry.objects.exists():
        load_price_list(PriceListEntry)


class FeesConfig(AppConfig):
    name = "sociala.fees"
    label = "fees"

    def ready(self):
        post_migrate.connect(_ensure_fee_rules, sender=self)
