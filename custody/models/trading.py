"""Orders, fills, and the financing movements (drawdowns and repayments) they cause.

An order is created by ``risk.orders.order_submit`` (the one entry point every channel uses),
accepted or rejected with all its reasons. Fills are captured from a broker adapter (or the
built-in execution simulator) by ``custody.services.fills.fill_capture``: each fill posts one
balanced journal entry and moves the position under a row lock, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from core.money import QUANTITY_MAX_DIGITS, currency_field, money_field, price_field
from custody.enums import (
    FinancingKind,
    FinancingRequestStatus,
    FinancingSource,
    OrderChannel,
    OrderPurpose,
    OrderStatus,
)
from markets.enums import OrderType, Side

S = OrderStatus


def _quantity(label: Any, **kwargs: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=QUANTITY_MAX_DIGITS, decimal_places=0, **kwargs)


class Order(ConcurrentTransitionMixin, models.Model):
    """new → accepted → partially filled → filled | cancelled | rejected | expired."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="orders"
    )
    instrument = models.ForeignKey(
        "markets.Instrument", on_delete=models.PROTECT, related_name="orders"
    )
    side = models.CharField(_("side"), max_length=4, choices=Side.choices)
    order_type = models.CharField(_("type"), max_length=8, choices=OrderType.choices)
    quantity = _quantity(_("quantity"))
    limit_price = price_field(verbose_name=_("limit price"), null=True, blank=True)
    # The price used to reserve cash and credit for an open buy (the limit, or the day's
    # limit-up / last price for a market order) — see risk.pretrade.
    reference_price = price_field(verbose_name=_("reference price"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=OrderChannel.choices)
    purpose = models.CharField(
        _("purpose"), max_length=12, choices=OrderPurpose.choices, default=OrderPurpose.TRADE
    )
    liquidation_ref = models.CharField(_("liquidation reference"), max_length=64, blank=True)
    trade_date = models.DateField(_("trade date"))
    status = FSMField(_("status"), max_length=20, choices=S.choices, default=S.NEW, protected=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    reasons = models.JSONField(_("reasons for rejection"), default=list, blank=True)
    what_if = models.JSONField(_("what-if at entry"), default=dict, blank=True)
    filled_quantity = _quantity(_("filled"), default=0)
    filled_value = money_field(verbose_name=_("filled value"), default=0)
    commission = money_field(verbose_name=_("commission charged"), default=0)
    financed_amount = money_field(verbose_name=_("financed"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    closed_note = models.CharField(_("why it closed"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        permissions = [
            ("enter_order", "Can enter orders for clients (operations channel)"),
            ("cancel_order", "Can cancel open orders"),
        ]
        indexes = [
            models.Index(fields=["margin_account", "status"]),
            models.Index(fields=["trade_date", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_quantity_positive"),
            models.CheckConstraint(
                condition=Q(filled_quantity__gte=0) & Q(filled_quantity__lte=F("quantity")),
                name="order_filled_within_quantity",
            ),
            models.CheckConstraint(
                condition=~Q(order_type=OrderType.LIMIT) | Q(limit_price__gt=0),
                name="limit_order_has_price",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.side} {self.quantity} {self.instrument.code}"

    @property
    def remaining(self) -> int:
        return int(self.quantity - self.filled_quantity)

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.NEW, target=S.ACCEPTED)
    def accept(self, by: object = None, description: str | None = None) -> None:
        """Every pre-trade check passed."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.NEW, target=S.REJECTED)
    def reject(self, by: object = None, description: str | None = None) -> None:
        """A pre-trade check failed; ``reasons`` lists them all."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.ACCEPTED, S.PARTIALLY_FILLED], target=S.PARTIALLY_FILLED)
    def fill_partially(self, by: object = None, description: str | None = None) -> None:
        """A fill left some quantity open."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.ACCEPTED, S.PARTIALLY_FILLED], target=S.FILLED)
    def fill(self, by: object = None, description: str | None = None) -> None:
        """The last share filled."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.NEW, S.ACCEPTED, S.PARTIALLY_FILLED], target=S.CANCELLED)
    def cancel(self, by: object = None, description: str | None = None) -> None:
        """Withdrawn before it filled completely; what filled stays."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.ACCEPTED, S.PARTIALLY_FILLED], target=S.EXPIRED)
    def expire(self, by: object = None, description: str | None = None) -> None:
        """The trading day ended with quantity open (day orders)."""


class Fill(models.Model):
    """One execution reported by the broker (or the simulator); written once, never changed."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="fills")
    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="fills"
    )
    instrument = models.ForeignKey(
        "markets.Instrument", on_delete=models.PROTECT, related_name="fills"
    )
    side = models.CharField(_("side"), max_length=4, choices=Side.choices)
    exec_id = models.CharField(_("broker execution id"), max_length=64, unique=True)
    quantity = _quantity(_("quantity"))
    price = price_field(verbose_name=_("price"))
    value = money_field(verbose_name=_("value"))
    executed_at = models.DateTimeField(_("executed at"))
    trade_date = models.DateField(_("trade date"))
    commission = money_field(verbose_name=_("commission"), default=0)
    stamp_duty = money_field(verbose_name=_("stamp duty"), default=0)
    transfer_fee = money_field(verbose_name=_("transfer fee"), default=0)
    financed = money_field(verbose_name=_("financed (drawn)"), default=0)
    repaid = money_field(verbose_name=_("debt repaid from proceeds"), default=0)
    # What the client's side of the ledger moved: buys + (value + costs), sells − (net proceeds).
    net_amount = money_field(verbose_name=_("client net amount"))
    realised_pnl = money_field(verbose_name=_("realised P&L"), default=0)
    currency = currency_field()
    entry = models.OneToOneField(
        "custody.JournalEntry", on_delete=models.PROTECT, related_name="fill"
    )
    captured_at = models.DateTimeField(_("captured at"), auto_now_add=True)

    class Meta:
        ordering = ["-executed_at", "-id"]
        verbose_name = _("fill")
        verbose_name_plural = _("fills")
        indexes = [models.Index(fields=["margin_account", "instrument"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fill_quantity_positive"),
            models.CheckConstraint(condition=Q(price__gt=0), name="fill_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.exec_id}: {self.side} {self.quantity} @ {self.price}"


class FinancingMovement(models.Model):
    """A drawdown or repayment as posted: requested, part of a margin buy, or from a sale."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="financing_movements"
    )
    credit_line = models.ForeignKey(
        "credit.CreditLine", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=FinancingKind.choices)
    source = models.CharField(_("source"), max_length=12, choices=FinancingSource.choices)
    amount = money_field(verbose_name=_("amount"))
    interest = money_field(verbose_name=_("of which interest"), default=0)
    fees = money_field(verbose_name=_("of which fees"), default=0)
    principal = money_field(verbose_name=_("of which principal"))
    currency = currency_field()
    business_date = models.DateField(_("business date"))
    entry = models.ForeignKey(
        "custody.JournalEntry", on_delete=models.PROTECT, related_name="financing_movements"
    )
    fill = models.ForeignKey(
        Fill, on_delete=models.PROTECT, null=True, blank=True, related_name="financing"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("financing movement")
        verbose_name_plural = _("financing movements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="financing_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount=F("interest") + F("fees") + F("principal")),
                name="financing_parts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"


class FinancingRequest(models.Model):
    """A drawdown or repayment asked for in the console; above a limit a second person decides."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="financing_requests"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=FinancingKind.choices)
    amount = money_field(verbose_name=_("amount"))
    currency = currency_field()
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FinancingRequestStatus.choices,
        default=FinancingRequestStatus.PENDING,
    )
    needs_second_person = models.BooleanField(_("needs a second person"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    movement = models.OneToOneField(
        FinancingMovement, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )
    idempotency_key = models.CharField(max_length=128, unique=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("financing request")
        verbose_name_plural = _("financing requests")
        permissions = [("approve_financingrequest", "Can approve large drawdowns and repayments")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="financing_request_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.amount} {self.currency}"
