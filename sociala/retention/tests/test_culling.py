"""Culling for real: the dry run, the run that deletes, the files, the counts, the audit, the rollback."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from sociala.audit.models import AuditEvent
from sociala.audit.services import verify_chain
from sociala.cases.models import Case, JournalEntry
from sociala.documents.models import Document
from sociala.finance.models import PaymentRun
from sociala.people.models import Person
from sociala.retention import graph, selectors
from sociala.retention.choices import CullingRunStatus
from sociala.retention.models import CullingCount, CullingRun
from sociala.retention.services import culling
from sociala.retention.services.culling import (
    CullingFailed,
    cull_case_file,
    execute_culling_run,
    start_culling_run,
)

from .factories import child_case_file, full_case_file, old_case

OLD = date(2019, 3, 4)
SAMPLE_NUMBER = "199002052380"  # born on the 5th: the research sample
ADULT_NUMBER = "197909189230"


def model_rows(built) -> dict[str, int]:
    """How many of the built rows are still in the database, per model."""
    from django.apps import apps

    return {
        label: apps.get_model(label).objects.filter(pk__in=pks).count()
        for label, pks in sorted(built.rows.items())
    }


def on_disk(name: str) -> bool:
    return (Path(settings.MEDIA_ROOT) / name).exists()


@pytest.fixture
def world(city, setting, authorization):
    old = full_case_file(city, number=ADULT_NUMBER, day=OLD, first_name="Gammal", last_name="Akt")
    sample = full_case_file(city, number=SAMPLE_NUMBER, day=OLD, first_name="Urval", last_name="Femte")
    recent_day = timezone.localdate() - timedelta(days=40)
    recent = full_case_file(city, day=recent_day, first_name="Ny", last_name="Akt")
    ongoing_person = full_case_file(city, day=OLD, first_name="Pågår", last_name="Akt")
    old_case(city, ongoing_person.person, day=OLD, closed=False)
    return {"old": old, "sample": sample, "recent": recent, "ongoing": ongoing_person}


# --- the case file's models ------------------------------------------------------------------


def test_the_case_file_is_found_from_the_relations():
    nodes = {node.label: node.paths for node in graph.case_file_nodes()}
    assert nodes["people.Person"] == ("pk",)
    assert nodes["cases.Case"] == ("person",)
    assert nodes["cases.Decision"] == ("case__person",)
    assert nodes["cases.JournalEntry"] == ("person", "case__person")
    assert nodes["retention.EntryObjection"] == ("entry__person", "entry__case__person")
    assert nodes["finance.Payment"] == ("person", "decision__case__person")
    assert nodes["processes.ProcessInstance"] == ("case__person",)
    assert not any(label.startswith("audit.") for label in nodes)


def test_a_referring_model_is_deleted_before_the_model_it_refers_to():
    order = [node.label for node in graph.delete_order()]
    position = {label: index for index, label in enumerate(order)}
    for before, after in [
        ("finance.Payment", "cases.Decision"),
        ("retention.EntryObjection", "cases.JournalEntry"),
        ("cases.JournalEntry", "cases.Case"),
        ("cases.Order", "cases.Intervention"),
        ("cases.Intervention", "cases.DecisionItem"),
        ("cases.DecisionItem", "cases.Decision"),
        ("cases.Decision", "cases.Case"),
        ("fees.ClientInvoice", "fees.FeeDecision"),
        ("fees.FeeDecision", "fees.IncomeDeclaration"),
        ("children.SafetyAssessment", "children.ReportOfConcern"),
        ("cases.Case", "processes.ProcessInstance"),
        ("cases.Case", "people.Person"),
    ]:
        assert position[before] < position[after], (before, after)
    assert graph.self_references(JournalEntry) == ["corrects"]


# --- the dry run -----------------------------------------------------------------------------


def test_the_dry_run_lists_what_would_be_culled_with_the_rule(world, city, admin):
    today = timezone.localdate()
    report = culling.dry_run(actor=admin, on_date=today)
    assert [row.person_id for row in report.rows] == [world["old"].person.pk]
    row = report.rows[0]
    assert row.district == "Rinkeby-Kista stadsdelsnämnd"
    assert row.case_references == [world["old"].cases[0].reference]
    # The last entry: the objection noted on 2019-03-13 (day + 9); the circumstances ended with the
    # fee decision on 2019-06-02 (day + 90), which is later.
    assert row.last_entry_on == date(2019, 5, 4)
    assert (row.decision.cull, row.decision.rule.code, row.decision.keep_until) == (
        True,
        "sol_five_years",
        date(2024, 6, 2),
    )
    assert row.decision.reason == "circumstances"
    assert row.decision.cull_by == date(2025, 12, 31)
    assert row.is_overdue is True
    assert row.is_authorized is True
    # The sample person is kept; the recent and the ongoing files are not due at all.
    assert dict(report.kept) == {"research_sample": 1}
    assert report.examined == 2
    event = AuditEvent.objects.filter(action="view_culling_report").get()
    assert event.details == {"on_date": today.isoformat(), "due": 1, "examined": 2}
    assert event.person_id is None


def test_the_dry_run_for_a_later_date_shows_more(world, admin):
    report = culling.dry_run(actor=admin, on_date=date(2035, 1, 1))
    # The relatives have no records of their own: only a person row, created today.
    relatives = {built.relative.pk for built in world.values()}
    assert {row.person_id for row in report.rows} == {
        world["old"].person.pk,
        world["recent"].person.pk,
    } | relatives
    assert {row.decision.rule.code for row in report.rows} == {"sol_five_years"}


def test_the_dry_run_changes_nothing(world, admin):
    before = Person.objects.count(), Case.objects.count(), Document.objects.count()
    culling.dry_run(actor=admin, on_date=timezone.localdate())
    assert (Person.objects.count(), Case.objects.count(), Document.objects.count()) == before
    assert CullingRun.objects.count() == 0


def test_the_dry_run_as_csv(world, admin):
    report = culling.dry_run(actor=admin, on_date=date(2026, 11, 25), download=True)
    lines = selectors.report_csv(report).split("\r\n")
    assert lines[0] == (
        "case_file,district,cases,last_entry_on,rule,legal_source,reason,keep_until,cull_by,overdue,committee_decision"
    )
    assert lines[1] == (
        f"{world['old'].person.pk},Rinkeby-Kista stadsdelsnämnd,{world['old'].cases[0].reference},2019-05-04,"
        "sol_five_years,16 kap. 1 § socialtjänstlagen (2025:400),circumstances,2024-06-02,2025-12-31,yes,yes"
    )
    assert lines[2:] == [""]
    assert AuditEvent.objects.filter(action="download_culling_report").count() == 1
    # No names, no identity numbers.
    text = selectors.report_csv(report)
    assert "Gammal" not in text and ADULT_NUMBER not in text and "19790918" not in text


def test_the_dry_run_refuses_a_day_before_the_rules(world, admin):
    with pytest.raises(culling.InvalidInput) as error:
        culling.dry_run(actor=admin, on_date=date(2025, 6, 30))
    assert error.value.errors == {
        "on_date": "Det finns inga gallringsregler för datumet. Välj 2025-07-01 eller senare."
    }


def test_a_research_municipality_culls_nothing(world, admin):
    culling.save_retention_setting(actor=admin, municipality_code="1480", municipality_name="Göteborg")
    report = culling.dry_run(actor=admin, on_date=date(2035, 1, 1))
    assert report.rows == []
    assert report.research_rule.code == "research_municipality"


def test_a_child_investigation_is_kept_and_counted_as_kept(city, setting, authorization, admin):
    kept = child_case_file(city, number="201312072398", day=date(2019, 1, 14), investigation=True)
    culled = child_case_file(city, number="201501012395", day=date(2019, 1, 14), investigation=False)
    report = culling.dry_run(actor=admin, on_date=date(2026, 11, 25))
    assert [row.person_id for row in report.rows] == [culled.person.pk]
    assert dict(report.kept) == {"child_investigation": 1}
    assert kept.person.pk not in [row.person_id for row in report.rows]


def test_a_placed_child_is_never_culled(city, setting, authorization, admin):
    child_case_file(
        city, number="201312072398", day=date(2019, 1, 14), investigation=True, placement="foster_home"
    )
    report = culling.dry_run(actor=admin, on_date=date(2030, 1, 1))
    assert report.rows == []
    assert dict(report.kept) == {"child_placement": 1}


# --- the real run ----------------------------------------------------------------------------


def run_now(admin, capture):
    with capture(execute=True):
        run = start_culling_run(actor=admin)
    with capture(execute=True):
        return execute_culling_run(run.pk)


def test_the_run_deletes_the_case_file_in_every_app_and_its_files(
    world, admin, django_capture_on_commit_callbacks
):
    old = world["old"]
    assert all(on_disk(name) for name in old.files)
    kept_files = [name for key in ("sample", "recent", "ongoing") for name in world[key].files]
    run = run_now(admin, django_capture_on_commit_callbacks)

    assert (run.status, run.culled_count, run.failed_count, run.unauthorized_count) == (
        CullingRunStatus.COMPLETED,
        1,
        0,
        0,
    )
    assert model_rows(old) == {label: 0 for label in old.rows}
    assert set(old.rows) >= {
        "people.Person",
        "people.Relation",
        "cases.Case",
        "cases.Decision",
        "cases.DecisionItem",
        "cases.Intervention",
        "cases.Order",
        "cases.Deadline",
        "cases.JournalEntry",
        "documents.Document",
        "fees.IncomeDeclaration",
        "fees.FeeDecision",
        "fees.ClientInvoice",
        "finance.BankAccount",
        "finance.Payment",
        "access.EmergencyAccess",
        "retention.EntryObjection",
        "retention.RegisterExtractRequest",
        "processes.ProcessInstance",
    }
    assert not any(on_disk(name) for name in old.files)
    run.refresh_from_db()
    assert run.files_deleted == 2
    assert run.files_left == []
    # The other files are whole, their files still on disk.
    for key in ("sample", "recent", "ongoing"):
        assert model_rows(world[key]) == {label: len(pks) for label, pks in world[key].rows.items()}
    assert all(on_disk(name) for name in kept_files)
    # The payment run (the accounting record) stays.
    assert PaymentRun.objects.count() == 4


def test_the_run_keeps_an_anonymous_count_and_audits_with_ids_only(
    world, city, admin, django_capture_on_commit_callbacks
):
    old = world["old"]
    case_id = old.cases[0].pk
    run = run_now(admin, django_capture_on_commit_callbacks)
    counts = list(CullingCount.objects.values("run_id", "year", "rule_code", "district__name", "count"))
    assert counts == [
        {
            "run_id": run.pk,
            "year": timezone.localdate().year,
            "rule_code": "sol_five_years",
            "district__name": "Rinkeby-Kista stadsdelsnämnd",
            "count": 1,
        }
    ]
    assert selectors.counts_per_year() == [
        {
            "year": timezone.localdate().year,
            "rule_code": "sol_five_years",
            "rule_name": "Gallras fem år efter sista anteckningen",
            "district": "Rinkeby-Kista stadsdelsnämnd",
            "count": 1,
        }
    ]
    event = AuditEvent.objects.get(action="cull_case_file")
    assert (event.person_id, event.case_id, event.username, event.object_type, event.object_id) == (
        old.person.pk,
        None,
        "admin",
        "case_file",
        str(old.person.pk),
    )
    assert event.details["run"] == run.pk
    assert event.details["rule"] == "sol_five_years"
    assert event.details["keep_until"] == "2024-06-02"
    assert event.details["case_ids"] == [case_id]
    assert event.details["files"] == 2
    assert event.details["rows"]["people.Person"] == 1
    assert event.details["rows"]["cases.JournalEntry"] == 2
    text = json.dumps(event.details, ensure_ascii=False)
    for personal in ("Gammal", "Akt", ADULT_NUMBER, "7001011234", "Personen berättade"):
        assert personal not in text
    assert [
        e.action for e in AuditEvent.objects.filter(action__in=["start_culling_run", "complete_culling_run"])
    ] == [
        "start_culling_run",
        "complete_culling_run",
    ]
    assert verify_chain().ok


def test_a_failure_leaves_the_case_file_whole(world, admin, monkeypatch, django_capture_on_commit_callbacks):
    """A model the plan does not know refers to the file with PROTECT: nothing of the file goes."""
    old = world["old"]
    without_journal = tuple(n for n in graph.delete_order() if n.label != "cases.JournalEntry")
    monkeypatch.setattr(culling, "delete_order", lambda: without_journal)
    run = run_now(admin, django_capture_on_commit_callbacks)
    assert (run.status, run.culled_count, run.failed_count) == (CullingRunStatus.COMPLETED, 0, 1)
    assert run.errors == [{"person_id": old.person.pk, "error": "referred to by cases.JournalEntry"}]
    assert model_rows(old) == {label: len(pks) for label, pks in old.rows.items()}
    assert all(on_disk(name) for name in old.files)
    assert CullingCount.objects.count() == 0
    assert not AuditEvent.objects.filter(action="cull_case_file").exists()
    failed = AuditEvent.objects.get(action="cull_case_file_failed")
    assert (failed.person_id, failed.details) == (
        old.person.pk,
        {"run": run.pk, "error": "referred to by cases.JournalEntry"},
    )


def test_a_file_that_is_no_longer_due_is_left_alone(world, admin):
    run = CullingRun.objects.create(on_date=timezone.localdate(), started_by=admin)
    recent = world["recent"]
    assert cull_case_file(run=run, person_id=recent.person.pk) is None
    assert model_rows(recent) == {label: len(pks) for label, pks in recent.rows.items()}


def test_a_district_without_a_committee_decision_is_not_culled(
    city, setting, admin, django_capture_on_commit_callbacks
):
    old = full_case_file(city, number=ADULT_NUMBER, day=OLD)
    culling.record_culling_authorization(
        actor=admin,
        committee=city.districts["Bromma"],
        decision_reference="Bromma SDN § 3",
        decided_on=date(2025, 9, 1),
        valid_from=date(2025, 9, 1),
    )
    report = culling.dry_run(actor=admin, on_date=timezone.localdate())
    assert [(row.person_id, row.is_authorized) for row in report.rows] == [(old.person.pk, False)]
    run = run_now(admin, django_capture_on_commit_callbacks)
    assert (run.culled_count, run.unauthorized_count) == (0, 1)
    assert Person.objects.filter(pk=old.person.pk).exists()


def test_running_twice_is_safe(world, admin, django_capture_on_commit_callbacks):
    first = run_now(admin, django_capture_on_commit_callbacks)
    second = run_now(admin, django_capture_on_commit_callbacks)
    assert (first.culled_count, second.culled_count, second.status) == (1, 0, CullingRunStatus.COMPLETED)
    assert CullingCount.objects.get().count == 1


def test_a_run_needs_the_municipality_and_a_committee_decision(city, admin):
    with pytest.raises(culling.InvalidInput) as error:
        start_culling_run(actor=admin)
    assert error.value.errors == {"__all__": "Ange kommunen under Inställningar innan gallring körs."}
    culling.save_retention_setting(actor=admin, municipality_code="0180", municipality_name="Sociala stad")
    with pytest.raises(culling.InvalidInput) as error:
        start_culling_run(actor=admin)
    assert error.value.errors == {
        "__all__": "Det finns inget beslut av nämnden om gallring som gäller i dag. Registrera beslutet först."
    }
    assert CullingRun.objects.count() == 0


def test_an_expired_committee_decision_does_not_count(city, setting, admin):
    authorization = culling.record_culling_authorization(
        actor=admin,
        committee=city.social_committee,
        decision_reference="SN § 1",
        decided_on=date(2025, 8, 1),
        valid_from=date(2025, 8, 1),
    )
    culling.end_culling_authorization(actor=admin, authorization=authorization, valid_to=date(2025, 12, 31))
    with pytest.raises(culling.InvalidInput):
        start_culling_run(actor=admin)


def test_only_one_run_at_a_time_and_a_stale_run_gives_way(world, admin, settings):
    first = start_culling_run(actor=admin)
    with pytest.raises(culling.InvalidInput) as error:
        start_culling_run(actor=admin)
    assert error.value.errors == {"__all__": "En gallringskörning pågår redan."}
    CullingRun.objects.filter(pk=first.pk).update(
        status=CullingRunStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    second = start_culling_run(actor=admin)
    first.refresh_from_db()
    assert (first.status, first.is_open, second.is_open) == (CullingRunStatus.FAILED, None, True)


def test_the_inline_runner_culls_after_the_commit(world, admin, settings, django_capture_on_commit_callbacks):
    settings.SOCIALA_RETENTION_JOB_RUNNER = "inline"
    with django_capture_on_commit_callbacks(execute=True):
        run = start_culling_run(actor=admin)
    run.refresh_from_db()
    assert (run.status, run.culled_count) == (CullingRunStatus.COMPLETED, 1)
    assert not Person.objects.filter(pk=world["old"].person.pk).exists()


@pytest.mark.parametrize("username", ["handlaggare.ifo", "chef.ifo", "admin.lokal", "revisor", "controller"])
def test_only_the_system_administrator_may_cull(world, city, username):
    user = city.users[username]
    for call in (
        lambda: culling.dry_run(actor=user, on_date=timezone.localdate()),
        lambda: start_culling_run(actor=user),
        lambda: culling.save_retention_setting(
            actor=user, municipality_code="1480", municipality_name="Göteborg"
        ),
    ):
        with pytest.raises(culling.NotPermitted):
            call()
    assert CullingRun.objects.count() == 0
    assert selectors.retention_setting().municipality_code == "0180"


def test_cull_case_file_refuses_without_a_setting(city, admin):
    run = CullingRun.objects.create(on_date=timezone.localdate(), started_by=admin)
    with pytest.raises(CullingFailed):
        cull_case_file(run=run, person_id=1)
