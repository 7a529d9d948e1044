"""Fund-flow (AML) monitoring: rules as dated parameters, cases with a working-day due date.

Screening runs after each movement commits (a Celery task) and as a daily batch over every
account that moved money that day. Each rule hit opens at most one case per account, rule and
window, so screening the same facts twice opens nothing new.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.enums import ClientKind
from core import audit
from core.enums import AuditAction
from core.exceptions import InvalidInput, PermissionRefused
from core.fsm import apply_transition
from core.money import ZERO, format_money, quantize_money
from core.params import ParameterSnapshot
from custody import rules
from custody.enums import AmlRule, Channel, MovementDirection
from custody.models import AmlCase, FundMovement, MarginAccount
from markets.calendar import add_trading_days


@dataclass
class Hit:
    rule: str
    window_key: str
    amount: Decimal
    summary: str
    movement_ids: list[int] = field(default_factory=list)


def _large_value_hits(
    account: MarginAccount, day: date, moves: list[FundMovement], p: ParameterSnapshot
) -> list[Hit]:
    hits = []
    cash = [m for m in moves if m.channel == Channel.CASH]
    cash_total = sum((m.amount for m in cash), ZERO)
    if cash and cash_total >= p["cash_daily_threshold"]:
        hits.append(
            Hit(
                AmlRule.LARGE_CASH,
                day.isoformat(),
                cash_total,
                f"cash of {format_money(cash_total)} on {day}, at or above "
                f"{format_money(p['cash_daily_threshold'])} in a day",
                [m.pk for m in cash],
            )
        )
    transfers = [m for m in moves if m.channel != Channel.CASH]
    for cross_border in (False, True):
        group = [m for m in transfers if m.cross_border == cross_border]
        total = sum((m.amount for m in group), ZERO)
        threshold = transfer_threshold(account, cross_border, p)
        if group and total >= threshold:
            where = "cross-border" if cross_border else "domestic"
            hits.append(
                Hit(
                    AmlRule.LARGE_TRANSFER,
                    f"{day.isoformat()}:{where}",
                    total,
                    f"{where} transfers of {format_money(total)} on {day}, at or above "
                    f"{format_money(threshold)}",
                    [m.pk for m in group],
                )
            )
    return hits


def transfer_threshold(account: MarginAccount, cross_border: bool, p: ParameterSnapshot) -> Decimal:
    if account.client.kind == ClientKind.INSTITUTION:
        result: Decimal = p["transfer_institution_threshold"]
    elif cross_border:
        result = p["transfer_person_cross_border_threshold"]
    else:
        result = p["transfer_person_domestic_threshold"]
    return result


def _structuring_hits(
    account: MarginAccount, day: date, window: list[FundMovement], p: ParameterSnapshot
) -> list[Hit]:
    hits = []
    margin = p["structuring_margin"]
    for channel_is_cash in (True, False):
        group = [m for m in window if (m.channel == Channel.CASH) == channel_is_cash]
        if not group:
            continue
        threshold = (
            p["cash_daily_threshold"] if channel_is_cash else transfer_threshold(account, False, p)
        )
        near = [m for m in group if threshold * (1 - margin) <= m.amount < threshold]
        if len(near) >= p["structuring_count"]:
            first = min(m.business_date for m in near)
            hits.append(
                Hit(
                    AmlRule.STRUCTURING,
                    f"{first.isoformat()}:{'cash' if channel_is_cash else 'tr'}",
                    sum((m.amount for m in near), ZERO),
                    f"{len(near)} amounts just below {format_money(threshold)} between {first} and "
                    f"{day}",
                    [m.pk for m in near],
                )
            )
    return hits


def _rapid_hits(day: date, window: list[FundMovement], p: ParameterSnapshot) -> list[Hit]:
    out_today = [
        m for m in window if m.direction == MovementDirection.OUT and m.business_date == day
    ]
    ins = [m for m in window if m.direction == MovementDirection.IN]
    total_in = sum((m.amount for m in ins), ZERO)
    total_out = sum((m.amount for m in out_today), ZERO)
    if not out_today or total_in <= 0 or total_out < total_in * p["rapid_out_ratio"]:
        return []
    return [
        Hit(
            AmlRule.RAPID_IN_OUT,
            day.isoformat(),
            total_out,
            f"{format_money(total_out)} out on {day} against {format_money(total_in)} in "
            f"over the {p['rapid_window_days']} days before",
            [m.pk for m in ins + out_today],
        )
    ]


def _third_party_hits(day: date, moves: list[FundMovement], p: ParameterSnapshot) -> list[Hit]:
    foreign = [m for m in moves if not m.own_account]
    if not foreign or not p["third_party_money"]:
        return []
    total = sum((m.amount for m in foreign), ZERO)
    who = ", ".join(sorted({m.counterparty for m in foreign if m.counterparty}))
    return [
        Hit(
            AmlRule.THIRD_PARTY,
            day.isoformat(),
            total,
            f"{format_money(total)} to or from accounts other than the client's own on "
            f"{day}: {who}",
            [m.pk for m in foreign],
        )
    ]


def evaluate(account: MarginAccount, day: date) -> tuple[list[Hit], int]:
    """Every rule's hits for one account on one day (one query for the movements)."""
    p = rules.aml_snapshot(day)
    span = max(p["structuring_window_days"], p["rapid_window_days"])
    window = list(
        FundMovement.objects.filter(
            margin_account=account,
            business_date__gt=day - timedelta(days=span),
            business_date__lte=day,
        ).order_by("pk")
    )
    today = [m for m in window if m.business_date == day]
    structuring_from = day - timedelta(days=p["structuring_window_days"])
    rapid_from = day - timedelta(days=p["rapid_window_days"])
    hits = (
        _large_value_hits(account, day, today, p)
        + _structuring_hits(
            account, day, [m for m in window if m.business_date > structuring_from], p
        )
        + _rapid_hits(day, [m for m in window if m.business_date > rapid_from], p)
        + _third_party_hits(day, today, p)
    )
    return hits, p.version_id


