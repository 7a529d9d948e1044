"""Money in and out of margin accounts: deposits, withdrawals, payment batches, movements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from core.money import currency_field, money_field
from custody.enums import Channel, DepositStatus, MovementDirection, WithdrawalStatus

D = DepositStatus
W = WithdrawalStatus
USER = settings.AUTH_USER_MODEL


class Deposit(ConcurrentTransitionMixin, models.Model):
    """Expected → bank confirmed → posted; money from a third party is held for review first."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="deposits"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    amount = money_field(verbose_name=_("amount"))
    currency = currency_field()
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.BANK_TRANSFER
    )
    cross_border = models.BooleanField(_("cross-border"), default=False)
    expected_on = models.DateField(_("expected on"))
    status = FSMField(
        _("status"), max_length=16, choices=D.choices, default=D.EXPECTED, protected=True
    )
    received_amount = money_field(verbose_name=_("amount received"), null=True, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    from_account_masked = models.CharField(_("from account"), max_length=40, blank=True)
    from_account_index = models.CharField(max_length=64, blank=True, editable=False)
    from_account_name = models.CharField(_("from account holder"), max_length=200, blank=True)
    from_own_account = models.BooleanField(_("from the registered own account"), null=True)
    entry = models.ForeignKey(
        "custody.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    release_entry = models.ForeignKey(
        "custody.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("review note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        permissions = [("review_deposit", "Can release or return a held deposit")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount} {self.currency}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=D.EXPECTED, target=D.BANK_CONFIRMED)
    def confirm_by_bank(self, by: object = None, description: str | None = None) -> None:
        """The custodian bank reports the money received."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[D.BANK_CONFIRMED, D.HELD], target=D.POSTED)
    def post(self, by: object = None, description: str | None = None) -> None:
        """Credited to the client's cash."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=D.BANK_CONFIRMED, target=D.HELD)
    def hold(self, by: object = None, description: str | None = None) -> None:
        """Money came from an account other than the client's own: parked in suspense."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=D.HELD, target=D.RETURNED)
    def return_to_sender(self, by: object = None, description: str | None = None) -> None:
        """Refused after review; paid back from suspense."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=D.EXPECTED, target=D.CANCELLED)
    def cancel(self, by: object = None, description: str | None = None) -> None:
        """The client will not send it."""


class PaymentBatch(models.Model):
    """Withdrawal instructions sent to the custodian bank together, as one file."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    execution_date = models.DateField(_("requested execution date"))
    currency = currency_field()
    total = money_field(verbose_name=_("total"))
    count = models.PositiveIntegerField(_("instructions"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file_sha256 = models.CharField(_("pain.001 SHA-256"), max_length=64, blank=True)
    exported_at = models.DateTimeField(_("file produced at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")

    def __str__(self) -> str:
        return f"{self.reference} ({self.count} × {self.currency} {self.total})"


class Withdrawal(ConcurrentTransitionMixin, models.Model):
    """Requested → checked → approved → sent → confirmed | failed (reversed)."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="withdrawals"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    amount = money_field(verbose_name=_("amount"))
    currency = currency_field()
    status = FSMField(
        _("status"), max_length=16, choices=W.choices, default=W.REQUESTED, protected=True
    )
    needs_second_approval = models.BooleanField(_("needs a second approver"), default=False)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    checked_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    first_approver = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_approver = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        PaymentBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="withdrawals"
    )
    hold_entry = models.ForeignKey(
        "custody.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_entry = models.ForeignKey(
        "custody.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirm_entry = models.ForeignKey(
        "custody.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_note = models.TextField(_("rejection or failure reason"), blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        permissions = [
            ("check_withdrawal", "Can check a withdrawal"),
            ("approve_withdrawal", "Can approve or reject a withdrawal"),
            ("send_withdrawal", "Can send withdrawal instructions to the bank"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="withdrawal_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount} {self.currency}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=W.REQUESTED, target=W.CHECKED)
    def mark_checked(self, by: object = None, description: str | None = None) -> None:
        """Operations verified the request against the rules."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=W.CHECKED, target=W.APPROVED)
    def approve(self, by: object = None, description: str | None = None) -> None:
        """Approved by one (or, above the limit, two) people other than the requester."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=W.APPROVED, target=W.SENT)
    def send(self, by: object = None, description: str | None = None) -> None:
        """In a payment batch file for the custodian bank."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=W.SENT, target=W.CONFIRMED)
    def confirm(self, by: object = None, description: str | None = None) -> None:
        """The bank statement shows the money paid out."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=W.SENT, target=W.FAILED)
    def fail(self, by: object = None, description: str | None = None) -> None:
        """The bank could not pay; the hold is reversed back to the client's cash."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[W.REQUESTED, W.CHECKED, W.APPROVED], target=W.REJECTED)
    def reject(self, by: object = None, description: str | None = None) -> None:
        """Refused before sending; the hold is reversed."""


class FundMovement(models.Model):
    """Money that moved in or out of a client's cash: what fund-flow monitoring reads."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="movements"
    )
    direction = models.CharField(max_length=4, choices=MovementDirection.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    amount = money_field(verbose_name=_("amount"))
    currency = currency_field()
    business_date = models.DateField(_("business date"))
    cross_border = models.BooleanField(default=False)
    own_account = models.BooleanField(_("client's own account"), default=True)
    counterparty = models.CharField(_("counterparty"), max_length=200, blank=True)
    deposit = models.OneToOneField(
        Deposit, on_delete=models.PROTECT, null=True, blank=True, related_name="movement"
    )
    withdrawal = models.OneToOneField(
        Withdrawal, on_delete=models.PROTECT, null=True, blank=True, related_name="movement"
    )
    entry = models.ForeignKey(
        "custody.JournalEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-business_date", "-id"]
        verbose_name = _("fund movement")
        verbose_name_plural = _("fund movements")
        indexes = [models.Index(fields=["margin_account", "business_date"])]

    def __str__(self) -> str:
        return f"{self.business_date} {self.direction} {self.amount} {self.currency}"
