"""Extend the A-share rules with fund ticks and bands, STAR/BSE lot rules and fund fee rates;
seed the firm's default commission rate; define the market funding series.

Every version of ``ashare-trading`` (seeded or changed through maker-checker) holds a complete
snapshot, so each new key is added to every version with the value that was true from that
version's date on. The values below have not changed since the markets they describe opened:

* ETFs and other exchange funds trade in ticks of CNY 0.001 with a ±10% daily band from their
  first day; they pay no stamp duty and no transfer fee.
* STAR Market (opened 2019-07-22): a buy or sell order is at least 200 shares, then any whole
  number of shares; a balance under 200 shares is sold in one order.
* Beijing Stock Exchange (opened 2021-11-15): at least 100 shares, then any whole number.
"""

from datetime import date

from django.db import migrations

SET_KEY = "ashare-trading"
D = {"type": "decimal", "min": "0"}
I = {"type": "integer", "min": 1}
NEW_SCHEMA = {
    "tick_size_fund": {**D, "label": "Price tick for ETFs and exchange funds (CNY)"},
    "limit_fund": {**D, "max": "1", "label": "Daily limit, ETFs and exchange funds"},
    "ipo_free_days_fund": {"type": "integer", "min": 0, "label": "Days without limit after listing, funds"},
    "buy_min_star": {**I, "label": "STAR: minimum order (shares)"},
    "buy_step_star": {**I, "label": "STAR: order increment above the minimum (shares)"},
    "buy_min_bse": {**I, "label": "BSE: minimum order (shares)"},
    "buy_step_bse": {**I, "label": "BSE: order increment above the minimum (shares)"},
    "fund_stamp_duty_rate": {**D, "max": "0.01", "label": "Stamp duty on fund sales (of value)"},
    "fund_transfer_fee_rate": {**D, "max": "0.001", "label": "Transfer fee on fund trades, each side (of value)"},
}
NEW_VALUES = {
    "tick_size_fund": "0.001",
    "limit_fund": "0.10",
    "ipo_free_days_fund": 0,
    "buy_min_star": 200,
    "buy_step_star": 1,
    "buy_min_bse": 100,
    "buy_step_bse": 1,
    "fund_stamp_duty_rate": "0",
    "fund_transfer_fee_rate": "0",
}

COMMISSION_KEY = "brokerage-commission"
COMMISSION_SCHEMA = {
    "commission_rate": {
        "type": "decimal", "min": "0", "max": "0.003",
        "label": "The firm's commission rate (of value; capped by the exchange maximum)",
    },
}

SERIES = [
    ("gc001", "GC001 overnight exchange repo (SSE)", "percent_pa", "0", "100",
     "Weighted average rate of the 1-day government-bond pledged repo on the Shanghai exchange."),
    ("r007", "R007 7-day interbank pledged repo", "percent_pa", "0", "100",
     "Weighted average rate of 7-day pledged repo on the interbank market."),
    ("shibor_on", "SHIBOR overnight", "percent_pa", "0", "50",
     "Shanghai Interbank Offered Rate, overnight fixing."),
    ("shibor_1w", "SHIBOR 1 week", "percent_pa", "0", "50",
     "Shanghai Interbank Offered Rate, 1-week fixing."),
    ("shibor_3m", "SHIBOR 3 months", "percent_pa", "0", "50",
     "Shanghai Interbank Offered Rate, 3-month fixing."),
    ("margin_balance", "Market margin balance (SSE + SZSE + BSE)", "cny", "0", "100000000000000",
     "Outstanding margin financing and securities lending balance of the whole market, in CNY."),
]


def forwards(apps, schema_editor):
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    trading = ParameterSet.objects.get(key=SET_KEY)
    trading.schema = {**trading.schema, **NEW_SCHEMA}
    trading.save(update_fields=["schema"])
    for version in ParameterVersion.objects.filter(parameter_set=trading):
        version.values = {**NEW_VALUES, **version.values}
        version.save(update_fields=["values"])

    commission, _ = ParameterSet.objects.update_or_create(
        key=COMMISSION_KEY,
        defaults={
            "name": "Brokerage commission",
            "category": "markets",
            "description": "The firm's own commission rate on A-share trades; the exchange cap "
            "and the CNY 5 minimum live in the A-share trading rules.",
            "schema": COMMISSION_SCHEMA,
        },
    )
    ParameterVersion.objects.get_or_create(
        parameter_set=commission,
        effective_from=date(2015, 1, 1),
        status="approved",
        defaults={
            "values": {"commission_rate": "0.00025"},
            "source": "seed",
            "reason": "Initial firm default (0.025%), a common retail rate; change it through "
            "maker-checker to the firm's own schedule.",
        },
    )

    FundingSeries = apps.get_model("markets", "FundingSeries")
    for key, name, unit, low, high, description in SERIES:
        FundingSeries.objects.get_or_create(
            key=key,
            defaults={"name": name, "unit": unit, "min_value": low, "max_value": high,
                      "description": description},
        )


def backwards(apps, schema_editor):
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    trading = ParameterSet.objects.get(key=SET_KEY)
    trading.schema = {k: v for k, v in trading.schema.items() if k not in NEW_SCHEMA}
    trading.save(update_fields=["schema"])
    for version in ParameterVersion.objects.filter(parameter_set=trading):
        version.values = {k: v for k, v in version.values.items() if k not in NEW_SCHEMA}
        version.save(update_fields=["values"])
    ParameterVersion.objects.filter(parameter_set__key=COMMISSION_KEY).delete()
    ParameterSet.objects.filter(key=COMMISSION_KEY).delete()
    apps.get_model("markets", "FundingSeries").objects.filter(
        key__in=[s[0] for s in SERIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("markets", "0005_quotes_funding_series"), ("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
