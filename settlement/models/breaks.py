"""Differences the nightly reconciliation found, left for people to resolve."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from core.money import currency_field, money_field
from settlement.enums import ClearingBreakKind, ClearingBreakStatus

B = ClearingBreakStatus


class ClearingBreak(ConcurrentTransitionMixin, models.Model):
    run = models.ForeignKey(
        "settlement.ClearingRun", on_delete=models.PROTECT, related_name="breaks"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ClearingBreakKind.choices)
    # What the break is about (ledger account id, currency…): one break per run, kind and ref.
    reference = models.CharField(_("reference"), max_length=80)
    currency = currency_field()
    actual = money_field(verbose_name=_("found"))
    expected = money_field(verbose_name=_("expected"))
    description = models.TextField(_("what does not match"))
    status = FSMField(_("status"), max_length=10, choices=B.choices, default=B.OPEN, protected=True)
    resolution_note = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("clearing break")
        verbose_name_plural = _("clearing breaks")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "kind", "reference"], name="one_break_per_run_kind_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"break #{self.pk} {self.get_kind_display()}"

    @property
    def difference(self) -> object:
        return self.actual - self.expected

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=B.OPEN, target=B.RESOLVED)
    def resolve(self, by: object = None, description: str | None = None) -> None:
        """Someone found the cause and said what was done."""
