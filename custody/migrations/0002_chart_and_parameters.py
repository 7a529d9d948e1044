"""Seed the chart of accounts, the funding limits and the AML thresholds.

The AML figures are the published large-value thresholds (PBOC Order [2016] No. 3, in force from
2017-07-01); the funding limit is the firm's policy at go-live. Every later change goes through
maker-checker in the console.
"""

from datetime import date

from django.db import migrations

CHART = [
    # code, name, scope, normal side, never below zero, description
    ("client_cash", "Client cash", "client", "credit", True,
     "What the firm owes the client in cash (a liability)."),
    ("withdrawal_hold", "Client cash held for withdrawal", "client", "credit", True,
     "Cash set aside for a requested withdrawal until the instruction is sent."),
    ("financed_principal", "Financed principal", "client", "debit", False,
     "Money lent to the client (an asset); a drawdown debits it and credits client cash."),
    ("interest_receivable", "Interest receivable", "client", "debit", False,
     "Interest accrued on financing, not yet paid."),
    ("fees_receivable", "Fees receivable", "client", "debit", False,
     "Fees charged to the client, not yet paid."),
    ("shortfall_receivable", "Receivable from client (shortfall)", "client", "debit", False,
     "What the client still owes after a liquidation left a deficit."),
    ("custodian_bank", "Custodian bank omnibus", "firm", "debit", False,
     "Client money held at the custodian bank."),
    ("bank_in_transit", "Bank payments in transit", "firm", "credit", False,
     "Withdrawal instructions sent, not yet seen leaving the omnibus account."),
    ("suspense", "Suspense", "firm", "credit", False,
     "Money received and not yet assigned (e.g. third-party deposits under review)."),
    ("clearing_settlement", "Exchange clearing settlement", "firm", "credit", False,
     "Net amounts due to / from the clearing house for trades."),
    ("interest_income", "Interest income", "firm", "credit", False, ""),
    ("fee_income", "Fee income", "firm", "credit", False, ""),
    ("commission_income", "Commission income", "firm", "credit", False, ""),
    ("stamp_duty_payable", "Stamp duty payable", "firm", "credit", False,
     "Stamp duty withheld on sales, due to the tax authority."),
    ("transfer_fee_payable", "Transfer fee payable", "firm", "credit", False,
     "Transfer fees withheld, due to the clearing house."),
]

D = {"type": "decimal", "min": "0"}
FUNDING_SCHEMA = {
    "withdrawal_second_approval_above": {
        **D, "label": "Withdrawals above this amount need a second approver (CNY)"},
}
AML_SCHEMA = {
    "cash_daily_threshold": {**D, "label": "Cash in a day, cumulative (CNY)"},
    "transfer_institution_threshold": {**D, "label": "Transfers by a non-natural person (CNY)"},
    "transfer_person_domestic_threshold": {
        **D, "label": "Domestic transfers by a natural person (CNY)"},
    "transfer_person_cross_border_threshold": {
        **D, "label": "Cross-border transfers by a natural person (CNY)"},
    "structuring_margin": {
        **D, "max": "0.5", "label": "Structuring: amounts this far below a threshold (fraction)"},
    "structuring_count": {
        "type": "integer", "min": 2, "label": "Structuring: this many such amounts …"},
    "structuring_window_days": {"type": "integer", "min": 1, "label": "… within these days"},
    "rapid_out_ratio": {
        **D, "max": "1", "label": "Rapid in-and-out: withdrawn share of recent deposits"},
    "rapid_window_days": {
        "type": "integer", "min": 1, "label": "Rapid in-and-out: within these days"},
    "third_party_money": {"type": "boolean", "label": "Open a case for third-party money"},
    "report_due_working_days": {
        "type": "integer", "min": 1, "label": "Report due within these working days"},
}
AML_VALUES = {
    "cash_daily_threshold": "50000.00",
    "transfer_institution_threshold": "2000000.00",
    "transfer_person_domestic_threshold": "500000.00",
    "transfer_person_cross_border_threshold": "200000.00",
    "structuring_margin": "0.10",
    "structuring_count": 3,
    "structuring_window_days": 10,
    "rapid_out_ratio": "0.80",
    "rapid_window_days": 3,
    "third_party_money": True,
    "report_due_working_days": 5,
}


def seed(apps, schema_editor):
    AccountType = apps.get_model("custody", "LedgerAccountType")
    for code, name, scope, side, non_negative, description in CHART:
        AccountType.objects.update_or_create(
            code=code,
            defaults={"name": name, "scope": scope, "normal_side": side,
                      "non_negative": non_negative, "description": description},
        )
    ParameterSet = apps.get_model("core", "ParameterSet")
    ParameterVersion = apps.get_model("core", "ParameterVersion")
    sets = [
        ("custody-funding", "Custody funding limits", FUNDING_SCHEMA,
         "Limits on money movements that need more people.",
         {"withdrawal_second_approval_above": "500000.00"}, date(2015, 1, 1),
         "Firm policy at go-live: a second approver above CNY 500,000."),
        ("aml-thresholds", "Fund-flow (AML) monitoring", AML_SCHEMA,
         "Large-value thresholds (PBOC 2016 No. 3) and the firm's suspicious-pattern rules.",
         AML_VALUES, date(2017, 7, 1),
         "PBOC Order [2016] No. 3 large-value thresholds, in force 2017-07-01; report within 5 "
         "working days. Pattern rules: firm policy."),
    ]
    for key, name, schema, description, values, effective_from, citation in sets:
        parameter_set, _ = ParameterSet.objects.update_or_create(
            key=key,
            defaults={"name": name, "category": "custody", "description": description,
                      "schema": schema},
        )
        ParameterVersion.objects.get_or_create(
            parameter_set=parameter_set,
            effective_from=effective_from,
            status="approved",
            defaults={"values": values, "source": "seed", "reason": citation},
        )


class Migration(migrations.Migration):
    dependencies = [("custody", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
