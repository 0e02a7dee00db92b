"""``manage.py run_culling <id>``: the culling job (started by the UI, or by an operator)."""

from django.core.management.base import BaseCommand, CommandError

from sociala.retention.services.culling import execute_culling_run


class Command(BaseCommand):
    help = "Execute a created culling run: cull every due case file covered by a committee decision."

    def add_arguments(self, parser):
        parser.add_argument("run_id", type=int)

    def handle(self, *args, run_id, **options):
        try:
            run = execute_culling_run(run_id)
        except Exception as error:
            raise CommandError(f"culling run {run_id} failed: {type(error).__name__}") from error
        self.stdout.write(
            f"culling run {run.pk} {run.on_date}: {run.status}, {run.culled_count} case files culled, "
            f"{run.failed_count} left whole after an error, {run.unauthorized_count} without a committee decision"
        )
