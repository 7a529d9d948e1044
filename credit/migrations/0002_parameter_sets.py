"""Define the credit parameter sets and seed the exchange margin rules (``margin-regulatory``).

``margin-regulatory`` is published history, loaded as approved "regulatory seed" versions; every
later change goes through maker-checker in the console. The firm's own sets (market regime,
credit policy, scorecard) are only defined here: their values are proposed and approved by two
people (``manage.py credit_install_defaults`` or the console). Leverage packages are defined as
they are added to the catalogue (``credit.services.leverage_package_define``).

The schemas below are frozen copies of ``credit/schemas.py`` as of this migration.
"""

from datetime import date

from django.db import migrations

REGULATORY_SCHEMA = {'financing_margin_ratio_min': {'type': 'decimal',
                                'min': '0.01',
                                'max': '10',
                                'label': 'Minimum financing margin ratio for new financing '
                                         '(own margin ÷ financed)'},
 'haircut_cap_index_constituent': {'type': 'decimal',
                                   'min': '0',
                                   'max': '1',
                                   'label': 'Haircut cap: SSE 180 / SZSE 100 stocks'},
 'haircut_cap_other_ashare': {'type': 'decimal',
                              'min': '0',
                              'max': '1',
                              'label': 'Haircut cap: other A-shares'},
 'haircut_cap_etf': {'type': 'decimal', 'min': '0', 'max': '1', 'label': 'Haircut cap: ETFs'},
 'haircut_cap_money_fund_treasury': {'type': 'decimal',
                                     'min': '0',
                                     'max': '1',
                                     'label': 'Haircut cap: money-market funds and treasury '
                                              'bonds'},
 'haircut_cap_other_fund_bond': {'type': 'decimal',
                                 'min': '0',
                                 'max': '1',
                                 'label': 'Haircut cap: other funds and bonds'},
 'haircut_zero_pe_above': {'type': 'decimal',
                           'min': '0',
                           'label': 'Static P/E above which (or at/below zero) a stock counts '
                                    'for nothing'},
 'contract_term_max_months': {'type': 'integer',
                              'min': 1,
                              'max': 60,
                              'label': 'Longest contract / credit term (months)'},
 'rollover_term_max_months': {'type': 'integer',
                              'min': 1,
                              'max': 60,
                              'label': 'Longest single rollover (months)'},
 'withdrawal_min_ratio': {'type': 'decimal',
                          'min': '1',
                          'max': '100',
                          'label': 'Maintenance ratio that must remain after withdrawing '
                                   'collateral'},
 'closing_line_min': {'type': 'decimal',
                      'min': '1',
                      'max': '10',
                      'label': 'Lowest closing (liquidation) line a contract may set'}}

REGIME_SCHEMA = {'regime': {'type': 'choice',
            'choices': ['normal', 'stressed', 'crisis'],
            'label': 'Market regime in force'},
 'multiplier_normal': {'type': 'decimal',
                       'min': '0',
                       'max': '1',
                       'label': 'Leverage multiplier in a normal market (≤ 1)'},
 'multiplier_stressed': {'type': 'decimal',
                         'min': '0',
                         'max': '1',
                         'label': 'Leverage multiplier in a stressed market (≤ 1)'},
 'multiplier_crisis': {'type': 'decimal',
                       'min': '0',
                       'max': '1',
                       'label': 'Leverage multiplier in a crisis (≤ 1)'}}

POLICY_SCHEMA = {'dual_approval_threshold': {'type': 'decimal',
                             'min': '0',
                             'label': 'Credit limits above this amount (CNY) need two '
                                      'approvers'},
 'application_expiry_days': {'type': 'integer',
                             'min': 1,
                             'max': 365,
                             'label': 'An open application expires after this many days'},
 'application_expiry_basis': {'type': 'choice',
                              'choices': ['calendar', 'trading'],
                              'label': 'Count the expiry in calendar or trading days'},
 'line_term_months': {'type': 'integer',
                      'min': 1,
                      'max': 60,
                      'label': 'Term of a new credit line (months)'},
 'line_renewal_months': {'type': 'integer',
                         'min': 1,
                         'max': 60,
                         'label': 'Extension granted by one renewal (months)'}}

