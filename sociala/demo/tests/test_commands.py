"""manage.py seed_demo and demo_banner."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sociala.audit.models import AuditEvent
from sociala.cases.models import Case
from sociala.demo.organization import DEMO_PASSWORD, DEMO_USERS
from sociala.people.models import Person

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_seed_demo_reports_its_counts_and_if_empty_leaves_a_seeded_city_alone():
    output = run("seed_demo", "--persons", "120", "--letters", "none")
    assert "Demostaden klar" in output and "120 personer" in output
    counts = (Person.objects.count(), Case.objects.count(), AuditEvent.objects.count())

    output = run("seed_demo", "--if-empty")
    assert output.strip() == "Demostaden finns redan (120 personer); inget att göra."
    with pytest.raises(CommandError):
        run("seed_demo", "--persons", "120")
    assert (Person.objects.count(), Case.objects.count(), AuditEvent.objects.count()) == counts


def test_demo_banner_lists_the_logins_with_roles_in_swedish():
    output = run("demo_banner", "--port", "8123")
    assert "http://127.0.0.1:8123/" in output
    assert DEMO_PASSWORD in output
    for username, *_rest in DEMO_USERS:
        assert username in output
    line = next(line for line in output.splitlines() if line.startswith("handlaggare.ifo "))
    assert "Handläggare" in line and "Rinkeby-Kista" in line
    assert "Systemadministratör" in output and "Utförarpersonal" in output
