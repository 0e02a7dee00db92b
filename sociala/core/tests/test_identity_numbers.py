from datetime import date

import pytest

from sociala.core.identity_numbers import (
    COORDINATION_NUMBER,
    PERSONAL_IDENTITY_NUMBER,
    RESERVE_NUMBER,
    InvalidIdentityNumber,
    looks_like_identity_number,
    luhn_check_digit,
    parse_identity_number,
)

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    "written",
    ["199001012385", "19900101-2385", "900101-2385", "9001012385", " 900101 - 2385 "],
)
def test_every_common_form_gives_the_same_number(written):
    number = parse_identity_number(written, today=TODAY)
    assert number.value == "199001012385"
    assert number.kind == PERSONAL_IDENTITY_NUMBER
    assert number.birth_date == date(1990, 1, 1)
    assert number.formatted == "19900101-2385"


def test_sex_from_the_third_digit_of_the_birth_number():
    assert parse_identity_number("199001012385", today=TODAY).sex == "female"  # 238: 8 is even
    assert parse_identity_number("199001032391", today=TODAY).sex == "male"  # 239: 9 is odd


def test_plus_sign_means_a_hundred_years_more():
    number = parse_identity_number("900101+9802", today=TODAY)
    assert number.value == "189001019802"
    assert number.birth_date == date(1890, 1, 1)


def test_ten_digits_without_plus_take_the_latest_past_century():
    assert parse_identity_number("121212-1212", today=TODAY).birth_date == date(2012, 12, 12)
    assert parse_identity_number("300101-0002", today=TODAY).birth_date == date(1930, 1, 1)
    assert parse_identity_number("261125-0008", today=TODAY).birth_date == date(2026, 11, 25)
    assert parse_identity_number("261126-0007", today=TODAY).birth_date == date(1926, 11, 26)


def test_coordination_number_has_sixty_added_to_the_day():
    number = parse_identity_number("191401682396", today=TODAY)
    assert number.kind == COORDINATION_NUMBER
    assert number.birth_date == date(1914, 1, 8)
    assert number.birth_date_is_exact


def test_coordination_number_with_unknown_month_and_day_is_approximate():
    number = parse_identity_number("198000602394", today=TODAY)
    assert number.kind == COORDINATION_NUMBER
    assert number.birth_date == date(1980, 1, 1)
    assert not number.birth_date_is_exact


def test_personal_identity_number_with_day_zero_is_a_date_error():
    digits = "900100238"
    with pytest.raises(InvalidIdentityNumber) as error:
        parse_identity_number(f"19{digits}{luhn_check_digit(digits)}", today=TODAY)
    assert error.value.code == "date"


def test_wrong_check_digit():
    with pytest.raises(InvalidIdentityNumber) as error:
        parse_identity_number("199001012386", today=TODAY)
    assert error.value.code == "checksum"


def test_impossible_date():
    with pytest.raises(InvalidIdentityNumber) as error:
        parse_identity_number("19900231-2385", today=TODAY)
    assert error.value.code == "date"


def test_future_birth_date():
    digits = "271201001"
    number = f"20{digits}{luhn_check_digit(digits)}"
    with pytest.raises(InvalidIdentityNumber) as error:
        parse_identity_number(number, today=TODAY)
    assert error.value.code == "future"


@pytest.mark.parametrize("written", ["12345", "19900101-23856", "abc", "1990-01-01-2385", "900101+"])
def test_wrong_format(written):
    with pytest.raises(InvalidIdentityNumber) as error:
        parse_identity_number(written, today=TODAY)
    assert error.value.code == "format"


def test_plus_with_twelve_digits_is_a_format_error():
    with pytest.raises(InvalidIdentityNumber) as error:
        parse_identity_number("18900101+9802", today=TODAY)
    assert error.value.code == "format"


def test_empty():
    with pytest.raises(InvalidIdentityNumber) as error:
        parse_identity_number("  ", today=TODAY)
    assert error.value.code == "empty"
    assert "personnummer" in error.value.message


def test_reserve_number():
    number = parse_identity_number("r19800101123", today=TODAY)
    assert number.kind == RESERVE_NUMBER
    assert number.value == "R19800101123"
    assert number.birth_date == date(1980, 1, 1)
    assert number.sex == ""


def test_luhn_known_value():
    assert luhn_check_digit("900101238") == 5


def test_every_skatteverket_test_number_parses(test_numbers):
    for value in test_numbers:
        assert parse_identity_number(value, today=TODAY).value == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("19900101-2385", True), ("9001", True), ("R19800101123", True), ("Anna", False), ("", False)],
)
def test_looks_like_identity_number(text, expected):
    assert looks_like_identity_number(text) is expected


def test_every_skatteverket_coordination_number_parses():
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "people" / "data" / "test-coordination-numbers.csv"
    with open(path, encoding="utf-8") as handle:
        numbers = [row[0] for row in csv.reader(handle)][1:]
    assert len(numbers) == 2240
    for value in numbers:
        assert parse_identity_number(value, today=TODAY).kind == COORDINATION_NUMBER
