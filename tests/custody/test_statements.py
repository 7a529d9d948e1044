"""Custodian bank statements: CSV and camt.053 in, matching, breaks, bad files refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.exceptions import InvalidInput
from custody.enums import BreakKind, BreakStatus, DepositStatus, LineStatus, WithdrawalStatus
from custody.models import BankStatement, BankStatementLine, JournalEntry, ReconciliationBreak
from custody.selectors import cash_balance
from custody.services.deposits import deposit_expect
from custody.services.payments import withdrawals_send
from custody.services.statements import break_resolve, statement_import
from custody.services.withdrawals import withdrawal_approve, withdrawal_check, withdrawal_request
from tests.custody.conftest import OTHER_ACCOUNT, OWN_ACCOUNT, fund
from tests.custody.statements import NS02, NS08, Line, camt053, csv_statement

pytestmark = pytest.mark.django_db


def expected(account, amount="1000.00", key="d1"):
    return deposit_expect(margin_account=account, amount=amount, idempotency_key=key, by=None)


def nothing_imported():
    return (
        BankStatement.objects.count(),
        BankStatementLine.objects.count(),
        ReconciliationBreak.objects.count(),
        JournalEntry.objects.count(),
    )


@pytest.mark.parametrize("ns", [NS02, NS08])
def test_camt053_lines_match_deposits_and_leave_one_break(account, finance, ns):
    first = expected(account, "1000.00", "d1")
    second = expected(account, "250.00", "d2")
    data = camt053(
        [
            Line("1000.00", reference=f"deposit {first.reference}", account=OWN_ACCOUNT),
            Line("250.00", reference=second.reference, account=OTHER_ACCOUNT, name="Li Si"),
            Line("77.00", reference="no idea", account="6200000000000009"),
        ],
        ns,
    )

    statement = statement_import(file_name="stmt.xml", data=data, by=finance)

    assert (statement.format, statement.statement_id) == ("camt053", "STMT-2026-03-02")
    assert (statement.line_count, statement.matched_count, statement.break_count) == (3, 2, 1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (DepositStatus.POSTED, DepositStatus.HELD)
    assert cash_balance(account) == Decimal("1000.00")
    brk = ReconciliationBreak.objects.get()
    assert brk.kind == BreakKind.UNMATCHED
    assert brk.description == (
        "stmt.xml line 3: CNY 77.00 received from Zhang San matches no expected deposit"
    )
    line = brk.line
    assert line is not None and line.counterparty_masked == "6200********0009"


def test_an_amount_mismatch_becomes_a_break_and_nothing_is_posted(account, finance):
    deposit = expected(account, "1000.00")
    data = csv_statement([Line("999.00", reference=deposit.reference, account=OWN_ACCOUNT)])
    statement_import(file_name="s.csv", data=data, by=finance)
    brk = ReconciliationBreak.objects.get()
    assert brk.kind == BreakKind.AMOUNT_MISMATCH
    assert brk.expected_amount == Decimal("1000.00")
    assert "expected CNY 1,000.00, the bank received CNY 999.00" in brk.description
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.EXPECTED
    assert cash_balance(account) == Decimal("0.00")

    resolved = break_resolve(brk=brk, by=finance, note="client sent less; new deposit expected")
    assert resolved.status == BreakStatus.RESOLVED and resolved.resolved_by == finance


def test_the_same_file_twice_is_imported_once(account, finance):
    deposit = expected(account)
    data = csv_statement([Line("1000.00", reference=deposit.reference, account=OWN_ACCOUNT)])
    first = statement_import(file_name="s.csv", data=data, by=finance)
    again = statement_import(file_name="s-copy.csv", data=data, by=finance)
    assert again.pk == first.pk
    assert cash_balance(account) == Decimal("1000.00")


def test_a_debit_line_confirms_a_sent_withdrawal(account, ops, ops2, finance, finance2):
    fund(account, "500.00")
    withdrawal = withdrawal_request(
        margin_account=account, amount="200.00", idempotency_key="w", by=ops
    )
    withdrawal_check(withdrawal=withdrawal, by=ops2)
    withdrawal_approve(withdrawal=withdrawal, by=finance)
    withdrawals_send(withdrawals=[withdrawal], by=finance, idempotency_key="b")
    data = camt053(
        [Line("200.00", direction="DBIT", reference=withdrawal.reference, account=OWN_ACCOUNT)]
    )
    statement = statement_import(file_name="out.xml", data=data, by=finance2)
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.CONFIRMED
    assert statement.lines.get().status == LineStatus.MATCHED


def test_a_deposit_without_reference_matches_by_registered_account_and_amount(account, finance):
    deposit = expected(account, "300.00")
    statement_import(
        file_name="s.csv", data=csv_statement([Line("300.00", account=OWN_ACCOUNT)]), by=finance
    )
    deposit.refresh_from_db()
    assert deposit.status == DepositStatus.POSTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            csv_statement([Line("10.00"), Line("ten", bank_ref="B2")]),
            "nothing imported — line 3: amount 'ten' is not a number",
        ),
        (
            csv_statement([Line("10.00", direction="SIDEWAYS")]),
            "nothing imported — line 2: direction 'SIDEWAYS' must be CRDT (money in) or DBIT",
        ),
        (
            b"booking_date,amount\n2026-03-02,1.00\n",
            "nothing imported — line 1: missing columns direction, currency, reference",
        ),
        (
            camt053([Line("10.00"), Line("-4.00")]),
            "nothing imported — Ntry 2 (line 21): Amt (line 22): amount '-4.00' must be a positive",
        ),
        (
            camt053([Line("10.00", day="02/03/2026")]),
            "nothing imported — Ntry 1 (line 8): BookgDt: date '02/03/2026' is not YYYY-MM-DD",
        ),
        (b"<Document><Broken></Document>", "nothing imported — line 1: not well-formed XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "boom">]><d>&x;</d>',
            "nothing imported — the XML was refused as unsafe",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>',
            "is not a camt.053.001.02 or .08 document",
        ),
    ],
)
def test_bad_files_are_refused_naming_the_line_and_nothing_is_imported(finance, data, message):
    before = nothing_imported()
    with pytest.raises(InvalidInput) as error:
        statement_import(file_name="bad", data=data, by=finance)
    assert message in str(error.value)
    assert nothing_imported() == before
