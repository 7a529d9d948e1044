"""Demo custody book: margin accounts, deposits, a withdrawal awaiting approval, a camt.053
statement with one break, and AML cases — all through the services, safe to run twice.

Margin accounts are opened for the clients whose contracts are signed (active), on the demo's
opening day (``ctx.opening_day``), and funded that day, so the cleared demo days that follow
have accounts, cash and statements."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from accounts.enums import ClientKind, ClientStatus
from accounts.models import Client
from core.demo import DemoContext
from core.fsm import apply_transition
from custody.enums import Channel, DepositStatus, WithdrawalStatus
from custody.models import MarginAccount, Withdrawal
from custody.services.accounts import margin_account_open
from custody.services.aml import aml_daily_scan
from custody.services.deposits import deposit_confirm, deposit_expect
from custody.services.statements import statement_import
from custody.services.withdrawals import withdrawal_check, withdrawal_request

READY = [ClientStatus.ACTIVE]
# Used only when no other stage has seeded clients yet (custody's branch runs standalone).
FALLBACK_CLIENTS = [
    ("C9100001", "王芳 Wang Fang", ClientKind.PERSON),
    ("C9100002", "李强 Li Qiang", ClientKind.PERSON),
    ("C9100003", "华泰资产 Huatai Asset Mgmt", ClientKind.INSTITUTION),
]
LIFECYCLE = ["submit_kyc", "verify_kyc", "assess_suitability", "mark_eligible"]


def demo_bank_account(client: Client) -> str:
    """The demo client's registered own bank account number (deterministic)."""
    digits = "".join(ch for ch in client.client_no if ch.isdigit())
    return f"62220202{digits[-8:]:0>8}123"


def _clients(ctx: DemoContext) -> list[Client]:
    ready = list(Client.objects.filter(status__in=READY).order_by("pk")[:6])
    if ready:
        return ready
    for client_no, name, kind in FALLBACK_CLIENTS:
        client, created = Client.objects.get_or_create(
            client_no=client_no, defaults={"display_name": name, "kind": kind}
        )
        for step in LIFECYCLE if client.status == ClientStatus.DRAFT else []:
            apply_transition(client, step, by=ctx.staff["ops1"], reason="demo onboarding")
            client.save()
        ready.append(client)
    return ready


def _deposit(
    ctx: DemoContext,
    account: MarginAccount,
    amount: str,
    key: str,
    from_account: str,
    channel: str = Channel.BANK_TRANSFER,
    on: date | None = None,
) -> Any:
    day = on or ctx.today
    deposit = deposit_expect(
        margin_account=account,
        amount=amount,
        idempotency_key=key,
        by=ctx.staff["ops1"],
        expected_on=day,
        channel=channel,
    )
    if deposit.status == DepositStatus.EXPECTED:
        deposit_confirm(
            deposit=deposit,
            amount=amount,
            from_account_no=from_account,
            from_account_name=account.bank_account_holder,
            bank_reference=key,
            by=ctx.staff["finance1"],
            business_date=day,
            is_cash=channel == Channel.CASH,
        )
    return deposit


def _statement(ctx: DemoContext, account: MarginAccount) -> None:
    expected = deposit_expect(
        margin_account=account,
        amount="80000.00",
        idempotency_key="demo-statement-deposit",
        by=ctx.staff["ops1"],
        expected_on=ctx.today,
    )
    day = ctx.today.isoformat()
    own = demo_bank_account(account.client)
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>DEMO-{day}</MsgId><CreDtTm>{day}T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>DEMO-STMT-{day}</Id>
      <Acct><Id><Othr><Id>6222000000000000001</Id></Othr></Id></Acct>
      <Ntry><Amt Ccy="CNY">80000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>DEMO-1</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties><Dbtr><Pty><Nm>{account.bank_account_holder}</Nm></Pty></Dbtr>
            <DbtrAcct><Id><Othr><Id>{own}</Id></Othr></Id></DbtrAcct></RltdPties>
          <RmtInf><Ustrd>{expected.reference}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
      <Ntry><Amt Ccy="CNY">12345.67</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>DEMO-2</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties><Dbtr><Pty><Nm>赵六 Zhao Liu</Nm></Pty></Dbtr>
            <DbtrAcct><Id><Othr><Id>6217999900001111</Id></Othr></Id></DbtrAcct></RltdPties>
          <RmtInf><Ustrd>for my friend</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"""
    statement = statement_import(
        file_name=f"camt053-{day}.xml", data=xml.encode(), by=ctx.staff["finance1"]
    )
    ctx.log(
        f"custody: statement {statement.file_name}: {statement.matched_count} matched, "
        f"{statement.break_count} break"
    )


def demo_account_open(ctx: DemoContext, client: Client) -> MarginAccount:
    """The client's margin account, opened (once) on the demo's opening day.

    The service stamps the moment it runs; the demo's book was opened before the days it
    clears, so the stamp is moved back to the opening day's morning (only while it is later).
    """
    account = margin_account_open(
        client=client,
        by=ctx.staff["ops1"],
        bank_name="中国工商银行 ICBC",
        bank_account_no=demo_bank_account(client),
        bank_account_holder=client.display_name,
    )
    opened = timezone.make_aware(datetime.combine(ctx.opening_day, time(9, 30)))
    MarginAccount.objects.filter(pk=account.pk, opened_at__gt=opened).update(opened_at=opened)
    return account


def seed(ctx: DemoContext) -> None:
    accounts = [demo_account_open(ctx, client) for client in _clients(ctx)]
    for n, account in enumerate(accounts):
        _deposit(
            ctx,
            account,
            f"{(n + 2) * 100000}.00",
            f"demo-deposit-{account.pk}",
            demo_bank_account(account.client),
            on=ctx.opening_day,
        )
    main = accounts[0]
    # AML: cash above the daily threshold, and money from someone else (held for review).
    _deposit(ctx, main, "52000.00", "demo-cash", demo_bank_account(main.client), Channel.CASH)
    _deposit(ctx, accounts[-1], "30000.00", "demo-third-party", "6217000011112222333")
    withdrawal = withdrawal_request(
        margin_account=main,
        amount="150000.00",
        idempotency_key="demo-withdrawal",
        by=ctx.staff["ops1"],
        business_date=ctx.today,
    )
    if withdrawal.status == WithdrawalStatus.REQUESTED:
        withdrawal_check(withdrawal=withdrawal, by=ctx.staff["ops2"], note="demo")
    _statement(ctx, main)
    # The daily batch, as the scheduler would run it after the close (movements are also
    # screened one by one after commit).
    aml_daily_scan(day=ctx.today)
    waiting = Withdrawal.objects.filter(status=WithdrawalStatus.CHECKED).count()
    ctx.log(f"custody: {len(accounts)} margin accounts, {waiting} withdrawal(s) awaiting approval")
    ctx.notes.append(
        "Custody: finance1 or finance2 approves the checked withdrawal (Custody → Withdrawals), "
        "then selects it and runs 'Send … as one batch' for the pain.001 file; compliance1 "
        "reviews the held deposit and the AML cases; Reconciliation breaks has one unmatched "
        "bank line; Ledger accounts → 'Balances as of a date'."
    )
