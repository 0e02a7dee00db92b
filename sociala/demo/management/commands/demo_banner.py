"""manage.py demo_banner: the address and the demo logins, shown by ``make run`` before serving."""

from django.core.management.base import BaseCommand
from django.utils import translation

from sociala.accounts.choices import Role
from sociala.core.choices import ServiceArea
from sociala.demo.organization import CHILDREN_UNIT, DEMO_PASSWORD, DEMO_USERS, UNIT_NAMES


def where(district: str | None, unit_key: str | None, role: str) -> str:
    """The district and unit a demo user works in, in words."""
    if role == Role.PROVIDER_STAFF:
        return "Stadens hemtjänst Järva (utförare)"
    if not district:
        return "Hela staden"
    if not unit_key:
        return f"{district}, hela stadsdelen"
    unit = CHILDREN_UNIT if unit_key == "children" else UNIT_NAMES[ServiceArea(unit_key)]
    if role == Role.UNIT_MANAGER and unit_key == ServiceArea.INDIVIDUAL_FAMILY:
        unit = f"{unit} samt {CHILDREN_UNIT}"  # the IFO manager leads both units (see build_city)
    return f"{district}, {unit.lower()}"


def banner_lines(port: int) -> list[str]:
    """The banner as lines of text."""
    with translation.override("sv"):
        rows = [("Användarnamn", "Roll", "Befattning", "Stadsdel och enhet")]
        rows += [
            (username, str(Role(role).label), title, where(district, unit_key, role))
            for username, _first, _last, title, role, district, unit_key in DEMO_USERS
        ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    table = [
        "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)) for row in rows
    ]
    rule = "-" * max(len(line) for line in table)
    return [
        "",
        f"Sociala (demoläge) körs på http://127.0.0.1:{port}/",
        f"Lösenord för alla demoinloggningar: {DEMO_PASSWORD}",
        "",
        table[0],
        rule,
        *table[1:],
        rule,
        "Varje stadsdel har fler handläggare: handlaggare.<ifo|barn|ao|lss>.<stadsdel>, "
        "t.ex. handlaggare.ao.sodermalm (samma lösenord).",
        "All data är påhittad; personnumren är Skatteverkets testpersonnummer.",
        "",
    ]


class Command(BaseCommand):
    help = "Print the demo city's address and the demo logins with their roles and districts."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        self.stdout.write("\n".join(banner_lines(port)))
