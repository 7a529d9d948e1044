"""Seed ``clearing-fees`` (VAT on financial services, the firm's fees, shard size) and add the
``vat_payable`` line to the chart of accounts.

VAT: financial services (interest on lending, fees) are taxed at 6% from 2016-05-01
(财税〔2016〕36号, the VAT reform for financial services); the charges are VAT-inclusive.
The fees are firm policy at go-live; change them to the firm's through maker-checker.
"""

from datetime import date

from django.db import migrations

_RATE = {"type": "decimal", "min": "0", "max": "1"}
# A frozen copy of settlement.schemas.FEES_SCHEMA (a test keeps them equal).
SCHEMA = {
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
VALUES = {
    "account_fee_monthly": "10.00",
    "account_fee_only_with_debt": True,
    "service_fee_annual_rate": "0",
    "service_fee_day_count": "ACT/365",
    "vat_rate": "0.06",
    "fallback_package": "balanced",
    "shard_size": 10000,
}


def seed(apps, schema_editor):
    AccountType = apps.get_model("custody", "LedgerAccountType")
    AccountType.objects.update_or_create(
        code="vat_payable",
        defaults={
            "name": "VAT payable",
            "scope": "firm",
            "normal_side": "credit",
            "non_negative": False,
            "description": "VAT included in the interest and fees charged to clients, owed to "
            "the tax authority.",
        },
    )
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    parameter_set, _ = ParameterSet.objects.update_or_create(
        key="clearing-fees",
        defaults={
            "name": "Nightly clearing: fees, taxes and shards",
            "category": "settlement",
            "description": "VAT on interest and fees, the firm's account and financing service "
            "fees, and how many accounts one shard of the clearing run holds.",
            "schema": SCHEMA,
        },
    )
    ParameterVersion.objects.get_or_create(
        parameter_set=parameter_set,
        effective_from=date(2016, 5, 1),
        status="approved",
        defaults={
            "values": VALUES,
            "source": "seed",
            "reason": "VAT 6% on financial services from 2016-05-01 (财税〔2016〕36号); account "
            "fee CNY 10 a month for accounts with debt and no service fee: firm policy at go-live.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("settlement", "0001_initial"),
        ("custody", "0002_chart_and_parameters"),
        ("core", "0001_initial"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
