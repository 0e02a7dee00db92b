"""Monthly client invoices: once per month from the decision in force, with an OCR reference; finance rows."""

import io
from datetime import date

from pypdf import PdfReader

from sociala.accounts.services import system_actor
from sociala.audit.models import AuditEvent
from sociala.core.ocr import is_valid_ocr, ocr_reference
from sociala.fees import services
from sociala.fees.models import ClientInvoice
from sociala.fees.selectors import InvoiceRow, invoice_rows
from sociala.fees.tests.test_services import decide, declare


def fee_from_april(city, person, income=15_000):
    declare(city, person, changed_on=date(2026, 3, 15), income=income)
    return decide(city, person, changed_on=date(2026, 3, 15))


def test_a_month_is_invoiced_once_with_a_valid_ocr_reference(city, client_person):
    decision = fee_from_april(city, client_person)
    [invoice] = services.issue_invoices(actor=system_actor(), month=date(2026, 4, 17))
    assert (invoice.person, invoice.fee_decision, invoice.month, invoice.amount) == (
        client_person,
        decision,
        date(2026, 4, 1),
        1_704,
    )
    assert invoice.ocr_reference == ocr_reference(f"2604{invoice.pk:08d}")
    assert len(invoice.ocr_reference) == 14 and invoice.ocr_reference[-2] == "4"
    assert is_valid_ocr(invoice.ocr_reference)
    assert invoice.number == f"2604{invoice.pk:08d}"
    assert invoice.district == decision.district
    event = AuditEvent.objects.get(action="create_client_invoice")
    assert (event.person_id, event.details) == (
        client_person.pk,
        {"month": "2026-04-01", "amount": 1704, "ocr": invoice.ocr_reference},
    )
    # Run again: nothing new.
    assert services.issue_invoices(actor=system_actor(), month=date(2026, 4, 1)) == []
    assert ClientInvoice.objects.count() == 1


def test_the_due_date_is_the_end_of_the_next_month_and_at_least_30_days_after_the_invoice():
    assert services.invoice_due_on(date(2026, 4, 1), date(2026, 4, 30)) == date(2026, 5, 31)
    assert services.invoice_due_on(date(2026, 4, 1), date(2026, 5, 2)) == date(2026, 6, 1)
    assert services.invoice_due_on(date(2026, 12, 1), date(2027, 1, 3)) == date(2027, 2, 2)
    assert services.invoice_due_on(date(2026, 4, 1), date(2026, 11, 25)) == date(2026, 12, 25)


def test_each_month_is_invoiced_from_the_decision_in_force_then(city, client_person):
    first = fee_from_april(city, client_person)
    declare(city, client_person, changed_on=date(2026, 6, 20), income=16_000)
    june = services.issue_invoices(actor=system_actor(), month=date(2026, 6, 1))
    july = services.issue_invoices(actor=system_actor(), month=date(2026, 7, 1))
    assert [(i.fee_decision, i.amount) for i in june] == [(first, 1_704)]
    assert [i.amount for i in july] == [2_660]


def test_no_invoice_without_a_fee_or_before_the_decision(city, client_person):
    fee_from_april(city, client_person, income=12_000)  # below the reserved amount: fee 0
    assert services.issue_invoices(actor=system_actor(), month=date(2026, 4, 1)) == []
    assert services.issue_invoices(actor=system_actor(), month=date(2026, 3, 1)) == []


def test_a_caseworker_invoices_only_the_persons_whose_fees_they_handle(city, client_person):
    fee_from_april(city, client_person)
    assert services.issue_invoices(actor=city.users["handlaggare.lss"], month=date(2026, 4, 1)) == []
    assert len(services.issue_invoices(actor=city.users["handlaggare.ao"], month=date(2026, 4, 1))) == 1


def test_invoice_rows_for_the_finance_export(city, client_person):
    fee_from_april(city, client_person)
    [invoice] = services.issue_invoices(actor=system_actor(), month=date(2026, 4, 1))
    assert invoice_rows(date(2026, 4, 30)) == [
        InvoiceRow(
            invoice_id=invoice.pk,
            person_id=client_person.pk,
            personal_identity_number="194401077674",
            month=date(2026, 4, 1),
            amount=1_704,
            ocr_reference=invoice.ocr_reference,
            issued_on=invoice.issued_on,
            due_on=invoice.due_on,
            cost_centre="rinkeby-kista",
            district="Rinkeby-Kista stadsdelsnämnd",
            fee_decision=invoice.fee_decision.reference,
        )
    ]
    assert invoice_rows(date(2026, 5, 1)) == []


def test_the_invoice_pdf_shows_amount_ocr_and_due_date(city, client_person, settings):
    settings.SOCIALA_FEES_BANKGIRO = "5050-1055"
    fee_from_april(city, client_person)
    [invoice] = services.issue_invoices(actor=system_actor(), month=date(2026, 4, 1))
    data = services.invoice_pdf(invoice)
    assert data.startswith(b"%PDF-")
    text = " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    text = text.replace("\u202f", " ").replace("\u00a0", " ")
    assert "Faktura: avgift för april 2026" in text
    assert f"Att betala: 1 704 kr senast {invoice.due_on.day}" in text
    assert invoice.ocr_reference in text
    assert "Bankgiro 5050-1055" in text
