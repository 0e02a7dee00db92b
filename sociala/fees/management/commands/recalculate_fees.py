"""New fee decisions from 1 January after the year's price base amount is entered (SoL 32:10)."""

from django.core.management.base import BaseCommand, CommandError

from sociala.accounts.services import system_actor
from sociala.fees.rules import RulesMissing
from sociala.fees.services import recalculate_for_year


class Command(BaseCommand):
    help = "Recalculate every running fee with the rules of a new year, from 1 January."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, **options):
        try:
            made = recalculate_for_year(actor=system_actor(), year=options["year"])
        except RulesMissing:
            raise CommandError(f"Enter the price base amount for {options['year']} first.") from None
        self.stdout.write(f"{len(made)} fee decisions made from {options['year']}-01-01.")
