"""Choices for liquidation cases and shortfall cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LiquidationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned (simulated, not sent)")
    EXECUTING = "executing", _("Executing")
    COMPLETED = "completed", _("Completed: ratio restored")
    SHORTFALL = "shortfall", _("Shortfall: collateral did not cover the debt")
    CANCELLED = "cancelled", _("Cancelled")


# A case in these states blocks another on the same account (database constraint).
OPEN_LIQUIDATION_STATUSES = [LiquidationStatus.PLANNED, LiquidationStatus.EXECUTING]


class ShortfallStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_RECOVERY = "in_recovery", _("In recovery")
    CLOSED = "closed", _("Closed")
