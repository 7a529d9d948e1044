"""Margin levels, margin-call states, overrides and notifications."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MarginLevel(models.IntegerChoices):
    """Where an account's ratio sits against its package lines (the engine's classification)."""

    HEALTHY = 0, _("Healthy")
    WARNING = 1, _("Below the warning line")
    LIQUIDATION = 2, _("Below the liquidation line")


class CallStatus(models.TextChoices):
    WARNING = "warning", _("Warning")
    ISSUED = "issued", _("Call issued")
    LIQUIDATING = "liquidating", _("Liquidation")
    CURED = "cured", _("Cured")
    CLOSED = "closed", _("Closed")


OPEN_CALL_STATUSES = [CallStatus.WARNING, CallStatus.ISSUED, CallStatus.LIQUIDATING]


class OverrideKind(models.TextChoices):
    EXTEND_DEADLINE = "extend_deadline", _("Extend the deadline")
    HOLD_LIQUIDATION = "hold_liquidation", _("Hold liquidation")


class OverrideStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Portal")
    WEBHOOK = "webhook", _("Partner webhook")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("To send")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("No recipient")


class CallEvent(models.TextChoices):
    WARNING = "warning", _("Below the warning line")
    CALL_ISSUED = "call_issued", _("Margin call issued")
    CURED = "cured", _("Margin call cured")
    LIQUIDATION = "liquidation", _("Liquidation started")
    CLOSED = "closed", _("Margin call closed")
    DEADLINE_EXTENDED = "deadline_extended", _("Deadline extended")
    LIQUIDATION_HELD = "liquidation_held", _("Liquidation held")