def _open_case(account: MarginAccount, day: date, hit: Hit, version: int) -> AmlCase | None:
    if AmlCase.objects.filter(
        margin_account=account, rule=hit.rule, window_key=hit.window_key
    ).exists():
        return None
    due = add_trading_days(day, rules.aml_value("report_due_working_days", day))
    try:
        with transaction.atomic():
            return AmlCase.objects.create(
                margin_account=account,
                rule=hit.rule,
                window_key=hit.window_key,
                opened_on=day,
                due_on=due,
                amount=hit.amount,
                currency=account.currency,
                summary=hit.summary,
                movement_ids=hit.movement_ids,
                parameter_version=version,
            )
    except IntegrityError:  # screened concurrently: the other run opened it
        return None


@transaction.atomic
def aml_screen_account(*, margin_account: MarginAccount, day: date) -> list[AmlCase]:
    hits, version = evaluate(margin_account, day)
    opened = [_open_case(margin_account, day, hit, version) for hit in hits]
    return [case for case in opened if case is not None]


def aml_screen_movement(*, movement_id: int) -> list[AmlCase]:
    """Screen the account and day of one movement (the after-commit task calls this)."""
    movement = FundMovement.objects.select_related("margin_account__client").get(pk=movement_id)
    cases = aml_screen_account(margin_account=movement.margin_account, day=movement.business_date)
    FundMovement.objects.filter(pk=movement_id).update(screened_at=timezone.now())
    return cases


def aml_daily_scan(*, day: date) -> list[AmlCase]:
    """Screen every account that moved money on ``day``."""
    account_ids = (
        FundMovement.objects.filter(business_date=day)
        .values_list("margin_account_id", flat=True)
        .distinct()
    )
    cases: list[AmlCase] = []
    for account in MarginAccount.objects.select_related("client").filter(pk__in=account_ids):
        cases.extend(aml_screen_account(margin_account=account, day=day))
    return cases


