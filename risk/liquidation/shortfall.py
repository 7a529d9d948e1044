"""穿仓: everything is sold and the cash left does not cover the debt.

The cash left repays what it can (interest, fees, principal — ``financing_repay``); the rest of
the debt leaves the margin book as a receivable from the client, one balanced entry of kind
``shortfall``:

    Dr shortfall_receivable  X   /   Cr interest_receivable, fees_receivable, financed_principal

so the maintenance ratio no longer counts it (the account owes no margin debt) while the ledger
still shows what the client owes; a :class:`ShortfallCase` puts it in front of staff. The
entry's key is per liquidation, so a rerun posts nothing twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import audit
from core.exceptions import InvalidInput
from core.fsm import apply_transition
from core.money import ZERO
from custody.enums import ChartCode, EntryKind
from custody.models import Position
from custody.services.financing import allocate_repayment, financing_repay, owed_by, repayment_legs
from custody.services.ledger import debit, post_entry
from risk.liquidation.models import Liquidation, ShortfallCase
from risk.margin.exact import exact_valuation


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _nothing_left(liquidation: Liquidation) -> bool:
    return not Position.objects.filter(
        Q(quantity__gt=0), margin_account_id=liquidation.margin_account_id
    ).exists()


def shortfall_if_exhausted(*, liquidation: Liquidation, day: date, actor: Any) -> bool:
    """Close the case when nothing is left to sell: completed if the cash covers the debt (it
    is repaid), else shortfall with a receivable and a case. False while shares remain (halted,
    locked at limit-down, T+1): the next day's plan sells them."""
    if not _nothing_left(liquidation):
        return False
    account = liquidation.margin_account
    valuation = exact_valuation(account.pk, day)
    repay = min(valuation.cash, valuation.liabilities)
    if repay > 0:
        financing_repay(
            margin_account=account,
            amount=repay,
            by=_user(actor),
            idempotency_key=f"liq-{liquidation.pk}-final-repay",
            on=day,
        )
    owed = owed_by(account)
    if owed.total <= 0:
        apply_transition(
            liquidation, "complete", by=_user(actor), reason="everything sold; debt repaid"
        )
        liquidation.closed_at, liquidation.closed_note = (
            timezone.now(),
            "everything sold; debt repaid",
        )
        liquidation.save()
        return True
    parts = allocate_repayment(owed, owed.total)
    entry = post_entry(
        key=f"liq-{liquidation.pk}-shortfall",
        kind=EntryKind.SHORTFALL,
        business_date=day,
        legs=[
            debit(ChartCode.SHORTFALL_RECEIVABLE, owed.total, account),
            *repayment_legs(account, parts),
        ],
        memo=f"shortfall after {liquidation}: debt not covered by the collateral",
        margin_account=account,
        created_by=_user(actor),
    )
    note = (
        f"Everything was sold by {day}; CNY {owed.total} of debt was left after the cash "
        f"repaid CNY {repay if repay > 0 else ZERO}."
    )
    case = ShortfallCase.objects.create(
        margin_account=account,
        liquidation=liquidation,
        opened_on=day,
        amount=owed.total,
        currency=account.currency,
        entry=entry,
        summary=note,
    )
    apply_transition(liquidation, "fall_short", by=_user(actor), reason=note)
    liquidation.closed_at, liquidation.closed_note = timezone.now(), note[:300]
    liquidation.save()
    audit.record(
        action="risk.shortfall_open",
        actor=actor,
        obj=case,
        details={"amount": str(owed.total), "liquidation": liquidation.pk},
    )
    return True


@transaction.atomic
def shortfall_take(*, case: ShortfallCase, actor: Any, note: str = "") -> ShortfallCase:
    locked = ShortfallCase.objects.select_for_update().get(pk=case.pk)
    apply_transition(locked, "take", by=_user(actor), reason=note or "taken for recovery")
    locked.assigned_to = _user(actor)
    locked.save()
    return locked


@transaction.atomic
def shortfall_close(*, case: ShortfallCase, actor: Any, note: str) -> ShortfallCase:
    if not (note or "").strip():
        raise InvalidInput(
            "say how the shortfall was recovered, settled or written off", field="note"
        )
    locked = ShortfallCase.objects.select_for_update().get(pk=case.pk)
    apply_transition(locked, "close", by=_user(actor), reason=note.strip())
    locked.note = note.strip()
    locked.save()
    audit.record(action="risk.shortfall_close", actor=actor, obj=locked, details={"note": note})
    return locked
