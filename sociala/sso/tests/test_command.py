"""Loading group mappings from a file."""

import json

import pytest
from django.core.management import CommandError, call_command

from sociala.sso.models import GroupMapping

pytestmark = pytest.mark.django_db


def test_load_list_and_end(city, tmp_path, capsys):
    rows = [
        {
            "idp": "oidc",
            "group": "sociala-ifo-rinkeby",
            "role": "caseworker",
            "unit": "Individ- och familjeomsorg Rinkeby-Kista",
        },
        {
            "idp": "oidc",
            "group": "sociala-admin-bromma",
            "role": "local_administrator",
            "committee": "bromma",
        },
        {
            "idp": "saml",
            "group": "hemtjanst",
            "role": "provider_staff",
            "provider": "212000-0142",
            "service_areas": ["elderly"],
        },
    ]
    path = tmp_path / "mappings.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    call_command("sso_group_mappings", "load", str(path), "--actor", "admin")
    call_command("sso_group_mappings", "load", str(path), "--actor", "admin")
    out = capsys.readouterr().out
    assert "3 mappings added, 0 already in force" in out and "0 mappings added, 3 already in force" in out
    assert sorted(GroupMapping.objects.values_list("group", "role")) == [
        ("hemtjanst", "provider_staff"),
        ("sociala-admin-bromma", "local_administrator"),
        ("sociala-ifo-rinkeby", "caseworker"),
    ]
    mapping = GroupMapping.objects.get(group="hemtjanst")
    call_command("sso_group_mappings", "end", str(mapping.pk), "--last-day", "2026-12-31", "--actor", "admin")
    call_command("sso_group_mappings", "list")
    out = capsys.readouterr().out
    assert f"{mapping.pk}\tsaml\themtjanst\tprovider_staff\tStadens hemtjänst Järva\t" in out
    assert "–2026-12-31" in out


def test_load_refuses_unknown_units_and_other_actors(city, tmp_path):
    path = tmp_path / "m.json"
    path.write_text(
        json.dumps([{"idp": "oidc", "group": "g", "role": "caseworker", "unit": "Nowhere"}]), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="unit 'Nowhere': not found"):
        call_command("sso_group_mappings", "load", str(path), "--actor", "admin")
    path.write_text(json.dumps([{"idp": "oidc", "group": "g", "role": "controller"}]), encoding="utf-8")
    with pytest.raises(CommandError, match="only a system administrator"):
        call_command("sso_group_mappings", "load", str(path), "--actor", "chef.ifo")
    assert not GroupMapping.objects.exists()


def test_an_existing_account_is_linked_and_keeps_its_access(city, mappings, capsys):
    from sociala.accounts.models import Assignment
    from sociala.audit.models import AuditEvent
    from sociala.sso.services import ExternalClaims, sign_in_from_idp

    chef = city.users["chef.ifo"]
    local = sorted(Assignment.objects.filter(user=chef).values_list("pk", flat=True))
    call_command("sso_link_identity", "chef.ifo", "--idp", "oidc", "--subject", "leila-k", "--actor", "admin")
    assert "chef.ifo signs in through oidc as leila-k" in capsys.readouterr().out
    result = sign_in_from_idp(
        claims=ExternalClaims(idp="oidc", subject="leila-k", groups=("sociala-chef-ao-bromma",))
    )
    assert result.user.pk == chef.pk and result.created is False
    assert (
        sorted(Assignment.objects.filter(user=chef, provisioned__isnull=True).values_list("pk", flat=True))
        == local
    )
    assert Assignment.objects.filter(user=chef, provisioned__isnull=False).count() == 1
    assert AuditEvent.objects.get(action="sso_link_identity").details["subject"] == "leila-k"
    with pytest.raises(CommandError, match="redan kopplat"):
        call_command(
            "sso_link_identity",
            "handlaggare.ifo",
            "--idp",
            "oidc",
            "--subject",
            "leila-k",
            "--actor",
            "admin",
        )
    with pytest.raises(CommandError, match="only a system administrator"):
        call_command(
            "sso_link_identity",
            "handlaggare.ifo",
            "--idp",
            "oidc",
            "--subject",
            "x",
            "--actor",
            "admin.lokal",
        )