def _decide(case: AmlCase, by: Any, name: str, reason: str, *, need_reason: bool) -> AmlCase:
    if not by.has_perm("custody.change_amlcase"):
        raise PermissionRefused(f"{by} may not work AML cases")
    if need_reason and not reason.strip():
        raise InvalidInput("a reason is required", field="reason")
    locked = AmlCase.objects.select_for_update().get(pk=case.pk)
    apply_transition(locked, name, by=by, reason=reason.strip())
    if name != "investigate":
        locked.decided_by = by
        locked.decision_reason = reason.strip()
        locked.decided_at = timezone.now()
    locked.save()
    return locked


@transaction.atomic
def aml_case_investigate(*, case: AmlCase, by: Any, note: str = "") -> AmlCase:
    return _decide(case, by, "investigate", note, need_reason=False)


@transaction.atomic
def aml_case_report(*, case: AmlCase, by: Any, reason: str) -> AmlCase:
    locked = _decide(case, by, "report", reason, need_reason=True)
    audit.record(
        action=AuditAction.APPROVAL,
        actor=by,
        obj=locked,
        details={"decision": "reported", "rule": locked.rule},
    )
    return locked


@transaction.atomic
def aml_case_dismiss(*, case: AmlCase, by: Any, reason: str) -> AmlCase:
    locked = _decide(case, by, "dismiss", reason, need_reason=True)
    audit.record(
        action=AuditAction.REJECTION,
        actor=by,
        obj=locked,
        details={"decision": "dismissed", "rule": locked.rule},
    )
    return locked


REPORT_COLUMNS = [
    "business_date",
    "account_no",
    "client_no",
    "client_kind",
    "category",
    "direction",
    "channel",
    "cross_border",
    "amount",
    "currency",
    "movements",
]


def large_value_rows(day: date) -> list[list[str]]:
    """Per account, direction and channel: the day's totals at or above the thresholds."""
    p = rules.aml_snapshot(day)
    groups = (
        FundMovement.objects.filter(business_date=day)
        .values("margin_account_id", "direction", "channel", "cross_border")
        .annotate(total=Sum("amount"))
        .order_by("margin_account_id", "direction", "channel")
    )
    accounts = MarginAccount.objects.select_related("client").in_bulk(
        {g["margin_account_id"] for g in groups}
    )
    rows = []
    for g in groups:
        account = accounts[g["margin_account_id"]]
        if g["channel"] == Channel.CASH:
            category, threshold = "cash", p["cash_daily_threshold"]
        else:
            category = "transfer"
            threshold = transfer_threshold(account, g["cross_border"], p)
        if g["total"] < threshold:
            continue
        count = FundMovement.objects.filter(
            business_date=day,
            margin_account=account,
            direction=g["direction"],
            channel=g["channel"],
            cross_border=g["cross_border"],
        ).count()
        rows.append(
            [
                day.isoformat(),
                account.account_no,
                account.client.client_no,
                account.client.kind,
                category,
                g["direction"],
                g["channel"],
                "yes" if g["cross_border"] else "no",
                str(quantize_money(g["total"])),
                account.currency,
                str(count),
            ]
        )
    return rows


def large_value_report(*, day: date, by: Any) -> tuple[str, str]:
    """The day's large-value report as CSV; the export is recorded in the audit log."""
    if not by.has_perm("custody.export_large_value_report"):
        raise PermissionRefused(f"{by} may not export the large-value report")
    rows = large_value_rows(day)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    writer.writerows(rows)
    audit.record(
        action=AuditAction.EXPORT,
        actor=by,
        details={"report": "large-value", "day": day.isoformat(), "rows": len(rows)},
    )
    return f"large-value-{day.isoformat()}.csv", out.getvalue()
