"""A placement record is never culled (SoL 16 kap. 2 §): neither the dry run nor the real run touches
it, while a comparable child's file with an in-home intervention is culled."""

from __future__ import annotations

from datetime import date

from sociala.cases import services as cases
from sociala.cases.choices import Stage
from sociala.cases.models import Case, Intervention
from sociala.children.models import ChildView, GuardianCommunication, Investigation, Placement
from sociala.people.models import Person
from sociala.retention.services import culling
from sociala.tests.factories import make_person

from .bbic import communicated, document_everything, investigated, placed, with_guardians

START = date(2026, 3, 2)
PLACED_CHILD = "200901072389"  # born 2009-01-07: 17 when placed, 30 in 2039
OTHER_CHILD = "200901082388"
LATER = date(2045, 6, 1)


def closed_case(city, number, kind):
    child = make_person(
        city,
        number=number,
        first_name="Ung",
        last_name="Placerad" if kind != "child_contact_person" else "Hemma",
    )
    guardians = with_guardians(city, child)
    case = investigated(city, child)
    document_everything(city, case)
    communicated(city, case, guardians)
    placed(city, case, kind=kind, period_end=date(2026, 12, 31))
    user = city.users["handlaggare.barn"]
    cases.complete_step(actor=user, case=case, step=Stage.INTERVENTION)
    cases.complete_step(actor=user, case=case, step=Stage.FOLLOW_UP)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    return child, case


def test_a_placement_record_survives_the_dry_run_and_the_real_run(city, clock, settings):
    settings.SOCIALA_RETENTION_JOB_RUNNER = "none"
    clock(START)
    placed_child, placed_case = closed_case(city, PLACED_CHILD, "foster_home")
    other_child, other_case = closed_case(city, OTHER_CHILD, "child_contact_person")
    placement = Placement.objects.get(case=placed_case)
    admin = city.users["admin"]

    clock(LATER)
    culling.save_retention_setting(
        actor=admin,
        municipality_code="0180",
        municipality_name="Sociala stad",
        archive_authority="Stadsarkivet",
        data_protection_contact="dataskyddsombud@sociala.example",
    )
    culling.record_culling_authorization(
        actor=admin,
        committee=city.social_committee,
        decision_reference="SN 2025-08-26 § 14",
        decided_on=date(2025, 8, 26),
        valid_from=date(2025, 9, 1),
    )
    report = culling.dry_run(actor=admin, on_date=LATER)
    rules = {row.person_id: row.decision.rule.code for row in report.rows}
    # Both children are past 30, so the investigation rule (16 kap. 2 a §) keeps them no longer: the
    # in-home intervention's file is due under it, the placement's is kept by the placement rule.
    assert rules.get(other_child.pk) == "child_investigation"
    assert placed_child.pk not in rules
    assert report.kept["child_placement"] == 1

    run = culling.start_culling_run(actor=admin)
    culling.execute_culling_run(run.pk)
    assert not Person.objects.filter(pk=other_child.pk).exists()
    assert not Case.objects.filter(pk=other_case.pk).exists()
    # The placed child's whole file is still there: the placement, its decision and intervention, the
    # investigation with the child's view and the communication (whose guardian may have been culled).
    placement.refresh_from_db()
    assert (placement.kind, placement.basis, placement.location_name) == (
        "foster_home",
        "sol",
        "Familjehemmet Ek",
    )
    assert (placement.starts_on, placement.ends_on) == (START, date(2026, 12, 31))
    assert Intervention.objects.filter(pk=placement.intervention_id).exists()
    assert Investigation.objects.filter(case=placed_case).exists()
    assert ChildView.objects.filter(investigation__case=placed_case).count() == 1
    names = sorted(
        GuardianCommunication.objects.filter(investigation__case=placed_case).values_list(
            "guardian_name", flat=True
        )
    )
    assert names == ["Maria Lind", "Omar Lind"]


def test_every_placement_kind_is_covered_by_the_never_culled_rule(db):
    from sociala.children.choices import PLACEMENT_KINDS
    from sociala.retention.models import CullingRule

    rule = CullingRule.objects.get(code="child_placement")
    assert rule.kind == "permanent_matter"
    assert set(PLACEMENT_KINDS) <= set(rule.intervention_kinds)
