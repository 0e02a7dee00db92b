"""Escalate overdue deadlines to the unit manager; run daily by the scheduler (cron or systemd timer)."""

from django.core.management.base import BaseCommand

from sociala.accounts.services import system_actor
from sociala.cases.services import escalate_overdue_deadlines


class Command(BaseCommand):
    help = "Give every overdue, not yet escalated deadline to the manager of the case's unit."

    def handle(self, *args, **options):
        count = escalate_overdue_deadlines(actor=system_actor())
        self.stdout.write(f"{count} deadlines escalated.")
