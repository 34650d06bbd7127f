"""Identifier checks (pure functions, no Django): NHS number and UPN."""

from __future__ import annotations

import re

NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None if no valid number can end them."""
    total = sum(int(d) * w for d, w in zip(first_nine, NHS_WEIGHTS, strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    """NHS number: 10 digits, the last a modulus-11 check digit (NHS Data Dictionary)."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    check = nhs_check_digit(digits[:9])
    return check is not None and check == int(digits[9])


# DfE "Unique Pupil Numbers (UPNs): a guide for schools and local authorities": the check letter
# is chosen from 23 letters (no I, O, S) by the weighted sum of the 12 following characters mod 23.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_UNKNOWN = {f"UN{i}" for i in range(1, 8)}


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (digits, the 12th possibly a letter)."""
    total = 0
    for position, char in enumerate(body, start=2):
        if char.isdigit():
            value = int(char)
        else:
            value = UPN_LETTERS.index(char)  # temporary UPNs: the last character is a letter
        total += value * position
    return UPN_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def is_valid_upn(value: str, *, allow_unknown: bool = True) -> bool:
    """A 13-character UPN with a correct check letter; UN1–UN7 where the UPN is not known."""
    upn = normalise_upn(value)
    if allow_unknown and upn in UPN_UNKNOWN:
        return True
    if not re.fullmatch(rf"[{UPN_LETTERS}]\d{{11}}[\d{UPN_LETTERS}]", upn):
        return False
    return upn_check_letter(upn[1:]) == upn[0]
