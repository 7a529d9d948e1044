"""The margin account every client holds with the firm, and the positions on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from accounts.models import Client
from core.money import QUANTITY_MAX_DIGITS, currency_field, money_field, price_field
from custody.enums import MarginAccountStatus

S = MarginAccountStatus


class MarginAccount(ConcurrentTransitionMixin, models.Model):
    """One per client (the database refuses a second): positions, ledger and statements hang here.

    The client's registered own bank account is the only account withdrawals go to and the only
    one deposits are accepted from without review. Its number is encrypted at rest; the blind
    index lets a statement line's counterparty be compared without decrypting.
    """

    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="margin_account")
    account_no = models.CharField(_("account number"), max_length=20, unique=True)
    currency = currency_field()
    opened_at = models.DateTimeField(_("opened at"))
    status = FSMField(_("status"), max_length=12, choices=S.choices, default=S.OPEN, protected=True)
    bank_name = models.CharField(_("registered bank"), max_length=100, blank=True)
    bank_account_holder = models.CharField(_("bank account holder"), max_length=200, blank=True)
    bank_account_cipher = models.TextField(blank=True, editable=False)
    bank_account_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    bank_account_masked = models.CharField(_("registered bank account"), max_length=40, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["bank_account_cipher"])

    class Meta:
        ordering = ["account_no"]
        verbose_name = _("margin account")
        verbose_name_plural = _("margin accounts")

    def __str__(self) -> str:
        return f"{self.account_no} {self.client.display_name}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.OPEN, target=S.FROZEN)
    def freeze(self, by: object = None, description: str | None = None) -> None:
        """Stop money leaving the account (court order, dispute, compliance hold)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.FROZEN, target=S.OPEN)
    def unfreeze(self, by: object = None, description: str | None = None) -> None:
        """Lift a freeze."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.OPEN, S.FROZEN], target=S.CLOSED)
    def close(self, by: object = None, description: str | None = None) -> None:
        """The account ends; its records are kept."""


class Position(models.Model):
    """Holdings of one instrument in one margin account, written only by fill capture.

    T+1: shares bought on a trading day are ``pending_quantity`` (with ``pending_since``, the
    day bought) and become sellable on the next trading day — by the nightly roll
    (``positions_roll_sellable``) or, if that has not run yet, by fill capture and the
    selectors, which treat pending shares from an earlier day as sellable. Always
    ``quantity = sellable_quantity + pending_quantity`` (database check).

    ``total_cost`` is the exact cost basis in money (purchase value plus buying costs, less the
    cost of shares sold at the average); ``average_cost`` = total_cost / quantity, for display.
    """

    margin_account = models.ForeignKey(
        MarginAccount, on_delete=models.PROTECT, related_name="positions"
    )
    instrument = models.ForeignKey(
        "markets.Instrument", on_delete=models.PROTECT, related_name="positions"
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=QUANTITY_MAX_DIGITS, decimal_places=0, default=0
    )
    sellable_quantity = models.DecimalField(
        _("sellable today"), max_digits=QUANTITY_MAX_DIGITS, decimal_places=0, default=0
    )
    pending_quantity = models.DecimalField(
        _("bought, sellable next trading day"),
        max_digits=QUANTITY_MAX_DIGITS,
        decimal_places=0,
        default=0,
    )
    pending_since = models.DateField(_("bought on"), null=True, blank=True)
    average_cost = price_field(verbose_name=_("average cost"), default=0)
    total_cost = money_field(verbose_name=_("cost basis"), default=0)
    realised_pnl = money_field(verbose_name=_("realised P&L"), default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["margin_account", "instrument"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(
                fields=["margin_account", "instrument"], name="one_position_per_instrument"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="position_not_short"),
            models.CheckConstraint(
                condition=Q(sellable_quantity__gte=0) & Q(sellable_quantity__lte=F("quantity")),
                name="sellable_within_quantity",
            ),
            models.CheckConstraint(
                condition=Q(pending_quantity__gte=0)
                & Q(quantity=F("sellable_quantity") + F("pending_quantity")),
                name="position_sellable_plus_pending",
            ),
            models.CheckConstraint(
                condition=Q(total_cost__gte=0), name="position_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.margin_account.account_no} {self.instrument.code} × {self.quantity}"
