"""OCR references: Luhn check digit over the base and a length digit (Bankgirot's variable length check)."""

import pytest

from sociala.core.ocr import MAX_BASE_LENGTH, is_valid_ocr, ocr_reference

# Valid references with length digit and check digit, as produced by an independent implementation
# of Bankgirot's rules (and accepted by Bankgirot's own OCR-referenskontroll).
KNOWN_VALID = [
    "18108401345678778",
    "18196701475307475",
    "1018966492531",
    "1019080881039",
    "03368912618",
    "1202951008",
    "1636976",
]


@pytest.mark.parametrize("reference", KNOWN_VALID)
def test_known_references_are_rebuilt_from_their_base(reference):
    assert ocr_reference(reference[:-2]) == reference
    assert is_valid_ocr(reference)


def test_worked_examples():
    # 2019121: 9 digits in all -> length digit 9; Luhn over 20191219 gives 3.
    assert ocr_reference("2019121") == "201912193"
    # 0: 3 digits -> length digit 3; Luhn over 03 gives 4.
    assert ocr_reference("0") == "034"
    # 12345678: 10 digits in all -> length digit 0 (the tens are dropped); over 123456780, from the
    # right, 0+8+(14->5)+6+(10->1)+4+6+2+2 = 34, so the check digit is 6.
    assert ocr_reference("12345678") == "1234567806"


def test_the_length_digit_is_the_total_length_modulo_ten():
    for base_length in range(1, MAX_BASE_LENGTH + 1):
        reference = ocr_reference("7" * base_length)
        assert len(reference) == base_length + 2
        assert reference[-2] == str(len(reference) % 10)
        assert is_valid_ocr(reference)


def test_a_wrong_check_digit_is_invalid():
    assert not is_valid_ocr("1636975")
    assert not is_valid_ocr("201912194")


def test_a_wrong_length_digit_is_invalid_even_when_the_luhn_sum_holds():
    # 1234567897 passes Luhn (the check digit only), but its second last digit 9 is not its length 10 % 10.
    assert not is_valid_ocr("1234567897")
    # A digit dropped: the length digit no longer matches.
    assert not is_valid_ocr("636976")


def test_one_changed_digit_is_detected():
    reference = ocr_reference("260300000042")
    for position in range(len(reference)):
        digit = int(reference[position])
        changed = reference[:position] + str((digit + 1) % 10) + reference[position + 1 :]
        assert not is_valid_ocr(changed), changed


def test_spaces_are_ignored_and_other_characters_are_not():
    assert is_valid_ocr("163 6976")
    assert not is_valid_ocr("1636-976")
    assert not is_valid_ocr("16369７6")  # a full-width digit is not an ASCII digit
    assert not is_valid_ocr("")
    assert not is_valid_ocr("34")  # too short to hold a base, a length digit and a check digit
    assert not is_valid_ocr(None)
    assert not is_valid_ocr(1636976)


def test_at_most_25_digits():
    longest = ocr_reference("1" * MAX_BASE_LENGTH)
    assert len(longest) == 25
    assert is_valid_ocr(longest)
    assert not is_valid_ocr("0" + longest)


@pytest.mark.parametrize("base", ["", "12a", "-1", "1 2", "１２", "1" * (MAX_BASE_LENGTH + 1)])
def test_a_base_that_is_not_digits_is_refused(base):
    with pytest.raises(ValueError):
        ocr_reference(base)
