from decimal import Decimal

from sociala.core.money import format_sek, round_kronor


def test_round_half_away_from_zero():
    assert round_kronor(Decimal("2642.5")) == 2643
    assert round_kronor(Decimal("2642.49")) == 2642
    assert round_kronor(Decimal("-0.5")) == -1


def test_format_with_thin_space_and_kr():
    assert format_sek(12140) == "12\u202f140\u00a0kr"
    assert format_sek(0) == "0\u00a0kr"
    assert format_sek(-1500) == "−1\u202f500\u00a0kr"
