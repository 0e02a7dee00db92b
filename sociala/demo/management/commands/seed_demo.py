"""manage.py seed_demo: load the demo city (deterministic from --seed)."""

from django.core.management.base import BaseCommand, CommandError

from sociala.demo.scale import seed_scale
from sociala.demo.seed import DEFAULT_PERSONS, DEFAULT_SEED, DEMO_LETTER_DISTRICTS, seed_city
from sociala.people.models import Person


class Command(BaseCommand):
    help = "Load the demo city: 14 districts, staff, residents and cases in every stage (synthetic data)."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS, help="Number of residents")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed; same seed, same city"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the person registry already has persons"
        )
        parser.add_argument(
            "--letters",
            choices=["demo", "all", "none"],
            default="demo",
            help="Decision letters as PDF: in the demo users' districts (default), everywhere, or none",
        )
        parser.add_argument(
            "--scale",
            action="store_true",
            help=(
                "City scale for benchmarks: the demo organisation and staff, then --persons persons with "
                "cases, journal, decisions, deadlines and audit events written in bulk (not through the services)"
            ),
        )

    def handle(self, *args, persons, seed, if_empty, letters, scale, **options):
        existing = Person.objects.count()
        if existing:
            if if_empty:
                self.stdout.write(f"Demostaden finns redan ({existing} personer); inget att göra.")
                return
            raise CommandError(
                "Databasen innehåller redan personer. Använd --if-empty, eller en tom databas för en ny demostad."
            )
        if persons < 1:
            raise CommandError("--persons måste vara minst 1.")
        if scale:
            summary = seed_scale(persons=persons, seed=seed, progress=self.stdout.write)
            self.stdout.write(summary.line())
            return
        letter_districts = {"demo": DEMO_LETTER_DISTRICTS, "all": None, "none": frozenset()}[letters]
        summary = seed_city(persons=persons, seed=seed, letter_districts=letter_districts)
        self.stdout.write(summary.line())
