"""Identity formats: resident ID (GB 11643), unified social credit code (GB 32100), mobile, cards.

Each check raises :class:`core.exceptions.InvalidInput` naming the field and the rule broken, so
the message can be shown to the person who typed the value. Checks return the value normalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum import luhn
from stdnum.cn import ric

from accounts.enums import Sex
from core.exceptions import InvalidInput

# GB/T 2260 province-level prefixes (the first two digits of a resident ID number).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split()
)
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK_CHARS = "10X98765432"
_RIC_FORMAT = re.compile(r"^\d{17}[\dX]$")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_FORMAT = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")
_USCC_REGION = re.compile(r"^\d{6}$")

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_ACCOUNT_DIGITS = re.compile(r"^\d{8,30}$")


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, RIC_WEIGHTS, strict=True))
    return RIC_CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str


def _age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def parse_resident_id(value: str, *, field: str = "id_number") -> ResidentId:
    """Check format, province, embedded birth date and check digit; lower-case x is accepted."""
    number = re.sub(r"\s", "", value or "").upper()
    if not _RIC_FORMAT.match(number):
        raise InvalidInput(
            f"{field}: a resident ID number has 17 digits followed by a digit or X (GB 11643); "
            f"got {len(number)} characters",
            field=field,
        )
    if number[:2] not in PROVINCE_CODES:
        raise InvalidInput(
            f"{field}: {number[:2]} is not a province code (GB/T 2260), so this is not a resident "
            "ID number",
            field=field,
        )
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidInput(
            f"{field}: the birth date in the number ({number[6:10]}-{number[10:12]}-"
            f"{number[12:14]}) is not a real date (GB 11643 positions 7–14)",
            field=field,
        ) from exc
    expected = resident_id_check_char(number[:17])
    # Cross-checked with python-stdnum's own MOD 11-2 implementation.
    if number[17] != expected or ric.calc_check_digit(number) != expected:
        raise InvalidInput(
            f"{field}: the check character should be {expected}, not {number[17]} "
            "(GB 11643 MOD 11-2); please re-type the number",
            field=field,
        )
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return ResidentId(number=number, birth_date=birth, sex=sex)


def validate_resident_id(
    value: str,
    *,
    on: date,
    min_age: int,
    birth_date: date | None = None,
    sex: str | None = None,
    field: str = "id_number",
) -> ResidentId:
    """A resident ID for an applicant: real, adult on ``on``, and agreeing with the form."""
    parsed = parse_resident_id(value, field=field)
    if parsed.birth_date > on:
        raise InvalidInput(
            f"{field}: the birth date in the number ({parsed.birth_date}) is in the future",
            field=field,
        )
    age = _age_on(parsed.birth_date, on)
    if age < min_age:
        raise InvalidInput(
            f"{field}: the applicant is {age} on {on} (born {parsed.birth_date}); clients must be "
            f"at least {min_age}",
            field=field,
        )
    if birth_date is not None and birth_date != parsed.birth_date:
        raise InvalidInput(
            f"birth_date: {birth_date} on the form differs from {parsed.birth_date} in the ID "
            "number",
            field="birth_date",
        )
    if sex and sex != parsed.sex:
        raise InvalidInput(
            f"sex: the form says {Sex(sex).label}, but the ID number's 17th digit says "
            f"{Sex(parsed.sex).label} (odd = male, even = female)",
            field="sex",
        )
    return parsed


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character: weights 3^i mod 31 over the 31-character alphabet."""
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str, *, field: str = "uscc") -> str:
    """Unified social credit code (GB 32100-2015), letters allowed in positions 1–2."""
    code = re.sub(r"[\s-]", "", value or "").upper()
    if len(code) != 18:
        raise InvalidInput(
            f"{field}: a unified social credit code has 18 characters (GB 32100); got {len(code)}",
            field=field,
        )
    if not _USCC_FORMAT.match(code):
        bad = sorted({c for c in code if c not in USCC_ALPHABET})
        raise InvalidInput(
            f"{field}: {', '.join(bad)} may not appear in a unified social credit code "
            "(GB 32100 uses 0-9 and A-Y without I, O, Z, S, V)",
            field=field,
        )
    if not _USCC_REGION.match(code[2:8]):
        raise InvalidInput(
            f"{field}: positions 3–8 must be the digits of a region code (GB 32100)", field=field
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise InvalidInput(
            f"{field}: the check character should be {expected}, not {code[17]} (GB 32100); "
            "please re-type the code",
            field=field,
        )
    return code


def validate_mobile(value: str, *, field: str = "mobile") -> str:
    """A mainland mobile number: 11 digits starting 13–19 (an optional +86 is dropped)."""
    number = re.sub(r"[\s-]", "", value or "")
    number = re.sub(r"^(\+86|0086)", "", number)
    if not _MOBILE.match(number):
        raise InvalidInput(
            f"{field}: a mainland mobile number has 11 digits starting with 13–19", field=field
        )
    return number


def validate_bank_account(value: str, *, is_card: bool, field: str = "account_number") -> str:
    """Digits only; a debit card number must also pass the Luhn check."""
    number = re.sub(r"[\s-]", "", value or "")
    if not _ACCOUNT_DIGITS.match(number):
        raise InvalidInput(
            f"{field}: an account number has 8–30 digits and nothing else", field=field
        )
    if is_card:
        if not 16 <= len(number) <= 19:
            raise InvalidInput(
                f"{field}: a bank card number has 16–19 digits; got {len(number)}", field=field
            )
        if not luhn.is_valid(number):
            raise InvalidInput(
                f"{field}: this card number fails the Luhn check digit; please re-type it",
                field=field,
            )
    return number


def validate_name(value: str, *, field: str = "name", max_length: int = 100) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise InvalidInput(f"{field}: a name is required", field=field)
    if len(name) > max_length:
        raise InvalidInput(
            f"{field}: at most {max_length} characters; got {len(name)}", field=field
        )
    if any(ch.isdigit() for ch in name):
        raise InvalidInput(f"{field}: a name may not contain digits", field=field)
    return name
