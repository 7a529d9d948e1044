"""Clearing runs, their steps and the completion record of every shard of accounts.

One run per business date (unique in the database). A step's work for one shard and the shard's
completion record are written in one transaction, so a crash leaves each shard either done or
untouched, and resuming does exactly the shards that are not done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from settlement.enums import RunStatus, StepScope, StepStatus

R = RunStatus


class ClearingRun(ConcurrentTransitionMixin, models.Model):
    business_date = models.DateField(_("business date"), unique=True)
    status = FSMField(
        _("status"), max_length=12, choices=R.choices, default=R.PENDING, protected=True
    )
    # The shards, fixed when the run opens: [[first account id, last account id], …].
    shard_bounds = models.JSONField(_("shards (account id ranges)"), default=list)
    account_count = models.PositiveIntegerField(_("accounts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    report = models.JSONField(_("run report"), default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-business_date"]
        verbose_name = _("clearing run")
        verbose_name_plural = _("clearing runs")
        permissions = [("operate_clearingrun", "Can start, resume and rerun clearing runs")]

    def __str__(self) -> str:
        return f"clearing {self.business_date}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[R.PENDING, R.FAILED, R.COMPLETED], target=R.RUNNING)
    def start(self, by: object = None, description: str | None = None) -> None:
        """Start, resume after a failure, or rerun a completed date (idempotent)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=R.RUNNING, target=R.FAILED)
    def fail(self, by: object = None, description: str | None = None) -> None:
        """A step failed: the run stops where it is."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=R.RUNNING, target=R.COMPLETED)
    def complete(self, by: object = None, description: str | None = None) -> None:
        """Every step is done."""


class ClearingStep(models.Model):
    run = models.ForeignKey(ClearingRun, on_delete=models.PROTECT, related_name="steps")
    key = models.CharField(_("step"), max_length=40)
    title = models.CharField(_("title"), max_length=120)
    position = models.PositiveSmallIntegerField(_("order"))
    scope = models.CharField(_("scope"), max_length=8, choices=StepScope.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    shards_total = models.PositiveIntegerField(_("shards"), default=0)
    shards_done = models.PositiveIntegerField(_("shards done"), default=0)
    entries_posted = models.PositiveIntegerField(_("entries posted"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["run", "position", "key"]
        verbose_name = _("clearing step")
        verbose_name_plural = _("clearing steps")
        constraints = [
            models.UniqueConstraint(fields=["run", "key"], name="one_step_per_run_and_key"),
        ]

    def __str__(self) -> str:
        return f"{self.run.business_date} {self.key}"


class ClearingShard(models.Model):
    """Completion record of one step over one shard of accounts."""

    step = models.ForeignKey(ClearingStep, on_delete=models.PROTECT, related_name="shards")
    shard_no = models.PositiveIntegerField(_("shard"))
    first_account_id = models.BigIntegerField(_("first account id"))
    last_account_id = models.BigIntegerField(_("last account id"))
    done = models.BooleanField(_("done"), default=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    entries_posted = models.PositiveIntegerField(_("entries posted"), default=0)
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    totals = models.JSONField(_("totals"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["step", "shard_no"]
        verbose_name = _("clearing shard")
        verbose_name_plural = _("clearing shards")
        constraints = [
            models.UniqueConstraint(fields=["step", "shard_no"], name="one_record_per_shard"),
            models.CheckConstraint(
                condition=Q(last_account_id__gte=models.F("first_account_id")),
                name="shard_bounds_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step} shard {self.shard_no}"
