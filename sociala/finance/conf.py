"""The finance settings: the municipality's bank account, accounting accounts and how jobs run.

Everything here is read from ``settings.SOCIALA_FINANCE`` (a dict), key by key over the defaults
below, so an installation sets only what differs. The defaults describe the fictional demo city and
are placeholders, not facts: a municipality enters its own bank account, organisation number and
chart of accounts before the first real run. Cost centres per district are data (``CostCentre``),
entered by the controller in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULTS = {
    # The debtor: the municipality's account that the payments are drawn from.
    "debtor_name": None,  # None: SOCIALA_MUNICIPALITY_NAME
    "debtor_organization_number": "2120000000",
    "debtor_iban": "SE4550000000058398257466",
    "debtor_bic": "ESSESESS",
    # ISO 20022 category purpose of the payment group (e.g. "SSBE", social security benefit) when the
    # municipality's bank agreement asks for one; empty: the element is left out.
    "category_purpose": "",
    # Accounting (SIE 4i). The account numbers are the municipality's chart of accounts (Kommun-Bas);
    # the demo values are placeholders.
    "cost_account": "4590",
    "cost_account_name": "Ekonomiskt bistånd",
    "settlement_account": "1930",
    "settlement_account_name": "Bank",
    "cost_centre_dimension": 1,
    "cost_centre_dimension_name": "Kostnadsställe",
    "voucher_series": "U",
    # How a run is executed after it is started: "subprocess" (a detached `manage.py
    # run_payment_run <id>` process) or "inline" (in the calling process; tests and scripts).
    "job_runner": "subprocess",
    # Decisions paid per transaction; progress is committed after each chunk.
    "chunk_size": 500,
    # A running run whose worker has not written a heartbeat for this long may be resumed.
    "stale_after_seconds": 300,
}


@dataclass(frozen=True)
class FinanceConfig:
    """The finance settings in force, with defaults filled in."""

    debtor_name: str
    debtor_organization_number: str
    debtor_iban: str
    debtor_bic: str
    category_purpose: str
    cost_account: str
    cost_account_name: str
    settlement_account: str
    settlement_account_name: str
    cost_centre_dimension: int
    cost_centre_dimension_name: str
    voucher_series: str
    job_runner: str
    chunk_size: int
    stale_after_seconds: int


def finance_config() -> FinanceConfig:
    """Read ``settings.SOCIALA_FINANCE`` over the defaults."""
    values = {**DEFAULTS, **getattr(settings, "SOCIALA_FINANCE", {})}
    if not values["debtor_name"]:
        values["debtor_name"] = settings.SOCIALA_MUNICIPALITY_NAME
    values["debtor_organization_number"] = "".join(
        ch for ch in str(values["debtor_organization_number"]) if ch.isdigit()
    )
    values["debtor_iban"] = str(values["debtor_iban"]).replace(" ", "").upper()
    return FinanceConfig(**{key: values[key] for key in DEFAULTS})
