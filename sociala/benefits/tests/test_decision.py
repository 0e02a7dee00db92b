"""The month's decision from the budget: the försörjningsstöd item, items beyond the norm, the letter."""

from __future__ import annotations

from datetime import date

import pytest

from sociala.benefits import decision_services
from sociala.benefits.decision_services import BeyondNormInput, decide_month, proposal_for
from sociala.benefits.models import IncomeSupportDecision
from sociala.cases import services as case_services
from sociala.cases.choices import Outcome
from sociala.core.errors import InvalidInput
from sociala.documents.models import Document
from sociala.finance.services import payable_decisions

from . import test_budget_support as support
from .test_budget_support import MARCH, make_budget, single

applicant, case = support.applicant, support.case

MOTIVATION = "Du har rätt till försörjningsstöd för månaden enligt beräkningen."
GLASSES_MOTIVATION = "Glasögon godtas upp till en skälig kostnad för enkla glasögon."


def ready_for_decision(city, case, *, refusal=False, username="handlaggare.ifo"):
    actor = city.users[username]
    case_services.complete_step(actor=actor, case=case, step="intake")
    case_services.complete_step(
        actor=actor, case=case, step="investigation", data={"refusal_intended": refusal}
    )
    if refusal:
        case_services.complete_step(actor=actor, case=case, step="communication")
    case.refresh_from_db()
    return case


def glasses(outcome=Outcome.PARTLY_GRANTED, granted=1500, motivation=GLASSES_MOTIVATION):
    return BeyondNormInput(
        kind="glasses",
        description="Nya glasögon",
        applied=2500,
        granted=granted,
        outcome=outcome,
        motivation=motivation,
    )


def test_a_month_with_nothing_beyond_the_norm_is_one_granted_item_of_the_calculations_assistance(city, case):
    budget = make_budget(city, case)  # single adult, rent 6 000, no income
    ready_for_decision(city, case)
    decision = decide_month(actor=city.users["handlaggare.ifo"], budget=budget, motivation=MOTIVATION)
    assert (budget.norm, budget.reasonable_costs, budget.counted_income, budget.assistance) == (
        5_220,
        6_000,
        0,
        11_220,
    )
    assert decision.outcome == Outcome.GRANTED
    assert decision.period_start == MARCH and decision.period_end == date(2026, 3, 31)
    assert decision.is_automated is False
    assert [(i.description, i.outcome, i.amount, i.scope, i.legal_basis) for i in decision.items.all()] == [
        (
            "Försörjningsstöd för 2026-03",
            "granted",
            11_220,
            "Norm 5\u202f220\u00a0kr + skäliga kostnader 6\u202f000\u00a0kr − inkomster 0\u00a0kr",
            "12 kap. 1 § socialtjänstlagen (2025:400)",
        )
    ]
    record = IncomeSupportDecision.objects.get(decision=decision)
    assert (record.budget_id, record.month, record.assistance, record.is_automated) == (
        budget.pk,
        MARCH,
        11_220,
        False,
    )
    # The payment run pays exactly the granted amount.
    assert list(payable_decisions(date(2026, 12, 31)).filter(case=case)) == [decision]
    letter = Document.objects.get(case=case, kind=Document.Kind.DECISION_LETTER)
    assert letter.title == f"Beslut {decision.reference}"


def test_an_item_beyond_the_norm_partly_granted_needs_communication_and_is_paid_with_the_granted_amount(
    city, case
):
    budget = make_budget(city, case)
    ready_for_decision(city, case, refusal=True)
    decision = decide_month(
        actor=city.users["handlaggare.ifo"], budget=budget, motivation=MOTIVATION, beyond_norm=[glasses()]
    )
    assert decision.outcome == Outcome.PARTLY_GRANTED
    assert [(i.description, i.outcome, i.amount, i.scope, i.motivation) for i in decision.items.all()][1] == (
        "Glasögon: Nya glasögon",
        "partly_granted",
        1500,
        "Sökt 2\u202f500\u00a0kr",
        GLASSES_MOTIVATION,
    )
    assert sum(i.amount for i in decision.items.all()) == 12_720


