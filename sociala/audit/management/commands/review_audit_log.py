"""Flag accesses in the audit log for review (loggkontroll); run daily, or more often."""

from django.core.management.base import BaseCommand

from sociala.audit.review import run_log_review


class Command(BaseCommand):
    help = (
        "Read the audit log from where the last run stopped and flag accesses for review by the rules "
        "(emergency access, protected persons, outside caseload, many persons, same surname or address). "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, **options):
        result = run_log_review(batch_size=options["batch_size"])
        self.stdout.write(
            f"Log review: {result.events_read} events read, {result.flags_created} accesses flagged; "
            f"read to event #{result.last_seq}."
        )
