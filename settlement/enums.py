"""Choices for nightly clearing: run, step and shard states, marks, breaks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    FAILED = "failed", _("Failed (resume to finish)")
    COMPLETED = "completed", _("Completed")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    FAILED = "failed", _("Failed")
    DONE = "done", _("Done")


class StepScope(models.TextChoices):
    DATE = "date", _("Whole business date")
    SHARD = "shard", _("Per shard of accounts")


class MarkSource(models.TextChoices):
    CLOSE = "close", _("Close of the day")
    LAST_QUOTE = "last_quote", _("Last quote of the day")
    PREVIOUS_CLOSE = "previous_close", _("Previous close (no price today)")


class ClearingBreakKind(models.TextChoices):
    LEDGER_BALANCE = "ledger_balance", _("Running balance differs from postings")
    TRIAL_BALANCE = "trial_balance", _("Balances do not sum to zero")
    CLEARING_ACCOUNT = "clearing_account", _("Exchange clearing account differs from trades")
    CUSTODIAN_BANK = "custodian_bank", _("Custodian bank differs from the ledger")


class ClearingBreakStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
