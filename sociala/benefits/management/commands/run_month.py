"""``manage.py run_month --month 2026-03``: the month's run for every income-support household."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sociala.accounts.models import User
from sociala.accounts.services import system_actor
from sociala.benefits.monthly import run_month
from sociala.benefits.norms import parse_month
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Committee


class Command(BaseCommand):
    help = (
        "Recalculate and check every budget of a month (one district or all); with --payment-date, also "
        "pay the approved decisions (bank file and accounting file). Paying needs --actor, the unit "
        "manager who attests the payments."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--district", help="the district committee's code (default: every district)")
        parser.add_argument("--payment-date", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--actor", help="username (default: the system actor, which cannot pay)")

    def handle(self, *args, **options):
        try:
            month = parse_month(options["month"])
        except InvalidInput:
            raise CommandError("Give the month as YYYY-MM.") from None
        district = None
        if options["district"]:
            district = Committee.objects.filter(code=options["district"]).first()
            if district is None:
                raise CommandError(f"No district with the code {options['district']}.")
        actor = system_actor()
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {options['actor']}.")
        try:
            done = run_month(
                actor=actor, month=month, district=district, payment_date=options["payment_date"]
            )
        except NotPermitted:
            raise CommandError(f"{actor.username} may not run the month or pay.") from None
        except InvalidInput as error:
            raise CommandError("; ".join(f"{k}: {v}" for k, v in error.errors.items())) from None
        self.stdout.write(
            f"{month:%Y-%m}: {done.recalculation.budgets} budgets, {len(done.recalculation.changed)} recalculated "
            f"with new figures, {len(done.recalculation.refused)} refused by the rules; "
            f"{sum(done.checks.flags.values())} flags."
        )
        if done.payment_run is not None:
            run = done.payment_run
            self.stdout.write(
                f"payment run {run.pk} {run.payment_date}: {run.status}, {run.payment_count} payments, "
                f"{run.total_amount} SEK"
            )
