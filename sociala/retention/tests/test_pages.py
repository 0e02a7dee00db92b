"""The retention pages × every demo role: allowed or 404, a denied request changes nothing; the flows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sociala.audit.models import AuditEvent
from sociala.cases.models import JournalEntry
from sociala.retention.models import (
    CullingAuthorization,
    CullingRun,
    EntryObjection,
    RegisterExtractRequest,
    RetentionSetting,
)

from .factories import full_case_file, old_case

USERS = [
    "handlaggare.ifo",
    "handlaggare.ao",
    "handlaggare.lss",
    "handlaggare.barn",
    "handlaggare.ifo.bromma",
    "chef.ifo",
    "utforare.hemtjanst",
    "socialjour",
    "admin.lokal",
    "revisor",
    "controller",
    "admin",
]
ADMINS = {"admin"}
# Caseworkers and managers of individual and family care in Rinkeby-Kista see the IFO case.
CASE_HANDLERS = {"handlaggare.ifo", "chef.ifo"}
# Who sees the Rinkeby-Kista person through their own scope (the case, or the district).
PERSON_HANDLERS = {"handlaggare.ifo", "handlaggare.ao", "handlaggare.lss", "handlaggare.barn", "chef.ifo"}


@pytest.fixture
def world(city, setting, authorization):
    built = full_case_file(city, day=date(2019, 3, 4), first_name="Gammal", last_name="Akt")
    entry = JournalEntry.objects.filter(case=built.cases[0], corrects__isnull=True).get()
    return {"built": built, "person": built.person, "case": built.cases[0], "entry": entry, "run": None}


def writes():
    """Everything a denied request could have changed."""
    return (
        CullingRun.objects.count(),
        CullingAuthorization.objects.count(),
        list(CullingAuthorization.objects.values_list("valid_to", flat=True)),
        list(RetentionSetting.objects.values_list("municipality_code", flat=True)),
        EntryObjection.objects.count(),
        RegisterExtractRequest.objects.count(),
        AuditEvent.objects.filter(
            action__in=[
                "save_retention_setting",
                "record_culling_authorization",
                "end_culling_authorization",
                "start_culling_run",
                "record_entry_objection",
                "produce_register_extract",
                "export_archive_package",
                "view_culling_report",
            ]
        ).count(),
    )


today = timezone.localdate

GETS = [
    ("retention:culling", lambda w: [], "", ADMINS),
    ("retention:settings", lambda w: [], "", ADMINS),
    ("retention:report", lambda w: [], f"?on={date(2026, 11, 25).isoformat()}", ADMINS),
    ("retention:report_csv", lambda w: [], f"?on={date(2026, 11, 25).isoformat()}", ADMINS),
    ("retention:objection_create", lambda w: [w["entry"].pk], "", CASE_HANDLERS),
    ("retention:register_extract", lambda w: [w["person"].pk], "", PERSON_HANDLERS),
    ("retention:archive_package", lambda w: [w["case"].pk], "", CASE_HANDLERS),
]


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("name", "args", "query", "allowed"), GETS, ids=[g[0] for g in GETS])
def test_get(client, city, world, username, name, args, query, allowed):
    client.force_login(city.users[username])
    before = writes()[:-1]
    response = client.get(reverse(name, args=args(world)) + query)
    expected = 200 if username in allowed else 404
    assert response.status_code == expected, (username, name, response.status_code)
    assert writes()[:-1] == before


def posts(world, city):
    return [
        (
            "retention:settings",
            [],
            {"municipality_code": "1480", "municipality_name": "Göteborg"},
            ADMINS,
            302,
        ),
        (
            "retention:authorization_create",
            [],
            {
                "committee": city.districts["Bromma"].pk,
                "decision_reference": "§ 9",
                "decided_on": "2025-10-01",
                "valid_from": "2025-10-01",
            },
            ADMINS,
            302,
        ),
        ("retention:run_start", [], {"confirm": "yes"}, ADMINS, 302),
        (
            "retention:objection_create",
            [world["entry"].pk],
            {"text": "Jag sa aldrig så.", "received_via": "phone", "received_on": today().isoformat()},
            CASE_HANDLERS,
            302,
        ),
        (
            "retention:register_extract",
            [world["person"].pk],
            {"received_on": today().isoformat(), "identity_check": "e_id"},
            PERSON_HANDLERS,
            200,
        ),
        ("retention:archive_package", [world["case"].pk], {}, CASE_HANDLERS, 200),
    ]


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(
    "index", range(6), ids=["settings", "authorization", "run_start", "objection", "extract", "archive"]
)
def test_post(client, city, world, username, index):
    name, args, data, allowed, status = posts(world, city)[index]
    client.force_login(city.users[username])
    before = writes()
    response = client.post(reverse(name, args=args), data)
    if username in allowed:
        assert response.status_code == status, (username, name, response.status_code)
    else:
        assert response.status_code == 404, (username, name, response.status_code)
        assert writes() == before


def test_ending_a_committee_decision_is_for_the_system_administrator(client, city, world, authorization):
    url = reverse("retention:authorization_end", args=[authorization.pk])
    client.force_login(city.users["chef.ifo"])
    assert client.post(url, {"valid_to": "2026-12-31"}).status_code == 404
    client.force_login(city.users["admin"])
    assert client.post(url, {"valid_to": "2026-12-31"}).status_code == 302
    authorization.refresh_from_db()
    assert authorization.valid_to == date(2026, 12, 31)


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(reverse("retention:culling"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# --- the flows -------------------------------------------------------------------------------


def test_the_overview_shows_the_setting_decisions_and_rules(client, city, world):
    client.force_login(city.users["admin"])
    response = client.get(reverse("retention:culling"))
    text = response.content.decode()
    assert "Sociala stad (0180)" in text
    assert "SN 2025-08-26 § 14" in text
    assert "16 kap. 2 a § socialtjänstlagen (2025:400), i lydelse enligt SFS 2025:1501" in text
    assert AuditEvent.objects.filter(action="view_culling_overview").count() == 1


def test_the_report_page_lists_the_due_file_without_personal_data(client, city, world):
    client.force_login(city.users["admin"])
    response = client.get(reverse("retention:report") + f"?on={today().isoformat()}")
    text = response.content.decode()
    assert f"<td>{world['person'].pk}</td>" in text
    assert world["case"].reference in text
    assert "Gammal" not in text and world["person"].personal_identity_number[:8] not in text
    assert "Gallra nu" in text


def test_a_report_for_another_day_cannot_be_run(client, city, world):
    client.force_login(city.users["admin"])
    response = client.get(reverse("retention:report") + "?on=2030-01-01")
    assert "Gallra nu" not in response.content.decode()


def test_an_invalid_report_date_shows_the_error(client, city, world):
    client.force_login(city.users["admin"])
    response = client.get(reverse("retention:report") + "?on=2025-06-30")
    assert response.status_code == 422
    assert (
        "Det finns inga gallringsregler för datumet. Välj 2025-07-01 eller senare."
        in response.content.decode()
    )


def test_the_report_in_a_research_municipality(client, city, world):
    client.force_login(city.users["admin"])
    client.post(reverse("retention:settings"), {"municipality_code": "0980", "municipality_name": "Gotland"})
    text = client.get(reverse("retention:report") + "?on=2030-01-01").content.decode()
    assert "Kommunen ingår i forskningens urval av kommuner: ingenting gallras (16 kap. 4 §" in text
    assert "Gallra nu" not in text


def test_the_csv_download(client, city, world):
    client.force_login(city.users["admin"])
    response = client.get(reverse("retention:report_csv") + "?on=2026-11-25")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="gallring-20261125.csv"'
    assert (
        response.content.decode()
        .splitlines()[1]
        .startswith(f"{world['person'].pk},Rinkeby-Kista stadsdelsnämnd,")
    )


def test_starting_a_run_from_the_page(client, city, world, settings, django_capture_on_commit_callbacks):
    settings.SOCIALA_RETENTION_JOB_RUNNER = "inline"
    client.force_login(city.users["admin"])
    refused = client.post(reverse("retention:run_start"))
    assert refused["Location"] == reverse("retention:report") + f"?on={today():%Y-%m-%d}"
    assert CullingRun.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("retention:run_start"), {"confirm": "yes"})
    run = CullingRun.objects.get()
    assert response["Location"] == reverse("retention:run_detail", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Gallringen är klar." in page
    assert "Gallras fem år efter sista anteckningen" in page
    progress = client.get(reverse("retention:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert progress["HX-Refresh"] == "true"


def test_the_settings_form_shows_errors(client, city, world):
    client.force_login(city.users["admin"])
    response = client.post(
        reverse("retention:settings"), {"municipality_code": "18", "municipality_name": "X"}
    )
    assert response.status_code == 422
    assert "Ange kommunkoden med fyra siffror, till exempel 0180." in response.content.decode()


def test_an_objection_is_noted_and_shown_with_the_entry(client, city, world):
    entry = world["entry"]
    client.force_login(city.users["handlaggare.ifo"])
    response = client.post(
        reverse("retention:objection_create", args=[entry.pk]),
        {"text": "Jag sa aldrig så.", "received_via": "phone", "received_on": today().isoformat()},
    )
    assert response["Location"] == reverse("web:case_detail", args=[world["case"].pk]) + f"#entry-{entry.pk}"
    objection = EntryObjection.objects.get(received_via="phone")
    assert (objection.entry_id, objection.text, objection.received_via, objection.recorded_by.username) == (
        entry.pk,
        "Jag sa aldrig så.",
        "phone",
        "handlaggare.ifo",
    )
    page = client.get(reverse("retention:objection_create", args=[entry.pk])).content.decode()
    assert "Jag sa aldrig så." in page
    assert "Den enskilde anser att uppgiften är felaktig" in page


def test_an_objection_to_a_draft_is_refused(client, city, world):
    draft = JournalEntry.objects.create(
        person=world["person"],
        case=world["case"],
        category="contact",
        text="Utkast",
        author=city.users["handlaggare.ifo"],
    )
    client.force_login(city.users["handlaggare.ifo"])
    response = client.get(reverse("retention:objection_create", args=[draft.pk]))
    assert response.status_code == 404


def test_the_register_extract_is_a_pdf(client, city, world):
    client.force_login(city.users["handlaggare.ifo"])
    response = client.post(
        reverse("retention:register_extract", args=[world["person"].pk]),
        {"received_on": (today() - timedelta(days=3)).isoformat(), "identity_check": "id_document"},
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    request = RegisterExtractRequest.objects.exclude(identity_check="e_id").get()
    assert response["Content-Disposition"] == (
        f'attachment; filename="registerutdrag-{request.produced_at:%Y%m%d}-{request.pk}.pdf"'
    )


def test_the_archive_page_refuses_an_open_case(client, city, world):
    open_one = old_case(city, world["person"], day=date(2019, 5, 2), closed=False)
    client.force_login(city.users["handlaggare.ifo"])
    page = client.get(reverse("retention:archive_package", args=[open_one.pk])).content.decode()
    assert "Bara avslutade ärenden kan arkiveras." in page
    response = client.post(reverse("retention:archive_package", args=[open_one.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="export_archive_package").exists()


def test_the_archive_download(client, city, world):
    client.force_login(city.users["chef.ifo"])
    response = client.post(reverse("retention:archive_package", args=[world["case"].pk]))
    assert response["Content-Type"] == "application/zip"
    assert (
        response["Content-Disposition"] == f'attachment; filename="arkivpaket-{world["case"].reference}.zip"'
    )
    assert response.content[:2] == b"PK"
