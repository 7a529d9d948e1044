"""Entering clients: persons, institutions, their traders and bank accounts, partners.

Everything is validated before anything is written, so a refused form leaves nothing behind.
Whoever enters or edits KYC data is recorded (``KycContribution``) and may not approve it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from accounts import rules
from accounts.enums import ClientKind, ContributionKind, PartnerKind
from accounts.lock_objects import client_for_update
from accounts.models import (
    AuthorisedTrader,
    BankAccount,
    Client,
    InstitutionProfile,
    Partner,
    PersonProfile,
    User,
)
from accounts.pii import index_of, seal, unseal
from accounts.screening.names import latin_name
from accounts.services.common import (
    contribute,
    ensure_editable,
    next_client_no,
    once,
    require_perm,
    require_text,
    today,
)
from accounts.validators import (
    parse_resident_id,
    validate_bank_account,
    validate_mobile,
    validate_name,
    validate_resident_id,
    validate_uscc,
)
from core.exceptions import InvalidInput
from core.money import to_decimal


def _amount(value: Any, field: str) -> Decimal:
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{field}: {value!r} is not an amount in CNY", field=field) from exc
    if amount < 0:
        raise InvalidInput(f"{field}: may not be negative", field=field)
    return amount


def _years(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 80:
        raise InvalidInput(f"{field}: give whole years between 0 and 80", field=field)
    return value


@dataclass(frozen=True)
class PersonDetails:
    """What the person form asks for; amounts in CNY."""

    name: str
    id_number: str
    birth_date: date
    sex: str
    mobile: str
    address: str
    occupation: str
    annual_income: Any
    financial_assets: Any
    investment_experience_years: int
    name_latin: str = ""
    employer: str = ""


def _clean_person(details: PersonDetails, on: date) -> dict[str, Any]:
    name = validate_name(details.name)
    resident = validate_resident_id(
        details.id_number,
        on=on,
        min_age=rules.kyc(on)["min_age_years"],
        birth_date=details.birth_date,
        sex=details.sex,
    )
    return {
        "name": name,
        "name_latin": " ".join(details.name_latin.split()) or latin_name(name),
        "id_number": resident.number,
        "birth_date": resident.birth_date,
        "sex": resident.sex,
        "mobile": validate_mobile(details.mobile),
        "address": require_text(details.address, "address", "an address"),
        "occupation": require_text(details.occupation, "occupation", "an occupation"),
        "employer": details.employer.strip(),
        "annual_income": _amount(details.annual_income, "annual_income"),
        "financial_assets": _amount(details.financial_assets, "financial_assets"),
        "investment_experience_years": _years(
            details.investment_experience_years, "investment_experience_years"
        ),
    }


def _ensure_new_id(number: str, *, field: str = "id_number", exclude: int | None = None) -> None:
    clash = PersonProfile.objects.filter(id_number_index=index_of(number))
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    found = clash.select_related("client").first()
    if found is not None:
        raise InvalidInput(
            f"{field}: client {found.client.client_no} already holds this resident ID; an account "
            "may only be opened once, in the holder's own name",
            field=field,
        )


def _new_client(*, kind: str, name: str, by: User, partner: Partner | None) -> Client:
    if partner is not None and not partner.active:
        raise InvalidInput(f"partner: {partner} no longer introduces clients", field="partner")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return Client.objects.create(
                    client_no=next_client_no(),
                    kind=kind,
                    display_name=name,
                    partner=partner,
                    entered_by=by,
                )
        except IntegrityError:
            continue  # another registration took the number; take the next one
    raise InvalidInput("could not allocate a client number; try again")


@transaction.atomic
def client_register_person(
    *,
    details: PersonDetails,
    by: User,
    partner: Partner | None = None,
    on: date | None = None,
    idempotency_key: str | None = None,
) -> Client:
    """A natural-person client in DRAFT, with encrypted identity details."""
    require_perm(by, "accounts.add_client", "enter clients")
    return once(
        scope="accounts.client_register",
        key=idempotency_key,
        payload={"id": index_of(details.id_number), "name": details.name},
        make=lambda: _register_person(details, by, partner, on),
        model=Client,
        actor=by,
    )


def _register_person(
    details: PersonDetails, by: User, partner: Partner | None, on: date | None
) -> Client:
    cleaned = _clean_person(details, on or today())
    _ensure_new_id(cleaned["id_number"])
    client = _new_client(kind=ClientKind.PERSON, name=cleaned["name"], by=by, partner=partner)
    sealed = seal(cleaned.pop("id_number"))
    PersonProfile.objects.create(
        client=client,
        **sealed.fields(),
        **cleaned,
    )
    contribute(client=client, user=by, kind=ContributionKind.ENTERED)
    return client


@transaction.atomic
def person_update(
    *, client: Client, details: PersonDetails, by: User, on: date | None = None
) -> Client:
    """Correct a person's details before KYC is verified; the editor may then not approve."""
    require_perm(by, "accounts.change_client", "edit clients")
    locked = client_for_update(client)
    ensure_editable(locked)
    profile = PersonProfile.objects.select_for_update().get(client=locked)
    if not details.id_number.strip():
        # Left blank on the form: the number on file stays (it is never sent to the page).
        details = replace(details, id_number=unseal(profile.id_number_encrypted))
    cleaned = _clean_person(details, on or today())
    _ensure_new_id(cleaned["id_number"], exclude=profile.pk)
    sealed = seal(cleaned.pop("id_number"))
    if sealed.index != profile.id_number_index:
        for name, sealed_value in sealed.fields().items():
            setattr(profile, name, sealed_value)
    for key, value in cleaned.items():
        setattr(profile, key, value)
    profile.save()
    locked.display_name = cleaned["name"]
    locked.save(update_fields=["display_name", "updated_at"])
    contribute(client=locked, user=by, kind=ContributionKind.EDITED, what="person details")
    return locked