SCORECARD_SCHEMA = {'factors': {'type': 'json', 'label': 'Factors with bins / categories, points, reason codes'},
 'grades': {'type': 'json', 'label': 'Grade cut-offs: [{grade, min_score}], best first'},
 'asset_multiple': {'type': 'json', 'label': 'Limit as a multiple of assets, by grade'},
 'grade_cap': {'type': 'json', 'label': 'Largest limit by grade (CNY)'},
 'tier_multiplier': {'type': 'json', 'label': "Limit multiplier by client tier ('*' = other)"},
 'limit_round_down_to': {'type': 'decimal',
                         'min': '0.01',
                         'label': 'Limits are rounded down to a multiple of this (CNY)'},
 'minimum_line': {'type': 'decimal',
                  'min': '0',
                  'label': 'A computed limit below this is no credit at all (CNY)'}}

REGULATORY_BASE = {
    "financing_margin_ratio_min": "0.50",
    "haircut_cap_index_constituent": "0.70",
    "haircut_cap_other_ashare": "0.65",
    "haircut_cap_etf": "0.90",
    "haircut_cap_money_fund_treasury": "0.95",
    "haircut_cap_other_fund_bond": "0.80",
    "haircut_zero_pe_above": "300",
    "contract_term_max_months": 6,
    "rollover_term_max_months": 6,
    "withdrawal_min_ratio": "3.00",
    "closing_line_min": "1.30",
}

REGULATORY_CHANGES = [
    (date(2015, 1, 1), {},
     "Baseline from the SSE/SZSE margin trading implementation rules: financing margin ratio "
     "at least 50%; collateral haircut caps (折算率) SSE 180 / SZSE 100 constituents 70%, other "
     "A-shares 65%, ETFs 90%, money funds and treasuries 95%, other funds and bonds 80%; ST, "
     "suspended, delisting, static P/E above 300 or negative 0%; contract term and each rollover "
     "at most 6 months; collateral withdrawable only above a 300% maintenance ratio; closing "
     "line at least 130%. Earlier history is not modelled."),
    (date(2015, 11, 23), {"financing_margin_ratio_min": "1.00"},
     "SSE/SZSE revised implementation rules: financing margin ratio raised from 50% to 100% "
     "for new financing from 2015-11-23."),
    (date(2019, 8, 9), {"closing_line_min": "1.00"},
     "SSE/SZSE 2019 revision: the uniform 130% minimum maintenance ratio is removed; warning and "
     "closing lines are set by contract. 100% remains as the arithmetic floor (collateral must "
     "at least cover the debt); it is not an exchange figure."),
    (date(2023, 9, 8), {"financing_margin_ratio_min": "0.80"},
     "Exchanges cut the financing margin ratio from 100% to 80% from 2023-09-08."),
    (date(2026, 1, 19), {"financing_margin_ratio_min": "1.00"},
     "Exchanges raise the financing margin ratio back to 100% for new contracts from "
     "2026-01-19."),
]

FIRM_SETS = [
    ("market-regime", "Market regime (dynamic leverage cap)", REGIME_SCHEMA,
     "The regime in force and the leverage multiplier (at most 1) per regime: it can only "
     "tighten a package's usable leverage. The liquidity forecast proposes changes here."),
    ("credit-policy", "Credit approval policy", POLICY_SCHEMA,
     "Two-approver threshold, application expiry, credit line term and renewal."),
    ("credit-scorecard", "Credit scorecard", SCORECARD_SCHEMA,
     "Factors, bins, points, reason codes, grade cut-offs and the limit formula."),
]


def seed(apps, schema_editor):
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    regulatory, _ = ParameterSet.objects.update_or_create(
        key="margin-regulatory",
        defaults={
            "name": "Exchange margin rules",
            "category": "credit",
            "description": "Regulatory limits every leverage package and contract must respect: "
            "financing margin ratio, haircut caps, terms, withdrawal threshold.",
            "schema": REGULATORY_SCHEMA,
        },
    )
    values = dict(REGULATORY_BASE)
    for effective_from, change, citation in REGULATORY_CHANGES:
        values = {**values, **change}
        ParameterVersion.objects.get_or_create(
            parameter_set=regulatory,
            effective_from=effective_from,
            status="approved",
            defaults={"values": dict(values), "source": "seed", "reason": citation},
        )
    for key, name, schema, description in FIRM_SETS:
        ParameterSet.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "category": "credit",
                "description": description,
                "schema": schema,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial"), ("core", "0002_audit_append_only_trigger")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
