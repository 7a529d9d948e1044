"""One-time codes that confirm a signature: hashed at rest, short-lived, few tries, single use."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from contracts.enums import ChallengeStatus, DeliveryChannel


class SigningChallenge(models.Model):
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="challenges"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    code_hash = models.CharField(max_length=200)
    channel = models.CharField(_("sent by"), max_length=8, choices=DeliveryChannel.choices)
    recipient_masked = models.CharField(_("sent to"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"))
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # The hash stays out of the history table: one place to protect, not two.
    history = HistoricalRecords(excluded_fields=["code_hash"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signing code")
        verbose_name_plural = _("signing codes")

    def __str__(self) -> str:
        return f"code for contract {self.contract_id} ({self.status})"
