"""Liquidation cases, their plan versions and lines, the daily record of what could not be sold,
the client's liquidate-last list, and shortfall (穿仓) cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from core.money import QUANTITY_MAX_DIGITS, currency_field, money_field, price_field, rate_field
from risk.liquidation.enums import (
    OPEN_LIQUIDATION_STATUSES,
    LiquidationStatus,
    ShortfallStatus,
)

L = LiquidationStatus
SF = ShortfallStatus


def _quantity(label: str) -> models.DecimalField:
    return models.DecimalField(label, max_digits=QUANTITY_MAX_DIGITS, decimal_places=0)


class Liquidation(ConcurrentTransitionMixin, models.Model):
    """planned → executing → completed | shortfall | cancelled; one open case per account."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="liquidations"
    )
    status = FSMField(
        _("status"), max_length=12, choices=L.choices, default=L.PLANNED, protected=True
    )
    trigger_ref = models.CharField(
        _("trigger"), max_length=64, help_text=_("What opened it, e.g. margin-call:123")
    )
    opened_on = models.DateField(_("opened on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    target = rate_field(verbose_name=_("target ratio"))
    buffer = rate_field(verbose_name=_("buffer"))
    order_policy = models.CharField(_("order"), max_length=20)
    terms_source = models.CharField(_("terms from"), max_length=120, blank=True)
    held = models.BooleanField(_("held"), default=False)
    held_reason = models.CharField(_("why held"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_note = models.CharField(_("closing note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("liquidation")
        verbose_name_plural = _("liquidations")
        permissions = [
            ("execute_liquidation", "Can send a liquidation plan's orders"),
            ("hold_liquidation", "Can hold or release a liquidation"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["margin_account"],
                condition=Q(status__in=OPEN_LIQUIDATION_STATUSES),
                name="one_open_liquidation_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"Liquidation #{self.pk} ({self.trigger_ref})"

    @property
    def ref(self) -> str:
        """What its orders carry as ``liquidation_ref``."""
        return f"liquidation:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_LIQUIDATION_STATUSES

    def current_plan(self) -> LiquidationPlan | None:
        return self.plans.order_by("-version").first()

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=L.PLANNED, target=L.EXECUTING)
    def start(self, by: object = None, description: str | None = None) -> None:
        """The first orders were sent."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[L.PLANNED, L.EXECUTING], target=L.COMPLETED)
    def complete(self, by: object = None, description: str | None = None) -> None:
        """The maintenance ratio is back at the target."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[L.PLANNED, L.EXECUTING], target=L.SHORTFALL)
    def fall_short(self, by: object = None, description: str | None = None) -> None:
        """Nothing is left to sell and the debt is not covered: a receivable and a case."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[L.PLANNED, L.EXECUTING], target=L.CANCELLED)
    def cancel(self, by: object = None, description: str | None = None) -> None:
        """Stopped (the client paid in, or staff decided otherwise)."""


class LiquidationPlan(models.Model):
    """One version of a case's plan: each re-plan (fill, new day, execution) adds one."""

    liquidation = models.ForeignKey(Liquidation, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveIntegerField(_("version"))
    on = models.DateField(_("for trading day"))
    made_at = models.DateTimeField(_("made at"), default=timezone.now)
    reason = models.CharField(_("why planned"), max_length=200)
    order_policy = models.CharField(_("order"), max_length=20)
    cash = money_field(verbose_name=_("cash"))
    assets_before = money_field(verbose_name=_("assets before"))
    debt_before = money_field(verbose_name=_("debt before"))
    assets_after = money_field(verbose_name=_("assets after"))
    debt_after = money_field(verbose_name=_("debt after"))
    ratio_before = rate_field(verbose_name=_("ratio before"), null=True, blank=True)
    ratio_after = rate_field(verbose_name=_("ratio after"), null=True, blank=True)
    goal = rate_field(verbose_name=_("goal (target + buffer)"))
    restores = models.BooleanField(_("restores the ratio"))
    uncovered = money_field(verbose_name=_("debt not covered"), default=0)
    unsold = models.JSONField(_("could not be sold"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["liquidation", "-version"]
        verbose_name = _("liquidation plan")
        verbose_name_plural = _("liquidation plans")
        constraints = [
            models.UniqueConstraint(
                fields=["liquidation", "version"], name="one_plan_per_liquidation_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.liquidation} v{self.version} ({self.on})"


class LiquidationPlanLine(models.Model):
    """One sell of a plan version, linked to the order sent for it."""

    plan = models.ForeignKey(LiquidationPlan, on_delete=models.PROTECT, related_name="lines")
    seq = models.PositiveIntegerField(_("#"))
    instrument = models.ForeignKey("markets.Instrument", on_delete=models.PROTECT, related_name="+")
    quantity = _quantity("quantity")
    price = price_field(verbose_name=_("expected price"))
    limit_price = price_field(verbose_name=_("limit price"))
    value = money_field(verbose_name=_("value"))
    costs = money_field(verbose_name=_("costs"))
    proceeds = money_field(verbose_name=_("net proceeds"))
    liquidate_last = models.BooleanField(_("on the liquidate-last list"), default=False)
    committed = models.BooleanField(_("already ordered"), default=False)
    order = models.ForeignKey(
        "custody.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refusal = models.JSONField(_("order refused because"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("plan line")
        verbose_name_plural = _("plan lines")
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="one_plan_line_per_seq"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="plan_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"sell {self.quantity} {self.instrument.code}"


class LiquidationDay(models.Model):
    """What could not be sold on a trading day and why, and the debt the assets did not cover."""

    liquidation = models.ForeignKey(Liquidation, on_delete=models.PROTECT, related_name="days")
    day = models.DateField(_("day"))
    unsold = models.JSONField(_("could not be sold"), default=list)
    unsold_value = money_field(verbose_name=_("value not sellable"), default=0)
    uncovered = money_field(verbose_name=_("debt not covered"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["liquidation", "day"]
        verbose_name = _("liquidation day")
        verbose_name_plural = _("liquidation days")
        constraints = [
            models.UniqueConstraint(fields=["liquidation", "day"], name="one_record_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.liquidation} {self.day}"


class LiquidateLast(models.Model):
    """An instrument the client asked to keep: sold only if the rest does not restore the ratio."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="liquidate_last"
    )
    instrument = models.ForeignKey("markets.Instrument", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["margin_account", "instrument"]
        verbose_name = _("liquidate-last instrument")
        verbose_name_plural = _("liquidate-last list")
        constraints = [
            models.UniqueConstraint(
                fields=["margin_account", "instrument"], name="one_liquidate_last_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.margin_account_id}: {self.instrument.code}"


class ShortfallCase(ConcurrentTransitionMixin, models.Model):
    """穿仓: debt left after everything was sold, posted as a receivable; staff recover it."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="shortfall_cases"
    )
    liquidation = models.OneToOneField(
        Liquidation, on_delete=models.PROTECT, related_name="shortfall_case"
    )
    status = FSMField(
        _("status"), max_length=12, choices=SF.choices, default=SF.OPEN, protected=True
    )
    opened_on = models.DateField(_("opened on"))
    amount = money_field(verbose_name=_("shortfall"))
    currency = currency_field()
    entry = models.ForeignKey(
        "custody.JournalEntry", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    summary = models.TextField(_("what happened"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("shortfall case")
        verbose_name_plural = _("shortfall cases")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="shortfall_amount_positive")
        ]

    def __str__(self) -> str:
        return f"Shortfall #{self.pk} {self.amount} {self.currency}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=SF.OPEN, target=SF.IN_RECOVERY)
    def take(self, by: object = None, description: str | None = None) -> None:
        """A person takes the case and starts recovery."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[SF.OPEN, SF.IN_RECOVERY], target=SF.CLOSED)
    def close(self, by: object = None, description: str | None = None) -> None:
        """Recovered, settled or written off (the note says which)."""
