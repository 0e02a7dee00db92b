"""ISO 20022 pain.001.001.03 (CustomerCreditTransferInitiationV03): the bank file of a payment run.

Layout (checked against the official XSD committed in ``schemas/``):

* ``GrpHdr``: MsgId (stable per run, so a bank that has the file already refuses it again),
  CreDtTm, NbOfTxs and CtrlSum over the whole file, InitgPty = the municipality with its
  organisation number.
* One ``PmtInf`` with ``PmtMtd`` TRF for payees with a bank account, and one with ``PmtMtd`` CHK for
  payees paid by payment order (utbetalningskort), each with its own NbOfTxs and CtrlSum, the
  requested execution date (the payment date), the debtor (the municipality's account from the
  settings) and service level NURG (Swedish domestic payments are non-urgent).
* One ``CdtTrfTxInf`` per payment: EndToEndId = the payment's id, the amount in SEK with two
  decimals, the creditor's name, and

  - for a Swedish bank account: the clearing number as the creditor agent's clearing system
    member (``ClrSysId/Cd`` SESBA) and the account number in ``CdtrAcct/Id/Othr/Id`` with
    ``SchmeNm/Cd`` BBAN (BBAN is a code of ISO's external account identification list, hence
    ``Cd`` rather than ``Prtry``). A five-digit clearing number (Swedbank's 8xxxx-x) keeps its
    first four digits as clearing number and moves the fifth digit in front of the account number;
  - for an IBAN: ``CdtrAcct/Id/IBAN``;
  - for a payment order: no account; the creditor's postal address (street, postal code, town,
    country SE) and a cheque instruction to mail it to the creditor (``ChqInstr/DlvryMtd/Cd``
    MLCD). The bank sends the payee a payment order to cash at the post/bank office.

  and the remittance text ``Ekonomiskt bistånd <month> <year>`` (always Swedish: it is printed on
  the payee's bank statement or payment order).

The Swedish banks' common interpretation of ISO 20022 (Bankföreningen, with its appendix "Common
payment types in Sweden") was only available to us as its table of contents, so the payment-order
mapping above is our reading of the ISO elements; confirm it with the municipality's bank before
the first real file. The category purpose (e.g. SSBE) is a setting, empty by default.

Every XML read uses ``safe_parser``: no DTDs, no entities, no network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .choices import PaymentMethod
from .conf import FinanceConfig

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
XSD_PATH = Path(__file__).resolve().parent / "schemas" / "pain.001.001.03.xsd"
CURRENCY = "SEK"
CENT = Decimal("0.01")
_PREFIX = f"{{{NAMESPACE}}}"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InvalidBankFile(ValueError):
    """The file does not validate against the pain.001.001.03 schema."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors[:5]))


@dataclass(frozen=True)
class Transfer:
    """One payment as it goes into the file."""

    end_to_end_id: str
    amount: Decimal
    method: str
    creditor_name: str
    clearing_number: str = ""
    account_number: str = ""
    iban: str = ""
    street_address: str = ""
    postal_code: str = ""
    city: str = ""
    remittance_information: str = ""


def safe_parser() -> etree.XMLParser:
    """An XML parser that never resolves entities, loads DTDs or touches the network."""
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False)


