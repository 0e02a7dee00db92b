"""Link an existing account to its identity at a provider (before the person first signs in with it).

manage.py sso_link_identity handlaggare.ifo --idp oidc --subject 8f2c9d1e-... --actor admin
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sociala.accounts.models import User
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.sso.services import link_external_identity


class Command(BaseCommand):
    help = "Link an existing account to the user's subject (OIDC sub, SAML NameID) at an identity provider"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--idp", required=True)
        parser.add_argument("--subject", required=True)
        parser.add_argument("--actor", required=True, help="The system administrator's user name")

    def handle(self, *args, **options):
        users = {
            u.username: u for u in User.objects.filter(username__in=[options["username"], options["actor"]])
        }
        if options["username"] not in users or options["actor"] not in users:
            raise CommandError("no such user")
        try:
            link_external_identity(
                actor=users[options["actor"]],
                user=users[options["username"]],
                idp=options["idp"],
                subject=options["subject"],
            )
        except InvalidInput as error:
            raise CommandError(str(error)) from error
        except NotPermitted as error:
            raise CommandError("only a system administrator links accounts") from error
        self.stdout.write(f"{options['username']} signs in through {options['idp']} as {options['subject']}")
