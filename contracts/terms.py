"""``ContractTerms``: every variable a contract needs, as one frozen, language-neutral snapshot.

A contract is generated from a ``ContractTerms`` value and keeps it (as JSON, decimals as text)
next to its PDFs, so the documents can be re-rendered and checked without asking the credit
stage again. :mod:`contracts.terms_builder` is the one place that builds it from a credit line
and the parameters in force; tests build it directly.

Free text that differs by language (the firm's name, the dispute venue, the governing law, the
custodian bank) is held twice, ``*_zh`` and ``*_en``; :meth:`ContractTerms.context` exposes the
right one under the plain name (``firm_name``) for the document's language.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from contracts import formatting
from contracts.vocabulary import DAY_COUNTS, FEE_BASES, FEES, ID_TYPES, LIQUIDATION_STEPS
from core.exceptions import InvalidInput

VENUE_KINDS = ("arbitration", "court")
CLIENT_KINDS = ("person", "institution")
LANGUAGES = ("zh-hans", "en")


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language == formatting.ZH else pair[1]


@dataclass(frozen=True)
class FeeTerm:
    """One fee: a rate (of the basis), a fixed or minimum amount, or both."""

    code: str
    basis: str
    rate: Decimal | None = None
    amount: Decimal | None = None

    def __post_init__(self) -> None:
        if self.code not in FEES:
            raise InvalidInput(
                f"fees: {self.code!r} has no contract wording; known fees: {', '.join(FEES)}",
                field="fees",
            )
        if self.basis not in FEE_BASES:
            raise InvalidInput(
                f"fees: basis {self.basis!r} of {self.code} is not one of {', '.join(FEE_BASES)}",
                field="fees",
            )
        if self.rate is None and self.amount is None:
            raise InvalidInput(f"fees: {self.code} needs a rate or an amount", field="fees")
        for value in (self.rate, self.amount):
            if value is not None and (not isinstance(value, Decimal) or value < 0):
                raise InvalidInput(
                    f"fees: {self.code} must be a non-negative Decimal", field="fees"
                )

    def describe(self, language: str) -> dict[str, str]:
        rate = formatting.percent(self.rate) if self.rate is not None else ""
        amount = formatting.money(self.amount, language) if self.amount is not None else ""
        if rate and amount:
            text = (
                f"{rate}（最低 {amount}）"
                if language == formatting.ZH
                else f"{rate} (minimum {amount})"
            )
        else:
            text = rate or amount
        return {
            "code": self.code,
            "label": _pick(FEES[self.code], language),
            "amount_text": text,
            "basis_label": _pick(FEE_BASES[self.basis], language),
        }


@dataclass(frozen=True)
class ContractTerms:
    SCHEMA_VERSION: ClassVar[int] = 1

    # The client, as identified in the contract (never the full ID number).
    client_no: str
    client_name: str
    client_kind: str
    client_id_type: str
    client_id_masked: str
    client_address: str
    # The credit line.
    credit_line_ref: str
    credit_limit: Decimal
    currency: str
    term_start: date
    term_end: date
    # The leverage package in force, and the regulatory floor applied to it.
    package_key: str
    package_name_zh: str
    package_name_en: str
    package_risk_level: str
    package_effective_from: date
    financing_margin_ratio: Decimal
    warning_line: Decimal
    liquidation_line: Decimal
    top_up_target: Decimal
    withdrawal_line: Decimal
    interest_rate: Decimal
    day_count: str
    penalty_rate_daily: Decimal
    cure_period_trading_days: int
    liquidation_order: tuple[str, ...]
    fees: tuple[FeeTerm, ...]
    # Custody of the client's cash.
    custody_bank_zh: str
    custody_bank_en: str
    # Disputes and the law.
    dispute_venue_kind: str
    dispute_venue_zh: str
    dispute_venue_en: str
    dispute_seat_zh: str
    dispute_seat_en: str
    governing_law_zh: str
    governing_law_en: str
    # The firm.
    firm_name_zh: str
    firm_name_en: str
    firm_address_zh: str
    firm_address_en: str
    firm_uscc: str
    firm_licence_no: str
    firm_service_phone: str
    # Optional: the client's bank account for custody, masked, once it is known.
    custody_account_masked: str | None = field(default=None)

    def __post_init__(self) -> None:
        _check_types(self)
        _check_choices(self)
        _check_masked(self)
        _check_lines(self)
        _check_dates(self)

    # -- JSON ---------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema": self.SCHEMA_VERSION}
        for f in fields(self):
            data[f.name] = _encode(getattr(self, f.name))
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ContractTerms:
        if data.get("schema") != cls.SCHEMA_VERSION:
            raise InvalidInput(
                f"contract terms have schema {data.get('schema')!r}; this version reads "
                f"{cls.SCHEMA_VERSION}",
                field="schema",
            )
        names = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(names) - {"schema"})
        if unknown:
            raise InvalidInput(f"unknown contract terms: {', '.join(unknown)}", field=unknown[0])
        values = {name: _decode(name, data[name]) for name in names if name in data}
        missing = sorted(n for n, f in names.items() if n not in values and _required(f))
        if missing:
            raise InvalidInput(f"missing contract terms: {', '.join(missing)}", field=missing[0])
        return cls(**values)

    # -- Rendering ----------------------------------------------------------------------------
    def context(self, language: str) -> dict[str, Any]:
        """Template variables for ``language``; empty optional terms are left out.

        Leaving them out (rather than passing ``None``) is what makes a template that prints an
        optional term unconditionally fail loudly, naming the variable.
        """
        if language not in LANGUAGES:
            raise InvalidInput(f"language {language!r} is not one of {', '.join(LANGUAGES)}")
        ctx: dict[str, Any] = {"language": language}
        for f in fields(self):
            value = getattr(self, f.name)
            base, suffix = f.name[:-3], f.name[-3:]
            if suffix in ("_zh", "_en"):
                if (suffix == "_zh") == (language == formatting.ZH):
                    ctx[base] = value
                continue
            ctx[f.name] = value
        days, zh_label, en_label = DAY_COUNTS[self.day_count]
        ctx["day_count_basis"] = days
        ctx["day_count_label"] = zh_label if language == formatting.ZH else en_label
        ctx["client_id_type_label"] = _pick(ID_TYPES[self.client_id_type], language)
        ctx["liquidation_order"] = [
            _pick(LIQUIDATION_STEPS[s], language) for s in self.liquidation_order
        ]
        ctx["fees"] = [fee.describe(language) for fee in self.fees]
        return {k: v for k, v in ctx.items() if v is not None}

    @classmethod
    def variable_names(cls) -> frozenset[str]:
        """Every name :meth:`context` may provide, whatever the language."""
        names = {"language", "day_count_basis", "day_count_label", "client_id_type_label"}
        for f in fields(cls):
            suffix = f.name[-3:]
            names.add(f.name[:-3] if suffix in ("_zh", "_en") else f.name)
        return frozenset(names)

    def replace(self, **changes: Any) -> ContractTerms:
        return dataclasses.replace(self, **changes)


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, FeeTerm):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    return value


_DECIMALS = {
    "credit_limit",
    "financing_margin_ratio",
    "warning_line",
    "liquidation_line",
    "top_up_target",
    "withdrawal_line",
    "interest_rate",
    "penalty_rate_daily",
}
_DATES = {"term_start", "term_end", "package_effective_from"}


def _decode(name: str, raw: Any) -> Any:
    try:
        if name in _DECIMALS:
            return Decimal(str(raw))
        if name in _DATES:
            return date.fromisoformat(str(raw))
        if name == "fees":
            return tuple(
                FeeTerm(
                    code=item["code"],
                    basis=item["basis"],
                    rate=None if item.get("rate") is None else Decimal(str(item["rate"])),
                    amount=None if item.get("amount") is None else Decimal(str(item["amount"])),
                )
                for item in raw
            )
        if name == "liquidation_order":
            return tuple(str(step) for step in raw)
    except (ArithmeticError, ValueError, TypeError, KeyError) as exc:
        raise InvalidInput(f"contract term {name}: {raw!r} cannot be read", field=name) from exc
    return raw


def _check_types(terms: ContractTerms) -> None:
    for name in sorted(_DECIMALS):
        value = getattr(terms, name)
        if not isinstance(value, Decimal) or not value.is_finite():
            raise InvalidInput(f"{name} must be a finite Decimal, got {value!r}", field=name)
        if value < 0:
            raise InvalidInput(f"{name} must not be negative, got {value}", field=name)
    for name in sorted(_DATES):
        if not isinstance(getattr(terms, name), date):
            raise InvalidInput(f"{name} must be a date", field=name)
    if isinstance(terms.cure_period_trading_days, bool) or not isinstance(
        terms.cure_period_trading_days, int
    ):
        raise InvalidInput(
            "cure_period_trading_days must be a whole number", field="cure_period_trading_days"
        )
    if terms.cure_period_trading_days < 1:
        raise InvalidInput(
            "cure_period_trading_days must be at least 1", field="cure_period_trading_days"
        )


def _check_choices(terms: ContractTerms) -> None:
    checks = [
        ("day_count", terms.day_count, tuple(DAY_COUNTS)),
        ("dispute_venue_kind", terms.dispute_venue_kind, VENUE_KINDS),
        ("client_kind", terms.client_kind, CLIENT_KINDS),
        ("client_id_type", terms.client_id_type, tuple(ID_TYPES)),
    ]
    for name, value, allowed in checks:
        if value not in allowed:
            raise InvalidInput(f"{name}: {value!r} is not one of {', '.join(allowed)}", field=name)
    if not terms.liquidation_order:
        raise InvalidInput(
            "liquidation_order must name at least one step", field="liquidation_order"
        )
    unknown = [s for s in terms.liquidation_order if s not in LIQUIDATION_STEPS]
    if unknown:
        raise InvalidInput(
            f"liquidation_order: {', '.join(unknown)} has no contract wording; known steps: "
            f"{', '.join(LIQUIDATION_STEPS)}",
            field="liquidation_order",
        )
    if len(set(terms.liquidation_order)) != len(terms.liquidation_order):
        raise InvalidInput("liquidation_order lists a step twice", field="liquidation_order")
    if not all(isinstance(fee, FeeTerm) for fee in terms.fees):
        raise InvalidInput("fees must be FeeTerm values", field="fees")


def _check_masked(terms: ContractTerms) -> None:
    # Contracts, their PDFs and the public verification answer show identifiers masked only.
    for name in ("client_id_masked", "custody_account_masked"):
        value = getattr(terms, name)
        if value is not None and "*" not in value:
            raise InvalidInput(
                f"{name} must be masked (e.g. 110105********002X); full identity and account "
                "numbers never go into contracts",
                field=name,
            )


def _check_lines(terms: ContractTerms) -> None:
    if not terms.liquidation_line < terms.warning_line < terms.top_up_target:
        raise InvalidInput(
            f"the lines must rise: liquidation {formatting.percent(terms.liquidation_line)} < "
            f"warning {formatting.percent(terms.warning_line)} < top-up target "
            f"{formatting.percent(terms.top_up_target)}",
            field="warning_line",
        )
    if terms.withdrawal_line < terms.top_up_target:
        raise InvalidInput(
            "the withdrawal line must not be below the top-up target", field="withdrawal_line"
        )
    if terms.credit_limit <= 0:
        raise InvalidInput("credit_limit must be positive", field="credit_limit")


def _check_dates(terms: ContractTerms) -> None:
    if terms.term_end <= terms.term_start:
        raise InvalidInput(
            f"the term must end after it starts ({terms.term_start} – {terms.term_end})",
            field="term_end",
        )
