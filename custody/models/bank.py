"""Custodian bank statements, their lines, and the breaks reconciliation leaves for people."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from core.money import currency_field, money_field
from custody.enums import BreakKind, BreakStatus, LineStatus, MovementDirection, StatementFormat

USER = settings.AUTH_USER_MODEL


class BankStatement(models.Model):
    file_name = models.CharField(_("file"), max_length=200)
    format = models.CharField(_("format"), max_length=8, choices=StatementFormat.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    statement_id = models.CharField(_("statement id"), max_length=60, blank=True)
    imported_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    line_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    break_count = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        permissions = [("import_bankstatement", "Can import custodian bank statements")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.line_count} lines)"


class BankStatementLine(models.Model):
    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    line_no = models.PositiveIntegerField(_("line / entry"))
    booking_date = models.DateField(_("booking date"))
    direction = models.CharField(_("direction"), max_length=4, choices=MovementDirection.choices)
    amount = money_field(verbose_name=_("amount"))
    currency = currency_field()
    reference = models.CharField(_("reference"), max_length=140, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    counterparty_name = models.CharField(_("counterparty"), max_length=200, blank=True)
    counterparty_masked = models.CharField(_("counterparty account"), max_length=40, blank=True)
    counterparty_index = models.CharField(max_length=64, blank=True, editable=False)
    is_cash = models.BooleanField(_("cash"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=LineStatus.choices)
    deposit = models.ForeignKey(
        "custody.Deposit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_lines",
    )
    withdrawal = models.ForeignKey(
        "custody.Withdrawal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_lines",
    )

    class Meta:
        ordering = ["statement", "line_no"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        constraints = [
            models.UniqueConstraint(fields=["statement", "line_no"], name="one_line_per_number"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.line_no} {self.direction} {self.amount}"


class ReconciliationBreak(ConcurrentTransitionMixin, models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=BreakKind.choices)
    status = FSMField(
        _("status"),
        max_length=10,
        choices=BreakStatus.choices,
        default=BreakStatus.OPEN,
        protected=True,
    )
    line = models.OneToOneField(
        BankStatementLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="break_record",
    )
    ledger_account = models.ForeignKey(
        "custody.LedgerAccount", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = money_field(verbose_name=_("amount"))
    expected_amount = money_field(verbose_name=_("expected amount"), null=True, blank=True)
    description = models.TextField(_("what does not match"))
    resolution_note = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("reconciliation break")
        verbose_name_plural = _("reconciliation breaks")

    def __str__(self) -> str:
        return f"break #{self.pk} {self.get_kind_display()}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=BreakStatus.OPEN, target=BreakStatus.RESOLVED)
    def resolve(self, by: object = None, description: str | None = None) -> None:
        """Explained and, where needed, corrected by an entry; the note says how."""
