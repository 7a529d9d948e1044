"""GB 11643 resident IDs, GB 32100 credit codes, mobiles and cards: every refusal names the rule."""

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from accounts.enums import Sex
from accounts.validators import (
    parse_resident_id,
    validate_bank_account,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)
from core.exceptions import InvalidInput
from tests.accounts.factories import card, resident_id, uscc

ON = date(2026, 11, 27)


def test_the_domain_example_is_valid_and_its_neighbour_is_not():
    parsed = parse_resident_id("11010519491231002X")
    assert (parsed.birth_date, parsed.sex) == (date(1949, 12, 31), Sex.FEMALE)
    with pytest.raises(InvalidInput) as error:
        parse_resident_id("110105194912310021")
    assert str(error.value) == (
        "id_number: the check character should be X, not 1 (GB 11643 MOD 11-2); "
        "please re-type the number"
    )
    assert error.value.field == "id_number"


def test_a_lower_case_x_is_accepted_and_stored_upper_case():
    assert parse_resident_id("11010519491231002x").number == "11010519491231002X"


def test_an_impossible_birth_date_is_refused_even_with_a_right_check_digit():
    first17 = "11010519490230002"  # 30 February 1949
    from accounts.validators import resident_id_check_char

    with pytest.raises(InvalidInput) as error:
        parse_resident_id(first17 + resident_id_check_char(first17))
    assert "the birth date in the number (1949-02-30) is not a real date" in str(error.value)


def test_an_under_age_applicant_is_refused():
    number = resident_id(date(2008, 11, 28))
    with pytest.raises(InvalidInput) as error:
        validate_resident_id(number, on=ON, min_age=18)
    assert str(error.value) == (
        "id_number: the applicant is 17 on 2026-11-27 (born 2008-11-28); clients must be at "
        "least 18"
    )
    assert validate_resident_id(number, on=date(2026, 11, 28), min_age=18).number == number


def test_birth_date_and_sex_must_agree_with_the_form():
    number = resident_id(date(1990, 1, 2), sex=Sex.FEMALE)
    with pytest.raises(InvalidInput, match="birth_date: 1990-01-03 on the form differs"):
        validate_resident_id(number, on=ON, min_age=18, birth_date=date(1990, 1, 3))
    with pytest.raises(InvalidInput) as error:
        validate_resident_id(number, on=ON, min_age=18, sex=Sex.MALE)
    assert error.value.field == "sex"
    assert "17th digit says Female" in str(error.value)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1101051949123100", "has 17 digits followed by a digit or X (GB 11643); got 16"),
        ("99010519491231002X", "99 is not a province code"),
        ("1101051949123100AX", "has 17 digits followed by a digit or X"),
    ],
)
def test_malformed_numbers_say_what_is_wrong(number, message):
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_resident_id(number)


@given(
    born=st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 12, 31)),
    serial=st.integers(min_value=0, max_value=499),
    position=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_typo_is_caught(born, serial, position, delta):
    number = resident_id(born, serial=serial)
    assert parse_resident_id(number).birth_date == born
    digit = (int(number[position]) + delta) % 10
    typo = number[:position] + str(digit) + number[position + 1 :]
    with pytest.raises(InvalidInput):
        parse_resident_id(typo)


def test_the_domain_uscc_is_valid():
    assert validate_uscc("91110000600037341L") == "91110000600037341L"


def test_letters_in_positions_one_and_two_are_accepted_where_python_stdnum_refuses():
    code = uscc("Y1110000600037341")
    assert not stdnum_uscc.is_valid(code)
    assert validate_uscc(code) == code
    assert validate_uscc(uscc("N2440300MA5D1234K")) == uscc("N2440300MA5D1234K")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91110000600037341M", "the check character should be L, not M (GB 32100)"),
        ("9111000060003734", "has 18 characters (GB 32100); got 16"),
        ("91110000600037341I", "I may not appear in a unified social credit code"),
        ("91A1000060003734X1", "positions 3–8 must be the digits of a region code"),
    ],
)
def test_bad_credit_codes_are_refused_with_the_rule(code, message):
    with pytest.raises(InvalidInput, match=re.escape(message)) as error:
        validate_uscc(code)
    assert error.value.field == "uscc"


def test_mobile_numbers():
    assert validate_mobile("+86 138-0013-8000") == "13800138000"
    with pytest.raises(InvalidInput, match="mobile: a mainland mobile number has 11 digits"):
        validate_mobile("12800138000")


def test_cards_pass_luhn_and_corporate_accounts_need_only_digits():
    number = card()
    assert validate_bank_account(number, is_card=True) == number
    broken = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(InvalidInput, match="fails the Luhn check digit"):
        validate_bank_account(broken, is_card=True)
    assert (
        validate_bank_account("1202 0260 0910 0012 345", is_card=False)
        == "12020260091000123" + "45"
    )
