"""Names settlement owns: its parameter set, chart line and entry keys."""

from datetime import date

FEES_SET = "clearing-fees"
VAT_PAYABLE = "vat_payable"  # chart line added by settlement/migrations/0002


def interest_key(day: date, account_id: int) -> str:
    return f"interest:{day.isoformat()}:{account_id}"


def penalty_key(day: date, account_id: int) -> str:
    return f"penalty:{day.isoformat()}:{account_id}"


def service_fee_key(day: date, account_id: int) -> str:
    return f"service-fee:{day.isoformat()}:{account_id}"


def account_fee_key(day: date, account_id: int) -> str:
    # Once per month whatever the day it is charged on.
    return f"account-fee:{day:%Y-%m}:{account_id}"
