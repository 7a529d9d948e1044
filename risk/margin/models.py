"""Margin calls, their overrides, and the notification outbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from core.money import money_field, rate_field
from custody.models import MarginAccount
from risk.margin.enums import (
    OPEN_CALL_STATUSES,
    CallEvent,
    CallStatus,
    Channel,
    NotificationStatus,
    OverrideKind,
    OverrideStatus,
)

S = CallStatus
USER = settings.AUTH_USER_MODEL


class MarginCall(ConcurrentTransitionMixin, models.Model):
    """One breach of an account's lines, from the first warning until it is cured or closed.

    The database holds at most one open call (warning, issued, liquidating) per account, so
    however many ticks arrive while an account is below a line it has exactly one call. The
    lines and target are copied from the package terms in force when the call opened.
    """

    margin_account = models.ForeignKey(
        MarginAccount, on_delete=models.PROTECT, related_name="margin_calls"
    )
    status = FSMField(
        _("status"), max_length=12, choices=S.choices, default=S.WARNING, protected=True
    )
    package_code = models.CharField(_("package"), max_length=40)
    warning_line = rate_field(verbose_name=_("warning line"))
    liquidation_line = rate_field(verbose_name=_("liquidation line"))
    topup_target = rate_field(verbose_name=_("top-up target"))
    opened_on = models.DateField(_("opened on"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    ratio_at_open = rate_field(verbose_name=_("ratio when opened"))
    last_ratio = rate_field(verbose_name=_("last ratio"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    issued_on = models.DateField(_("call issued on"), null=True, blank=True)
    due_on = models.DateField(_("cure by (close of)"), null=True, blank=True)
    amount_due = money_field(verbose_name=_("top-up due"), null=True, blank=True)
    liquidation_held_until = models.DateField(_("liquidation held until"), null=True, blank=True)
    liquidation_reason = models.CharField(_("why liquidation"), max_length=200, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("margin call")
        verbose_name_plural = _("margin calls")
        constraints = [
            models.UniqueConstraint(
                fields=["margin_account"],
                condition=Q(status__in=OPEN_CALL_STATUSES),
                name="one_open_margin_call_per_account",
            ),
            models.CheckConstraint(
                condition=Q(amount_due__isnull=True) | Q(amount_due__gte=0),
                name="margin_call_amount_not_negative",
            ),
        ]
        permissions = [
            ("request_override", "Can request a margin-call override"),
            ("approve_override", "Can approve a margin-call override"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.margin_account.account_no} {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CALL_STATUSES

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.WARNING, target=S.ISSUED)
    def issue(self, by: object = None, description: str | None = None) -> None:
        """Still below the warning line at the close: top up to the target by the deadline."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.WARNING, S.ISSUED], target=S.CURED)
    def cure(self, by: object = None, description: str | None = None) -> None:
        """The ratio is restored (deposit, sale, or prices)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.WARNING, S.ISSUED], target=S.LIQUIDATING)
    def liquidate(self, by: object = None, description: str | None = None) -> None:
        """The deadline passed uncured, or the ratio fell below the liquidation line."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.LIQUIDATING, target=S.CLOSED)
    def close(self, by: object = None, description: str | None = None) -> None:
        """Liquidation restored the ratio (or repaid everything owed)."""


class MarginCallOverride(ConcurrentTransitionMixin, models.Model):
    """A deadline extension or a liquidation hold: requested by one risk officer, approved by
    another (never the requester), each with a reason."""

    call = models.ForeignKey(MarginCall, on_delete=models.PROTECT, related_name="overrides")
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind.choices)
    until = models.DateField(
        _("until"), help_text=_("New deadline, or the last day liquidation is held.")
    )
    reason = models.TextField(_("reason"))
    status = FSMField(
        _("status"),
        max_length=10,
        choices=OverrideStatus.choices,
        default=OverrideStatus.PENDING,
        protected=True,
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("margin-call override")
        verbose_name_plural = _("margin-call overrides")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} until {self.until} ({self.get_status_display()})"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=OverrideStatus.PENDING, target=OverrideStatus.APPROVED)
    def approve(self, by: object = None, description: str | None = None) -> None:
        """A second risk officer agrees."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=OverrideStatus.PENDING, target=OverrideStatus.REJECTED)
    def reject(self, by: object = None, description: str | None = None) -> None:
        """A second risk officer refuses."""


class MarginNotification(models.Model):
    """The outbox: one row per message and channel, written in the transaction that moved the
    call and sent after commit by a task (visible, and retryable from the console)."""

    call = models.ForeignKey(MarginCall, on_delete=models.PROTECT, related_name="notifications")
    event = models.CharField(_("event"), max_length=20, choices=CallEvent.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=300, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus.choices,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("margin notification")
        verbose_name_plural = _("margin notifications")
        indexes = [models.Index(fields=["status", "created_at"])]
        permissions = [("resend_marginnotification", "Can resend a margin notification")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_event_display()} #{self.call_id}"