def parse_xml(data: bytes) -> etree._ElementTree:
    """Parse XML safely; a document with a DOCTYPE is refused outright."""
    tree = etree.ElementTree(etree.fromstring(data, safe_parser()))
    if tree.docinfo.doctype:
        raise InvalidBankFile(["DOCTYPE is not allowed"])
    return tree


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The official pain.001.001.03 schema."""
    return etree.XMLSchema(etree.parse(str(XSD_PATH), safe_parser()))


def validate_pain001(data: bytes) -> None:
    """Raise ``InvalidBankFile`` unless the file validates against the committed XSD."""
    tree = parse_xml(data)
    xsd = schema()
    if not xsd.validate(tree):
        raise InvalidBankFile([f"line {e.line}: {e.message}" for e in xsd.error_log])


def text(value: str, limit: int) -> str:
    """A text field: no control characters, single spaces, at most ``limit`` characters."""
    cleaned = " ".join(_CONTROL.sub(" ", value or "").split())
    return cleaned[:limit].rstrip()


def amount_text(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(CENT))


def split_swedish_account(clearing_number: str, account_number: str) -> tuple[str, str]:
    """Clearing number for the agent and account number for the BBAN (Swedbank's 5th digit moves)."""
    if len(clearing_number) == 5:
        return clearing_number[:4], clearing_number[4] + account_number
    return clearing_number, account_number


def _add(parent, tag: str, value: str | None = None, **attrs):
    element = etree.SubElement(parent, _PREFIX + tag, attrs or None)
    if value is not None:
        element.text = value
    return element


def _party(parent, tag: str, name: str, organization_number: str = ""):
    party = _add(parent, tag)
    _add(party, "Nm", text(name, 70))
    if organization_number:
        _add(_add(_add(_add(party, "Id"), "OrgId"), "Othr"), "Id", organization_number)
    return party


def _payment_group(root, *, group_id, method, transfers, payment_date, config: FinanceConfig):
    info = _add(root, "PmtInf")
    _add(info, "PmtInfId", group_id)
    _add(info, "PmtMtd", method)
    _add(info, "BtchBookg", "true")
    _add(info, "NbOfTxs", str(len(transfers)))
    _add(info, "CtrlSum", amount_text(sum((t.amount for t in transfers), Decimal(0))))
    payment_type = _add(info, "PmtTpInf")
    _add(_add(payment_type, "SvcLvl"), "Cd", "NURG")
    if config.category_purpose:
        _add(_add(payment_type, "CtgyPurp"), "Cd", config.category_purpose)
    _add(info, "ReqdExctnDt", payment_date.isoformat())
    _party(info, "Dbtr", config.debtor_name, config.debtor_organization_number)
    debtor_account = _add(info, "DbtrAcct")
    _add(_add(debtor_account, "Id"), "IBAN", config.debtor_iban)
    _add(debtor_account, "Ccy", CURRENCY)
    agent = _add(_add(info, "DbtrAgt"), "FinInstnId")
    if config.debtor_bic:
        _add(agent, "BIC", config.debtor_bic)
    for transfer in transfers:
        _transaction(info, transfer)
    return info


def _transaction(info, transfer: Transfer) -> None:
    tx = _add(info, "CdtTrfTxInf")
    ids = _add(tx, "PmtId")
    _add(ids, "InstrId", transfer.end_to_end_id)
    _add(ids, "EndToEndId", transfer.end_to_end_id)
    _add(_add(tx, "Amt"), "InstdAmt", amount_text(transfer.amount), Ccy=CURRENCY)
    if transfer.method == PaymentMethod.PAYMENT_ORDER:
        _add(_add(_add(tx, "ChqInstr"), "DlvryMtd"), "Cd", "MLCD")
        creditor = _add(tx, "Cdtr")
        _add(creditor, "Nm", text(transfer.creditor_name, 70))
        address = _add(creditor, "PstlAdr")
        _add(address, "StrtNm", text(transfer.street_address, 70))
        _add(address, "PstCd", text(transfer.postal_code.replace(" ", ""), 16))
        _add(address, "TwnNm", text(transfer.city, 35))
        _add(address, "Ctry", "SE")
    elif transfer.iban:
        _add(_add(tx, "Cdtr"), "Nm", text(transfer.creditor_name, 70))
        _add(_add(_add(tx, "CdtrAcct"), "Id"), "IBAN", transfer.iban)
    else:
        clearing, account = split_swedish_account(transfer.clearing_number, transfer.account_number)
        member = _add(_add(_add(tx, "CdtrAgt"), "FinInstnId"), "ClrSysMmbId")
        _add(_add(member, "ClrSysId"), "Cd", "SESBA")
        _add(member, "MmbId", clearing)
        _add(_add(tx, "Cdtr"), "Nm", text(transfer.creditor_name, 70))
        other = _add(_add(_add(tx, "CdtrAcct"), "Id"), "Othr")
        _add(other, "Id", account)
        _add(_add(other, "SchmeNm"), "Cd", "BBAN")
    if transfer.remittance_information:
        _add(_add(tx, "RmtInf"), "Ustrd", text(transfer.remittance_information, 140))


def build_pain001(
    *,
    message_id: str,
    created_at: datetime,
    payment_date: date,
    transfers: Iterable[Transfer],
    config: FinanceConfig,
) -> bytes:
    """The pain.001.001.03 document for the transfers (at least one), as UTF-8 bytes."""
    transfers = list(transfers)
    if not transfers:
        raise ValueError("a bank file needs at least one payment")
    to_accounts = [t for t in transfers if t.method == PaymentMethod.BANK_ACCOUNT]
    by_order = [t for t in transfers if t.method == PaymentMethod.PAYMENT_ORDER]
    root = etree.Element(_PREFIX + "Document", nsmap={None: NAMESPACE})
    initiation = _add(root, "CstmrCdtTrfInitn")
    header = _add(initiation, "GrpHdr")
    _add(header, "MsgId", message_id)
    _add(header, "CreDtTm", created_at.replace(microsecond=0, tzinfo=None).isoformat())
    _add(header, "NbOfTxs", str(len(transfers)))
    _add(header, "CtrlSum", amount_text(sum((t.amount for t in transfers), Decimal(0))))
    _party(header, "InitgPty", config.debtor_name, config.debtor_organization_number)
    if to_accounts:
        _payment_group(
            initiation,
            group_id=f"{message_id}-TRF"[:35],
            method="TRF",
            transfers=to_accounts,
            payment_date=payment_date,
            config=config,
        )
    if by_order:
        _payment_group(
            initiation,
            group_id=f"{message_id}-CHK"[:35],
            method="CHK",
            transfers=by_order,
            payment_date=payment_date,
            config=config,
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