def test_partly_granted_without_communication_is_refused_by_record_decision_and_nothing_is_written(
    city, case
):
    budget = make_budget(city, case)
    ready_for_decision(city, case)
    with pytest.raises(InvalidInput) as error:
        decide_month(
            actor=city.users["handlaggare.ifo"], budget=budget, motivation=MOTIVATION, beyond_norm=[glasses()]
        )
    assert "kommunicering" in str(error.value.errors["__all__"])
    assert not IncomeSupportDecision.objects.exists()
    assert case.decisions.count() == 0


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        (glasses(motivation="För dyrt."), "beyond_norm.0.motivation", decision_services.MOTIVATION_NEEDED),
        (glasses(granted=2500), "beyond_norm.0.granted", decision_services.GRANTED_PART),
        (
            glasses(outcome=Outcome.GRANTED, granted=2000),
            "beyond_norm.0.granted",
            decision_services.GRANTED_FULL,
        ),
        (
            glasses(outcome=Outcome.REFUSED, granted=100),
            "beyond_norm.0.granted",
            decision_services.GRANTED_NONE,
        ),
        (
            BeyondNormInput(kind="yacht", applied=10, granted=10, outcome="granted"),
            "beyond_norm.0.kind",
            decision_services.KIND_MISSING,
        ),
        (
            BeyondNormInput(kind="glasses", applied=None, outcome="granted"),
            "beyond_norm.0.applied",
            decision_services.APPLIED_MISSING,
        ),
    ],
)
def test_an_item_beyond_the_norm_is_checked_field_by_field(city, case, item, field, message):
    budget = make_budget(city, case)
    ready_for_decision(city, case, refusal=True)
    with pytest.raises(InvalidInput) as error:
        decide_month(
            actor=city.users["handlaggare.ifo"], budget=budget, motivation=MOTIVATION, beyond_norm=[item]
        )
    assert error.value.errors[field] == message
    assert case.decisions.count() == 0


def test_costs_accepted_lower_than_applied_make_the_support_item_partly_granted_with_a_motivation(city, case):
    budget = make_budget(city, case, data=single(case.person, housing=6000))
    proposal = proposal_for(budget)
    assert (proposal.applied_assistance, proposal.support_outcome) == (11_220, Outcome.GRANTED)
    # The e-application asked for a rent of 7 000; the budget accepts 6 000.
    proposal = decision_services.Proposal(
        budget=budget,
        costs_applied={"housing": 7000},
        reasonable_costs_applied=7000,
        applied_assistance=12_220,
        support_outcome=decision_services.outcome_of_amounts(12_220, 11_220),
    )
    assert proposal.support_outcome == Outcome.PARTLY_GRANTED


def test_the_month_is_decided_once(city, case):
    budget = make_budget(city, case)
    ready_for_decision(city, case)
    decide_month(actor=city.users["handlaggare.ifo"], budget=budget, motivation=MOTIVATION)
    with pytest.raises(InvalidInput) as error:
        decide_month(actor=city.users["handlaggare.ifo"], budget=budget, motivation=MOTIVATION)
    assert error.value.errors["__all__"] == decision_services.ALREADY_DECIDED
    assert case.decisions.count() == 1


def test_the_letter_states_the_outcome_first_then_the_calculation_items_legal_basis_and_appeal(city, case):
    budget = make_budget(city, case)
    ready_for_decision(city, case, refusal=True)
    decision = decide_month(
        actor=city.users["handlaggare.ifo"], budget=budget, motivation=MOTIVATION, beyond_norm=[glasses()]
    )
    import io

    from pypdf import PdfReader

    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(decision_services.month_letter_pdf(decision))).pages
    )
    order = [
        "Du får delvis det du ansökte om.",
        "Att betala ut: 12",
        "Glasögon: Nya glasögon",
        "Så har vi räknat",
        "Personliga kostnader, ensamstående vuxen",
        "= Försörjningsstöd",
        "Skälen för beslutet",
        "12 kap. 1 § socialtjänstlagen (2025:400)",
        "Så överklagar du",
    ]
    positions = [text.find(" ".join(s.split())) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions, strict=True) if p == -1]
    assert positions == sorted(positions)
    assert "automatiskt" not in text
