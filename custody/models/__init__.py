from custody.models.accounts import MarginAccount, Position
from custody.models.aml import AmlCase
from custody.models.bank import BankStatement, BankStatementLine, ReconciliationBreak
from custody.models.funding import Deposit, FundMovement, PaymentBatch, Withdrawal
from custody.models.ledger import (
    ImmutableError,
    JournalEntry,
    LedgerAccount,
    LedgerAccountType,
    LedgerBalance,
    Posting,
)
from custody.models.trading import Fill, FinancingMovement, FinancingRequest, Order

__all__ = [
    "AmlCase",
    "BankStatement",
    "BankStatementLine",
    "Deposit",
    "Fill",
    "FinancingMovement",
    "FinancingRequest",
    "FundMovement",
    "ImmutableError",
    "JournalEntry",
    "LedgerAccount",
    "LedgerAccountType",
    "LedgerBalance",
    "MarginAccount",
    "Order",
    "PaymentBatch",
    "Position",
    "Posting",
    "ReconciliationBreak",
    "Withdrawal",
]
