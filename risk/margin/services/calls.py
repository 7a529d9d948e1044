"""The margin-call lifecycle, decided with exact Decimal under the account's row lock.

    healthy ─▶ warning ─▶ issued ─▶ cured
                  │          │
                  └──────────┴─▶ liquidating ─▶ closed

* below the warning line: a call opens in *warning* and the client is told;
* still below the warning line at the close (the closing tick or the closing sweep): the call is
  *issued* — top up to the target by the close of the cure period's last trading day;
* back at or above the warning line (a warning) or the top-up target (an issued call): *cured*;
* below the liquidation line at any time, or an issued call's deadline passed: *liquidating*
  (unless an approved override holds liquidation that day); liquidation starters run;
* liquidating and the ratio restored to the target (or nothing owed): *closed*.

The client moves with the call: issued → ``issue_margin_call``, liquidating →
``start_liquidation``, cured / closed → ``restore``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed
from simple_history.utils import bulk_create_with_history

from core.fsm import apply_transition
from core.money import CENT, ZERO
from custody.models import MarginAccount
from custody.valuation import Valuation
from markets.calendar import add_trading_days
from risk.margin import hooks
from risk.margin.enums import OPEN_CALL_STATUSES, CallEvent, CallStatus, MarginLevel
from risk.margin.exact import exact_valuations
from risk.margin.models import MarginCall
from risk.margin.services.notifications import Notice, notify, notify_many
from risk.margin.terms import package_codes_by_client, terms_by_code


@dataclass(frozen=True)
class Lines:
    package_code: str
    warning: Decimal
    liquidation: Decimal
    target: Decimal
    cure_days: int


def level_of(ratio: Decimal | None, warning: Decimal, liquidation: Decimal) -> MarginLevel:
    if ratio is None or ratio >= warning:
        return MarginLevel.HEALTHY
    if ratio < liquidation:
        return MarginLevel.LIQUIDATION
    return MarginLevel.WARNING


def topup_amount(valuation: Valuation, target: Decimal) -> Decimal:
    """Cash to deposit so that (assets + x) / liabilities reaches the target, rounded up."""
    needed = target * valuation.liabilities - valuation.assets
    if needed <= 0:
        return ZERO
    return needed.quantize(CENT, rounding=ROUND_CEILING)


def open_call(margin_account_id: int, *, lock: bool = False) -> MarginCall | None:
    calls = MarginCall.objects.filter(
        margin_account_id=margin_account_id, status__in=OPEN_CALL_STATUSES
    )
    if lock:
        calls = calls.select_for_update()
    return calls.select_related("margin_account__client").first()


def _move_client(call: MarginCall, step: str, actor: Any, reason: str) -> None:
    """Move the client with the call; a client in another state (suspended) keeps it."""
    client = call.margin_account.client
    if can_proceed(getattr(client, step)):
        apply_transition(client, step, by=actor, reason=reason)
        client.save()


def _ratio_text(ratio: Decimal | None) -> str:
    return "∞" if ratio is None else f"{ratio * 100:.2f}%"


def _held(call: MarginCall, on: date) -> bool:
    return call.liquidation_held_until is not None and on <= call.liquidation_held_until


def _stamp(call: MarginCall, ratio: Decimal | None) -> None:
    call.last_ratio = ratio
    call.last_checked_at = timezone.now()


def _new_call(account: MarginAccount, lines: Lines, valuation: Valuation, on: date) -> MarginCall:
    # Only an account that owes something is ever below a line.
    ratio = valuation.ratio if valuation.ratio is not None else ZERO
    call = MarginCall(
        margin_account=account,
        package_code=lines.package_code,
        warning_line=lines.warning,
        liquidation_line=lines.liquidation,
        topup_target=lines.target,
        opened_on=on,
        ratio_at_open=ratio,
    )
    _stamp(call, ratio)
    return call


def _open_many(opening: list[tuple[MarginAccount, Lines, Valuation]], on: date) -> list[MarginCall]:
    """Open calls in *warning* for many accounts at once: one insert for the calls, one for
    their history and one for the outbox (a sharp fall opens hundreds in one sweep)."""
    calls = [_new_call(account, lines, valuation, on) for account, lines, valuation in opening]
    if not calls:
        return []
    bulk_create_with_history(calls, MarginCall, batch_size=1000)
    notify_many(
        [
            Notice(
                call,
                CallEvent.WARNING,
                call.last_ratio,
                f"ratio {_ratio_text(call.last_ratio)} is below the warning line "
                f"{_ratio_text(call.warning_line)}",
            )
            for call in calls
        ]
    )
    return calls


def _issue(call: MarginCall, valuation: Valuation, on: date, actor: Any, cure_days: int) -> None:
    ratio = valuation.ratio
    reason = (
        f"ratio {_ratio_text(ratio)} still below the warning line "
        f"{_ratio_text(call.warning_line)} at the close"
    )
    apply_transition(call, "issue", by=actor, reason=reason)
    call.issued_on = on
    call.due_on = add_trading_days(on, cure_days)
    call.amount_due = topup_amount(valuation, call.topup_target)
    _stamp(call, ratio)
    call.save()
    _move_client(call, "issue_margin_call", actor, reason)
    notify(call, CallEvent.CALL_ISSUED, ratio=ratio, reason=reason)


def _cure(call: MarginCall, valuation: Valuation, actor: Any, line: Decimal) -> None:
    ratio = valuation.ratio
    reason = f"ratio {_ratio_text(ratio)} restored to at least {_ratio_text(line)}"
    was_issued = call.status == CallStatus.ISSUED
    apply_transition(call, "cure", by=actor, reason=reason)
    call.ended_at = timezone.now()
    _stamp(call, ratio)
    call.save()
    if was_issued:
        _move_client(call, "restore", actor, reason)
    notify(call, CallEvent.CURED, ratio=ratio, reason=reason)


def _liquidate(call: MarginCall, valuation: Valuation, actor: Any, reason: str) -> None:
    ratio = valuation.ratio
    apply_transition(call, "liquidate", by=actor, reason=reason)
    call.liquidation_reason = reason[:200]
    if call.amount_due is None:
        call.amount_due = topup_amount(valuation, call.topup_target)
    _stamp(call, ratio)
    call.save()
    _move_client(call, "start_liquidation", actor, reason)
    notify(call, CallEvent.LIQUIDATION, ratio=ratio, reason=reason)
    hooks.start_liquidation(call, actor=actor)


def _close(call: MarginCall, valuation: Valuation, actor: Any) -> None:
    ratio = valuation.ratio
    reason = f"ratio {_ratio_text(ratio)} restored to the target {_ratio_text(call.topup_target)}"
    apply_transition(call, "close", by=actor, reason=reason)
    call.ended_at = timezone.now()
    _stamp(call, ratio)
    call.save()
    _move_client(call, "restore", actor, reason)
    notify(call, CallEvent.CLOSED, ratio=ratio, reason=reason)


def _below_liquidation_reason(call: MarginCall, ratio: Decimal | None) -> str:
    return (
        f"ratio {_ratio_text(ratio)} is below the liquidation line "
        f"{_ratio_text(call.liquidation_line)}"
    )


def _advance(
    call: MarginCall, valuation: Valuation, on: date, *, closing: bool, actor: Any, cure_days: int
) -> None:
    ratio = valuation.ratio
    restored = ratio is None or ratio >= call.topup_target
    below_liquidation = ratio is not None and ratio < call.liquidation_line
    if call.status == CallStatus.LIQUIDATING:
        if restored:
            _close(call, valuation, actor)
        return
    if call.status == CallStatus.WARNING and (ratio is None or ratio >= call.warning_line):
        _cure(call, valuation, actor, call.warning_line)
    elif call.status == CallStatus.ISSUED and restored:
        _cure(call, valuation, actor, call.topup_target)
    elif below_liquidation and not _held(call, on):
        _liquidate(call, valuation, actor, _below_liquidation_reason(call, ratio))
    elif call.status == CallStatus.ISSUED and call.due_on and on > call.due_on:
        if not _held(call, on):
            reason = f"deadline {call.due_on} passed with the ratio at {_ratio_text(ratio)}"
            _liquidate(call, valuation, actor, reason)
    elif call.status == CallStatus.WARNING and closing:
        _issue(call, valuation, on, actor, cure_days)


def _lines_by_account(accounts: list[MarginAccount], on: date) -> dict[int, Lines]:
    codes = package_codes_by_client([a.client_id for a in accounts], on)
    terms = terms_by_code(codes.values(), on)
    found: dict[int, Lines] = {}
    for account in accounts:
        code = codes.get(account.client_id)
        t = terms.get(code) if code else None
        if code and t is not None:
            found[account.pk] = Lines(
                code, t.warning_line, t.liquidation_line, t.topup_target, t.cure_period_trading_days
            )
    return found


def _level(valuation: Valuation, lines: Lines | None) -> MarginLevel:
    if lines is None:
        return MarginLevel.HEALTHY
    return level_of(valuation.ratio, lines.warning, lines.liquidation)


def _after_open(
    call: MarginCall, valuation: Valuation, lines: Lines, day: date, *, closing: bool, actor: Any
) -> None:
    """A call opened below the liquidation line liquidates at once; at the close it is issued."""
    if _level(valuation, lines) == MarginLevel.LIQUIDATION:
        _liquidate(call, valuation, actor, _below_liquidation_reason(call, valuation.ratio))
    elif closing:
        _issue(call, valuation, day, actor, lines.cure_days)


@transaction.atomic
def calls_reassess(
    margin_account_ids: list[int],
    *,
    actor: Any = None,
    on: date | None = None,
    closing: bool = False,
) -> dict[int, MarginCall | None]:
    """Re-check accounts with exact Decimal and move their calls (or open them), in one
    transaction: the accounts are locked first (primary-key order, as every service that
    moves cash or shares locks them), then valued — so no deposit or fill slips in between.

    Only a change of state writes anything; running it again with nothing changed is a no-op.
    Returns each account's call after the check (open or just ended), or ``None``.
    """
    day = on or timezone.localdate()
    accounts = list(
        MarginAccount.objects.select_for_update(of=("self",))
        .select_related("client__user", "client__partner")
        .filter(pk__in=sorted(set(margin_account_ids)))
        .order_by("pk")
    )
    ids = [a.pk for a in accounts]
    calls = {
        c.margin_account_id: c
        for c in MarginCall.objects.select_for_update().filter(
            margin_account_id__in=ids, status__in=OPEN_CALL_STATUSES
        )
    }
    valuations = exact_valuations(ids, day)
    lines = _lines_by_account(accounts, day)
    opening = [
        (account, lines[account.pk], valuations[account.pk])
        for account in accounts
        if account.pk not in calls
        and _level(valuations[account.pk], lines.get(account.pk)) != MarginLevel.HEALTHY
    ]
    opened = {new.margin_account_id: new for new in _open_many(opening, day)}
    for account_id, new in opened.items():
        _after_open(
            new, valuations[account_id], lines[account_id], day, closing=closing, actor=actor
        )
    result: dict[int, MarginCall | None] = dict(opened)
    for account in accounts:
        if account.pk in opened:
            continue
        call = calls.get(account.pk)
        if call is not None:
            call.margin_account = account
            cure_days = lines[account.pk].cure_days if account.pk in lines else 0
            _advance(
                call, valuations[account.pk], day, closing=closing, actor=actor, cure_days=cure_days
            )
        result[account.pk] = call
    return result


def call_reassess(
    margin_account: MarginAccount,
    *,
    actor: Any = None,
    on: date | None = None,
    closing: bool = False,
) -> MarginCall | None:
    """Re-check one account with exact Decimal and move its call (see :func:`calls_reassess`)."""
    return calls_reassess([margin_account.pk], actor=actor, on=on, closing=closing).get(
        margin_account.pk
    )
