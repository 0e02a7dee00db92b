"""Verify the audit log's hash chain; exit non-zero naming the first bad event."""

import sys

from django.core.management.base import BaseCommand

from sociala.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain. Exits 0 when intact, 1 naming the first bad event."

    def handle(self, *args, **options):
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"Audit chain intact: {result.checked} events verified.")
            return
        self.stderr.write(
            f"Audit chain broken at event #{result.first_bad_seq}: {result.problem} "
            f"({result.checked} events verified before it)."
        )
        sys.exit(1)
