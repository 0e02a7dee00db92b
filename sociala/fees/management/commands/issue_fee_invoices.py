"""Issue the month's client invoices; run monthly by the scheduler (cron or systemd timer)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sociala.accounts.services import system_actor
from sociala.fees.services import issue_invoices


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CommandError("Give the month as YYYY-MM.") from None


class Command(BaseCommand):
    help = "Invoice every client whose fee decision for the month has a fee (default: last month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; default the month before this one")

    def handle(self, *args, **options):
        if options["month"]:
            month = _month(options["month"])
        else:
            month = (timezone.localdate().replace(day=1) - date.resolution).replace(day=1)
        invoices = issue_invoices(actor=system_actor(), month=month)
        self.stdout.write(f"{len(invoices)} invoices issued for {month:%Y-%m}.")
