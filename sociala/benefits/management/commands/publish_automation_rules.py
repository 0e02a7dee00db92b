"""Publish a new version of the automated-decision table (DMN 1.3) from a file, valid from a date."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from sociala.accounts.services import system_actor
from sociala.audit.services import record_event
from sociala.benefits.dmn_table import InvalidDecisionTable, check_table
from sociala.benefits.models import AutomationRuleSet


class Command(BaseCommand):
    help = "Add a DMN table version (never edits an old one); it is validated against the DMN 1.3 schema."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--table-version", required=True)
        parser.add_argument("--valid-from", required=True, help="YYYY-MM-DD, the first day of a month")
        parser.add_argument("--published-by", required=True, help="Who decided the table (name, role)")

    def handle(self, *args, **options):
        source = Path(options["file"]).read_text(encoding="utf-8")
        valid_from = parse_date(options["valid_from"])
        if valid_from is None or valid_from.day != 1:
            raise CommandError("--valid-from must be the first day of a month, YYYY-MM-DD")
        try:
            check_table(source)
        except InvalidDecisionTable as error:
            raise CommandError(f"not a usable decision table: {error}") from error
        if AutomationRuleSet.objects.filter(version=options["table_version"]).exists():
            raise CommandError("that version exists; a new table gets a new version")
        rule_set = AutomationRuleSet.objects.create(
            version=options["table_version"],
            valid_from=valid_from,
            source=source,
            published_by=options["published_by"],
        )
        record_event(
            actor=system_actor(),
            action="publish_automation_rules",
            object_type="automation_rule_set",
            object_id=rule_set.pk,
            details={"version": rule_set.version, "valid_from": valid_from.isoformat()},
        )
        self.stdout.write(f"Published version {rule_set.version} from {valid_from}.")
