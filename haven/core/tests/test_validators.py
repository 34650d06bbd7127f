"""NHS number (modulus 11) and UPN (check letter) validators, with generated inputs."""

from hypothesis import assume, given
from hypothesis import strategies as st

from haven.core.validators import (
    UPN_LETTERS,
    is_valid_nhs_number,
    is_valid_upn,
    nhs_check_digit,
    upn_check_letter,
)

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


def test_it_accepts_a_known_valid_nhs_number():
    assert is_valid_nhs_number("9990000107")
    assert is_valid_nhs_number("999 000 0107")
    assert is_valid_nhs_number("999-000-0107")


def test_it_rejects_malformed_nhs_numbers():
    for bad in ["", "999000010", "99900001070", "999000010X", "9990000108", "abcdefghij"]:
        assert not is_valid_nhs_number(bad), bad


@given(nine_digits)
def test_a_computed_check_digit_makes_a_valid_number(first_nine):
    check = nhs_check_digit(first_nine)
    if check is None:
        # remainder 10: no check digit can complete these nine digits
        assert not any(is_valid_nhs_number(first_nine + str(d)) for d in range(10))
    else:
        assert is_valid_nhs_number(first_nine + str(check))


@given(nine_digits, st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_error_is_detected(first_nine, position, delta):
    check = nhs_check_digit(first_nine)
    assume(check is not None)
    number = list(first_nine + str(check))
    number[position] = str((int(number[position]) + delta) % 10)
    assert not is_valid_nhs_number("".join(number))


@given(nine_digits, st.integers(0, 7))
def test_swapping_two_adjacent_different_digits_is_detected(first_nine, position):
    check = nhs_check_digit(first_nine)
    assume(check is not None)
    digits = list(first_nine)
    assume(digits[position] != digits[position + 1])
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    assert not is_valid_nhs_number("".join(digits) + str(check))


@given(twelve_digits)
def test_a_computed_check_letter_makes_a_valid_upn(body):
    letter = upn_check_letter(body)
    assert letter in UPN_LETTERS
    assert is_valid_upn(letter + body)
    assert is_valid_upn((letter + body).lower())


@given(twelve_digits, st.integers(0, 11), st.integers(1, 9))
def test_any_single_digit_error_in_a_upn_is_detected(body, position, delta):
    upn = list(upn_check_letter(body) + body)
    upn[position + 1] = str((int(upn[position + 1]) + delta) % 10)
    assert not is_valid_upn("".join(upn))


@given(twelve_digits)
def test_a_wrong_check_letter_is_refused(body):
    right = upn_check_letter(body)
    for letter in UPN_LETTERS:
        if letter != right:
            assert not is_valid_upn(letter + body)


def test_temporary_upns_end_in_a_letter():
    body = "21300012345" + "A"
    assert is_valid_upn(upn_check_letter(body) + body)


def test_unknown_upn_codes():
    for code in ["UN1", "UN2", "UN3", "UN4", "UN5", "UN6", "UN7"]:
        assert is_valid_upn(code)
        assert not is_valid_upn(code, allow_unknown=False)
    assert not is_valid_upn("UN8")
    assert not is_valid_upn("I21300012345")  # I, O and S are never check letters
