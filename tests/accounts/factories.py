"""Builders for onboarding tests: valid synthetic identities and clients made through services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory
from stdnum import luhn

from accounts.enums import ClientKind, DocumentType, PartnerKind, Sex
from accounts.models import Client, Partner, User
from accounts.services import (
    InstitutionDetails,
    PersonDetails,
    Upload,
    bank_account_add,
    client_register_institution,
    client_register_person,
    document_upload,
)
from accounts.validators import resident_id_check_char, uscc_check_char

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% test document\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def resident_id(born: date, *, sex: str = Sex.MALE, area: str = "110105", serial: int = 1) -> str:
    """A checksum-valid synthetic resident ID number (17th digit odd for men)."""
    order = serial * 2 + (1 if sex == Sex.MALE else 0)
    first17 = f"{area}{born:%Y%m%d}{order % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def uscc(body: str = "91330106MA2B1C3D4") -> str:
    return body + uscc_check_char(body)


def card(prefix: str = "622202100000000") -> str:
    number = prefix.ljust(18, "1")
    return number + luhn.calc_check_digit(number)


def person_details(**overrides: Any) -> PersonDetails:
    born = overrides.pop("born", date(1985, 6, 15))
    sex = overrides.get("sex", Sex.MALE)
    values: dict[str, Any] = {
        "name": "张伟",
        "id_number": resident_id(born, sex=sex, serial=overrides.pop("serial", 1)),
        "birth_date": born,
        "sex": sex,
        "mobile": "13800138000",
        "address": "北京市朝阳区建国路 88 号",
        "occupation": "工程师",
        "annual_income": "450000",
        "financial_assets": "1200000",
        "investment_experience_years": 5,
    }
    values.update(overrides)
    return PersonDetails(**values)


def institution_details(**overrides: Any) -> InstitutionDetails:
    values: dict[str, Any] = {
        "name": "杭州西湖投资管理有限公司",
        "uscc": uscc(),
        "legal_rep_name": "陈刚",
        "legal_rep_id_number": resident_id(date(1970, 3, 8), area="330106"),
        "registered_address": "杭州市西湖区文三路 100 号",
        "contact_mobile": "13900139000",
        "financial_assets": "80000000",
        "investment_experience_years": 8,
    }
    values.update(overrides)
    return InstitutionDetails(**values)


def register_person(by: User, **overrides: Any) -> Client:
    return client_register_person(details=person_details(**overrides), by=by)


def complete_kyc_file(client: Client, by: User) -> Client:
    """Upload the required documents and the client's own bank account."""
    kinds = (
        [DocumentType.ID_FRONT, DocumentType.ID_BACK, DocumentType.PROOF_OF_ASSETS]
        if client.kind == ClientKind.PERSON
        else [
            DocumentType.BUSINESS_LICENCE,
            DocumentType.AUTHORISATION_LETTER,
            DocumentType.PROOF_OF_ASSETS,
        ]
    )
    for number, kind in enumerate(kinds):
        document_upload(
            client=client,
            doc_type=kind,
            upload=Upload(f"{kind}.png", PNG + bytes([number])),
            by=by,
        )
    bank_account_add(
        client=client,
        bank_name="中国工商银行",
        account_name=client.display_name,
        account_number=card(),
        is_card=client.kind == ClientKind.PERSON,
        by=by,
    )
    return client


def register_institution(by: User, **overrides: Any) -> Client:
    return client_register_institution(details=institution_details(**overrides), by=by)


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    code = factory.Sequence(lambda n: f"partner{n}")
    name = factory.Sequence(lambda n: f"合作券商 {n}")
    kind = PartnerKind.BROKER


def decimal(value: str) -> Decimal:
    return Decimal(value)
