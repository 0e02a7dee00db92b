"""SIE 4i (import of vouchers into the finance system): the accounting file of a payment run.

Per the SIE file format (SIE-gruppen, edition 4B): a type 4 file whose vouchers are meant for
import is "4i" (file extension .si); ``#FLAGGA 0`` comes first, ``#FORMAT PC8`` declares the
IBM PC 8-bit character set (code page 437), ``#SIETYP 4``; then the company, the cost-centre
dimension (dimension 1 is reserved for kostnadsställe) with its objects, and the vouchers:

    #VER serie vernr verdatum vertext
    {
    #TRANS kontonr {objektlista} belopp
    }

Debits are positive, credits negative, two decimals with a point; the rows of a voucher sum to
zero. In a 4i file the voucher number may be left empty: the finance system numbers the vouchers
when it imports them. Text fields are quoted; a quote inside is preceded by a backslash. Lines end
with CR LF.

One voucher per district: debit the income-support cost account on the district's cost centre,
credit the settlement (bank) account. The file names no persons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .conf import FinanceConfig

ENCODING = "cp437"
CENT = Decimal("0.01")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Row:
    """A #TRANS row: account, objects per dimension, amount (debit positive)."""

    account: str
    amount: Decimal
    objects: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Voucher:
    """A #VER: date, text and rows that balance."""

    on: date
    text: str
    rows: list[Row]

    @property
    def balance(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))


def quote(value: str) -> str:
    """A SIE text field: quoted, control characters removed, quotes escaped."""
    cleaned = _CONTROL.sub(" ", str(value)).replace("\\", "/").replace('"', '\\"')
    return f'"{cleaned}"'


def amount_text(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(CENT))


def organization_number(digits: str) -> str:
    """556677-8899 from 5566778899; anything else as given."""
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 and digits.isdigit() else digits


def build_sie(
    *,
    vouchers: list[Voucher],
    objects: dict[str, str],
    config: FinanceConfig,
    generated_on: date,
    program_version: str = "1.0",
) -> bytes:
    """The SIE 4i file (CP437 bytes); refuses a voucher that does not balance."""
    for voucher in vouchers:
        if voucher.balance != 0:
            raise ValueError(f"voucher {voucher.text!r} does not balance: {voucher.balance}")
    dimension = config.cost_centre_dimension
    lines = [
        "#FLAGGA 0",
        f"#PROGRAM {quote('Sociala')} {program_version}",
        "#FORMAT PC8",
        f"#GEN {generated_on:%Y%m%d}",
        "#SIETYP 4",
        f"#ORGNR {organization_number(config.debtor_organization_number)}",
        f"#FNAMN {quote(config.debtor_name)}",
        "#VALUTA SEK",
        f"#KONTO {config.cost_account} {quote(config.cost_account_name)}",
        f"#KONTO {config.settlement_account} {quote(config.settlement_account_name)}",
        f"#DIM {dimension} {quote(config.cost_centre_dimension_name)}",
    ]
    lines += [f"#OBJEKT {dimension} {quote(code)} {quote(name)}" for code, name in sorted(objects.items())]
    for voucher in vouchers:
        lines.append(
            f"#VER {quote(config.voucher_series)} {quote('')} {voucher.on:%Y%m%d} {quote(voucher.text)}"
        )
        lines.append("{")
        for row in voucher.rows:
            object_list = " ".join(f"{dim} {quote(obj)}" for dim, obj in sorted(row.objects.items()))
            lines.append(f"#TRANS {row.account} {{{object_list}}} {amount_text(row.amount)}")
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING, errors="replace")
