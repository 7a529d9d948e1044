"""Entering clients: validation before any write, encrypted PII, own-name bank accounts."""

from datetime import date

import pytest
from django.db import connection

from accounts.enums import ClientStatus, StaffRole
from accounts.models import (
    BankAccount,
    Client,
    InstitutionProfile,
    KycContribution,
    PersonProfile,
)
from accounts.pii import unseal
from accounts.services import bank_account_add, client_register_person, trader_add
from core.exceptions import InvalidInput, PermissionRefused
from tests.accounts.factories import (
    PartnerFactory,
    card,
    person_details,
    register_institution,
    register_person,
    resident_id,
)

pytestmark = pytest.mark.django_db


def _raw(sql: str, pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone()


def test_identity_and_account_numbers_are_encrypted_in_the_database(ops):
    details = person_details()
    client = register_person(ops)
    account = bank_account_add(
        client=client,
        bank_name="招商银行",
        account_name="张伟",
        account_number=card("621483000000000"),
        is_card=True,
        by=ops,
    )

    encrypted, index, masked = _raw(
        "SELECT id_number_encrypted, id_number_index, id_number_masked "
        "FROM accounts_personprofile WHERE client_id = %s",
        client.pk,
    )
    assert details.id_number not in encrypted and details.id_number[6:14] not in encrypted
    assert unseal(encrypted) == details.id_number
    assert index != details.id_number and len(index) == 64
    assert masked == details.id_number[:3] + "*" * 11 + details.id_number[-4:]
    (number_encrypted,) = _raw(
        "SELECT number_encrypted FROM accounts_bankaccount WHERE id = %s", account.pk
    )
    assert card("621483000000000") not in number_encrypted
    assert account.number_masked.endswith(card("621483000000000")[-4:])
    # The history tables hold the same ciphertext, never the number.
    assert not PersonProfile.history.filter(id_number_encrypted__contains=details.id_number)


def test_a_new_person_starts_in_draft_with_pinyin_and_who_entered_it(ops):
    partner = PartnerFactory.create()
    client = client_register_person(details=person_details(), by=ops, partner=partner)
    assert (client.status, client.client_no, client.partner) == (
        ClientStatus.DRAFT,
        "C0000001",
        partner,
    )
    assert client.person.name_latin == "Zhang Wei"
    assert list(KycContribution.objects.values_list("user", "kind")) == [(ops.pk, "entered")]


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"mobile": "1380013800"}, "mobile", "mobile: a mainland mobile number has 11 digits"),
        ({"born": date(2009, 1, 1)}, "id_number", "clients must be at least 18"),
        ({"annual_income": 1.5}, "annual_income", "annual_income: 1.5 is not an amount in CNY"),
        ({"address": "  "}, "address", "address: an address is required"),
        ({"id_number": "11010519491231002X"}, "birth_date", "on the form differs"),
    ],
)
def test_bad_input_is_refused_and_leaves_no_client(ops, override, field, message):
    with pytest.raises(InvalidInput) as error:
        register_person(ops, **override)
    assert error.value.field == field
    assert message in str(error.value)
    assert not Client.objects.exists()
    assert not PersonProfile.objects.exists()
    assert not KycContribution.objects.exists()


def test_one_resident_id_opens_one_client(ops):
    first = register_person(ops)
    with pytest.raises(InvalidInput) as error:
        register_person(ops, name="张伟伟")
    assert str(error.value) == (
        f"id_number: client {first.client_no} already holds this resident ID; an account may "
        "only be opened once, in the holder's own name"
    )
    assert Client.objects.count() == 1


def test_the_bank_account_must_be_in_the_clients_own_name(ops):
    client = register_person(ops)
    with pytest.raises(InvalidInput) as error:
        bank_account_add(
            client=client,
            bank_name="建设银行",
            account_name="李四",
            account_number=card(),
            is_card=True,
            by=ops,
        )
    assert str(error.value) == (
        "account_name: the account must be in the client's own name (张伟), not 李四"
    )
    assert not BankAccount.objects.exists()


def test_an_institution_with_legal_representative_and_traders(ops):
    client = register_institution(ops)
    profile = InstitutionProfile.objects.get(client=client)
    assert profile.uscc.startswith("91330106")
    trader = trader_add(
        client=client,
        name="刘洋",
        id_number=resident_id(date(1988, 2, 2), area="330102"),
        mobile="13700137000",
        by=ops,
    )
    assert trader.id_number_masked.startswith("330")
    with pytest.raises(InvalidInput, match="already has this unified social credit code"):
        register_institution(ops)


def test_people_without_the_role_cannot_enter_clients(make_staff):
    auditor = make_staff(StaffRole.AUDITOR)
    with pytest.raises(PermissionRefused):
        register_person(auditor)
    assert not Client.objects.exists()
