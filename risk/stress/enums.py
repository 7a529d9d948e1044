"""Choices of the stress-testing and liquidity-output models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScenarioKind(models.TextChoices):
    HISTORICAL = "historical", _("historical replay")
    HYPOTHETICAL = "hypothetical", _("hypothetical shock")


class RunStatus(models.TextChoices):
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class RegimeLevel(models.TextChoices):
    NORMAL = "normal", _("normal")
    STRESSED = "stressed", _("stressed")
    CRISIS = "crisis", _("crisis")


class RegimeAction(models.TextChoices):
    UNCHANGED = "unchanged", _("same as in force, nothing proposed")
    PROPOSED = "proposed", _("proposed, awaiting a risk officer")
    AUTO_APPLIED = "auto_applied", _("applied within pre-approved bounds")
    ALREADY_PROPOSED = "already_proposed", _("an identical proposal is pending")
