"""End access that no manager has confirmed within the recertification period; run daily."""

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date

from sociala.accounts.services import system_actor
from sociala.accounts.services.administration import expire_unrecertified, recertification_period_days


class Command(BaseCommand):
    help = "End every assignment not recertified within the period in force (RecertificationRule); audited."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="Run as of this date (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        on = parse_date(options["on"]) if options.get("on") else None
        expired = expire_unrecertified(actor=system_actor(), on=on)
        period = recertification_period_days(on)
        self.stdout.write(f"Recertification ({period} days): {len(expired)} assignments expired.")
        for assignment in expired:
            self.stdout.write(
                f"  {assignment.user.username}: {assignment.get_role_display()} (#{assignment.pk})"
            )
