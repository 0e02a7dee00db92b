"""``manage.py culling_report [--on YYYY-MM-DD]``: the dry run as CSV on standard output (no names)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sociala.retention.rules import NoRuleInForce
from sociala.retention.selectors import culling_report, report_csv, retention_setting


class Command(BaseCommand):
    help = "Print what culling would remove on a day (default today), one case file per line, as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--on", dest="on_date", type=date.fromisoformat, default=None)

    def handle(self, *args, on_date=None, **options):
        if retention_setting() is None:
            raise CommandError("set the municipality first (the retention settings page)")
        try:
            report = culling_report(on_date or timezone.localdate())
        except NoRuleInForce as error:
            raise CommandError(str(error)) from error
        self.stdout.write(report_csv(report), ending="")
