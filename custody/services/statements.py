"""Import custodian bank statements and match their lines to expected movements.

A credit line whose reference names an expected deposit confirms it (posting or holding the
money); a debit line naming a sent withdrawal confirms it. Lines that match nothing, or match
with a different amount, become reconciliation breaks for a person. The same file imported twice
is recognised by its SHA-256 and not imported again.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.crypto import blind_index
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.fsm import apply_transition
from core.money import format_money
from core.redaction import mask_identifier
from custody.bank.statements import StatementLine, parse_statement
from custody.enums import (
    BreakKind,
    DepositStatus,
    LineStatus,
    MovementDirection,
    WithdrawalStatus,
)
from custody.models import (
    BankStatement,
    BankStatementLine,
    Deposit,
    ReconciliationBreak,
    Withdrawal,
)
from custody.services.deposits import deposit_confirm
from custody.services.withdrawals import withdrawal_confirm

_DEPOSIT_REF = re.compile(r"\bD\d{6}[0-9A-F]{8}\b")
_WITHDRAWAL_REF = re.compile(r"\bW\d{6}[0-9A-F]{8}\b")


@transaction.atomic
def statement_import(*, file_name: str, data: bytes, by: Any) -> BankStatement:
    """Import one statement file: all of it, or (if any line is bad) nothing."""
    if not by.has_perm("custody.import_bankstatement"):
        raise PermissionRefused(f"{by} may not import bank statements")
    digest = hashlib.sha256(data).hexdigest()
    existing = BankStatement.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    fmt, parsed = parse_statement(file_name, data)
    statement = BankStatement.objects.create(
        file_name=file_name[:200],
        format=fmt,
        sha256=digest,
        statement_id=parsed.statement_id[:60],
        imported_by=by,
        line_count=len(parsed.lines),
    )
    for line in parsed.lines:
        row = _store_line(statement, line)
        _match(row, line, by)
    statement.matched_count = statement.lines.filter(status=LineStatus.MATCHED).count()
    statement.break_count = statement.lines.filter(status=LineStatus.BREAK).count()
    statement.save(update_fields=["matched_count", "break_count"])
    return statement


def _store_line(statement: BankStatement, line: StatementLine) -> BankStatementLine:
    account = re.sub(r"[\s-]", "", line.counterparty_account)
    return BankStatementLine.objects.create(
        statement=statement,
        line_no=line.line_no,
        booking_date=line.booking_date,
        direction=line.direction,
        amount=line.amount,
        currency=line.currency,
        reference=line.reference[:140],
        bank_reference=line.bank_reference[:60],
        counterparty_name=line.counterparty_name[:200],
        counterparty_masked=mask_identifier(account, keep_start=4, keep_end=4) if account else "",
        counterparty_index=blind_index(account) if account else "",
        is_cash=line.is_cash,
        status=LineStatus.BREAK,
    )


def _match(row: BankStatementLine, line: StatementLine, by: Any) -> None:
    if line.direction == MovementDirection.IN:
        _match_deposit(row, line, by)
    else:
        _match_withdrawal(row, line, by)


def _open_break(row: BankStatementLine, kind: str, description: str, expected: Any = None) -> None:
    ReconciliationBreak.objects.create(
        kind=kind, line=row, amount=row.amount, expected_amount=expected, description=description
    )


def _find_deposit(row: BankStatementLine, line: StatementLine) -> Deposit | None:
    refs = _DEPOSIT_REF.findall(line.reference)
    if refs:
        return Deposit.objects.filter(reference__in=refs).first()
    if row.counterparty_index:
        # No reference: the one expected deposit of this amount from the registered account.
        candidates = list(
            Deposit.objects.filter(
                status=DepositStatus.EXPECTED,
                amount=line.amount,
                margin_account__bank_account_index=row.counterparty_index,
            )[:2]
        )
        if len(candidates) == 1:
            return candidates[0]
    return None


def _match_deposit(row: BankStatementLine, line: StatementLine, by: Any) -> None:
    deposit = _find_deposit(row, line)
    where = f"{row.statement.file_name} line {row.line_no}"
    if deposit is None:
        _open_break(
            row,
            BreakKind.UNMATCHED,
            f"{where}: {format_money(line.amount, line.currency)} received from "
            f"{line.counterparty_name or 'an unknown payer'} matches no expected deposit",
        )
        return
    if deposit.status != DepositStatus.EXPECTED:
        _open_break(
            row,
            BreakKind.UNMATCHED,
            f"{where}: deposit {deposit.reference} is already "
            f"{deposit.get_status_display().lower()}; a second payment arrived",
        )
        return
    if deposit.amount != line.amount or deposit.currency != line.currency:
        _open_break(
            row,
            BreakKind.AMOUNT_MISMATCH,
            f"{where}: deposit {deposit.reference} expected "
            f"{format_money(deposit.amount, deposit.currency)}, the bank received "
            f"{format_money(line.amount, line.currency)}",
            expected=deposit.amount,
        )
        return
    deposit_confirm(
        deposit=deposit,
        amount=line.amount,
        is_cash=line.is_cash,
        from_account_no=line.counterparty_account,
        from_account_name=line.counterparty_name,
        bank_reference=line.bank_reference,
        by=by,
        business_date=line.booking_date,
    )
    row.status = LineStatus.MATCHED
    row.deposit = deposit
    row.save(update_fields=["status", "deposit"])


def _match_withdrawal(row: BankStatementLine, line: StatementLine, by: Any) -> None:
    refs = _WITHDRAWAL_REF.findall(line.reference)
    withdrawal = Withdrawal.objects.filter(reference__in=refs).first() if refs else None
    where = f"{row.statement.file_name} line {row.line_no}"
    if withdrawal is None or withdrawal.status != WithdrawalStatus.SENT:
        state = f" ({withdrawal.get_status_display().lower()})" if withdrawal else ""
        _open_break(
            row,
            BreakKind.UNMATCHED,
            f"{where}: {format_money(line.amount, line.currency)} paid out matches no "
            f"sent withdrawal{state}",
        )
        return
    if withdrawal.amount != line.amount:
        _open_break(
            row,
            BreakKind.AMOUNT_MISMATCH,
            f"{where}: withdrawal {withdrawal.reference} instructed "
            f"{format_money(withdrawal.amount)}, the bank paid "
            f"{format_money(line.amount, line.currency)}",
            expected=withdrawal.amount,
        )
        return
    withdrawal_confirm(
        withdrawal=withdrawal, amount=line.amount, by=by, business_date=line.booking_date
    )
    row.status = LineStatus.MATCHED
    row.withdrawal = withdrawal
    row.save(update_fields=["status", "withdrawal"])


@transaction.atomic
def break_resolve(*, brk: ReconciliationBreak, by: Any, note: str) -> ReconciliationBreak:
    """Close a break with a note saying what was done (an entry posted, a payer contacted…)."""
    if not by.has_perm("custody.change_reconciliationbreak"):
        raise PermissionRefused(f"{by} may not resolve reconciliation breaks")
    if not note.strip():
        raise InvalidInput("say how the break was resolved", field="note")
    locked = ReconciliationBreak.objects.select_for_update().get(pk=brk.pk)
    if locked.status != "open":
        raise IllegalTransition(f"break #{locked.pk} is already resolved")
    apply_transition(locked, "resolve", by=by, reason=note.strip())
    locked.resolution_note = note.strip()
    locked.resolved_by = by
    locked.resolved_at = timezone.now()
    locked.save()
    return locked
