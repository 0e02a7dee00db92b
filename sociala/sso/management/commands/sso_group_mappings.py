"""List, load and end the mappings from identity-provider groups to roles.

    manage.py sso_group_mappings list
    manage.py sso_group_mappings load mappings.json --actor admin
    manage.py sso_group_mappings end 12 --last-day 2026-12-31 --actor admin

The JSON file is a list of rows: ``{"idp": "oidc", "group": "sociala-ifo-rinkeby", "role": "caseworker",
"unit": "Individ- och familjeomsorg Rinkeby-Kista"}``, with ``committee`` (code), ``provider``
(organisation number), ``service_areas``, ``valid_from`` and ``valid_to`` where they apply. A row that is
already in force unchanged is left as it is, so loading the same file twice adds nothing.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sociala.accounts.models import User
from sociala.core.errors import InvalidInput, NotPermitted
from sociala.organization.models import Committee, Provider, Unit
from sociala.sso.models import GroupMapping
from sociala.sso.services import add_group_mapping, end_group_mapping


def _one(model, label: str, value, **lookup):
    if value in (None, ""):
        return None
    rows = list(model.objects.filter(**lookup)[:2])
    if len(rows) != 1:
        raise CommandError(f"{label} {value!r}: {'not found' if not rows else 'more than one'}")
    return rows[0]


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


class Command(BaseCommand):
    help = "List, load or end the mappings from identity-provider groups to roles"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list")
        load = sub.add_parser("load")
        load.add_argument("file")
        load.add_argument("--actor", required=True, help="The system administrator's user name")
        end = sub.add_parser("end")
        end.add_argument("mapping_id", type=int)
        end.add_argument("--last-day", required=True)
        end.add_argument("--actor", required=True)

    def _actor(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['action']}")(options)
        except InvalidInput as error:
            raise CommandError(str(error)) from error
        except NotPermitted as error:
            raise CommandError("only a system administrator maps groups") from error

    def _list(self, options):
        for m in GroupMapping.objects.select_related("unit", "committee", "provider"):
            where = m.unit or m.committee or m.provider or "-"
            until = m.valid_to.isoformat() if m.valid_to else "…"
            self.stdout.write(
                f"{m.pk}\t{m.idp}\t{m.group}\t{m.role}\t{where}\t{m.valid_from.isoformat()}–{until}"
            )

    @transaction.atomic
    def _load(self, options):
        actor = self._actor(options["actor"])
        with open(options["file"], encoding="utf-8") as handle:
            rows = json.load(handle)
        if not isinstance(rows, list):
            raise CommandError("the file must hold a list of mappings")
        added = 0
        for row in rows:
            unit = _one(Unit, "unit", row.get("unit"), name=row.get("unit"))
            committee = _one(Committee, "committee", row.get("committee"), code=row.get("committee"))
            provider = _one(
                Provider, "provider", row.get("provider"), organization_number=row.get("provider")
            )
            same = GroupMapping.objects.filter(
                idp=row.get("idp", ""),
                group=row.get("group", ""),
                role=row.get("role", ""),
                unit=unit,
                committee=committee,
                provider=provider,
                valid_to__isnull=True,
            )
            if same.exists():
                continue
            add_group_mapping(
                actor=actor,
                idp=row.get("idp", ""),
                group=row.get("group", ""),
                role=row.get("role", ""),
                unit=unit,
                committee=committee,
                provider=provider,
                service_areas=row.get("service_areas") or [],
                valid_from=_date(row.get("valid_from")),
                valid_to=_date(row.get("valid_to")),
            )
            added += 1
        self.stdout.write(f"{added} mappings added, {len(rows) - added} already in force")

    def _end(self, options):
        mapping = GroupMapping.objects.filter(pk=options["mapping_id"]).first()
        if mapping is None:
            raise CommandError(f"no mapping {options['mapping_id']}")
        end_group_mapping(
            actor=self._actor(options["actor"]),
            mapping=mapping,
            last_day=date.fromisoformat(options["last_day"]),
        )
        self.stdout.write(f"mapping {mapping.pk} ends after {options['last_day']}")