@dataclass(frozen=True)
class InstitutionDetails:
    name: str
    uscc: str
    legal_rep_name: str
    legal_rep_id_number: str
    registered_address: str
    contact_mobile: str
    financial_assets: Any
    investment_experience_years: int
    name_latin: str = ""


def _clean_institution(details: InstitutionDetails, on: date) -> dict[str, Any]:
    legal_rep = parse_resident_id(details.legal_rep_id_number, field="legal_rep_id_number")
    validate_resident_id(
        legal_rep.number,
        on=on,
        min_age=rules.kyc(on)["min_age_years"],
        field="legal_rep_id_number",
    )
    return {
        "name": validate_name(details.name, max_length=200),
        "name_latin": " ".join(details.name_latin.split()),
        "uscc": validate_uscc(details.uscc),
        "legal_rep_name": validate_name(details.legal_rep_name, field="legal_rep_name"),
        "legal_rep_id": legal_rep.number,
        "registered_address": require_text(
            details.registered_address, "registered_address", "a registered address"
        ),
        "contact_mobile": validate_mobile(details.contact_mobile, field="contact_mobile"),
        "financial_assets": _amount(details.financial_assets, "financial_assets"),
        "investment_experience_years": _years(
            details.investment_experience_years, "investment_experience_years"
        ),
    }


@transaction.atomic
def client_register_institution(
    *,
    details: InstitutionDetails,
    by: User,
    partner: Partner | None = None,
    on: date | None = None,
    idempotency_key: str | None = None,
) -> Client:
    """An institutional client in DRAFT; the legal representative's ID is encrypted."""
    require_perm(by, "accounts.add_client", "enter clients")
    return once(
        scope="accounts.client_register",
        key=idempotency_key,
        payload={"uscc": details.uscc, "name": details.name},
        make=lambda: _register_institution(details, by, partner, on),
        model=Client,
        actor=by,
    )


