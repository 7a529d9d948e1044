"""People: staff and client users, their sessions, and the client record every stage hangs on."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from accounts.enums import (
    LIVE_STATUSES,
    ClientKind,
    ClientStatus,
    InvestorType,
    ProductRiskLevel,
    RiskRating,
    SuitabilityLevel,
)

S = ClientStatus


class User(AbstractUser):
    """Staff and client logins. Staff roles are groups (see ``accounts.roles``)."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = "user"
        verbose_name_plural = "users"

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    @property
    def role_names(self) -> list[str]:
        return sorted(self.groups.values_list("name", flat=True))


class UserSession(models.Model):
    """Which sessions belong to whom, so disabling a user can end them all at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tracked_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("user session")

    def __str__(self) -> str:
        return f"{self.user} session"


class Client(ConcurrentTransitionMixin, models.Model):
    """A margin-financing client: a natural person or an institution.

    The lifecycle status is a protected FSM field; it changes only through the named transitions
    below, applied by services with :func:`core.fsm.apply_transition` (which records who and why
    via django-fsm-log). Later stages (credit, contracts, risk) move it on the same way.
    """

    client_no = models.CharField(_("client number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ClientKind.choices)
    display_name = models.CharField(_("name"), max_length=200)
    status = FSMField(
        _("status"),
        max_length=24,
        choices=ClientStatus.choices,
        default=ClientStatus.DRAFT,
        protected=True,
    )
    suspended_from = models.CharField(max_length=24, choices=ClientStatus.choices, blank=True)
    suitability_level = models.CharField(
        _("suitability level"), max_length=2, choices=SuitabilityLevel.choices, blank=True
    )
    investor_type = models.CharField(
        _("investor type"),
        max_length=12,
        choices=InvestorType.choices,
        default=InvestorType.ORDINARY,
    )
    risk_rating = models.CharField(
        _("KYC risk rating"), max_length=8, choices=RiskRating.choices, blank=True
    )
    tier = models.CharField(_("tier"), max_length=20, blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="client",
        help_text=_("The portal login of this client."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["client_no"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.client_no} {self.display_name}"

    # Lifecycle. Guards that need data (documents present, screening cleared) live in services.
    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.DRAFT, S.KYC_REJECTED], target=S.KYC_SUBMITTED)
    def submit_kyc(self, by: object = None, description: str | None = None) -> None:
        """The client (or an operator for them) hands in identity details for review."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.KYC_SUBMITTED, target=S.KYC_VERIFIED)
    def verify_kyc(self, by: object = None, description: str | None = None) -> None:
        """A reviewer other than the one who entered the data confirms identity."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.KYC_SUBMITTED, target=S.KYC_REJECTED)
    def reject_kyc(self, by: object = None, description: str | None = None) -> None:
        """Identity not confirmed; the reasons tell the client what to fix."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=status,
        source=[S.KYC_VERIFIED, S.SUITABILITY_ASSESSED, S.ELIGIBLE],
        target=S.SUITABILITY_ASSESSED,
    )
    def assess_suitability(self, by: object = None, description: str | None = None) -> None:
        """A questionnaire was scored; re-assessment returns an eligible client here."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.SUITABILITY_ASSESSED, target=S.ELIGIBLE)
    def mark_eligible(self, by: object = None, description: str | None = None) -> None:
        """KYC, suitability and sanctions screening all clear: the firm may serve the client."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.ELIGIBLE, target=S.CREDIT_APPROVED)
    def approve_credit(self, by: object = None, description: str | None = None) -> None:
        """A credit line was approved (credit stage)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.CREDIT_APPROVED, target=S.CONTRACT_SIGNED)
    def sign_contract(self, by: object = None, description: str | None = None) -> None:
        """The margin-financing contract bundle was signed (contracts stage)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.CONTRACT_SIGNED, target=S.ACTIVE)
    def activate(self, by: object = None, description: str | None = None) -> None:
        """The contract is in force and the credit line usable."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.ACTIVE, target=S.MARGIN_CALL)
    def issue_margin_call(self, by: object = None, description: str | None = None) -> None:
        """The maintenance ratio fell below the warning line and a call was issued (risk)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.MARGIN_CALL, S.LIQUIDATING], target=S.ACTIVE)
    def restore(self, by: object = None, description: str | None = None) -> None:
        """The ratio is back above the line: call cured or liquidation finished."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[S.ACTIVE, S.MARGIN_CALL], target=S.LIQUIDATING)
    def start_liquidation(self, by: object = None, description: str | None = None) -> None:
        """Deadline passed, or the ratio fell below the liquidation line."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=LIVE_STATUSES, target=S.SUSPENDED)
    def suspend(self, by: object = None, description: str | None = None) -> None:
        """Stop all activity (compliance hold, dispute, court order)."""
        self.suspended_from = self.status

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=S.SUSPENDED, target=RETURN_VALUE(*LIVE_STATUSES))
    def resume(self, by: object = None, description: str | None = None) -> str:
        """Return to the state the client was suspended from."""
        previous = self.suspended_from or S.DRAFT
        self.suspended_from = ""
        return previous

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=[*LIVE_STATUSES, S.SUSPENDED], target=S.CLOSED)
    def close(self, by: object = None, description: str | None = None) -> None:
        """The relationship ends; records are kept."""


class SuitabilityWarning(models.Model):
    """A recorded special warning: the client insists on a product above their level."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="suitability_warnings"
    )
    suitability_level = models.CharField(max_length=2, choices=SuitabilityLevel.choices)
    product_risk_level = models.CharField(max_length=2, choices=ProductRiskLevel.choices)
    warning_text = models.TextField(_("warning shown"))
    client_statement = models.TextField(_("client's written confirmation"))
    acknowledged_on = models.DateField(_("acknowledged on"))
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-acknowledged_on"]
        verbose_name = _("special suitability warning")
        verbose_name_plural = _("special suitability warnings")

    def __str__(self) -> str:
        return f"{self.client} {self.suitability_level}→{self.product_risk_level}"
