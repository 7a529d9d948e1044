"""Credit: leverage packages (catalogue), applications, evaluations and credit lines.

The numbers of a package (lines, rates, haircuts) are not here: they are dated parameter
versions in ``core.params`` (set ``package-<code>``). Statuses move only through the named
transitions below, applied by ``credit.services`` with :func:`core.fsm.apply_transition`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from core.money import currency_field, money_field
from credit.enums import (
    LIVE_LINE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    CreditLineStatus,
    DecisionKind,
)

A = ApplicationStatus
L = CreditLineStatus


class LeveragePackage(models.Model):
    """A product in the catalogue; its terms are the parameter set ``package-<code>``."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    parameter_set = models.OneToOneField(
        "core.ParameterSet", on_delete=models.PROTECT, related_name="leverage_package"
    )
    active = models.BooleanField(_("offered to new applications"), default=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "code"]
        verbose_name = _("leverage package")
        verbose_name_plural = _("leverage packages")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CreditApplication(ConcurrentTransitionMixin, models.Model):
    """A request for a credit line: submitted → under review → approved | rejected | expired."""

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="credit_applications"
    )
    status = FSMField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        protected=True,
    )
    requested_amount = money_field(verbose_name=_("requested limit"))
    currency = currency_field()
    packages = models.ManyToManyField(
        LeveragePackage, related_name="applications", verbose_name=_("packages")
    )
    # Declared figures the scorecard reads (the client's own statement, checked by operations).
    financial_assets = money_field(verbose_name=_("financial assets"))
    annual_income = money_field(verbose_name=_("annual income"))
    investing_experience_years = models.PositiveSmallIntegerField(_("years of investing"))
    past_margin_calls = models.PositiveSmallIntegerField(_("past margin calls"), default=0)
    purpose = models.TextField(_("purpose / notes"), blank=True)
    received_on = models.DateField(_("received on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approved_limit = money_field(verbose_name=_("approved limit"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("credit application")
        verbose_name_plural = _("credit applications")
        permissions = [
            ("review_creditapplication", "Can start the review of a credit application"),
            ("decide_creditapplication", "Can approve or reject a credit application"),
        ]
        indexes = [models.Index(fields=["status", "received_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status__in=OPEN_APPLICATION_STATUSES),
                name="one_open_credit_application_per_client",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gt=0), name="credit_request_positive"
            ),
            models.CheckConstraint(
                condition=Q(financial_assets__gte=0) & Q(annual_income__gte=0),
                name="credit_declared_figures_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(approved_limit__isnull=True) | Q(approved_limit__gt=0),
                name="credit_approved_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.client} {self.requested_amount} {self.currency}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=A.SUBMITTED, target=A.UNDER_REVIEW)
    def start_review(self, by: object = None, description: str | None = None) -> None:
        """The scorecard was run; the application waits for its approver(s)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=A.UNDER_REVIEW, target=A.APPROVED)
    def approve(self, by: object = None, description: str | None = None) -> None:
        """Enough different approvers agreed; a credit line is created."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=OPEN_APPLICATION_STATUSES, target=A.REJECTED)
    def reject(self, by: object = None, description: str | None = None) -> None:
        """An approver declined; the note says why."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=OPEN_APPLICATION_STATUSES, target=A.EXPIRED)
    def expire(self, by: object = None, description: str | None = None) -> None:
        """Nobody decided within the policy's time; the client must apply again."""


class CreditDecision(models.Model):
    """One approver's vote on an application (two distinct votes above the threshold)."""

    application = models.ForeignKey(
        CreditApplication, on_delete=models.PROTECT, related_name="decisions"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=8, choices=DecisionKind.choices)
    limit = money_field(verbose_name=_("limit"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "decided_at", "id"]
        verbose_name = _("credit decision")
        verbose_name_plural = _("credit decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "approver"], name="one_decision_per_approver"
            ),
            models.CheckConstraint(
                condition=Q(limit__isnull=True) | Q(limit__gt=0), name="credit_vote_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.approver} {self.decision} #{self.application_id}"


class CreditEvaluation(models.Model):
    """A scorecard run, stored with everything needed to reproduce it exactly."""

    application = models.ForeignKey(
        CreditApplication, on_delete=models.PROTECT, related_name="evaluations"
    )
    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="credit_evaluations"
    )
    scorecard_version = models.ForeignKey(
        "core.ParameterVersion", on_delete=models.PROTECT, related_name="+"
    )
    scorecard_digest = models.CharField(_("scorecard fingerprint"), max_length=64)
    evaluated_on = models.DateField(_("evaluated on"))
    inputs = models.JSONField(_("inputs"))
    points = models.JSONField(_("points per factor"))
    score = models.IntegerField(_("score"))
    grade = models.CharField(_("grade"), max_length=8)
    reason_codes = models.JSONField(_("reason codes"), default=list)
    computed_limit = money_field(verbose_name=_("computed limit"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("credit evaluation")
        verbose_name_plural = _("credit evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(computed_limit__gte=0), name="credit_computed_limit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} grade {self.grade} ({self.score})"


class CreditLine(ConcurrentTransitionMixin, models.Model):
    """An approved limit: pending contract → active ⇄ suspended → expired | closed."""

    client = models.ForeignKey(
        "accounts.Client", on_delete=models.PROTECT, related_name="credit_lines"
    )
    application = models.OneToOneField(
        CreditApplication, on_delete=models.PROTECT, related_name="credit_line"
    )
    limit = money_field(verbose_name=_("limit"))
    currency = currency_field()
    packages = models.ManyToManyField(
        LeveragePackage, related_name="credit_lines", verbose_name=_("allowed packages")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to (last day)"))
    status = FSMField(
        _("status"),
        max_length=20,
        choices=CreditLineStatus.choices,
        default=CreditLineStatus.PENDING_CONTRACT,
        protected=True,
    )
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    approved_at = models.DateTimeField(_("approved at"))
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    status_note = models.TextField(_("last status change"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = _("credit line")
        verbose_name_plural = _("credit lines")
        permissions = [
            ("suspend_creditline", "Can suspend, resume or close a credit line"),
            ("renew_creditline", "Can renew a credit line"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(limit__gt=0), name="credit_line_limit_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="credit_line_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status__in=LIVE_LINE_STATUSES),
                name="one_live_credit_line_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client.client_no} line {self.limit} {self.currency}"

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=L.PENDING_CONTRACT, target=L.ACTIVE)
    def activate(self, by: object = None, description: str | None = None) -> None:
        """The margin-financing contract was signed (contracts stage)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=L.ACTIVE, target=L.SUSPENDED)
    def suspend(self, by: object = None, description: str | None = None) -> None:
        """No new drawing (risk or compliance hold); existing debt stays."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=L.SUSPENDED, target=L.ACTIVE)
    def resume(self, by: object = None, description: str | None = None) -> None:
        """The hold is lifted."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=LIVE_LINE_STATUSES, target=L.EXPIRED)
    def expire(self, by: object = None, description: str | None = None) -> None:
        """The last valid day passed without renewal."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=LIVE_LINE_STATUSES, target=L.CLOSED)
    def close(self, by: object = None, description: str | None = None) -> None:
        """Ended early, by the client or the firm."""
