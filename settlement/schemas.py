"""The typed schema of ``clearing-fees`` (see ``core.params.schema``); seeded by migration 0002."""

from __future__ import annotations

from typing import Any

_RATE = {"type": "decimal", "min": "0", "max": "1"}

FEES_SCHEMA: dict[str, Any] = {
    "account_fee_monthly": {
        "type": "decimal",
        "min": "0",
        "max": "10000",
        "label": "Account management fee per month (CNY), charged on the month's last trading day",
    },
    "account_fee_only_with_debt": {
        "type": "boolean",
        "label": "Charge the account fee only to accounts with financed principal",
    },
    "service_fee_annual_rate": {
        **_RATE,
        "label": "Financing service fee per year on financed principal (accrues like interest)",
    },
    "service_fee_day_count": {
        "type": "choice",
        "choices": ["ACT/365", "ACT/360"],
        "label": "Day count of the financing service fee",
    },
    "vat_rate": {**_RATE, "label": "VAT on interest and fees (financial services)"},
    "fallback_package": {
        "type": "string",
        "label": "Package whose rates apply to debt of an account without a credit line",
    },
    "shard_size": {
        "type": "integer",
        "min": 100,
        "max": 1000000,
        "label": "Accounts per shard of the nightly clearing run",
    },
}

# Seeded values (source "seed"). VAT: financial services 6% (财税〔2016〕36号), included in the
# interest and fees charged. The fees are firm policy: change them to the firm's.
FEES_SEED: dict[str, Any] = {
    "account_fee_monthly": "10.00",
    "account_fee_only_with_debt": True,
    "service_fee_annual_rate": "0",
    "service_fee_day_count": "ACT/365",
    "vat_rate": "0.06",
    "fallback_package": "balanced",
    "shard_size": 10000,
}
