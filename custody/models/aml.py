"""Fund-flow (AML) cases opened by the monitoring rules."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from core.money import currency_field, money_field
from custody.enums import AmlCaseStatus, AmlRule

A = AmlCaseStatus


class AmlCase(ConcurrentTransitionMixin, models.Model):
    """One rule hit on one account for one window: open → investigating → reported | dismissed."""

    margin_account = models.ForeignKey(
        "custody.MarginAccount", on_delete=models.PROTECT, related_name="aml_cases"
    )
    rule = models.CharField(_("rule"), max_length=20, choices=AmlRule.choices)
    window_key = models.CharField(_("window"), max_length=40)
    status = FSMField(_("status"), max_length=14, choices=A.choices, default=A.OPEN, protected=True)
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("report due"))
    amount = money_field(verbose_name=_("amount"))
    currency = currency_field()
    summary = models.TextField(_("why"))
    movement_ids = models.JSONField(_("movements"), default=list)
    parameter_version = models.PositiveIntegerField(_("rules version"), null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("AML case")
        verbose_name_plural = _("AML cases")
        permissions = [("export_large_value_report", "Can export the large-value report")]
        constraints = [
            models.UniqueConstraint(
                fields=["margin_account", "rule", "window_key"], name="one_case_per_rule_window"
            ),
        ]

    def __str__(self) -> str:
        return f"AML #{self.pk} {self.get_rule_display()} {self.margin_account.account_no}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=A.OPEN, target=A.INVESTIGATING)
    def investigate(self, by: object = None, description: str | None = None) -> None:
        """Someone in compliance has taken the case."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=A.INVESTIGATING, target=A.REPORTED)
    def report(self, by: object = None, description: str | None = None) -> None:
        """Reported to the authority."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[A.OPEN, A.INVESTIGATING], target=A.DISMISSED)
    def dismiss(self, by: object = None, description: str | None = None) -> None:
        """Explained; no report needed (the reason is kept)."""
