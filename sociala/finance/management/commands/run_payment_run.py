"""``manage.py run_payment_run <id>``: the payment-run job (started by the UI, or by an operator)."""

from django.core.management.base import BaseCommand, CommandError

from sociala.finance.services import execute_payment_run


class Command(BaseCommand):
    help = (
        "Execute a created payment run: pay its decisions, write and validate the bank and accounting files."
    )

    def add_arguments(self, parser):
        parser.add_argument("run_id", type=int)

    def handle(self, *args, run_id, **options):
        try:
            run = execute_payment_run(run_id)
        except Exception as error:
            raise CommandError(f"payment run {run_id} failed: {type(error).__name__}") from error
        self.stdout.write(
            f"payment run {run.pk} {run.payment_date}: {run.status}, {run.payment_count} payments, "
            f"{run.total_amount} SEK"
        )
