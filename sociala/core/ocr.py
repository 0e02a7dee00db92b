"""OCR payment references (OCR-referensnummer) for bankgiro and plusgiro payments.

An OCR reference is a number the payer types or scans when paying an invoice,
so that the payment can be matched automatically. Sociala writes it the way
Bankgirot's strictest check ("variabel längdkontroll") expects, which also
passes the simpler checks:

* the base (for example an invoice number), digits only;
* a length digit: the total length of the reference, the length digit and the
  check digit included, modulo 10 (a reference of 4, 14 or 24 digits has 4);
* a check digit: Luhn (modulus 10) over the base and the length digit.

References are 2 to 25 digits long, so the base has at most 23 digits.
"""

from __future__ import annotations

from .identity_numbers import luhn_check_digit

MAX_LENGTH = 25
MAX_BASE_LENGTH = MAX_LENGTH - 2


def ocr_reference(base: str) -> str:
    """The OCR reference for a base of digits: base + length digit + Luhn check digit.

    >>> ocr_reference("16369")
    '1636976'
    """
    if not isinstance(base, str) or not base.isascii() or not base.isdigit():
        raise ValueError("an OCR base is a non-empty string of digits")
    if len(base) > MAX_BASE_LENGTH:
        raise ValueError(f"an OCR base has at most {MAX_BASE_LENGTH} digits")
    with_length = base + str((len(base) + 2) % 10)
    return with_length + str(luhn_check_digit(with_length))


def is_valid_ocr(reference) -> bool:
    """True when a reference has a correct length digit and Luhn check digit (spaces are ignored)."""
    if not isinstance(reference, str):
        return False
    digits = "".join(reference.split())
    if not (3 <= len(digits) <= MAX_LENGTH and digits.isascii() and digits.isdigit()):
        return False
    if int(digits[-2]) != len(digits) % 10:
        return False
    return luhn_check_digit(digits[:-1]) == int(digits[-1])
