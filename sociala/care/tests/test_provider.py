"""The provider's side: the plan from the order, versions and signatures, a changed decision, the
provider's journal behind consent, messages to the caseworker, and reassessment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sociala.care import selectors, services
from sociala.care.models import ImplementationPlanVersion, ProviderJournalEntry, ProviderMessage, Reassessment
from sociala.cases.choices import OrderStatus, Stage
from sociala.core.errors import InvalidInput, NotPermitted

from .conftest import CASEWORKER, OTHER_PROVIDER_STAFF, PROVIDER_STAFF, decide

PLAN = {
    "goals": "Greta kan bo kvar hemma och känna sig trygg.",
    "how": "Hjälp med dusch; Greta tvättar ansiktet själv.",
    "schedule": "Tisdag och fredag kl. 8–9.",
    "performed_by": "Kontaktmannen Ali, vikarie vid frånvaro.",
    "client_wishes": "Kvinnlig personal vid dusch.",
    "participants": "Greta, dottern Lena, Ali",
}


def save_plan(city, order, username=PROVIDER_STAFF, **changes):
    return services.save_plan_version(actor=city.users[username], order=order, **{**PLAN, **changes})


def test_the_plan_is_versioned_and_signed(care_city, order):
    first = save_plan(care_city, order)
    second = save_plan(care_city, order, schedule="Tisdag och fredag kl. 9–10.")
    assert (first.number, second.number, second.plan_id) == (1, 2, first.plan_id)
    assert first.schedule == "Tisdag och fredag kl. 8–9."  # the old version is kept as it was

    with pytest.raises(InvalidInput) as error:
        services.sign_plan_version(
            actor=care_city.users[PROVIDER_STAFF],
            version=second,
            method="on_screen",
            signed_on=timezone.localdate(),
        )
    assert error.value.errors == {
        "confirmed": "Den enskilde bekräftar att hen har tagit del av planen och godkänner den.",
        "signed_name": "Skriv den enskildes namn.",
    }
    with pytest.raises(InvalidInput) as error:
        services.sign_plan_version(
            actor=care_city.users[PROVIDER_STAFF],
            version=first,
            method="on_paper",
            signed_on=timezone.localdate(),
        )
    assert error.value.errors == {"__all__": "Bara den senaste versionen av planen kan signeras."}

    signed = services.sign_plan_version(
        actor=care_city.users[PROVIDER_STAFF],
        version=second,
        method="on_screen",
        signed_name="Greta Holm",
        signed_on=timezone.localdate(),
        confirmed=True,
    )
    assert (signed.signature_method, signed.signed_name, signed.signature_recorded_by.username) == (
        "on_screen",
        "Greta Holm",
        PROVIDER_STAFF,
    )
    on_paper = services.sign_plan_version(
        actor=care_city.users[PROVIDER_STAFF],
        version=save_plan(care_city, order),
        method="on_paper",
        signed_on=timezone.localdate() - timedelta(days=2),
    )
    assert (on_paper.number, on_paper.signature_method, on_paper.signed_name) == (3, "on_paper", "")


def test_staff_of_another_provider_cannot_touch_the_client(care_city, order):
    other = care_city.users[OTHER_PROVIDER_STAFF]
    save_plan(care_city, order)
    with pytest.raises(NotPermitted):
        save_plan(care_city, order, username=OTHER_PROVIDER_STAFF)
    with pytest.raises(NotPermitted):
        services.write_provider_journal_entry(
            actor=other, order=order, text="Besök.", occurred_on=timezone.localdate()
        )
    with pytest.raises(NotPermitted):
        services.send_provider_message(
            actor=other, order=order, kind="deviation", text="x", occurred_on=timezone.localdate()
        )
    assert ImplementationPlanVersion.objects.count() == 1
    assert ProviderJournalEntry.objects.count() == 0 and ProviderMessage.objects.count() == 0
    assert selectors.provider_orders(other) == []


def test_an_ended_order_closes_the_provider_out(care_city, order):
    from sociala.cases.services import end_order

    end_order(actor=care_city.users[CASEWORKER], order=order)
    with pytest.raises(NotPermitted):
        save_plan(care_city, order)
    assert selectors.provider_orders(care_city.users[PROVIDER_STAFF]) == []


def test_the_caseworker_reads_the_provider_journal_only_with_consent(care_city, order):
    services.write_provider_journal_entry(
        actor=care_city.users[PROVIDER_STAFF],
        order=order,
        text="Duschade. Greta var glad.",
        occurred_on=timezone.localdate(),
    )
    assert list(selectors.provider_journal_for_authority(order)) == []
    details = services.record_journal_consent(
        actor=care_city.users[PROVIDER_STAFF], order=order, given=True, note="Muntligt vid hembesök"
    )
    assert (details.authority_may_read_journal, details.consent_recorded_by.username) == (
        True,
        PROVIDER_STAFF,
    )
    order.refresh_from_db()
    assert [e.text for e in selectors.provider_journal_for_authority(order)] == ["Duschade. Greta var glad."]
    # The caseworker of another area may not record consent for it.
    with pytest.raises(NotPermitted):
        services.record_journal_consent(actor=care_city.users["handlaggare.ifo"], order=order, given=False)


def test_a_message_lands_with_the_caseworker_until_read(care_city, order):
    message = services.send_provider_message(
        actor=care_city.users[PROVIDER_STAFF],
        order=order,
        kind="in_hospital",
        text="Greta är inlagd på Danderyds sjukhus sedan i morse.",
        occurred_on=timezone.localdate(),
    )
    assert selectors.provider_messages_for(care_city.users[CASEWORKER]) == [message]
    assert selectors.provider_messages_for(care_city.users["handlaggare.ifo"]) == []
    assert selectors.provider_messages_for(care_city.users[PROVIDER_STAFF]) == []
    with pytest.raises(NotPermitted):
        services.mark_message_read(actor=care_city.users[PROVIDER_STAFF], message=message)
    services.mark_message_read(actor=care_city.users[CASEWORKER], message=message)
    assert selectors.provider_messages_for(care_city.users[CASEWORKER]) == []


def test_a_reassessment_replaces_the_decision_and_the_plan_shows_what_changed(care_city, order, greta):
    caseworker = care_city.users[CASEWORKER]
    old_case = order.intervention.case
    save_plan(care_city, order)
    reassessment = services.open_reassessment(
        actor=caseworker, case=old_case, received_on=timezone.localdate(), sought="Mer hjälp efter fallolycka"
    )
    new_case = reassessment.case
    assert (new_case.case_type, new_case.person, new_case.stage) == (
        old_case.case_type,
        greta,
        Stage.INVESTIGATION,
    )
    copied = new_case.care_investigation
    assert [a.life_area.code for a in copied.assessments.all()] == ["self_care"]
    assert [(p.intervention_kind, p.scope_amount) for p in copied.proposals.all()] == [("home_care", 32)]
    with pytest.raises(InvalidInput):
        services.open_reassessment(
            actor=caseworker, case=old_case, received_on=timezone.localdate(), sought="x"
        )

    services.complete_investigation(actor=caseworker, case=new_case)
    decide(care_city, new_case, scope="40")
    reassessment.refresh_from_db()
    assert reassessment.replaces_from == timezone.localdate()
    new_case.refresh_from_db()
    choice = services.record_provider_choice(
        actor=caseworker,
        intervention=new_case.interventions.get(),
        method="client_chose",
        provider=order.provider,
        chosen_on=timezone.localdate(),
    )
    order.refresh_from_db()
    reassessment.refresh_from_db()
    assert order.status == OrderStatus.ENDED  # the new decision started today
    assert reassessment.previous_orders_ended_at is not None

    plan = selectors.plan_for_order(choice.order)
    assert selectors.current_order_of_plan(plan) == choice.order
    latest = plan.versions.first()
    assert selectors.term_changes(latest.basis, selectors.order_terms(choice.order)) == [
        ("Omfattning", "32 timmar per månad", "40 timmar per månad")
    ]
    reviewed = save_plan(care_city, choice.order, how="Hjälp med dusch varje dag.")
    assert reviewed.number == 2
    assert selectors.term_changes(reviewed.basis, selectors.order_terms(choice.order)) == []


def test_a_future_reassessment_leaves_the_old_order_running(care_city, order):
    caseworker = care_city.users[CASEWORKER]
    reassessment = services.open_reassessment(
        actor=caseworker, case=order.intervention.case, received_on=timezone.localdate(), sought="Omprövning"
    )
    services.complete_investigation(actor=caseworker, case=reassessment.case)
    start = timezone.localdate() + timedelta(days=14)
    decide(care_city, reassessment.case, period_start=start)
    services.record_provider_choice(
        actor=caseworker,
        intervention=reassessment.case.interventions.get(),
        method="default",
        chosen_on=timezone.localdate(),
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.ACTIVE
    assert selectors.due_reassessments_for(caseworker) == []
    assert selectors.due_reassessments_for(caseworker, today=start) == [Reassessment.objects.get()]
    assert services.end_replaced_orders(actor=caseworker, reassessment=reassessment, today=start) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.ENDED
