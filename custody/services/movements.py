"""Fund movements: the record fund-flow monitoring reads, screened after commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.transactions import enqueue_on_commit
from custody.models import Deposit, FundMovement, JournalEntry, MarginAccount, Withdrawal


def movement_record(
    *,
    margin_account: MarginAccount,
    direction: str,
    channel: str,
    amount: Decimal,
    business_date: date,
    own_account: bool,
    counterparty: str = "",
    cross_border: bool = False,
    deposit: Deposit | None = None,
    withdrawal: Withdrawal | None = None,
    entry: JournalEntry | None = None,
) -> FundMovement:
    from custody import tasks  # tasks import the AML services, which read movements

    movement = FundMovement.objects.create(
        margin_account=margin_account,
        direction=direction,
        channel=channel,
        amount=amount,
        currency=margin_account.currency,
        business_date=business_date,
        own_account=own_account,
        counterparty=counterparty[:200],
        cross_border=cross_border,
        deposit=deposit,
        withdrawal=withdrawal,
        entry=entry,
    )
    enqueue_on_commit(tasks.aml_screen_movement, movement.pk)
    return movement
