"""The administrator's page of the choice scheme (LOV): approve a provider, end an approval; audited."""

from __future__ import annotations

from datetime import date

import pytest

from sociala.audit.models import AuditEvent
from sociala.care.models import ProviderApproval

pytestmark = pytest.mark.django_db


def test_the_administrator_approves_and_ends_an_approval(client, care_city):
    client.force_login(care_city.users["admin"])
    page = client.get("/care/approvals/").content.decode()
    assert "Stadens hemtjänst Järva" in page
    provider = care_city.providers["hemtjanst_privat"]
    before = ProviderApproval.objects.count()
    response = client.post(
        "/care/approvals/",
        {"provider": provider.pk, "intervention_kind": "day_activity", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302
    approval = ProviderApproval.objects.get(provider=provider, intervention_kind="day_activity")
    assert (approval.valid_from, approval.valid_to, approval.is_default) == (date(2026, 1, 1), None, False)
    assert ProviderApproval.objects.count() == before + 1
    bad = client.post(f"/care/approvals/{approval.pk}/end/", {"valid_to": "2025-12-31"})
    assert bad.status_code == 302
    approval.refresh_from_db()
    assert approval.valid_to is None
    client.post(f"/care/approvals/{approval.pk}/end/", {"valid_to": "2026-06-30"})
    approval.refresh_from_db()
    assert approval.valid_to == date(2026, 6, 30)
    actions = set(AuditEvent.objects.filter(object_id=approval.pk).values_list("action", flat=True))
    assert actions == {"approve_provider", "end_provider_approval"}


def test_an_unknown_kind_or_wrong_area_gets_a_message_and_changes_nothing(client, care_city):
    client.force_login(care_city.users["admin"])
    before = ProviderApproval.objects.count()
    provider = care_city.providers["hemtjanst_privat"]
    response = client.post(
        "/care/approvals/",
        {"provider": provider.pk, "intervention_kind": "lss_daily_activity", "valid_from": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "Utföraren utför inte insatser inom det här verksamhetsområdet." in response.content.decode()
    assert ProviderApproval.objects.count() == before


@pytest.mark.parametrize("username", ["handlaggare.ao", "chef.ifo", "utforare.hemtjanst", "admin.lokal"])
def test_other_roles_get_404_and_change_nothing(client, care_city, username):
    client.force_login(care_city.users[username])
    approval = ProviderApproval.objects.first()
    assert client.get("/care/approvals/").status_code == 404
    assert client.post(f"/care/approvals/{approval.pk}/end/", {"valid_to": "2026-06-30"}).status_code == 404
    approval.refresh_from_db()
    assert approval.valid_to is None
