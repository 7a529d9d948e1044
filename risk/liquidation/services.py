"""Liquidation: open a case with a simulated plan, execute it through ``order_submit``, re-plan
on fills and each new trading day, complete it when the ratio is back, or post the shortfall.

Lock order (as everywhere in trading): margin account row → liquidation row → orders →
positions → ledger balances. Every entry point that moves money or state takes an idempotency
key or is idempotent by construction (a case, a day record, the shortfall entry key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import audit
from core.exceptions import IllegalTransition, InvalidInput, PermissionRefused
from core.fsm import apply_transition
from core.idempotency import run_once
from core.money import ZERO, quantize_money, quantize_rate
from custody.enums import OPEN_ORDER_STATUSES, OrderChannel, OrderPurpose
from custody.lock_objects import account_for_update
from custody.models import MarginAccount, Order
from custody.services.orders import order_cancel
from markets.calendar import next_trading_day
from markets.enums import OrderType, Side
from risk.liquidation.enums import OPEN_LIQUIDATION_STATUSES, LiquidationStatus
from risk.liquidation.inputs import Terms, account_terms, plan_input
from risk.liquidation.models import (
    Liquidation,
    LiquidationDay,
    LiquidationPlan,
    LiquidationPlanLine,
)
from risk.liquidation.planner import Plan, plan_liquidation
from risk.liquidation.rules import liquidation_policy
from risk.liquidation.shortfall import shortfall_if_exhausted
from risk.margin import hooks
from risk.margin.exact import exact_valuation
from risk.orders import order_submit

EXECUTE_PERMISSION = "risk.execute_liquidation"
HOLD_PERMISSION = "risk.hold_liquidation"
RATIO_CAP = 9999  # a ratio stored in a rate field; above this it is shown as "≥ 9999"


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _require(actor: Any, perm: str, what: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionRefused(f"{actor} may not {what}")


def _stored_ratio(value: Any) -> Any:
    if value is None:
        return None
    return quantize_rate(min(value, RATIO_CAP))


def _terms_for(liquidation: Liquidation) -> Terms:
    policy = liquidation_policy(timezone.localdate())
    return Terms(
        target=liquidation.target,
        buffer=liquidation.buffer,
        order_policy=liquidation.order_policy,
        participation=policy.participation,
        source=liquidation.terms_source,
    )


# -- reading ------------------------------------------------------------------------------------


def liquidation_simulate(*, margin_account: MarginAccount, on: date | None = None) -> Plan:
    """What liquidating ``margin_account`` on ``on`` would sell; changes nothing."""
    day = on or timezone.localdate()
    terms = account_terms(margin_account, day, liquidation_policy(day))
    return plan_liquidation(plan_input(margin_account, day, terms=terms))


# -- storing a plan -----------------------------------------------------------------------------


def _record_day(liquidation: Liquidation, plan: Plan, day: date) -> None:
    unsold = [
        {
            "code": u.code,
            "quantity": u.quantity,
            "value": str(u.value),
            "reason": u.reason,
            "why": u.reason_text,
        }
        for u in plan.unsold
    ]
    LiquidationDay.objects.update_or_create(
        liquidation=liquidation,
        day=day,
        defaults={
            "unsold": unsold,
            "unsold_value": sum((u.value for u in plan.unsold), ZERO),
            "uncovered": quantize_money(plan.uncovered),
        },
    )


def _store_plan(liquidation: Liquidation, plan: Plan, day: date, reason: str) -> LiquidationPlan:
    last = liquidation.plans.order_by("-version").values_list("version", flat=True).first()
    stored = LiquidationPlan.objects.create(
        liquidation=liquidation,
        version=(last or 0) + 1,
        on=day,
        reason=reason[:200],
        order_policy=plan.order_policy,
        cash=quantize_money(plan.cash),
        assets_before=quantize_money(plan.assets_before),
        debt_before=quantize_money(plan.debt_before),
        assets_after=quantize_money(plan.assets_after),
        debt_after=quantize_money(plan.debt_after),
        ratio_before=_stored_ratio(plan.ratio_before),
        ratio_after=_stored_ratio(plan.ratio_after),
        goal=plan.goal,
        restores=plan.restores,
        uncovered=quantize_money(plan.uncovered),
        unsold=[
            {"code": u.code, "quantity": u.quantity, "value": str(u.value), "reason": u.reason}
            for u in plan.unsold
        ],
    )
    orders = {
        o.pk: o for o in Order.objects.filter(pk__in=[i for ln in plan.lines for i in ln.order_ids])
    }
    LiquidationPlanLine.objects.bulk_create(
        [
            LiquidationPlanLine(
                plan=stored,
                seq=n,
                instrument_id=line.instrument_id,
                quantity=line.quantity,
                price=line.price,
                limit_price=line.limit_price,
                value=line.value,
                costs=line.costs,
                proceeds=line.proceeds,
                liquidate_last=line.liquidate_last,
                committed=line.committed,
                order=orders.get(line.order_ids[0]) if line.order_ids else None,
            )
            for n, line in enumerate(plan.lines, start=1)
        ]
    )
    _record_day(liquidation, plan, day)
    return stored


def _signature(lines: list[tuple[int, int, Any, bool]]) -> list[tuple[int, int, str, bool]]:
    return [(i, int(q), f"{p:.4f}", c) for i, q, p, c in lines]


def _unchanged(stored: LiquidationPlan | None, plan: Plan, day: date) -> bool:
    """The stored plan says exactly what a new one would, and nothing was sent for it yet."""
    if stored is None or stored.on != day:
        return False
    rows = list(
        stored.lines.order_by("seq").values_list(
            "instrument_id", "quantity", "limit_price", "committed", "order_id"
        )
    )
    if any(order_id is not None for *_, order_id in rows):
        return False
    fresh = [(ln.instrument_id, ln.quantity, ln.limit_price, ln.committed) for ln in plan.lines]
    return _signature([r[:4] for r in rows]) == _signature(fresh)


def _replan(liquidation: Liquidation, day: date, reason: str) -> tuple[LiquidationPlan, Plan]:
    """A new plan version from the account as it is now; the current one when nothing changed
    (executing right after simulating sends exactly the plan that was shown)."""
    data = plan_input(
        liquidation.margin_account, day, terms=_terms_for(liquidation), ref=liquidation.ref
    )
    plan = plan_liquidation(data)
    current = liquidation.current_plan()
    if current is not None and _unchanged(current, plan, day):
        _record_day(liquidation, plan, day)
        return current, plan
    return _store_plan(liquidation, plan, day, reason), plan


# -- open ---------------------------------------------------------------------------------------


def open_liquidation_of(margin_account: MarginAccount) -> Liquidation | None:
    return Liquidation.objects.filter(
        margin_account=margin_account, status__in=OPEN_LIQUIDATION_STATUSES
    ).first()


@transaction.atomic
def liquidation_open(
    *, margin_account: MarginAccount, trigger_ref: str, actor: Any, on: date | None = None
) -> Liquidation:
    """Open a liquidation case with plan v1 (simulated, nothing sent); the open case if any."""
    trigger_ref = (trigger_ref or "").strip()
    if not trigger_ref or len(trigger_ref) > 64:
        raise InvalidInput(
            "say what triggered the liquidation (1–64 characters)", field="trigger_ref"
        )
    day = on or timezone.localdate()
    account = account_for_update(margin_account.pk)
    existing = open_liquidation_of(account)
    if existing is not None:
        return existing
    valuation = exact_valuation(account.pk, day)
    if valuation.liabilities <= 0:
        raise InvalidInput(
            f"{account.account_no} owes nothing: there is nothing to liquidate for",
            field="margin_account",
        )
    terms = account_terms(account, day, liquidation_policy(day))
    liquidation = Liquidation.objects.create(
        margin_account=account,
        trigger_ref=trigger_ref,
        opened_on=day,
        opened_by=_user(actor),
        target=terms.target,
        buffer=terms.buffer,
        order_policy=terms.order_policy,
        terms_source=terms.source[:120],
    )
    _replan(liquidation, day, f"opened ({trigger_ref})")
    audit.record(
        action="risk.liquidation_open",
        actor=actor,
        obj=liquidation,
        details={"trigger": trigger_ref, "account": account.account_no},
    )
    return liquidation


# -- execute ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExecuteResult:
    liquidation: Liquidation
    plan: LiquidationPlan
    order_ids: tuple[int, ...]
    replayed: bool = False


def _send(liquidation: Liquidation, stored: LiquidationPlan, actor: Any, day: date) -> list[int]:
    """One order per new line of ``stored``; a refusal is kept on the line with its reasons."""
    sent = []
    for line in stored.lines.filter(committed=False, order__isnull=True).select_related(
        "instrument"
    ):
        result = order_submit(
            margin_account=liquidation.margin_account,
            instrument=line.instrument,
            side=Side.SELL,
            quantity=int(line.quantity),
            order_type=OrderType.LIMIT,
            limit_price=line.limit_price,
            channel=OrderChannel.LIQUIDATION,
            submitted_by=_user(actor),
            idempotency_key=f"liq-{liquidation.pk}-v{stored.version}-{line.seq}",
            purpose=OrderPurpose.LIQUIDATION,
            liquidation_ref=liquidation.ref,
            on=day,
        )
        line.order = result.order
        line.refusal = list(result.reasons)
        line.save(update_fields=["order", "refusal"])
        if result.accepted:
            sent.append(result.order.pk)
    return sent


def _open_orders(liquidation: Liquidation) -> list[Order]:
    return list(
        Order.objects.filter(
            margin_account=liquidation.margin_account,
            purpose=OrderPurpose.LIQUIDATION,
            liquidation_ref=liquidation.ref,
            status__in=OPEN_ORDER_STATUSES,
        ).order_by("pk")
    )


def _restored(liquidation: Liquidation, day: date) -> bool:
    valuation = exact_valuation(liquidation.margin_account.pk, day)
    ratio = valuation.ratio
    return ratio is None or ratio >= liquidation.target


def _finish(liquidation: Liquidation, day: date, actor: Any, why: str) -> None:
    for order in _open_orders(liquidation):
        order_cancel(order=order, by=_user(actor), reason=f"liquidation complete: {why}"[:300])
    apply_transition(liquidation, "complete", by=_user(actor), reason=why)
    liquidation.closed_at = timezone.now()
    liquidation.closed_note = why[:300]
    liquidation.save()
    # The margin side closes the call (and restores the client) once this case is saved.
    account = liquidation.margin_account
    transaction.on_commit(lambda: hooks.call_reassess(account, actor=actor, on=day))


def _advance(
    liquidation: Liquidation, day: date, actor: Any, reason: str, *, send: bool
) -> list[int]:
    """Re-plan and act: complete when restored, send new lines, or post the shortfall."""
    if _restored(liquidation, day):
        _finish(
            liquidation, day, actor, f"maintenance ratio back at {liquidation.target} ({reason})"
        )
        return []
    stored, plan = _replan(liquidation, day, reason)
    sent: list[int] = []
    if send and not liquidation.held:
        sent = _send(liquidation, stored, actor, day) if plan.new_lines else []
        if liquidation.status == LiquidationStatus.PLANNED:
            # Executing from now on, even on a day nothing can be sold (one-price limit-down):
            # the close and the next open re-plan and send what the market allows.
            apply_transition(liquidation, "start", by=_user(actor), reason=f"executing ({reason})")
            liquidation.save()
    if not plan.lines and not _open_orders(liquidation):
        shortfall_if_exhausted(liquidation=liquidation, day=day, actor=actor)
    return sent


def _locked(liquidation: Liquidation) -> Liquidation:
    account_for_update(liquidation.margin_account_id)
    return (
        Liquidation.objects.select_for_update()
        .select_related("margin_account__client")
        .get(pk=liquidation.pk)
    )


def liquidation_execute(
    *, liquidation: Liquidation, actor: Any, idempotency_key: str, on: date | None = None
) -> ExecuteResult:
    """Send the plan's orders (re-planned first: the plan shown may be hours old).

    Refused while held or closed, and for a person without ``risk.execute_liquidation``. The
    same key returns the first result and sends nothing new.
    """
    _require(actor, EXECUTE_PERMISSION, "execute a liquidation")
    day = on or timezone.localdate()
    payload = {"liquidation": liquidation.pk, "on": day.isoformat()}

    def action() -> dict[str, Any]:
        case = _locked(liquidation)
        if not case.is_open:
            raise IllegalTransition(
                f"{case} is {case.get_status_display().lower()}: nothing to execute"
            )
        if case.held:
            raise IllegalTransition(f"{case} is held ({case.held_reason}): release it first")
        sent = _advance(case, day, actor, "executed by staff" if actor else "executed", send=True)
        audit.record(
            action="risk.liquidation_execute",
            actor=actor,
            obj=case,
            details={"orders": sent, "key": idempotency_key},
        )
        plan = case.current_plan()
        return {"plan": plan.pk if plan else None, "orders": sent}

    with transaction.atomic():
        result, replayed = run_once(
            scope="risk.liquidation_execute",
            key=idempotency_key,
            payload=payload,
            actor=actor,
            action=action,
        )
    case = Liquidation.objects.get(pk=liquidation.pk)
    plan = (
        LiquidationPlan.objects.get(pk=result["plan"])
        if result.get("plan")
        else case.current_plan()
    )
    assert plan is not None  # noqa: S101 — every case has plan v1 from opening
    return ExecuteResult(case, plan, tuple(result["orders"]), replayed)


# -- hold, release, cancel ----------------------------------------------------------------------


@transaction.atomic
def liquidation_hold(*, liquidation: Liquidation, actor: Any, reason: str) -> Liquidation:
    """Stop sending orders (orders already sent stay; cancel them in the order book)."""
    _require(actor, HOLD_PERMISSION, "hold a liquidation")
    if not (reason or "").strip():
        raise InvalidInput("say why the liquidation is held", field="reason")
    case = _locked(liquidation)
    if not case.is_open:
        raise IllegalTransition(f"{case} is {case.get_status_display().lower()}: it cannot be held")
    case.held, case.held_reason = True, reason.strip()[:300]
    case.save(update_fields=["held", "held_reason"])
    audit.record(action="risk.liquidation_hold", actor=actor, obj=case, details={"reason": reason})
    return case


@transaction.atomic
def liquidation_release(*, liquidation: Liquidation, actor: Any, reason: str) -> Liquidation:
    _require(actor, HOLD_PERMISSION, "release a liquidation")
    if not (reason or "").strip():
        raise InvalidInput("say why the liquidation is released", field="reason")
    case = _locked(liquidation)
    if not case.held:
        raise IllegalTransition(f"{case} is not held")
    case.held, case.held_reason = False, ""
    case.save(update_fields=["held", "held_reason"])
    audit.record(
        action="risk.liquidation_release", actor=actor, obj=case, details={"reason": reason}
    )
    return case


@transaction.atomic
def liquidation_cancel(*, liquidation: Liquidation, actor: Any, reason: str) -> Liquidation:
    """Stop the case (e.g. the client paid in); its open orders are cancelled."""
    _require(actor, HOLD_PERMISSION, "cancel a liquidation")
    if not (reason or "").strip():
        raise InvalidInput("say why the liquidation is cancelled", field="reason")
    case = _locked(liquidation)
    apply_transition(case, "cancel", by=_user(actor), reason=reason.strip())
    for order in _open_orders(case):
        order_cancel(order=order, by=_user(actor), reason=f"liquidation cancelled: {reason}"[:300])
    case.closed_at, case.closed_note = timezone.now(), reason.strip()[:300]
    case.save()
    audit.record(
        action="risk.liquidation_cancel", actor=actor, obj=case, details={"reason": reason}
    )
    return case


# -- fills and days -----------------------------------------------------------------------------


def liquidation_of_order(order: Order) -> Liquidation | None:
    if order.purpose != OrderPurpose.LIQUIDATION or not order.liquidation_ref.startswith(
        "liquidation:"
    ):
        return None
    pk = order.liquidation_ref.removeprefix("liquidation:")
    return Liquidation.objects.filter(pk=int(pk)).first() if pk.isdigit() else None


def liquidation_on_fill(event: Any) -> None:
    """Fill listener: a liquidation sell filled (wholly or in part) — re-plan and act."""
    order = Order.objects.filter(pk=event.order_id).first()
    case = liquidation_of_order(order) if order is not None else None
    if case is None:
        return
    with transaction.atomic():
        locked = _locked(case)
        if locked.status != LiquidationStatus.EXECUTING:
            return
        state = "filled" if event.order_status == "filled" else "partly filled"
        _advance(
            locked,
            event.trade_date,
            None,
            f"order #{event.order_id} {state} ({event.quantity} at {event.price})",
            send=True,
        )


def liquidations_close_day(*, business_date: date) -> int:
    """After the close (open orders expired): re-plan each executing case for the next trading
    day and record what could not be sold today. Idempotent per day (the day record is
    replaced; a plan version is added only when the last one is not already for that day)."""
    count = 0
    nxt = next_trading_day(business_date)
    for found in Liquidation.objects.filter(status=LiquidationStatus.EXECUTING).order_by("pk"):
        with transaction.atomic():
            case = _locked(found)
            plan = case.current_plan()
            if plan is not None and plan.on >= nxt:
                continue
            _replan(case, nxt, f"unfilled at the close of {business_date}")
            count += 1
    return count


def liquidations_resume(*, on: date) -> int:
    """At the open: send each executing, not held case's plan for the day (one key per day)."""
    count = 0
    for case in Liquidation.objects.filter(status=LiquidationStatus.EXECUTING, held=False):
        result = liquidation_execute(
            liquidation=case, actor=None, idempotency_key=f"liq-resume-{case.pk}-{on}", on=on
        )
        count += 0 if result.replayed else 1
    return count