def _register_institution(
    details: InstitutionDetails, by: User, partner: Partner | None, on: date | None
) -> Client:
    cleaned = _clean_institution(details, on or today())
    clash = InstitutionProfile.objects.filter(uscc=cleaned["uscc"]).select_related("client")
    if (found := clash.first()) is not None:
        raise InvalidInput(
            f"uscc: client {found.client.client_no} already has this unified social credit code",
            field="uscc",
        )
    client = _new_client(kind=ClientKind.INSTITUTION, name=cleaned["name"], by=by, partner=partner)
    sealed = seal(cleaned.pop("legal_rep_id"))
    InstitutionProfile.objects.create(
        client=client,
        **sealed.fields(),
        **cleaned,
    )
    contribute(client=client, user=by, kind=ContributionKind.ENTERED)
    return client


@transaction.atomic
def trader_add(
    *, client: Client, name: str, id_number: str, mobile: str, by: User, on: date | None = None
) -> AuthorisedTrader:
    """Someone the institution authorises to trade (their letter is a KYC document)."""
    require_perm(by, "accounts.change_client", "edit clients")
    locked = client_for_update(client)
    ensure_editable(locked)
    day = on or today()
    resident = validate_resident_id(
        id_number, on=day, min_age=rules.kyc(day)["min_age_years"], field="trader_id_number"
    )
    profile = InstitutionProfile.objects.filter(client=locked).first()
    if profile is None:
        raise InvalidInput("client: only institutions have authorised traders", field="client")
    sealed = seal(resident.number)
    if profile.traders.filter(id_number_index=sealed.index).exists():
        raise InvalidInput("trader_id_number: this person is already a trader", field="trader")
    trader = AuthorisedTrader.objects.create(
        institution=profile,
        name=validate_name(name, field="trader_name"),
        mobile=validate_mobile(mobile, field="trader_mobile"),
        **sealed.fields(),
    )
    contribute(client=locked, user=by, kind=ContributionKind.EDITED, what="authorised trader")
    return trader


def _holder_name(client: Client) -> str:
    person = PersonProfile.objects.filter(client=client).first()
    if person is not None:
        return person.name
    institution = InstitutionProfile.objects.filter(client=client).first()
    return institution.name if institution is not None else client.display_name


@transaction.atomic
def bank_account_add(
    *,
    client: Client,
    bank_name: str,
    account_name: str,
    account_number: str,
    is_card: bool,
    by: User,
) -> BankAccount:
    """The client's own account: held in the client's name (third-party accounts refused)."""
    require_perm(by, "accounts.change_client", "edit clients")
    locked = client_for_update(client)
    ensure_editable(locked)
    bank = require_text(bank_name, "bank_name", "the bank's name")
    number = validate_bank_account(account_number, is_card=is_card)
    holder = " ".join((account_name or "").split())
    own = _holder_name(locked)
    if holder != own:
        raise InvalidInput(
            f"account_name: the account must be in the client's own name ({own}), "
            f"not {holder or 'blank'}",
            field="account_name",
        )
    sealed = seal(number)
    if locked.bank_accounts.filter(number_index=sealed.index).exists():
        raise InvalidInput("account_number: this account is already recorded", field="account")
    account = BankAccount.objects.create(
        client=locked,
        bank_name=bank,
        account_name=holder,
        **sealed.fields("number"),
        is_card=is_card,
    )
    contribute(client=locked, user=by, kind=ContributionKind.EDITED, what="bank account")
    return account


@transaction.atomic
def partner_create(*, code: str, name: str, kind: str, by: User) -> Partner:
    require_perm(by, "accounts.add_partner", "add partners")
    if kind not in PartnerKind.values:
        raise InvalidInput(f"kind: choose one of {', '.join(PartnerKind.values)}", field="kind")
    slug = require_text(code, "code", "a partner code").lower()
    if Partner.objects.filter(code=slug).exists():
        raise InvalidInput(f"code: partner {slug!r} exists", field="code")
    return Partner.objects.create(code=slug, name=require_text(name, "name", "a name"), kind=kind)
