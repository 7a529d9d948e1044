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

__all__ = [
    "AmlCase",
    "BankStatement",
    "BankStatementLine",
    "Deposit",
    "FundMovement",
    "ImmutableError",
    "JournalEntry",
    "LedgerAccount",
    "LedgerAccountType",
    "LedgerBalance",
    "MarginAccount",
    "PaymentBatch",
    "Position",
    "Posting",
    "ReconciliationBreak",
    "Withdrawal",
]
