"""The bank file (pain.001.001.03, validated against the official XSD) and the SIE 4i file."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from sociala.cases.choices import Outcome
from sociala.finance import pain001, services, sie
from sociala.finance.conf import finance_config
from sociala.finance.models import Payment
from sociala.finance.pain001 import NAMESPACE, InvalidBankFile, Transfer, parse_xml, validate_pain001
from sociala.tests.factories import make_person

from .factories import give_account, make_decision

NS = {"p": NAMESPACE}


@pytest.fixture
def completed_run(city, cost_centres, payment_date):
    """Three payees in two districts: a Swedish account, an IBAN, and a payment order."""
    to_account = make_decision(city, make_person(city, first_name="Åsa", last_name="Öberg"))
    give_account(city, to_account.case.person, clearing="8327", account="9123456789")
    to_iban = make_decision(
        city, district="Bromma", amounts=[(8510, Outcome.GRANTED), (1200, Outcome.GRANTED)]
    )
    give_account(city, to_iban.case.person, iban="SE4550000000058398257466")
    make_decision(city, amounts=[(5220, Outcome.GRANTED)])
    run, _created = services.start_payment_run(actor=city.users["chef.ifo"], payment_date=payment_date)
    return services.execute_payment_run(run.pk)


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def test_the_bank_file_validates_against_the_committed_xsd(completed_run, payment_date):
    data = read(completed_run.bank_file)
    validate_pain001(data)  # raises if invalid
    # And independently of our helper: lxml with the XSD file itself.
    schema = etree.XMLSchema(etree.parse(str(pain001.XSD_PATH), pain001.safe_parser()))
    assert schema.validate(parse_xml(data)), schema.error_log
    tree = parse_xml(data)
    x = lambda path: tree.xpath(path, namespaces=NS)  # noqa: E731
    assert x("//p:GrpHdr/p:MsgId/text()") == [f"SOCIALA-{completed_run.pk}-{payment_date:%Y%m%d}"]
    assert x("//p:GrpHdr/p:NbOfTxs/text()") == ["3"]
    assert x("//p:GrpHdr/p:CtrlSum/text()") == ["27070.00"]
    assert x("//p:GrpHdr/p:InitgPty/p:Nm/text()") == ["Sociala stad"]
    assert x("//p:PmtInf/p:ReqdExctnDt/text()") == [payment_date.isoformat()] * 2
    assert x("//p:PmtInf/p:PmtMtd/text()") == ["TRF", "CHK"]
    assert x("//p:PmtInf/p:DbtrAcct/p:Id/p:IBAN/text()") == ["SE4550000000058398257466"] * 2
    end_to_end = x("//p:CdtTrfTxInf/p:PmtId/p:EndToEndId/text()")
    assert sorted(end_to_end) == sorted(f"SOC-P{pk}" for pk in Payment.objects.values_list("pk", flat=True))
    asa = Payment.objects.get(person__first_name="Åsa")
    amounts = x("//p:CdtTrfTxInf/p:Amt/p:InstdAmt")
    assert {a.get("Ccy") for a in amounts} == {"SEK"}
    assert sorted(a.text for a in amounts) == ["12140.00", "5220.00", "9710.00"]
    # A Swedish account: clearing number with the agent (SESBA), account number as BBAN.
    tx = x(f"//p:CdtTrfTxInf[p:PmtId/p:EndToEndId='SOC-P{asa.pk}']")[0]
    assert tx.xpath("p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:ClrSysId/p:Cd/text()", namespaces=NS) == ["SESBA"]
    assert tx.xpath("p:CdtrAgt/p:FinInstnId/p:ClrSysMmbId/p:MmbId/text()", namespaces=NS) == ["8327"]
    assert tx.xpath("p:CdtrAcct/p:Id/p:Othr/p:Id/text()", namespaces=NS) == ["9123456789"]
    assert tx.xpath("p:CdtrAcct/p:Id/p:Othr/p:SchmeNm/p:Cd/text()", namespaces=NS) == ["BBAN"]
    assert tx.xpath("p:Cdtr/p:Nm/text()", namespaces=NS) == ["Åsa Öberg"]
    assert tx.xpath("p:RmtInf/p:Ustrd/text()", namespaces=NS) == ["Ekonomiskt bistånd mars 2026"]
    # A payment order: no account, the postal address, mailed to the creditor.
    (order,) = x("//p:PmtInf[p:PmtMtd='CHK']/p:CdtTrfTxInf")
    assert order.xpath("p:CdtrAcct", namespaces=NS) == []
    assert order.xpath("p:ChqInstr/p:DlvryMtd/p:Cd/text()", namespaces=NS) == ["MLCD"]
    assert order.xpath("p:Cdtr/p:PstlAdr/p:StrtNm/text()", namespaces=NS) == ["Kistagången 12"]
    assert order.xpath("p:Cdtr/p:PstlAdr/p:PstCd/text()", namespaces=NS) == ["16440"]
    assert order.xpath("p:Cdtr/p:PstlAdr/p:Ctry/text()", namespaces=NS) == ["SE"]


def transfer(**fields) -> Transfer:
    values = {
        "end_to_end_id": "SOC-P1",
        "amount": Decimal("100"),
        "method": "bank_account",
        "creditor_name": "Test Testsson",
        "clearing_number": "3300",
        "account_number": "7001011234",
    }
    return Transfer(**{**values, **fields})


def build(transfers):
    return pain001.build_pain001(
        message_id="M1",
        created_at=datetime(2026, 3, 20, 12, 0, 0),
        payment_date=date(2026, 3, 25),
        transfers=transfers,
        config=finance_config(),
    )


def test_a_file_that_breaks_the_schema_is_refused():
    data = build([transfer()]).replace(b"<MsgId>M1</MsgId>", b"")
    with pytest.raises(InvalidBankFile) as error:
        validate_pain001(data)
    assert "MsgId" in str(error.value)


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = (
        build([transfer()])
        .replace(
            b"<?xml version='1.0' encoding='UTF-8'?>",
            f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'.encode(),
        )
        .replace(b"<MsgId>M1</MsgId>", b"<MsgId>&x;</MsgId>")
    )
    with pytest.raises(InvalidBankFile):
        validate_pain001(data)
    tree = etree.fromstring(data, pain001.safe_parser())
    assert b"TOPSECRET" not in etree.tostring(tree)


def test_a_five_digit_swedbank_clearing_number_moves_its_check_digit_to_the_account():
    assert pain001.split_swedish_account("83279", "123456789") == ("8327", "9123456789")
    assert pain001.split_swedish_account("3300", "7001011234") == ("3300", "7001011234")
    data = build([transfer(clearing_number="83279", account_number="123456789")])
    validate_pain001(data)
    assert b"<MmbId>8327</MmbId>" in data and b"<Id>9123456789</Id>" in data


def test_long_names_and_control_characters_are_trimmed_to_the_schema():
    data = build([transfer(creditor_name="Ann\x00a " + "Lång" * 40)])
    validate_pain001(data)
    name = parse_xml(data).xpath("//p:Cdtr/p:Nm/text()", namespaces=NS)[0]
    assert len(name) <= 70 and "\x00" not in name


def test_an_empty_file_is_never_built():
    with pytest.raises(ValueError):
        build([])


# --- SIE 4i ---------------------------------------------------------------------------------


def parse_sie(data: bytes) -> tuple[list[str], list[dict]]:
    """The header lines and the vouchers of a SIE file (a reader just big enough for the tests)."""
    text = data.decode("cp437")
    assert "\r\n" in text
    lines = text.split("\r\n")
    header, vouchers, current = [], [], None
    for line in lines:
        if line.startswith("#VER"):
            current = {"ver": line, "rows": []}
        elif line == "{" or not line:
            continue
        elif line == "}":
            vouchers.append(current)
            current = None
        elif current is not None:
            match = re.fullmatch(r"#TRANS (\S+) \{(.*)\} (-?\d+\.\d\d)", line)
            assert match, line
            current["rows"].append((match[1], match[2], Decimal(match[3])))
        else:
            header.append(line)
    return header, vouchers


def test_the_sie_file_has_the_4i_header_and_balanced_vouchers_per_cost_centre(completed_run, payment_date):
    data = read(completed_run.accounting_file)
    assert "Ekonomiskt bistånd".encode("cp437") in data  # PC8 = code page 437, å as 0x86
    assert b"\x86" in data
    header, vouchers = parse_sie(data)
    assert header[:5] == ["#FLAGGA 0", '#PROGRAM "Sociala" 1.0', "#FORMAT PC8", header[3], "#SIETYP 4"]
    assert re.fullmatch(r"#GEN \d{8}", header[3])
    assert '#FNAMN "Sociala stad"' in header
    assert "#ORGNR 212000-0000" in header
    assert '#DIM 1 "Kostnadsställe"' in header
    assert '#OBJEKT 1 "6100" "Rinkeby-Kista stadsdelsnämnd"' in header
    assert '#OBJEKT 1 "6200" "Bromma stadsdelsnämnd"' in header
    assert len(vouchers) == 2
    for voucher in vouchers:
        assert voucher["ver"].startswith(f'#VER "U" "" {payment_date:%Y%m%d} "Ekonomiskt bistånd utbetalning')
        assert sum(amount for _account, _objects, amount in voucher["rows"]) == 0
    rows = {
        objects: (account, amount) for voucher in vouchers for account, objects, amount in voucher["rows"]
    }
    assert rows['1 "6100"'] == ("4590", Decimal("17360.00"))
    assert rows['1 "6200"'] == ("4590", Decimal("9710.00"))
    credits = [r for v in vouchers for r in v["rows"] if r[0] == "1930"]
    assert sorted(amount for _a, _o, amount in credits) == [Decimal("-17360.00"), Decimal("-9710.00")]
    assert all(objects == "" for _a, objects, _amount in credits)
    assert "Öberg".encode("cp437") not in data  # no persons in the accounting file


def test_an_unbalanced_voucher_is_refused():
    voucher = sie.Voucher(on=date(2026, 3, 25), text="x", rows=[sie.Row("4590", Decimal("10"))])
    with pytest.raises(ValueError):
        sie.build_sie(vouchers=[voucher], objects={}, config=finance_config(), generated_on=date(2026, 3, 20))


def test_sie_text_fields_are_quoted_and_escaped():
    assert sie.quote('Ett "citat"\n') == '"Ett \\"citat\\" "'
