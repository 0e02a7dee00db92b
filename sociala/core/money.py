"""Money is whole kronor (int) or Decimal, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_kronor(amount: Decimal | int) -> int:
    """Round to whole kronor, halves away from zero (the rounding used in municipal fee tables)."""
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_sek(amount: int | Decimal) -> str:
    """12140 -> '12 140 kr' with a narrow no-break space as thousands separator."""
    whole = round_kronor(amount)
    sign = "−" if whole < 0 else ""
    digits = f"{abs(whole):,}".replace(",", "\u202f")
    return f"{sign}{digits}\u00a0kr"
