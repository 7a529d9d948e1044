"""Choices for custody: the chart of accounts, entry kinds and every workflow's states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ChartCode(models.TextChoices):
    """The chart of accounts. Rows of ``LedgerAccountType`` carry these codes (seeded as data)."""

    # Per margin account (the client's sub-ledger)
    CLIENT_CASH = "client_cash", _("Client cash")
    WITHDRAWAL_HOLD = "withdrawal_hold", _("Client cash held for withdrawal")
    FINANCED_PRINCIPAL = "financed_principal", _("Financed principal")
    INTEREST_RECEIVABLE = "interest_receivable", _("Interest receivable")
    FEES_RECEIVABLE = "fees_receivable", _("Fees receivable")
    SHORTFALL_RECEIVABLE = "shortfall_receivable", _("Receivable from client (shortfall)")
    # The firm
    CUSTODIAN_BANK = "custodian_bank", _("Custodian bank omnibus")
    BANK_IN_TRANSIT = "bank_in_transit", _("Bank payments in transit")
    SUSPENSE = "suspense", _("Suspense")
    CLEARING_SETTLEMENT = "clearing_settlement", _("Exchange clearing settlement")
    INTEREST_INCOME = "interest_income", _("Interest income")
    FEE_INCOME = "fee_income", _("Fee income")
    COMMISSION_INCOME = "commission_income", _("Commission income")
    STAMP_DUTY_PAYABLE = "stamp_duty_payable", _("Stamp duty payable")
    TRANSFER_FEE_PAYABLE = "transfer_fee_payable", _("Transfer fee payable")


class NormalSide(models.TextChoices):
    DEBIT = "debit", _("Debit (asset, expense)")
    CREDIT = "credit", _("Credit (liability, income)")


class AccountScope(models.TextChoices):
    CLIENT = "client", _("Per margin account")
    FIRM = "firm", _("Firm")


class EntryKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    DEPOSIT_HELD = "deposit_held", _("Deposit held for review")
    DEPOSIT_RELEASE = "deposit_release", _("Held deposit released")
    DEPOSIT_RETURN = "deposit_return", _("Held deposit returned")
    WITHDRAWAL_HOLD = "withdrawal_hold", _("Withdrawal: cash held")
    WITHDRAWAL_SENT = "withdrawal_sent", _("Withdrawal: instruction sent")
    WITHDRAWAL_CONFIRMED = "withdrawal_confirmed", _("Withdrawal: bank confirmed")
    TRANSFER = "transfer", _("Internal transfer")
    DRAWDOWN = "drawdown", _("Financing drawdown")
    REPAYMENT = "repayment", _("Financing repayment")
    TRADE = "trade", _("Trade settlement")
    INTEREST = "interest", _("Interest accrual")
    FEE = "fee", _("Fee")
    ADJUSTMENT = "adjustment", _("Adjustment")
    SHORTFALL = "shortfall", _("Shortfall (debt left after liquidation) to a receivable")
    REVERSAL = "reversal", _("Reversal")


class MarginAccountStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("margin account status", "Open")
    FROZEN = "frozen", _("Frozen")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CASH = "cash", _("Cash at the bank counter")
    INTERNAL = "internal", _("Internal transfer")


class DepositStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    BANK_CONFIRMED = "bank_confirmed", _("Bank confirmed")
    HELD = "held", _("Held for review")
    POSTED = "posted", _("Posted")
    RETURNED = "returned", _("Returned to sender")
    CANCELLED = "cancelled", _("Cancelled")


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CHECKED = "checked", _("Checked")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent to bank")
    CONFIRMED = "confirmed", _("Confirmed by bank")
    FAILED = "failed", _("Failed (reversed)")
    REJECTED = "rejected", _("Rejected (reversed)")


class BreakKind(models.TextChoices):
    UNMATCHED = "unmatched", _("No expected movement")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount differs from the expected movement")
    LEDGER_DIFFERENCE = "ledger_difference", _("Running balance differs from postings")


class BreakStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class StatementFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    CAMT053 = "camt053", _("ISO 20022 camt.053")


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("Matched")
    BREAK = "break", _("Break")


class MovementDirection(models.TextChoices):
    IN = "in", _("In")
    OUT = "out", _("Out")


class AmlRule(models.TextChoices):
    LARGE_CASH = "large_cash", _("Large cash (daily cumulative)")
    LARGE_TRANSFER = "large_transfer", _("Large transfer")
    STRUCTURING = "structuring", _("Structuring just below a threshold")
    RAPID_IN_OUT = "rapid_in_out", _("Rapid in-and-out")
    THIRD_PARTY = "third_party", _("Third-party money")


class AmlCaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Investigating")
    REPORTED = "reported", _("Reported")
    DISMISSED = "dismissed", _("Dismissed")


class OrderStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    PARTIALLY_FILLED = "partially_filled", _("Partially filled")
    FILLED = "filled", _("Filled")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


# Orders that may still fill (their remaining quantity reserves cash, credit and shares).
OPEN_ORDER_STATUSES = [OrderStatus.ACCEPTED, OrderStatus.PARTIALLY_FILLED]


class OrderChannel(models.TextChoices):
    PORTAL = "portal", _("Client portal")
    API = "api", _("Partner API")
    OPS = "ops", _("Operations console")
    LIQUIDATION = "liquidation", _("Liquidation")


class OrderPurpose(models.TextChoices):
    TRADE = "trade", _("Trade")
    LIQUIDATION = "liquidation", _("Liquidation")


class FinancingKind(models.TextChoices):
    DRAW = "draw", _("Drawdown")
    REPAY = "repay", _("Repayment")


class FinancingSource(models.TextChoices):
    REQUEST = "request", _("Requested drawdown or repayment")
    MARGIN_BUY = "margin_buy", _("Margin buy (financed part of a fill)")
    SALE = "sale", _("Sale proceeds repaying debt")


class FinancingRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a second person")
    EXECUTED = "executed", _("Executed")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Refused when executed")
