"""Decide the month's standard income-support cases automatically in the districts that switched it on."""

from django.core.management.base import BaseCommand, CommandError

from sociala.accounts.services import system_actor
from sociala.benefits.automation import run_automated_decisions
from sociala.benefits.norms import parse_month
from sociala.core.errors import InvalidInput


class Command(BaseCommand):
    help = (
        "Evaluate the DMN table on the month's budgets ready for decision in switched-on districts; grant "
        "the standard ones, leave the rest to caseworkers with the reason. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")

    def handle(self, *args, **options):
        try:
            month = parse_month(options["month"])
        except InvalidInput as error:
            raise CommandError("month must be YYYY-MM") from error
        result = run_automated_decisions(actor=system_actor(), month=month)
        self.stdout.write(
            f"{options['month']}: {len(result.decided)} decided automatically, {len(result.left)} left to "
            f"caseworkers, {len(result.sampled)} picked for review."
        )
