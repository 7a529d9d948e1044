"""Seed the A-share trading rules (fees, lots, price-limit bands) as dated parameters.

These are published figures (exchange and tax announcements), loaded as approved "regulatory
seed" versions; every later change goes through maker-checker in the console.
"""

from datetime import date

from django.db import migrations

SET_KEY = "ashare-trading"

D = {"type": "decimal", "min": "0"}
SCHEMA = {
    "stamp_duty_rate": {**D, "max": "0.01", "label": "Stamp duty, seller only (of value)"},
    "transfer_fee_rate": {**D, "max": "0.001", "label": "Transfer fee, each side (of value)"},
    "commission_max_rate": {**D, "max": "0.003", "label": "Commission cap (of value)"},
    "commission_min": {**D, "label": "Minimum commission per trade (CNY)"},
    "lot_size": {"type": "integer", "min": 1, "label": "Board lot for buying (shares)"},
    "tick_size": {**D, "label": "Price tick (CNY)"},
    "limit_main": {**D, "max": "1", "label": "Daily limit, main board"},
    "limit_chinext": {**D, "max": "1", "label": "Daily limit, ChiNext"},
    "limit_star": {**D, "max": "1", "label": "Daily limit, STAR"},
    "limit_bse": {**D, "max": "1", "label": "Daily limit, Beijing exchange"},
    "limit_st_main": {**D, "max": "1", "label": "Daily limit, main-board ST"},
    "ipo_free_days_main": {"type": "integer", "min": 0, "label": "Days without limit after listing, main board"},
    "ipo_free_days_chinext": {"type": "integer", "min": 0, "label": "Days without limit after listing, ChiNext"},
    "ipo_free_days_star": {"type": "integer", "min": 0, "label": "Days without limit after listing, STAR"},
    "ipo_free_days_bse": {"type": "integer", "min": 0, "label": "Days without limit after listing, BSE"},
}

BASE = {
    "stamp_duty_rate": "0.001",
    "transfer_fee_rate": "0.00002",
    "commission_max_rate": "0.003",
    "commission_min": "5.00",
    "lot_size": 100,
    "tick_size": "0.01",
    "limit_main": "0.10",
    "limit_chinext": "0.10",
    "limit_star": "0.20",
    "limit_bse": "0.30",
    "limit_st_main": "0.05",
    # Before the registration reforms a new listing was limited from its first day on
    # (main board +44%/-36% on day one, not modelled); one free day is the closest band.
    "ipo_free_days_main": 1,
    "ipo_free_days_chinext": 1,
    "ipo_free_days_star": 5,
    "ipo_free_days_bse": 1,
}

CHANGES = [
    (date(2015, 1, 1), {},
     "Baseline: stamp duty 0.1% seller-only (since 2008-09-19); transfer fee 0.002%; "
     "commission cap 0.3%, minimum CNY 5; main board ±10%, main-board ST ±5%."),
    (date(2020, 8, 24), {"limit_chinext": "0.20", "ipo_free_days_chinext": 5},
     "ChiNext registration reform: ±20% band, no limit in the first 5 trading days."),
    (date(2022, 4, 29), {"transfer_fee_rate": "0.00001"},
     "CSDC transfer fee cut to 0.001% of value, each side."),
    (date(2023, 4, 10), {"ipo_free_days_main": 5},
     "Main-board registration reform: no limit in a stock's first 5 trading days."),
    (date(2023, 8, 28), {"stamp_duty_rate": "0.0005"},
     "Stamp duty on share sales halved to 0.05% (MOF/STA announcement 2023 No. 39)."),
    (date(2026, 7, 6), {"limit_st_main": "0.10"},
     "Main-board ST price limit widened from ±5% to ±10%."),
]


def seed(apps, schema_editor):
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    parameter_set, _ = ParameterSet.objects.update_or_create(
        key=SET_KEY,
        defaults={
            "name": "A-share trading rules",
            "category": "markets",
            "description": "Fees, taxes, lots, ticks and daily price-limit bands for A-shares.",
            "schema": SCHEMA,
        },
    )
    values = dict(BASE)
    for effective_from, change, citation in CHANGES:
        values = {**values, **change}
        ParameterVersion.objects.get_or_create(
            parameter_set=parameter_set,
            effective_from=effective_from,
            status="approved",
            defaults={"values": dict(values), "source": "seed", "reason": citation},
        )


class Migration(migrations.Migration):
    dependencies = [("markets", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
